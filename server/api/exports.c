/* exports.c - the standard artefacts auditors file or feed into other
 * tools, built from the same snapshot as the dashboard:
 *   GET /api/v1/reports/cyclonedx   CycloneDX 1.6 AI-BOM (core/cyclonedx.c)
 *   GET /api/v1/reports/ai-act      EU AI Act deployer register, CSV or
 *                                   JSON (core/ai_act.c)
 * Each answer is an attachment and an audited export (action export,
 * entity report, with the document's SHA-256), like the governance
 * report's. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/analysis.h"
#include "api/api.h"
#include "api/audit.h"
#include "api/exports.h"
#include "common/log.h"
#include "common/text.h"
#include "core/ai_act.h"
#include "core/audit.h"
#include "core/cyclonedx.h"
#include "http/query.h"
#include "http/server.h"
#include "report/report.h"
#include "version.h"

/* The audit event of an export, after the document is built. */
static int record(sy_request *rq, const char *report, const char *format, int64_t workload_id)
{
    if (rq->head_only)
        return 0; /* HEAD sees the headers of an export but is not one */
    char hash[AUDIT_HASH_HEX];
    sha256_hex(rq->out.data ? rq->out.data : "", rq->out.len, hash);
    buf after;
    buf_init(&after);
    jw w;
    jw_init(&w, &after);
    jw_obj(&w);
    jw_kstr(&w, "report", report);
    jw_kstr(&w, "format", format);
    jw_kid(&w, "workload", workload_id);
    jw_kstr(&w, "document_sha256", hash);
    jw_obj_end(&w);
    store_err err;
    int code = buf_failed(&after) ? ST_ERROR : store_begin_write(rq->db, &err);
    if (code == ST_OK)
        code = audit_record(rq->db, rq->actor, "export", "report", 0, NULL, after.data, &err);
    if (code == ST_OK)
        code = store_commit(rq->db, &err);
    if (code != ST_OK)
        store_rollback(rq->db);
    buf_free(&after);
    if (code != ST_OK) {
        log_msg(LOG_ERROR, "export: %s could not be recorded in the audit trail", report);
        return problem(rq, 503, NULL, "The export could not be recorded in the audit trail; "
                                      "nothing was exported.");
    }
    return 0;
}

int export_organisation(sy_request *rq, const char **organisation)
{
    *organisation = NULL;
    int code = store_setting_get(rq->db, "organisation", &rq->arena, organisation);
    if (code != ST_OK && code != ST_NOT_FOUND)
        return problem(rq, 500, NULL, "The organisation setting could not be read.");
    return 0;
}

void export_uuid(char out[46])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4: random */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 46,
             "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

int export_cyclonedx(sy_request *rq, const analysis *an, const char *organisation,
                     int64_t only, buf *out)
{
    char serial[46], stamp[21];
    export_uuid(serial);
    clock_now_rfc3339(stamp);
    cdx_meta m = {serial, stamp, organisation, SWITCHYARD_VERSION};
    jw w;
    jw_init(&w, out);
    if (cyclonedx_write(&w, &an->p, an->risk, &m, only) != 0 || buf_failed(out))
        return problem(rq, 500, NULL, "Out of memory.");
    return 0;
}

/* GET /reports/cyclonedx[?workload=ID] */
int reports_cyclonedx_get(sy_request *rq)
{
    const char *cursor = rq->query ? rq->query : "";
    char name[32], value[32];
    int rc;
    int64_t only = 0;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        if (strcmp(name, "workload") != 0)
            return problem_param(rq, name, "is not supported here");
        if (parse_i64(value, 1, INT64_MAX, &only) != 0)
            return problem_param(rq, "workload", "must be a workload ID (a positive integer)");
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    const char *organisation;
    analysis an;
    int status = export_organisation(rq, &organisation);
    if (status || (status = analysis_load(rq, &an)) != 0)
        return status;
    if (only && !pf_workload(&an.p, only))
        return problem(rq, 404, NULL, "No workload has this ID.");
    if ((status = analysis_texts(rq, &an, only)) != 0) /* the purposes it shows */
        return status;
    buf_reset(&rq->out);
    jw_init(&rq->jw, &rq->out);
    if ((status = export_cyclonedx(rq, &an, organisation, only, &rq->out)) != 0)
        return status;
    if ((status = record(rq, "cyclonedx", "json", only)) != 0)
        return status;
    char today[11], disposition[96];
    date_format(an.p.today, today);
    if (only)
        snprintf(disposition, sizeof disposition,
                 "attachment; filename=\"ai-bom-workload-%lld-%s.cdx.json\"", (long long)only,
                 today);
    else
        snprintf(disposition, sizeof disposition, "attachment; filename=\"ai-bom-%s.cdx.json\"",
                 today);
    rq->disposition = arena_strdup(&rq->arena, disposition);
    rq->content_type = "application/vnd.cyclonedx+json; version=1.6";
    rq->cache_control = "no-store";
    return 200;
}

int export_ai_act(sy_request *rq, const analysis *an, int csv, buf *out)
{
    compliance_finding *items;
    size_t n;
    if (compliance_findings(&an->p, SIZE_MAX, &rq->arena, &items, &n) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    jw w;
    jw_init(&w, out);
    int failed = csv ? ai_act_csv(&an->p, items, n, out) : ai_act_json(&an->p, items, n, &w);
    if (failed || buf_failed(out))
        return problem(rq, 500, NULL, "Out of memory.");
    return 0;
}

/* GET /reports/ai-act[?format=json|csv] */
int reports_ai_act_get(sy_request *rq)
{
    const char *cursor = rq->query ? rq->query : "";
    char name[32], value[32];
    int rc, csv = 0;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        if (strcmp(name, "format") != 0)
            return problem_param(rq, name, "is not supported here");
        if (strcmp(value, "csv") != 0 && strcmp(value, "json") != 0)
            return problem_param(rq, "format", "must be json or csv");
        csv = value[0] == 'c';
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    analysis an;
    int status = analysis_load(rq, &an);
    if (status || (status = analysis_texts(rq, &an, 0)) != 0) /* intended purposes */
        return status;
    buf_reset(&rq->out);
    jw_init(&rq->jw, &rq->out);
    if ((status = export_ai_act(rq, &an, csv, &rq->out)) != 0 ||
        (status = record(rq, "ai-act", csv ? "csv" : "json", 0)) != 0)
        return status;
    char today[11], disposition[96];
    date_format(an.p.today, today);
    snprintf(disposition, sizeof disposition, "attachment; filename=\"ai-act-register-%s.%s\"",
             today, csv ? "csv" : "json");
    rq->disposition = arena_strdup(&rq->arena, disposition);
    rq->content_type = csv ? "text/csv; charset=utf-8; header=present" : "application/json";
    rq->cache_control = "no-store";
    return 200;
}

int export_ai_act_section(sy_request *rq, const analysis *an)
{
    compliance_finding *items;
    size_t n;
    if (compliance_findings(&an->p, SIZE_MAX, &rq->arena, &items, &n) != 0 ||
        ai_act_json(&an->p, items, n, &rq->jw) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    return 0;
}

/* Copies a buffer into the request's arena. */
static const char *keep(sy_request *rq, const buf *b, size_t *len)
{
    *len = b->len;
    return b->len ? arena_strndup(&rq->arena, b->data, b->len) : "";
}

int export_bundle_files(sy_request *rq, const analysis *an, report_meta *m)
{
    buf bom, csv;
    buf_init(&bom);
    buf_init(&csv);
    cdx_meta cm = {NULL, NULL, m->organisation, SWITCHYARD_VERSION};
    jw w;
    jw_init(&w, &bom);
    compliance_finding *items;
    size_t n;
    int failed = cyclonedx_write(&w, &an->p, an->risk, &cm, 0) != 0 ||
                 compliance_findings(&an->p, SIZE_MAX, &rq->arena, &items, &n) != 0 ||
                 ai_act_csv(&an->p, items, n, &csv) != 0 || buf_failed(&bom) || buf_failed(&csv);
    if (!failed) {
        m->bom = keep(rq, &bom, &m->bom_len);
        m->ai_act_csv = keep(rq, &csv, &m->ai_act_csv_len);
        failed = !m->bom || !m->ai_act_csv;
    }
    buf_free(&bom);
    buf_free(&csv);
    return failed ? problem(rq, 500, NULL, "Out of memory.") : 0;
}
