/* ai_act.h - the EU AI Act deployer register (Regulation (EU) 2024/1689
 * Art. 26 and 27, Annex III): one row per active workload (pilot and
 * production), as CSV (RFC 4180, formula-guarded by core/csv.c) and as
 * JSON. Each row lists the AI Act compliance findings (core/compliance.h,
 * codes ai_act_*) that name the workload, so the register shows its own
 * gaps. Pure: from the portfolio snapshot and the findings. */
#ifndef SY_AI_ACT_H
#define SY_AI_ACT_H

#include <stddef.h>

#include "common/buf.h"
#include "common/jw.h"
#include "core/compliance.h"
#include "core/portfolio.h"

/* The CSV columns, in order: {key, heading}. NULL-terminated. */
typedef struct ai_act_column {
    const char *key;
    const char *label;
} ai_act_column;
extern const ai_act_column AI_ACT_COLUMNS[];

/* Writes the header and one record per active workload (by name). */
int ai_act_csv(const portfolio *p, const compliance_finding *f, size_t n_findings, buf *out);

/* Writes {"regulation", "as_of", "columns": [...], "rows": [...], "count",
 * "with_gaps"}; a row holds the columns' keys with typed values (numbers,
 * null for absent) and "gaps": [codes]. */
int ai_act_json(const portfolio *p, const compliance_finding *f, size_t n_findings, jw *w);

#endif
