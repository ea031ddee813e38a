/* export.c - the governance report export behind GET /api/v1/reports/governance
 * and `switchyard report`: the model (one read transaction), its rendering,
 * the signed bundle, then the audit event. */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/report_dora.h"
#include "report/bundle.h"
#include "report/signing.h"
#include "report/verify.h"
#include "store/reports.h"
#include "common/log.h"
#include "common/text.h"
#include "core/minisign.h"
#include "core/report_html.h"
#include "core/report_tables.h"
#include "http/query.h"
#include "http/server.h"
#include "version.h"

/* ---- query ---------------------------------------------------------------- */

static int format_of(const char *name, report_format *f)
{
    if (strcmp(name, "json") == 0)
        *f = REPORT_JSON;
    else if (strcmp(name, "html") == 0)
        *f = REPORT_HTML;
    else if (strcmp(name, "bundle") == 0)
        *f = REPORT_BUNDLE;
    else if (strcmp(name, "csv") == 0)
        *f = REPORT_CSV;      /* the tables, one file each, in a .zip */
    else
        return -1;
    return 0;
}

/* A date (from its midnight UTC) or an RFC 3339 UTC time; writes the bound. */
static int since_bound(const char *value, char bound[21])
{
    int64_t days;
    if (date_parse(value, &days) == 0) {
        snprintf(bound, 21, "%sT00:00:00Z", value);
        return 0;
    }
    if (strlen(value) != 20 || value[10] != 'T' || value[19] != 'Z' || value[13] != ':' ||
        value[16] != ':')
        return -1;
    char day[11];
    memcpy(day, value, 10);
    day[10] = '\0';
    static const int digits[] = {11, 12, 14, 15, 17, 18};
    for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
        if (value[digits[i]] < '0' || value[digits[i]] > '9')
            return -1;
    if (date_parse(day, &days) != 0 || (value[11] - '0') * 10 + (value[12] - '0') > 23 ||
        value[14] > '5' || value[17] > '5')
        return -1;
    memcpy(bound, value, 21);
    return 0;
}

static const char FORMAT_HINT[] = "must be html, json, csv or bundle";
static const char SINCE_HINT[] =
    "must be a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ)";

int report_parse_query(sy_request *rq, const char *format, const char *since, report_query *q)
{
    memset(q, 0, sizeof *q);
    q->format = REPORT_JSON;
    q->format_name = "json";
    const char *cursor = rq->query ? rq->query : "";
    char name[64], value[128];
    int rc;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) != 0) {
        if (rc < 0)
            return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
        if (strcmp(name, "format") == 0) {
            if (format_of(value, &q->format) != 0)
                return problem_param(rq, "format", FORMAT_HINT);
            q->format_name = arena_strdup(&rq->arena, value);
        } else if (strcmp(name, "since") == 0) {
            q->since = arena_strdup(&rq->arena, value);
        } else if (strcmp(name, "inline") == 0) {
            if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
                return problem_param(rq, "inline", "must be true or false");
            q->inline_view = value[0] == 't';
        } else {
            return problem_param(rq, name, "is not supported here");
        }
    }
    if (format) {
        if (format_of(format, &q->format) != 0)
            return problem_param(rq, "format", FORMAT_HINT);
        q->format_name = format;
    }
    if (since)
        q->since = since;
    if (q->inline_view && q->format != REPORT_HTML)
        return problem_param(rq, "inline", "is only for format=html");
    if (q->since) {
        char bound[21];
        if (since_bound(q->since, bound) != 0)
            return problem_param(rq, "since", SINCE_HINT);
        q->since_bound = arena_strdup(&rq->arena, bound);
    }
    return 0;
}

const char *report_key_dir(arena *a, const char *key_dir, const char *db_path)
{
    if (key_dir && *key_dir)
        return key_dir;
    if (db_path && !store_target_is_file(db_path))
        return "."; /* a database server: no file to sit beside */
    const char *slash = db_path ? strrchr(db_path, '/') : NULL;
    if (!slash)
        return ".";
    if (slash == db_path)
        return "/";
    return arena_strndup(a, db_path, (size_t)(slash - db_path));
}

/* ---- export --------------------------------------------------------------- */

static void query_text(const report_query *q, buf *out)
{
    buf_printf(out, "format=%s", q->format_name);
    if (q->since)
        buf_printf(out, "&since=%s", q->since);
}

static void info_text(const report_meta *m, const report_query *q, const char *keyid, buf *out)
{
    buf_puts(out, "report: governance\n");
    buf_printf(out, "organisation: %s\n", m->organisation ? m->organisation : "");
    buf_printf(out, "generated_at: %s\n", m->generated_at);
    buf_printf(out, "generated_by: %s\n", m->generated_by);
    buf_printf(out, "as_of: %s\n", m->as_of);
    buf_printf(out, "audit_head_seq: %lld\n", (long long)m->head_seq);
    buf_printf(out, "audit_head_hash: %s\n", m->head_hash);
    buf_puts(out, "software: switchyard " SWITCHYARD_VERSION "\n");
    buf_puts(out, "query: ");
    query_text(q, out);
    buf_printf(out, "\nsigning_key_id: %s\n", keyid);
}

static const char README[] =
    "Switchyard governance report bundle\n"
    "\n"
    "governance-report.html   the report, print-ready (A4)\n"
    "governance-report.json   the same report as data (the complete model)\n"
    "*.csv                    its tables, RFC 4180, UTF-8; cells that a spreadsheet\n"
    "                         would read as a formula start with a single quote\n"
    "dora-b_XX.XX.csv         the DORA register of information of the same data, one\n"
    "                         template each (Implementing Regulation (EU) 2024/2956;\n"
    "                         header: the column codes), and dora-validation.json/.csv,\n"
    "                         every required cell still empty (GET /api/v1/reports/dora)\n"
    "ai-bom.cdx.json          the AI portfolio as a CycloneDX 1.6 AI-BOM (no serial\n"
    "                         number or timestamp: see report-info.txt)\n"
    "ai-act-register.csv      the EU AI Act deployer register, one row per active\n"
    "                         workload, with its gaps\n"
    "report-info.txt          when, by whom and from which audit head it was made\n"
    "report-signing.pub       the public key that signed it (compare its key ID with\n"
    "                         the one the organisation publishes)\n"
    "manifest-sha256.txt      SHA-256 of every file above\n"
    "manifest-sha256.txt.minisig  Ed25519 signature of the manifest (minisign)\n"
    "\n"
    "To verify, in this directory, with the organisation's published public key\n"
    "(GET /api/v1/reports/public-key):\n"
    "  minisign -Vm manifest-sha256.txt -P <public key>\n"
    "  sha256sum -c manifest-sha256.txt\n"
    "`switchyard report verify BUNDLE` checks all of it from any folder (with\n"
    "--public-key FILE, against the published key); with the database at hand\n"
    "(--db) also that the audit head is part of the audit trail's hash chain.\n"
    "The Reports page's \"Verify a bundle\" does the same on the server.\n";

/* Renders the bundle from the model in rq->out; leaves the .tar.gz there. */
static int make_bundle(sy_request *rq, const json_t *model, const report_table *tables,
                       const report_meta *m, const report_query *q, time_t now,
                       const char *key_dir, char manifest_hash[AUDIT_HASH_HEX])
{
    minisign_key key;
    char msg[512];
    if (signing_key_load(key_dir, 0, &key, msg, sizeof msg) != 0) {
        log_msg(LOG_ERROR, "report: %s", msg);
        return problem(rq, 503, NULL, "The report signing key is not available; the operator "
                                      "creates it with `switchyard keys init`.");
    }
    char keyid[17];
    minisign_keyid_hex(key.keyid, keyid);

    enum { F_HTML, F_JSON, F_README, F_INFO, F_KEY, F_CSV };
    buf texts[F_CSV + REPORT_TABLES], dora[DORA_FILES_MAX];
    bundle_file files[F_CSV + REPORT_TABLES + DORA_FILES_MAX + 4], dora_f[DORA_FILES_MAX];
    size_t n = 0;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        buf_init(&texts[i]);
    for (size_t i = 0; i < DORA_FILES_MAX; i++)
        buf_init(&dora[i]);
    report_html(model, tables, &texts[F_HTML]);
    buf_append(&texts[F_JSON], rq->out.data, rq->out.len);
    buf_puts(&texts[F_README], README);
    info_text(m, q, keyid, &texts[F_INFO]);
    minisign_public_text(&key, &texts[F_KEY]);
    for (int t = 0; t < REPORT_TABLES; t++)
        report_csv(&tables[t], &texts[F_CSV + t]);
    static const char *const fixed[] = {"governance-report.html", "governance-report.json",
                                        "README.txt", INFO_FILE, BUNDLE_KEY_FILE};
    for (int i = 0; i < F_CSV; i++)
        files[n++] = (bundle_file){fixed[i], texts[i].data, texts[i].len};
    for (int t = 0; t < REPORT_TABLES; t++) {
        char name[64];
        snprintf(name, sizeof name, "%s.csv", tables[t].name);
        files[n++] = (bundle_file){arena_strdup(&rq->arena, name), texts[F_CSV + t].data,
                                   texts[F_CSV + t].len};
    }
    int n_dora = m->dora ? dora_files(rq, m->dora, "dora-", 0, dora, dora_f) : 0;
    for (int i = 0; i < n_dora; i++)
        files[n++] = dora_f[i];
    /* The standard exports of the same snapshot (api/exports.c). */
    files[n++] = (bundle_file){"ai-bom.cdx.json", m->bom, m->bom_len};
    files[n++] = (bundle_file){"ai-act-register.csv", m->ai_act_csv, m->ai_act_csv_len};
    buf manifest, sig, tar;
    buf_init(&manifest);
    buf_init(&sig);
    buf_init(&tar);
    manifest_text(files, n, &manifest);
    char trusted[256];
    snprintf(trusted, sizeof trusted,
             "timestamp:%lld\tfile:" MANIFEST_FILE "\thashed\treport:governance\tas_of:%s"
             "\taudit_head:%lld",
             (long long)now, m->as_of, (long long)m->head_seq);
    char untrusted[128];
    snprintf(untrusted, sizeof untrusted, "signature from switchyard report signing key %s",
             keyid);
    int failed = 0;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        failed |= buf_failed(&texts[i]);
    failed |= n_dora < 0 || buf_failed(&manifest) ||
              minisign_sign(&key, manifest.data, manifest.len, untrusted, trusted, &sig) != 0;
    sodium_memzero(&key, sizeof key);
    int status = 0;
    if (!failed) {
        sha256_hex(manifest.data, manifest.len, manifest_hash);
        files[n++] = (bundle_file){MANIFEST_FILE, manifest.data, manifest.len};
        files[n++] = (bundle_file){SIGNATURE_FILE, sig.data, sig.len};
        char dir[64];
        snprintf(dir, sizeof dir, "governance-report-%s", m->as_of);
        if (bundle_write(dir, files, n, (int64_t)now, &tar, msg, sizeof msg) != 0) {
            log_msg(LOG_ERROR, "report: %s", msg);
            failed = 1;
        }
    }
    if (failed) {
        status = problem(rq, 500, NULL, "The bundle could not be built.");
    } else {
        buf_free(&rq->out);
        rq->out = tar;
        buf_init(&tar);
        jw_init(&rq->jw, &rq->out);
    }
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        buf_free(&texts[i]);
    for (size_t i = 0; i < DORA_FILES_MAX; i++)
        buf_free(&dora[i]);
    buf_free(&manifest);
    buf_free(&sig);
    buf_free(&tar);
    return status;
}

/* The audit event of an export, written after the snapshot. */
static int record_export(sy_request *rq, const report_query *q, const report_meta *m,
                         const char *hash)
{
    buf after, qt;
    buf_init(&after);
    buf_init(&qt);
    query_text(q, &qt);
    jw w;
    jw_init(&w, &after);
    jw_obj(&w);
    jw_kstr(&w, "report", "governance");
    jw_kstr(&w, "format", q->format_name);
    jw_kstr(&w, "query", qt.data);
    jw_kstr(&w, "since", q->since);
    jw_kstr(&w, "as_of", m->as_of);
    jw_key(&w, "audit_head");
    jw_obj(&w);
    jw_kint(&w, "seq", m->head_seq);
    jw_kstr(&w, "hash", m->head_hash);
    jw_obj_end(&w);
    jw_kstr(&w, q->format == REPORT_BUNDLE ? "manifest_sha256" : "document_sha256", hash);
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
    buf_free(&qt);
    if (code != ST_OK) {
        log_msg(LOG_ERROR, "report: the export could not be recorded in the audit trail");
        return problem(rq, 503, NULL, "The export could not be recorded in the audit trail; "
                                      "nothing was exported.");
    }
    return 0;
}

/* Without since=, audit.csv holds the whole trail up to the report's head
 * (data events, oldest first), read after the snapshot: events up to the
 * head never change. With since=, it holds the model's changes. */
static int trail_rows(sy_request *rq, const report_query *q, const report_meta *m,
                      report_table tables[REPORT_TABLES])
{
    if (q->since_bound)
        return 0;
    audit_event *events;
    size_t n;
    store_err err;
    int code = store_begin_read(rq->db, &err);
    if (code == ST_OK) {
        code = store_report_changes(rq->db, "", m->head_seq, &rq->arena, &events, &n, &err);
        store_end_read(rq->db);
    }
    if (code != ST_OK)
        return problem_store(rq, &err);
    buf text;
    buf_init(&text);
    jw w;
    jw_init(&w, &text);
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        audit_event_json(&w, &events[i]);
    jw_arr_end(&w);
    json_t *rows = buf_failed(&text) ? NULL : json_loadb(text.data, text.len, 0, NULL);
    buf_free(&text);
    if (!rows)
        return problem(rq, 500, NULL, "The report could not be built.");
    json_decref(tables[RT_AUDIT].rows);
    tables[RT_AUDIT].rows = rows;
    return 0;
}

static const char CSV_README[] =
    "Switchyard governance report: its tables as CSV\n"
    "\n"
    "RFC 4180, UTF-8, CRLF; cells that a spreadsheet would read as a formula start\n"
    "with a single quote. audit.csv holds the audit trail's data events up to the\n"
    "report's audit head (or those since the chosen date). These files are not\n"
    "signed: the signed bundle (format=bundle) carries the same tables.\n";

/* The CSV tables (and a README) as a .zip in rq->out. */
static int make_csv_zip(sy_request *rq, const report_table *tables, const report_meta *m,
                        time_t now, char hash[AUDIT_HASH_HEX])
{
    buf texts[REPORT_TABLES], zip;
    bundle_file files[REPORT_TABLES + 1];
    size_t n = 0;
    int failed = 0;
    buf_init(&zip);
    for (int t = 0; t < REPORT_TABLES; t++) {
        char name[64];
        buf_init(&texts[t]);
        report_csv(&tables[t], &texts[t]);
        snprintf(name, sizeof name, "%s.csv", tables[t].name);
        files[n++] = (bundle_file){arena_strdup(&rq->arena, name), texts[t].data, texts[t].len};
        failed |= buf_failed(&texts[t]);
    }
    files[n++] = (bundle_file){"README.txt", CSV_README, sizeof CSV_README - 1};
    char dir[64], msg[256];
    snprintf(dir, sizeof dir, "governance-report-%s-csv", m->as_of);
    if (!failed && bundle_write_as(BUNDLE_ZIP, dir, files, n, (int64_t)now, &zip, msg,
                                   sizeof msg) != 0) {
        log_msg(LOG_ERROR, "report: %s", msg);
        failed = 1;
    }
    for (int t = 0; t < REPORT_TABLES; t++)
        buf_free(&texts[t]);
    if (failed) {
        buf_free(&zip);
        return problem(rq, 500, NULL, "The CSV tables could not be built.");
    }
    sha256_hex(zip.data, zip.len, hash);
    buf_free(&rq->out);
    rq->out = zip;
    jw_init(&rq->jw, &rq->out);
    return 0;
}

/* The HTML rendering in rq->out. */
static int make_html(sy_request *rq, const json_t *model, const report_table *tables,
                     char hash[AUDIT_HASH_HEX])
{
    buf html;
    buf_init(&html);
    report_html(model, tables, &html);
    if (buf_failed(&html)) {
        buf_free(&html);
        return problem(rq, 500, NULL, "The report could not be built.");
    }
    sha256_hex(html.data, html.len, hash);
    buf_free(&rq->out);
    rq->out = html;
    jw_init(&rq->jw, &rq->out);
    return 0;
}

/* Renders the model in rq->out as HTML, a bundle or CSV tables; sets the
 * content type and the file extension. */
static int render(sy_request *rq, const report_query *q, const report_meta *m, time_t now,
                  const char *key_dir, char hash[AUDIT_HASH_HEX], const char **ext)
{
    json_error_t jerr;
    json_t *model = json_loadb(rq->out.data, rq->out.len, 0, &jerr);
    report_table tables[REPORT_TABLES];
    if (!model || report_tables_build(model, tables) != 0) {
        json_decref(model);
        log_msg(LOG_ERROR, "report: the model does not read back: %s", jerr.text);
        return problem(rq, 500, NULL, "The report could not be built.");
    }
    int status;
    if (q->format == REPORT_HTML) {
        status = make_html(rq, model, tables, hash);
        rq->content_type = "text/html; charset=utf-8";
        *ext = "html";
    } else if ((status = trail_rows(rq, q, m, tables)) != 0) {
        /* answered */
    } else if (q->format == REPORT_CSV) {
        status = make_csv_zip(rq, tables, m, now, hash);
        rq->content_type = "application/zip";
        *ext = "csv.zip";
    } else {
        status = make_bundle(rq, model, tables, m, q, now, key_dir, hash);
        rq->content_type = "application/gzip";
        *ext = "tar.gz";
    }
    report_tables_free(tables);
    json_decref(model);
    return status;
}

int report_export(sy_request *rq, const report_query *q, const char *key_dir)
{
    time_t now = (time_t)clock_now();
    struct tm tm;
    char stamp[21] = "1970-01-01T00:00:00Z";
    if (gmtime_r(&now, &tm))
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    report_meta m;
    int status = report_model_build(rq, q, stamp, q->format != REPORT_BUNDLE, &m);
    if (status)
        return status;

    char hash[AUDIT_HASH_HEX];
    const char *ext = "json";
    if (q->format == REPORT_JSON) {
        sha256_hex(rq->out.data, rq->out.len, hash);
        rq->content_type = "application/json";
    } else if ((status = render(rq, q, &m, now, key_dir, hash, &ext)) != 0) {
        return status;
    }
    /* HEAD is safe: it sees the headers of an export but is not one. */
    if (!rq->head_only && (status = record_export(rq, q, &m, hash)) != 0)
        return status;
    char disposition[96];
    snprintf(disposition, sizeof disposition, "%s; filename=\"governance-report-%s.%s\"",
             q->inline_view ? "inline" : "attachment", m.as_of, ext);
    rq->disposition = arena_strdup(&rq->arena, disposition);
    if (q->inline_view)
        /* The preview is framed by the Reports page: its own inline styles
         * only, no script, nothing fetched, sandboxed, framed by us alone. */
        rq->csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                  "sandbox; frame-ancestors 'self'";
    return 200;
}
