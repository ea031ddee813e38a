/* exports.h - the standard exports (CycloneDX AI-BOM, EU AI Act register)
 * as the export routes and the signed bundle build them. */
#ifndef SY_API_EXPORTS_H
#define SY_API_EXPORTS_H

#include "api/analysis.h"
#include "common/buf.h"
#include "http/request.h"

/* The organisation setting, or NULL when unset. 0, or 500 written. */
int export_organisation(sy_request *rq, const char **organisation);

/* A random (version 4) UUID as "urn:uuid:...": every CycloneDX BOM gets its
 * own serial number, as the specification asks, even for unchanged data. */
void export_uuid(char out[46]);

/* The CycloneDX BOM of the active set (only = 0) or one workload into out,
 * stamped now. 0, or an HTTP status with the problem written. */
int export_cyclonedx(sy_request *rq, const analysis *an, const char *organisation,
                     int64_t only, buf *out);

/* The AI Act deployer register (CSV or JSON) of the active set into out.
 * 0, or an HTTP status with the problem written. */
int export_ai_act(sy_request *rq, const analysis *an, int csv, buf *out);

/* The governance report's "ai_act" section: the register's JSON at the
 * model's current key. 0, or an HTTP status with the problem written. */
int export_ai_act_section(sy_request *rq, const analysis *an);

/* The bundle's ai-bom.cdx.json (no serial number or timestamp, so that two
 * bundles of unchanged data hold the same bytes) and ai-act-register.csv,
 * into m (arena). 0, or an HTTP status with the problem written. */
struct report_meta;
int export_bundle_files(sy_request *rq, const analysis *an, struct report_meta *m);

#endif
