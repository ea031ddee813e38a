/* imports.h (api) - the evidence import framework, shared by the API
 * (POST /api/v1/imports), the command line (`switchyard import`) and the
 * benchmark.
 *
 * import_run() hashes the file (SHA-256), has the kind parse and check
 * all of it into a plan (core/import_plan.h) and, unless it is a dry run,
 * applies the plan in one write transaction: the kind's records, one audit
 * event per record changed, provenance for every field set
 * ('import:<id>:<kind>', observed_at), the imports row, and one audit
 * event for the import itself. A file with any rejected row changes
 * nothing (status 422); a malformed file (bad CSV, a missing or unknown
 * column) gets status 400 with the row and column. */
#ifndef SY_API_IMPORTS_H
#define SY_API_IMPORTS_H

#include <stdio.h>

#include "common/arena.h"
#include "common/jw.h"
#include "core/audit.h"
#include "core/import_plan.h"
#include "store/store.h"

typedef struct import_opts {
    const char *kind;
    const char *file_name;
    const char *tag_key;       /* focus: the tag naming the workload (default "workload") */
    const char *actor;
    const char *source_url;    /* fetched from this URL (lifecycle: the facts' source), or NULL */
    int dry_run;
} import_opts;

typedef struct import_result {
    import_plan plan;
    char sha256[AUDIT_HASH_HEX];
    int64_t import_id;         /* 0 unless applied */
    int status;                /* 200 done, 400 malformed, 422 rejected rows, 500 */
    long row, column;          /* where a malformed file went wrong (0: unknown) */
    char detail[256];
    char pointer[200];         /* a JSON file: the bad field (JSON Pointer), row = its record */
    store_err err;             /* status 500 from the store */
} import_result;

/* A kind: plans from the file (reads only), applies a plan (inside the
 * write transaction, after the imports row exists). */
typedef struct import_kind {
    const char *name;
    int (*plan)(sy_db *db, FILE *f, const import_opts *o, import_result *r);
    int (*apply)(sy_db *db, const import_opts *o, import_result *r, const char *source,
                 const char *now);
    int admin_only;            /* it changes the catalogue: admins only */
} import_kind;

extern const import_kind IMPORT_WORKLOADS, IMPORT_FOCUS, IMPORT_LITELLM, IMPORT_LIFECYCLE,
    IMPORT_LITELLM_SPEND;

struct wl_names;
/* Every offering's name and ID, for a kind's lookups (arena-owned). */
int import_offering_names(sy_db *db, arena *a, struct wl_names *names, store_err *err);

/* The kind named name, or NULL. */
const import_kind *import_kind_find(const char *name);
/* The kinds' names, "workloads, focus" (static). */
const char *import_kind_names(void);

/* Runs an import; r is initialised here and freed with import_result_free. */
void import_run(sy_db *db, FILE *f, const import_opts *o, import_result *r);
void import_result_free(import_result *r);
/* The answer: the plan plus file, sha256, dry_run, import (id or null). */
void import_write(jw *w, const import_opts *o, const import_result *r);

struct declared_rec;
/* One declared-only workload (store_declared_only) as JSON: GET /imports
 * and the summary's declared_only. */
void declared_json(jw *w, const struct declared_rec *d);

/* Helpers for the kinds. */
int import_malformed(import_result *r, long row, long column, const char *detail);
int import_provenance(sy_db *db, const char *entity, int64_t id, const char *field,
                      const char *source, const char *now, int64_t import_id, store_err *err);
/* After a monthly figure of a workload was written (entity "actual_spend"
 * or "gateway_spend"): its audit event (create, or update from `before`)
 * and its provenance, field "ENTITY:MONTH:CURRENCY". ST_OK or the error. */
int import_month_recorded(sy_db *db, const import_opts *o, import_result *r, int created,
                          const char *entity,
                          int64_t workload_id, const char *month, const char *currency,
                          const char *before, const char *after, const char *source,
                          const char *now);

#endif
