/* cli.c - `switchyard report` and `switchyard report verify`.
 *
 * The export runs the same code as GET /api/v1/reports/governance (as
 * actor "system:cli"), so the bytes agree with the API's for the same data
 * except generated_at and generated_by. Verification is report/verify.c's,
 * with --public-key FILE or the key directory's public key when there is
 * one (else the key the bundle carries, said as such), and the database
 * when it is at hand. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/file.h"
#include "common/text.h"
#include "core/minisign.h"
#include "report/bundle.h"
#include "report/report.h"
#include "report/signing.h"
#include "report/verify.h"
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

/* The database beside the bundle's check, when there is one: a missing
 * SQLite file means "not at hand", not an error. */
static sy_db *open_if_present(const char *db_path, int *failed)
{
    *failed = 0;
    if (store_target_is_file(db_path) && access(db_path, F_OK) != 0)
        return NULL;
    sy_db *db = open_existing(db_path);
    *failed = db == NULL;
    return db;
}

int report_cli_verify(const char *bundle_path, const char *db_path, const char *key_dir,
                      const char *public_key_file)
{
    char *data;
    size_t len;
    if (file_read_all(bundle_path, BUNDLE_MAX_BYTES, &data, &len) != 0) {
        fprintf(stderr, "switchyard: cannot read %s: %s\n", bundle_path, strerror(errno));
        return 2;
    }
    arena a;
    arena_init(&a);
    char msg[512];
    minisign_key pub;
    /* A key given, or the key directory's: trusted. Neither (verifying away
     * from the server's folder): the bundle's own key, said as such. */
    int have_key = signing_public_load(public_key_file, report_key_dir(&a, key_dir, db_path),
                                       &pub, msg, sizeof msg) == 0;
    if (!have_key && public_key_file) {
        fprintf(stderr, "switchyard: %s\n", msg);
        arena_free(&a);
        free(data);
        return 2;
    }
    int db_failed;
    sy_db *db = open_if_present(db_path, &db_failed);
    verify_result r;
    int rc = 1;
    if (db_failed) {
        printf("audit head: FAILED (the database cannot be opened)\n%s: NOT verified\n",
               bundle_path);
    } else if (report_verify(data, len, have_key ? &pub : NULL, db, &a, &r) == 0) {
        report_verify_print(&r, bundle_path);
        rc = r.verified ? 0 : 1;
    }
    store_close(db);
    arena_free(&a);
    free(data);
    return rc;
}
