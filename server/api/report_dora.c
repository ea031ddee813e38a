/* report_dora.c - GET /api/v1/reports/dora: the DORA register of
 * information (core/dora.h) as plain CSV templates in a .zip
 * (format=csv-zip, the default), as an xBRL-CSV report package in the EBA's
 * structure (format=xbrl-csv), or as its validation report alone
 * (format=validation, JSON). Auditor or admin; audited as an export. The
 * register is also part of the signed governance bundle (report/export.c
 * calls dora_files()). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/analysis.h"
#include "api/api.h"
#include "api/audit.h"
#include "api/report_dora.h"
#include "common/log.h"
#include "common/text.h"
#include "core/audit.h"
#include "core/dora.h"
#include "http/query.h"
#include "report/bundle.h"
#include "store/store.h"
#include "version.h"

/* Reads the entity settings and builds the register from the analysis. */
int dora_register_load(sy_request *rq, const analysis *an, dora_register *r)
{
    static const char *const keys[] = {"organisation", "entity_lei", "entity_country",
                                       "entity_type", "competent_authority", "currency"};
    dora_entity e;
    const char **slots[] = {&e.name, &e.lei, &e.country, &e.type, &e.authority, &e.currency};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        *slots[i] = NULL;
        int code = store_setting_get(rq->db, keys[i], &rq->arena, slots[i]);
        if (code != ST_OK && code != ST_NOT_FOUND)
            return problem(rq, 500, NULL, "A setting could not be read.");
    }
    if (dora_build(&an->p, &e, &rq->arena, r) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    return 0;
}

static const char README[] =
    "Switchyard: the DORA register of information\n"
    "\n"
    "One CSV per template of Commission Implementing Regulation (EU) 2024/2956\n"
    "(b_01.01.csv ... b_07.01.csv); the header row holds the official column codes\n"
    "(c0010, ...) as the EBA's xBRL-CSV tables name them; closed-set values are the\n"
    "taxonomy's codes (eba_GA:DE, eba_TA:S19, ...). RFC 4180, UTF-8, CRLF; a cell a\n"
    "spreadsheet would read as a formula starts with a single quote.\n"
    "validation.json and validation.csv list every required cell still empty, per\n"
    "template and row: \"missing\" where Switchyard has the field but the record\n"
    "leaves it empty, \"not_modelled\" where Switchyard holds no such data yet.\n"
    "Nothing is invented: an empty cell is reported, never filled with a guess.\n"
    "\n"
    "Sources of the templates and columns:\n";

/* The templates' CSVs (names under prefix), validation.json/.csv and a
 * README into files[] (at most DORA_FILES_MAX); texts[] holds their bytes
 * (buf_init'ed by the caller, freed by it). Returns how many, or -1. */
int dora_files(sy_request *rq, const dora_register *r, const char *prefix, int readme,
               buf texts[DORA_FILES_MAX], bundle_file files[DORA_FILES_MAX])
{
    size_t n = 0;
    for (int t = 0; t < DORA_TEMPLATES_N; t++) {
        char name[64];
        dora_csv(&r->tables[t], &texts[n]);
        snprintf(name, sizeof name, "%s%s.csv", prefix, DORA_TEMPLATES[t].file);
        files[n] = (bundle_file){arena_strdup(&rq->arena, name), texts[n].data, texts[n].len};
        n++;
    }
    jw w;
    jw_init(&w, &texts[n]);
    dora_issues_json(&w, r);
    files[n] = (bundle_file){readme ? "validation.json" : "dora-validation.json", texts[n].data,
                             texts[n].len};
    n++;
    dora_issues_csv(r, &texts[n]);
    files[n] = (bundle_file){readme ? "validation.csv" : "dora-validation.csv", texts[n].data,
                             texts[n].len};
    n++;
    if (readme) {
        buf_puts(&texts[n], README);
        buf_puts(&texts[n], DORA_SOURCES);
        files[n] = (bundle_file){"README.txt", texts[n].data, texts[n].len};
        n++;
    }
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        failed |= buf_failed(&texts[i]);
        files[i].data = texts[i].data;
        files[i].len = texts[i].len;
    }
    return failed ? -1 : (int)n;
}

/* ---- the xBRL-CSV report package ------------------------------------------ */

/* The package as the EBA's DORA xBRL-CSV filings lay it out (one top
 * directory; META-INF/reportPackage.json of the XBRL Report Packages 1.0
 * type; reports/report.json extending the DORA 4.0 entry point;
 * reports/parameters.csv; reports/FilingIndicators.csv; one
 * reports/b_XX.XX.csv per template). Sources: the EBA reporting framework
 * 4.0 DORA module and its sample package, as public implementations
 * reproduce them (server/core/dora_templates.c). */
static int xbrl_files(sy_request *rq, const dora_register *r, const char *base_currency,
                      const char *lei, buf *texts, bundle_file *files)
{
    int n = dora_files(rq, r, "reports/", 0, texts, files);
    if (n < 0)
        return -1;
    n -= 2; /* the validation report stays outside the package */
    buf_reset(&texts[n]);
    buf_reset(&texts[n + 1]);
    buf_puts(&texts[n], "{\"documentInfo\":{\"documentType\":"
                        "\"https://xbrl.org/report-package/2023\"}}\n");
    files[n] = (bundle_file){"META-INF/reportPackage.json", texts[n].data, texts[n].len};
    n++;
    buf_printf(&texts[n], "{\"documentInfo\":{\"documentType\":\"https://xbrl.org/2021/xbrl-csv\","
                          "\"extends\":[\"%s\"]}}\n", DORA_TAXONOMY_ENTRY);
    files[n] = (bundle_file){"reports/report.json", texts[n].data, texts[n].len};
    n++;
    buf_puts(&texts[n], "name,value\r\n");
    buf_printf(&texts[n], "entityID,rs:%s.IND\r\n", lei ? lei : "");
    buf_printf(&texts[n], "refPeriod,%s\r\n", r->ref_date);
    buf_printf(&texts[n], "baseCurrency,iso4217:%s\r\n", base_currency ? base_currency : "EUR");
    buf_puts(&texts[n], "decimalsInteger,0\r\ndecimalsMonetary,0\r\n");
    files[n] = (bundle_file){"reports/parameters.csv", texts[n].data, texts[n].len};
    n++;
    buf_puts(&texts[n], "templateID,reported\r\n");
    for (int t = 0; t < DORA_TEMPLATES_N; t++)
        buf_printf(&texts[n], "%s,%s\r\n", DORA_TEMPLATES[t].code,
                   r->tables[t].n_rows ? "true" : "false");
    files[n] = (bundle_file){"reports/FilingIndicators.csv", texts[n].data, texts[n].len};
    n++;
    for (int i = 0; i < n; i++)
        if (buf_failed(&texts[i]))
            return -1;
    return n;
}

/* ---- the route --------------------------------------------------------------- */

typedef enum { DF_ZIP, DF_XBRL, DF_VALIDATION } dora_format;

static int parse_query(sy_request *rq, dora_format *f, const char **name)
{
    *f = DF_ZIP;
    *name = "csv-zip";
    const char *cursor = rq->query ? rq->query : "";
    char key[64], value[64];
    int rc;
    while ((rc = query_next(&cursor, key, sizeof key, value, sizeof value)) != 0) {
        if (rc < 0)
            return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
        if (strcmp(key, "format") != 0)
            return problem_param(rq, key, "is not supported here");
        if (strcmp(value, "csv-zip") == 0)
            *f = DF_ZIP;
        else if (strcmp(value, "xbrl-csv") == 0)
            *f = DF_XBRL;
        else if (strcmp(value, "validation") == 0)
            *f = DF_VALIDATION;
        else
            return problem_param(rq, "format", "must be csv-zip, xbrl-csv or validation");
        *name = strcmp(value, "csv-zip") == 0 ? "csv-zip"
                : strcmp(value, "xbrl-csv") == 0 ? "xbrl-csv" : "validation";
    }
    return 0;
}

/* The audit event of the export, as the governance export records its own. */
static int record(sy_request *rq, const char *format, const dora_register *r, const char *hash)
{
    buf after;
    buf_init(&after);
    jw w;
    jw_init(&w, &after);
    jw_obj(&w);
    jw_kstr(&w, "report", "dora");
    jw_kstr(&w, "format", format);
    jw_kstr(&w, "as_of", r->ref_date);
    jw_kint(&w, "issues", (int64_t)r->n_issues);
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
        log_msg(LOG_ERROR, "report: the DORA export could not be recorded in the audit trail");
        return problem(rq, 503, NULL, "The export could not be recorded in the audit trail; "
                                      "nothing was exported.");
    }
    return 0;
}

/* Packs files into a .zip in rq->out under the directory dir. */
static int zip_out(sy_request *rq, const char *dir, const bundle_file *files, size_t n)
{
    buf zip;
    char msg[256];
    buf_init(&zip);
    if (bundle_write_as(BUNDLE_ZIP, dir, files, n, (int64_t)clock_now(), &zip, msg,
                        sizeof msg) != 0) {
        log_msg(LOG_ERROR, "report: %s", msg);
        buf_free(&zip);
        return problem(rq, 500, NULL, "The DORA register could not be packed.");
    }
    buf_free(&rq->out);
    rq->out = zip;
    jw_init(&rq->jw, &rq->out);
    rq->content_type = "application/zip";
    return 0;
}

static int render(sy_request *rq, dora_format f, const dora_register *r, const char *lei,
                  const char *currency)
{
    buf texts[DORA_FILES_MAX];
    bundle_file files[DORA_FILES_MAX];
    for (int i = 0; i < DORA_FILES_MAX; i++)
        buf_init(&texts[i]);
    int n = f == DF_XBRL ? xbrl_files(rq, r, currency, lei, texts, files)
                         : dora_files(rq, r, "", 1, texts, files);
    char dir[64];
    snprintf(dir, sizeof dir, "dora-register-%s%s", r->ref_date, f == DF_XBRL ? "-xbrl" : "");
    int status = n < 0 ? problem(rq, 500, NULL, "Out of memory.")
                       : zip_out(rq, dir, files, (size_t)n);
    for (int i = 0; i < DORA_FILES_MAX; i++)
        buf_free(&texts[i]);
    if (status == 0) {
        char disposition[96];
        snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.zip\"", dir);
        rq->disposition = arena_strdup(&rq->arena, disposition);
    }
    return status;
}

int reports_dora_get(sy_request *rq)
{
    dora_format f;
    const char *fname;
    int status = parse_query(rq, &f, &fname);
    if (status)
        return status;
    store_err err;
    if (store_begin_read(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    analysis an;
    dora_register r;
    const char *lei = NULL, *currency = NULL;
    status = analysis_load(rq, &an);
    if (!status)
        status = dora_register_load(rq, &an, &r);
    if (!status && (store_setting_get(rq->db, "entity_lei", &rq->arena, &lei) == ST_ERROR ||
                    store_setting_get(rq->db, "currency", &rq->arena, &currency) == ST_ERROR))
        status = problem(rq, 500, NULL, "A setting could not be read.");
    store_end_read(rq->db);
    if (status)
        return status;
    if (f == DF_VALIDATION) {
        dora_issues_json(&rq->jw, &r);
        rq->content_type = "application/json";
        char disposition[80];
        snprintf(disposition, sizeof disposition,
                 "attachment; filename=\"dora-validation-%s.json\"", r.ref_date);
        rq->disposition = arena_strdup(&rq->arena, disposition);
    } else if ((status = render(rq, f, &r, lei, currency)) != 0) {
        return status;
    }
    if (buf_failed(&rq->out))
        return problem(rq, 500, NULL, "Out of memory.");
    char hash[AUDIT_HASH_HEX];
    sha256_hex(rq->out.data, rq->out.len, hash);
    if (!rq->head_only && (status = record(rq, fname, &r, hash)) != 0)
        return status;
    return 200;
}
