/* import.c - `switchyard import KIND FILE [--dry-run] [--tag-key KEY]` and
 * `switchyard import KIND --url URL [--dry-run] [--timeout S]`: the evidence import of
 * the API (api/imports.h) from a file on disk, streamed (memory stays
 * bounded whatever the file's size), or from a bounded HTTPS download
 * (cli/fetch.h; 20 MB, 60 s unless --timeout says) whose URL becomes the file name and, for
 * lifecycle, the facts' source. Prints the plan as JSON; exits 0 when
 * done, 1 when the file is malformed, cannot be fetched or has rows that
 * cannot be used (then nothing changed). Also the demo's evidence files,
 * imported when `serve --demo` seeds a fresh database. */
#include <stdio.h>
#include <string.h>

#include "api/imports.h"
#include "cli/cli.h"
#include "cli/fetch.h"
#include "common/embedded.h"
#include "common/log.h"

static int run(sy_db *db, FILE *f, const char *shown, const import_opts *o)
{
    import_result r;
    import_run(db, f, o, &r);
    int rc = 0;
    if (r.status == 400 && r.pointer[0] && r.row > 0) {
        fprintf(stderr, "switchyard: import: %s: record %ld, field %s: %s\n", shown, r.row,
                r.pointer, r.detail);
        rc = 1;
    } else if (r.status == 400 && r.pointer[0]) {
        fprintf(stderr, "switchyard: import: %s: field %s: %s\n", shown, r.pointer, r.detail);
        rc = 1;
    } else if (r.status == 400) {
        fprintf(stderr, "switchyard: import: %s: row %ld, column %ld: %s\n", shown, r.row, r.column,
                r.detail);
        rc = 1;
    } else if (r.status == 500) {
        fprintf(stderr, "switchyard: import failed: %s\n",
                r.err.detail[0] ? r.err.detail : "storage error");
        rc = 1;
    } else {
        buf b;
        buf_init(&b);
        jw w;
        jw_init(&w, &b);
        import_write(&w, o, &r);
        if (!buf_failed(&b))
            printf("%s\n", b.data);
        buf_free(&b);
        if (r.status == 422) {
            fprintf(stderr, "switchyard: import: %s\n", r.detail);
            rc = 1;
        }
    }
    import_result_free(&r);
    return rc;
}

int cli_import(sy_db *db, const char *kind, const char *path, int dry_run, const char *tag_key)
{
    if (!import_kind_find(kind)) {
        fprintf(stderr, "switchyard: import: unknown kind %s (one of: %s)\n", kind,
                import_kind_names());
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "switchyard: import: cannot open %s\n", path);
        return 1;
    }
    const char *base = strrchr(path, '/');
    import_opts o = {.kind = kind,
                     .file_name = base ? base + 1 : path,
                     .tag_key = tag_key ? tag_key : "workload",
                     .actor = "system:import",
                     .dry_run = dry_run};
    int rc = run(db, f, path, &o);
    fclose(f);
    return rc;
}

int cli_import_url(sy_db *db, const char *kind, const char *url, int dry_run, const char *tag_key,
                   int timeout_seconds)
{
    if (!import_kind_find(kind)) {
        fprintf(stderr, "switchyard: import: unknown kind %s (one of: %s)\n", kind,
                import_kind_names());
        return 2;
    }
    if (strlen(url) > 200) {
        fprintf(stderr, "switchyard: import: the URL is longer than 200 characters\n");
        return 2;
    }
    fetch_limits limits = {10, timeout_seconds, 20L * 1024 * 1024};
    if (limits.connect_seconds > limits.total_seconds)
        limits.connect_seconds = limits.total_seconds;
    char why[300];
    FILE *f = fetch_url(url, &limits, why, sizeof why);
    if (!f) {
        fprintf(stderr, "switchyard: import: %s: %s\n", url, why);
        return 1;
    }
    import_opts o = {.kind = kind,
                     .file_name = url,
                     .tag_key = tag_key ? tag_key : "workload",
                     .actor = "system:import",
                     .source_url = url,
                     .dry_run = dry_run};
    int rc = run(db, f, url, &o);
    fclose(f);
    return rc;
}

/* The kind of an evidence file, by its name; NULL: not one to import. */
static const char *evidence_kind(const char *name)
{
    size_t n = strlen(name);
    if (strncmp(name, "litellm-spend", 13) == 0)
        return "litellm-spend";
    if (n > 5 && strcmp(name + n - 5, ".yaml") == 0)
        return "litellm";
    if (strncmp(name, "focus", 5) == 0 && n > 4 && strcmp(name + n - 4, ".csv") == 0)
        return "focus";
    if (n > 5 && strcmp(name + n - 5, ".json") == 0)
        return "lifecycle";
    return NULL;
}

int cli_import_demo_evidence(sy_db *db)
{
    static const char *const order[] = {"lifecycle", "litellm", "focus", "litellm-spend"};
    int done = 0;
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        for (const embedded_file *f = sy_evidence; f->name; f++) {
            const char *kind = evidence_kind(f->name);
            if (!kind || strcmp(kind, order[k]) != 0)
                continue;
            FILE *in = fmemopen((void *)f->data, f->size, "rb");
            if (!in)
                continue;
            import_opts o = {.kind = kind, .file_name = f->name, .tag_key = "workload",
                             .actor = "system:demo", .dry_run = 0};
            import_result r;
            import_run(db, in, &o, &r);
            fclose(in);
            if (r.status == 200) {
                done++;
                log_msg(LOG_INFO, "demo evidence: imported %s (%s): %lld created, %lld changed",
                        f->name, kind, (long long)r.plan.counts[PA_CREATE],
                        (long long)r.plan.counts[PA_CHANGE]);
            } else {
                log_msg(LOG_WARN, "demo evidence: %s (%s) not imported: %s", f->name, kind,
                        r.detail[0] ? r.detail : r.err.detail);
            }
            import_result_free(&r);
        }
    return done;
}
