/* reports_cli.c - `switchyard report` and `switchyard report verify`.
 *
 * The export runs the same code as GET /api/v1/reports/governance (as
 * actor "system:cli"), so the bytes agree with the API's for the same data
 * except generated_at and generated_by. Verification checks, in order:
 * the minisign signature of the manifest (with --public-key FILE, else the
 * key directory's public key), every file against the manifest (and that
 * no file is unlisted), and - when the database is at hand - that the
 * audit head in report-info.txt is an event of an intact hash chain. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/audit.h"
#include "api/reports.h"
#include "api/reports_bundle.h"
#include "api/signing.h"
#include "common/text.h"
#include "core/minisign.h"
#include "store/reports.h"

/* Opens an existing database (never creates an SQLite file) and applies
 * migrations. */
static sy_db *open_existing(const char *path)
{
    sy_db *db = NULL;
    store_err err;
    int applied;
    char shown[512];
    store_target_redact(path, shown, sizeof shown);
    if (store_target_is_file(path) && access(path, F_OK) != 0) {
        fprintf(stderr, "switchyard: no database at %s\n", shown);
        return NULL;
    }
    if (store_open(path, &db, &err) != ST_OK || store_migrate(db, &applied, &err) != ST_OK) {
        fprintf(stderr, "switchyard: cannot open %s: %s\n", shown, err.detail);
        store_close(db);
        return NULL;
    }
    return db;
}

/* The "detail" of a problem document, for the terminal. */
static void print_problem(const buf *out)
{
    json_t *p = json_loadb(out->data ? out->data : "", out->len, 0, NULL);
    const char *detail = json_string_value(json_object_get(p, "detail"));
    fprintf(stderr, "switchyard: report: %s\n", detail ? detail : "failed");
    json_decref(p);
}

static int write_all(const char *path, const buf *data)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "switchyard: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    int ok = fwrite(data->data, 1, data->len, f) == data->len;
    ok = (f == stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
    if (!ok)
        fprintf(stderr, "switchyard: cannot write %s\n", path);
    return ok ? 0 : -1;
}

int report_cli_export(const char *db_path, const char *key_dir, const char *format,
                      const char *since, const char *out_path, const char *bundle_path)
{
    if (bundle_path) {
        format = "bundle";
        out_path = bundle_path;
    }
    if (!format)
        format = "html";
    if (!out_path) {
        fprintf(stderr, "switchyard: report needs --out FILE (or - for standard output), "
                        "or --bundle FILE\n");
        return 2;
    }
    sy_db *db = open_existing(db_path);
    if (!db)
        return 1;
    sy_request rq;
    memset(&rq, 0, sizeof rq);
    rq.db = db;
    rq.method = "GET";
    rq.path = "/api/v1/reports/governance";
    rq.query = "";
    rq.role = ROLE_ADMIN;
    rq.actor = "system:cli";
    arena_init(&rq.arena);
    buf_init(&rq.out);
    jw_init(&rq.jw, &rq.out);
    report_query q;
    int rc = 1;
    int status = report_parse_query(&rq, format, since, &q);
    if (status == 0)
        status = report_export(&rq, &q, report_key_dir(&rq.arena, key_dir, db_path));
    if (status != 200) {
        print_problem(&rq.out);
        rc = status == 400 ? 2 : 1;
    } else if (write_all(out_path, &rq.out) == 0) {
        if (strcmp(out_path, "-") != 0)
            fprintf(stderr, "switchyard: wrote the governance report (%s, %zu bytes) to %s\n",
                    q.format_name, rq.out.len, out_path);
        rc = 0;
    }
    for (int i = 0; i < rq.n_done; i++)
        rq.done[i].fn(rq.done[i].arg);
    buf_free(&rq.out);
    arena_free(&rq.arena);
    store_close(db);
    return rc;
}

/* ---- verify ----------------------------------------------------------------- */

static const bundle_file *find(const bundle_file *files, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(files[i].name, name) == 0)
            return &files[i];
    return NULL;
}

static int is_hex64(const char *s)
{
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Checks each manifest line and that every other file is listed. */
static int check_manifest(const bundle_file *files, size_t n, const bundle_file *manifest)
{
    int ok = 1;
    unsigned char listed[BUNDLE_MAX_FILES] = {0};
    const char *p = manifest->data, *end = manifest->data + manifest->len;
    size_t lines = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char name[256];
        if (len < 67 || len - 66 >= sizeof name || !is_hex64(p) || p[64] != ' ' ||
            (p[65] != ' ' && p[65] != '*')) {
            printf("manifest: FAILED (line %zu is malformed)\n", lines + 1);
            return 0;
        }
        memcpy(name, p + 66, len - 66);
        name[len - 66] = '\0';
        const bundle_file *f = find(files, n, name);
        char hex[AUDIT_HASH_HEX];
        if (!f) {
            printf("%s: FAILED (missing from the bundle)\n", name);
            ok = 0;
        } else {
            sha256_hex(f->data, f->len, hex);
            int same = memcmp(hex, p, 64) == 0;
            printf("%s: %s\n", name, same ? "OK" : "FAILED (content differs from the manifest)");
            ok &= same;
            listed[f - files] = 1;
        }
        lines++;
        p += len + 1;
    }
    for (size_t i = 0; i < n; i++)
        if (!listed[i] && strcmp(files[i].name, MANIFEST_FILE) != 0 &&
            strcmp(files[i].name, SIGNATURE_FILE) != 0) {
            printf("%s: FAILED (not in the manifest)\n", files[i].name);
            ok = 0;
        }
    return ok && lines > 0;
}

/* With the database: the chain is intact and holds the head. 1 ok, 0 not. */
static int check_head(const char *db_path, const bundle_file *info)
{
    char seq_text[32], hash[AUDIT_HASH_HEX];
    int64_t seq;
    if (info_value(info->data, info->len, "audit_head_seq", seq_text, sizeof seq_text) != 0 ||
        parse_i64(seq_text, 0, INT64_MAX, &seq) != 0 ||
        info_value(info->data, info->len, "audit_head_hash", hash, sizeof hash) != 0 ||
        strlen(hash) != 64) {
        printf("audit head: FAILED (report-info.txt names no audit head)\n");
        return 0;
    }
    if (store_target_is_file(db_path) && access(db_path, F_OK) != 0) {
        printf("audit head: not checked (no database at %s)\n", db_path);
        return 1;
    }
    sy_db *db = open_existing(db_path);
    if (!db) {
        printf("audit head: FAILED (the database cannot be opened)\n");
        return 0;
    }
    audit_verdict v;
    store_err err;
    arena a;
    arena_init(&a);
    int ok = 0;
    if (audit_verify(db, &v, &err) != ST_OK) {
        printf("audit head: FAILED (%s)\n", err.detail);
    } else if (!v.ok && v.first_broken <= seq) {
        printf("audit head: FAILED (the audit chain is broken at event %lld: %s)\n",
               (long long)v.first_broken, v.problem);
    } else if (seq == 0) {
        ok = strcmp(hash, AUDIT_GENESIS) == 0;
        printf("audit head: %s\n", ok ? "OK (empty trail)" : "FAILED (hash of event 0)");
    } else {
        audit_event ev;
        int code = store_audit_get(db, seq, &a, &ev, &err);
        if (code == ST_NOT_FOUND)
            printf("audit head: FAILED (event %lld is not in this database's trail)\n",
                   (long long)seq);
        else if (code != ST_OK)
            printf("audit head: FAILED (%s)\n", err.detail);
        else if (strcmp(ev.hash, hash) != 0)
            printf("audit head: FAILED (event %lld has another hash in this database)\n",
                   (long long)seq);
        else {
            ok = 1;
            printf("audit head: OK (event %lld is part of the verified chain of %lld events)\n",
                   (long long)seq, (long long)v.events);
        }
    }
    arena_free(&a);
    store_close(db);
    return ok;
}

int report_cli_verify(const char *bundle_path, const char *db_path, const char *key_dir,
                      const char *public_key_file)
{
    char *data;
    size_t len;
    if (signing_read_file(bundle_path, BUNDLE_MAX_BYTES, &data, &len) != 0) {
        fprintf(stderr, "switchyard: cannot read %s: %s\n", bundle_path, strerror(errno));
        return 2;
    }
    arena a;
    arena_init(&a);
    bundle_file files[BUNDLE_MAX_FILES];
    size_t n;
    char dir[256], msg[512];
    int ok = 0;
    const bundle_file *manifest, *sig, *info;
    minisign_key pub;
    if (bundle_read(data, len, &a, files, &n, dir, sizeof dir, msg, sizeof msg) != 0) {
        printf("bundle: FAILED (%s)\n", msg);
        goto done;
    }
    manifest = find(files, n, MANIFEST_FILE);
    sig = find(files, n, SIGNATURE_FILE);
    info = find(files, n, INFO_FILE);
    if (!manifest || !sig || !info) {
        printf("bundle: FAILED (%s is missing)\n",
               !manifest ? MANIFEST_FILE : !sig ? SIGNATURE_FILE : INFO_FILE);
        goto done;
    }
    if (signing_public_load(public_key_file, report_key_dir(&a, key_dir, db_path), &pub, msg,
                            sizeof msg) != 0) {
        printf("signature: FAILED (no public key: %s; give --public-key FILE)\n", msg);
        goto done;
    }
    char trusted[MINISIGN_COMMENT_MAX], id[17];
    const char *why;
    minisign_keyid_hex(pub.keyid, id);
    if (minisign_verify(&pub, manifest->data, manifest->len, sig->data, sig->len, trusted,
                        sizeof trusted, &why) != 0) {
        printf("signature: FAILED (%s; key %s)\n", why, id);
        goto done;
    }
    printf("signature: OK (key %s; trusted comment: %s)\n", id, trusted);
    ok = check_manifest(files, n, manifest);
    ok = check_head(db_path, info) && ok;
done:
    printf("%s: %s\n", bundle_path, ok ? "verified" : "NOT verified");
    arena_free(&a);
    free(data);
    return ok ? 0 : 1;
}
