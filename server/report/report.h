/* report.h - the governance report: one model, built from the live
 * data in one read transaction, rendered as JSON (the model itself), HTML
 * and CSV, and packed with a minisign signature into a .tar.gz bundle.
 * Used by GET /api/v1/reports/governance and `switchyard report`, which
 * therefore produce the same bytes for the same data (apart from
 * generated_at and generated_by).
 *
 * Bundle documents leave cover.generated_at null (the time is in
 * report-info.txt, which the signed manifest covers), so that two exports
 * of unchanged data differ only in report-info.txt and the signature. */
#ifndef SY_REPORT_H
#define SY_REPORT_H

#include <stdint.h>

#include "core/audit.h"
#include "http/request.h"

typedef enum { REPORT_JSON, REPORT_HTML, REPORT_BUNDLE, REPORT_CSV } report_format;

typedef struct report_query {
    report_format format;
    const char *format_name;   /* as asked: json, html, csv or bundle */
    const char *since;         /* as given (YYYY-MM-DD or RFC 3339 UTC), or NULL */
    const char *since_bound;   /* RFC 3339 lower bound on audit times, or NULL */
    int inline_view;           /* html only: shown in the page (preview) */
} report_query;

/* What the model reflects, for report-info.txt and the audit event. */
/* The mark printed on every page when the report_classification setting
 * names none. */
#define REPORT_DEFAULT_CLASSIFICATION "Internal"

typedef struct report_meta {
    const char *organisation;  /* NULL when not set */
    const char *currency;      /* the organisation's reporting currency, or NULL */
    const char *classification;/* the mark on every page */
    char as_of[11];
    char generated_at[21];
    const char *generated_by;
    int64_t head_seq;
    char head_hash[AUDIT_HASH_HEX];
    /* The bundle only: the DORA register of information of the same
     * snapshot (api/report_dora.h), in the request's arena; else NULL. */
    struct dora_register *dora;
    /* Bundle only: the standard exports of the same snapshot (arena). */
    const char *bom;           /* CycloneDX AI-BOM, no serial or timestamp */
    size_t bom_len;
    const char *ai_act_csv;    /* EU AI Act deployer register */
    size_t ai_act_csv_len;
} report_meta;

/* Checks format= and since= (no other parameter). With a non-NULL format
 * it is taken instead of the query's. 0, or 400 with the problem written. */
int report_parse_query(sy_request *rq, const char *format, const char *since,
                       report_query *q);

/* Builds the JSON model into rq->out in one read transaction and fills
 * meta (generated_at = now). The model's cover.generated_at is now when
 * stamp is set, else null. 0, or an HTTP status with the problem written. */
int report_model_build(sy_request *rq, const report_query *q, const char *now, int stamp,
                       report_meta *meta);

/* The whole export: model, rendering, bundle and signature (key from
 * key_dir, created on first use), then the audit event (after the
 * snapshot). Leaves the document in rq->out with content type and
 * disposition set. 200, or an error status with the problem written. */
int report_export(sy_request *rq, const report_query *q, const char *key_dir);


/* The directory holding the signing key: key_dir, or the directory of the
 * database file; for a PostgreSQL URL (no file) the current directory.
 * Arena string. */
const char *report_key_dir(arena *a, const char *key_dir, const char *db_path);

/* Command line: `switchyard report` (writes the document or the bundle to
 * a file) and `switchyard report verify FILE`. Return the exit status. */
int report_cli_export(const char *db_path, const char *key_dir, const char *format,
                      const char *since, const char *out_path, const char *bundle_path);
int report_cli_verify(const char *bundle_path, const char *db_path, const char *key_dir,
                      const char *public_key_file);

#endif
