/* report_dora.h - the DORA register of information as files: shared by its
 * route (GET /api/v1/reports/dora) and the signed governance bundle. */
#ifndef SY_REPORT_DORA_H
#define SY_REPORT_DORA_H

#include "api/analysis.h"
#include "common/buf.h"
#include "core/dora.h"
#include "http/request.h"
#include "report/bundle.h"

/* Templates + validation.json + validation.csv + README + the package's
 * own four files, with room to spare. */
#define DORA_FILES_MAX (DORA_TEMPLATES_N + 6)

/* Reads the entity's settings and builds the register of an analysis
 * loaded by the caller (inside its read transaction). 0, or the status of
 * the problem written. */
int dora_register_load(sy_request *rq, const analysis *an, dora_register *r);

/* The templates as CSV files named prefix + "b_01.01.csv" ..., then the
 * validation report (validation.json and .csv, or dora-validation.* when
 * readme is 0) and, when readme is set, a README.txt citing the sources.
 * texts[] are buf_init'ed by the caller and freed by it. How many files,
 * or -1 when out of memory. */
int dora_files(sy_request *rq, const dora_register *r, const char *prefix, int readme,
               buf texts[DORA_FILES_MAX], bundle_file files[DORA_FILES_MAX]);

#endif
