/* cyclonedx.h - the portfolio as a CycloneDX 1.6 AI-BOM (JSON). Pure: from
 * the portfolio snapshot and its risk results, no I/O.
 *
 * Shape (bom-refs are stable: they carry the records' IDs):
 *   metadata.component     the organisation's AI portfolio (application,
 *                          "switchyard:portfolio")
 *   components             each workload in scope (application,
 *                          "switchyard:workload:ID") and each model offering
 *                          it depends on (machine-learning-model,
 *                          "switchyard:offering:ID": supplier = provider,
 *                          manufacturer and publisher = publisher, version =
 *                          model_version, a minimal modelCard)
 *   services               every other offering it depends on (assistants,
 *                          platforms, data stores, identity, tooling), the
 *                          provider as organizational entity
 *   dependencies           portfolio -> workloads -> offerings
 *   properties             "switchyard:" names: lock-in score, level,
 *                          priority, flagged, accepted, last exit drill, ...
 * Scope: the active set (pilot and production), or one workload (any
 * status). */
#ifndef SY_CYCLONEDX_H
#define SY_CYCLONEDX_H

#include <stdint.h>

#include "common/jw.h"
#include "core/portfolio.h"
#include "core/risk.h"

typedef struct cdx_meta {
    const char *serial;        /* "urn:uuid:...", or NULL for none */
    const char *timestamp;     /* RFC 3339 UTC, or NULL for none */
    const char *organisation;  /* or NULL */
    const char *tool_version;  /* Switchyard's version */
} cdx_meta;

/* Writes the BOM of the active set (only == 0) or of the workload with ID
 * only (which must exist). risk[i] belongs to p->workloads[i]. 0, or -1
 * when out of memory. */
int cyclonedx_write(jw *w, const portfolio *p, const risk_result *risk, const cdx_meta *m,
                     int64_t only);

#endif
