/* imports.c - the evidence import framework (see api/imports.h) and its
 * routes: POST /api/v1/imports (dry run or apply) and GET /api/v1/imports
 * (the latest imports). */
#include "api/imports.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "common/text.h"
#include "http/query.h"
#include "jobs/webhooks.h"
#include "store/imports.h"

static const import_kind *const KINDS[] = {&IMPORT_WORKLOADS, &IMPORT_FOCUS, &IMPORT_LITELLM,
                                           &IMPORT_LIFECYCLE, &IMPORT_LITELLM_SPEND, NULL};

const import_kind *import_kind_find(const char *name)
{
    for (int i = 0; name && KINDS[i]; i++)
        if (strcmp(KINDS[i]->name, name) == 0)
            return KINDS[i];
    return NULL;
}

const char *import_kind_names(void)
{
    return "workloads, focus, litellm, lifecycle, litellm-spend";
}

int import_malformed(import_result *r, long row, long column, const char *detail)
{
    r->status = 400;
    r->row = row;
    r->column = column;
    snprintf(r->detail, sizeof r->detail, "%s", detail);
    return -1;
}

int import_provenance(sy_db *db, const char *entity, int64_t id, const char *field,
                      const char *source, const char *now, int64_t import_id, store_err *err)
{
    return store_provenance_set(db, entity, id, field, source, now, import_id, err);
}

int import_month_recorded(sy_db *db, const import_opts *o, import_result *r, int created,
                          const char *entity,
                          int64_t workload_id, const char *month, const char *currency,
                          const char *before, const char *after, const char *source,
                          const char *now)
{
    char field[48];
    snprintf(field, sizeof field, "%s:%s:%s", entity, month, currency);
    int code = audit_record(db, o->actor, created ? "create" : "update", entity, workload_id, before,
                            after, &r->err);
    if (code != ST_OK)
        return code;
    return import_provenance(db, "workload", workload_id, field, source, now, r->import_id, &r->err);
}

/* SHA-256 of the whole file, then back to its start. 0 or -1. */
static int hash_file(FILE *f, char hex[AUDIT_HASH_HEX])
{
    /* The chunk is on the heap: a worker thread's stack is small. */
    enum { CHUNK = 65536 };
    crypto_hash_sha256_state st;
    unsigned char *chunk = malloc(CHUNK), digest[crypto_hash_sha256_BYTES];
    if (!chunk)
        return -1;
    crypto_hash_sha256_init(&st);
    size_t n;
    while ((n = fread(chunk, 1, CHUNK, f)) > 0)
        crypto_hash_sha256_update(&st, chunk, n);
    free(chunk);
    if (ferror(f))
        return -1;
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(hex, AUDIT_HASH_HEX, digest, sizeof digest);
    rewind(f);
    return 0;
}

/* The import's own audit event: kind, file, hash, counts, who. */
static const char *import_event(arena *a, const import_opts *o, const import_result *r)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "kind", o->kind);
    jw_kstr(&w, "file_name", o->file_name ? o->file_name : "");
    jw_kstr(&w, "sha256", r->sha256);
    jw_kint(&w, "rows", r->plan.rows);
    jw_kint(&w, "created", r->plan.counts[PA_CREATE]);
    jw_kint(&w, "changed", r->plan.counts[PA_CHANGE]);
    jw_kint(&w, "unchanged", r->plan.counts[PA_UNCHANGED]);
    jw_kstr(&w, "by", o->actor);
    jw_obj_end(&w);
    const char *text = buf_failed(&b) ? NULL : arena_strdup(a, b.data);
    buf_free(&b);
    return text;
}

/* The webhook event's data: {"import":{id, kind, file_name, sha256, rows,
 * counts, by, at}} (README "Webhooks"). */
static const char *import_applied(arena *a, const import_opts *o, const import_result *r,
                                  int64_t id, const char *now)
{
    jw_capture c;
    jw *w = jw_capture_begin(&c);
    jw_obj(w);
    jw_key(w, "import");
    jw_obj(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "kind", o->kind);
    jw_kstr(w, "file_name", o->file_name ? o->file_name : "");
    jw_kstr(w, "sha256", r->sha256);
    jw_kint(w, "rows", r->plan.rows);
    jw_key(w, "counts");
    jw_obj(w);
    jw_kint(w, "created", r->plan.counts[PA_CREATE]);
    jw_kint(w, "changed", r->plan.counts[PA_CHANGE]);
    jw_kint(w, "unchanged", r->plan.counts[PA_UNCHANGED]);
    jw_kint(w, "rejected", r->plan.counts[PA_REJECTED]);
    jw_obj_end(w);
    jw_kstr(w, "by", o->actor);
    jw_kstr(w, "at", now);
    jw_obj_end(w);
    jw_obj_end(w);
    return jw_capture_end(&c, a);
}

static int apply(sy_db *db, const import_kind *k, const import_opts *o, import_result *r)
{
    char now[21];
    clock_now_rfc3339(now);
    import_rec rec = {.kind = o->kind,
                      .file_name = o->file_name,
                      .sha256 = r->sha256,
                      .rows = r->plan.rows,
                      .created = r->plan.counts[PA_CREATE],
                      .changed = r->plan.counts[PA_CHANGE],
                      .unchanged = r->plan.counts[PA_UNCHANGED],
                      .rejected = r->plan.counts[PA_REJECTED],
                      .summary = r->plan.summary,
                      .actor = o->actor,
                      .at = now};
    if (store_import_add(db, &rec, &r->err) != ST_OK)
        return -1;
    r->import_id = rec.id;
    char source[96];
    snprintf(source, sizeof source, "import:%lld:%s", (long long)rec.id, o->kind);
    if (k->apply(db, o, r, source, now) != 0)
        return -1;
    const char *after = import_event(&r->plan.a, o, r);
    if (!after) {
        r->err.code = ST_ERROR;
        return -1;
    }
    if (audit_record(db, o->actor, "import", "import", rec.id, NULL, after, &r->err) != ST_OK)
        return -1;
    /* import.applied commits (or rolls back) with the import; not on dry runs. */
    const char *data = import_applied(&r->plan.a, o, r, rec.id, now);
    if (!data) {
        r->err.code = ST_ERROR;
        return -1;
    }
    return webhooks_emit(db, "import.applied", data, &r->err) == ST_OK ? 0 : -1;
}

void import_run(sy_db *db, FILE *f, const import_opts *o, import_result *r)
{
    memset(r, 0, sizeof *r);
    plan_init(&r->plan, o->kind);
    r->status = 200;
    const import_kind *k = import_kind_find(o->kind);
    if (!k) {
        import_malformed(r, 0, 0, "unknown kind");
        return;
    }
    if (hash_file(f, r->sha256) != 0) {
        import_malformed(r, 0, 0, "the file could not be read");
        return;
    }
    int writing = !o->dry_run;
    int rc = writing ? store_begin_write(db, &r->err) : store_begin_read(db, &r->err);
    if (rc != ST_OK) {
        r->status = 500;
        return;
    }
    if (k->plan(db, f, o, r) != 0) {
        if (r->status == 200)
            r->status = 500;
    } else if (writing && r->plan.counts[PA_REJECTED] > 0) {
        r->status = 422;
        snprintf(r->detail, sizeof r->detail,
                 "%lld rows cannot be used; nothing was changed. Fix them and import again.",
                 (long long)r->plan.counts[PA_REJECTED]);
    } else if (writing && (apply(db, k, o, r) != 0 || store_commit(db, &r->err) != ST_OK)) {
        r->status = 500;
        r->import_id = 0;
    }
    if (writing)
        store_rollback(db); /* no-op after a commit */
    else
        store_end_read(db);
}

void import_result_free(import_result *r)
{
    if (r)
        plan_free(&r->plan);
}

void import_write(jw *w, const import_opts *o, const import_result *r)
{
    plan_write_open(w, &r->plan);
    jw_kstr(w, "file_name", o->file_name ? o->file_name : "");
    jw_kstr(w, "sha256", r->sha256);
    jw_kbool(w, "dry_run", o->dry_run);
    jw_kid(w, "import", r->import_id);
    jw_obj_end(w);
}

/* ---- routes ----------------------------------------------------------------- */

/* A problem+json answer for an import that did not apply: the detail,
 * where a malformed file went wrong, and the plan of a file with rejected
 * rows. */
static int import_problem(sy_request *rq, const import_opts *o, const import_result *r)
{
    buf_reset(&rq->out);
    jw_init(&rq->jw, &rq->out);
    rq->content_type = "application/problem+json";
    jw *w = &rq->jw;
    jw_obj(w);
    jw_kstr(w, "type", "about:blank");
    jw_kstr(w, "title", r->status == 400 ? "Malformed file" : "Rows cannot be used");
    jw_kint(w, "status", r->status);
    if (r->status == 400 && r->pointer[0]) {
        char detail[520];
        if (r->row > 0)
            snprintf(detail, sizeof detail, "Record %ld, field %s: %s", r->row, r->pointer, r->detail);
        else
            snprintf(detail, sizeof detail, "Field %s: %s", r->pointer, r->detail);
        jw_kstr(w, "detail", detail);
    } else if (r->status == 400 && r->row) {
        char detail[400];
        snprintf(detail, sizeof detail, "Row %ld, column %ld: %s", r->row, r->column, r->detail);
        jw_kstr(w, "detail", detail);
    } else {
        jw_kstr(w, "detail", r->detail);
    }
    jw_kstr(w, "instance", rq->path);
    if (r->status == 400) {
        jw_key(w, "errors");
        jw_arr(w);
        jw_obj(w);
        jw_kint(w, "row", r->row);
        jw_kint(w, "column", r->column);
        if (r->pointer[0])
            jw_kstr(w, "pointer", r->pointer);
        jw_kstr(w, "detail", r->detail);
        jw_obj_end(w);
        jw_arr_end(w);
    } else {
        jw_key(w, "plan");
        import_write(w, o, r);
    }
    jw_obj_end(w);
    return r->status;
}

/* kind, dry_run, tag_key, file_name; unknown parameters refused. */
static int import_params(sy_request *rq, import_opts *o)
{
    static char names[][16] = {"kind", "dry_run", "tag_key", "file_name"};
    const char *cursor = rq->query;
    char name[32], value[256];
    int rc;
    memset(o, 0, sizeof *o);
    o->dry_run = 1;
    o->tag_key = "workload";
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) > 0) {
        char *copy = arena_strdup(&rq->arena, value);
        if (!strcmp(name, names[0])) {
            o->kind = copy;
        } else if (!strcmp(name, names[1])) {
            if (strcmp(value, "true") && strcmp(value, "false"))
                return problem_param(rq, "dry_run", "must be true or false.");
            o->dry_run = strcmp(value, "true") == 0;
        } else if (!strcmp(name, names[2])) {
            if (!*value || strlen(value) > 128)
                return problem_param(rq, "tag_key", "must be 1 to 128 characters.");
            o->tag_key = copy;
        } else if (!strcmp(name, names[3])) {
            if (strlen(value) > 200 || !utf8_valid(value))
                return problem_param(rq, "file_name", "must be at most 200 characters of UTF-8.");
            o->file_name = copy;
        } else {
            return problem_param(rq, name, "is not known here.");
        }
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    if (!import_kind_find(o->kind)) {
        char detail[128];
        snprintf(detail, sizeof detail, "must be one of: %s.", import_kind_names());
        return problem_param(rq, "kind", detail);
    }
    if (import_kind_find(o->kind)->admin_only && rq->role != ROLE_ADMIN)
        return problem(rq, 403, NULL, "Importing model lifecycle changes the catalogue: admins only.");
    o->actor = rq->actor;
    return 0;
}

int imports_post(sy_request *rq)
{
    import_opts o;
    int status = import_params(rq, &o);
    if (status)
        return status;
    if (!rq->upload_len)
        return problem(rq, 400, "Malformed file", "The file is empty.");
    FILE *f = fmemopen((void *)rq->upload, rq->upload_len, "rb");
    if (!f)
        return problem(rq, 500, NULL, "Out of memory.");
    import_result r;
    import_run(rq->db, f, &o, &r);
    fclose(f);
    if (r.status == 500)
        status = r.err.code ? problem_store(rq, &r.err) : problem(rq, 500, NULL, "The import failed.");
    else if (r.status != 200)
        status = import_problem(rq, &o, &r);
    else {
        import_write(&rq->jw, &o, &r);
        status = 200;
    }
    import_result_free(&r);
    return status;
}

/* One workload whose swap layer or alternatives are declared only, as
 * GET /imports and the summary's declared_only list it. */
void declared_json(jw *w, const declared_rec *d)
{
    jw_obj(w);
    jw_kint(w, "id", d->id);
    jw_kstr(w, "name", d->name);
    jw_kbool(w, "swap_layer", d->swap_layer_declared);
    jw_kbool(w, "alternatives", d->alternatives_declared);
    jw_obj_end(w);
}

int imports_list(sy_request *rq)
{
    import_rec *items;
    size_t n;
    store_err err;
    if (store_import_list(rq->db, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kint(w, "id", items[i].id);
        jw_kstr(w, "kind", items[i].kind);
        jw_kstr(w, "file_name", items[i].file_name);
        jw_kstr(w, "sha256", items[i].sha256);
        jw_kint(w, "rows", items[i].rows);
        jw_kint(w, "created", items[i].created);
        jw_kint(w, "changed", items[i].changed);
        jw_kint(w, "unchanged", items[i].unchanged);
        jw_key(w, "summary");
        jw_raw(w, items[i].summary && *items[i].summary ? items[i].summary : "{}");
        jw_kstr(w, "by", items[i].actor);
        jw_kstr(w, "at", items[i].at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kint(w, "total", (int64_t)n);
    declared_rec *dec;
    size_t nd;
    if (store_declared_only(rq->db, &rq->arena, &dec, &nd, &err) != ST_OK)
        return problem_store(rq, &err);
    /* What no evidence backs yet: active workloads whose swap layer or
     * alternatives only someone's word says. */
    jw_key(w, "declared_only");
    jw_arr(w);
    for (size_t i = 0; i < nd; i++)
        declared_json(w, &dec[i]);
    jw_arr_end(w);
    jw_obj_end(w);
    return 200;
}
