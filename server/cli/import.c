/* import.c - `switchyard import KIND FILE [--dry-run] [--tag-key KEY]`:
 * the evidence import of the API (api/imports.h) from a file on disk,
 * streamed (memory stays bounded whatever the file's size). Prints the
 * plan as JSON; exits 0 when done, 1 when the file is malformed or has
 * rows that cannot be used (then nothing changed). */
#include <stdio.h>
#include <string.h>

#include "api/imports.h"
#include "cli/cli.h"

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
    import_result r;
    import_run(db, f, &o, &r);
    fclose(f);
    int rc = 0;
    if (r.status == 400) {
        fprintf(stderr, "switchyard: import: %s: row %ld, column %ld: %s\n", path, r.row, r.column,
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
        import_write(&w, &o, &r);
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
