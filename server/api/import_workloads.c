/* import_workloads.c - the `workloads` import kind (a CSV inventory, one
 * workload per row, matched by name) and its export, GET
 * /api/v1/exports/workloads.csv, with exactly the same columns
 * (core/import_workloads.h), so an export imported again changes nothing.
 *
 * A row is read PATCH-like: the columns the file has replace the stored
 * values; the others stay. Offerings are found by name or "#ID"; an
 * unknown one rejects the row (it is never created). */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/imports.h"
#include "common/buf.h"
#include "common/text.h"
#include "core/casefold.h"
#include "core/csv.h"
#include "core/csv_read.h"
#include "core/import_workloads.h"
#include "store/imports.h"

#define MAX_COLS 40

/* Every offering's ID and name, sorted both ways for lookups. */
typedef struct offering_index {
    offering *by_id;           /* sorted by id (the store's order) */
    offering **by_name;
    size_t n;
} offering_index;

static int cmp_name(const void *a, const void *b)
{
    return strcmp((*(offering *const *)a)->name, (*(offering *const *)b)->name);
}

static int load_offerings(sy_db *db, arena *a, offering_index *ix, store_err *err)
{
    list_query q = {.limit = 1, .sort = "id", .flagged = -1};
    int64_t total;
    memset(ix, 0, sizeof *ix);
    if (store_offering_list(db, &q, a, &ix->by_id, &ix->n, &total, err) != ST_OK)
        return -1;
    q.limit = total > 0 ? total : 1;
    if (store_offering_list(db, &q, a, &ix->by_id, &ix->n, &total, err) != ST_OK)
        return -1;
    ix->by_name = arena_alloc(a, (ix->n + 1) * sizeof *ix->by_name);
    if (!ix->by_name)
        return -1;
    for (size_t i = 0; i < ix->n; i++)
        ix->by_name[i] = &ix->by_id[i];
    qsort(ix->by_name, ix->n, sizeof *ix->by_name, cmp_name);
    return 0;
}

static const char *name_of(void *ctx, int64_t id)
{
    const offering_index *ix = ctx;
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->by_id[mid].id == id)
            return ix->by_id[mid].name;
        if (ix->by_id[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int64_t id_of(void *ctx, const char *text)
{
    const offering_index *ix = ctx;
    offering key = {.name = text}, *kp = &key;
    offering **hit = bsearch(&kp, ix->by_name, ix->n, sizeof *ix->by_name, cmp_name);
    if (hit)
        return (*hit)->id;
    int64_t id;
    if (text[0] == '#' && parse_i64(text + 1, 1, INT64_MAX, &id) == 0 && name_of(ctx, id))
        return id;
    return 0;
}

/* ---- planning ---------------------------------------------------------------- */

typedef struct wl_ctx {
    const field_desc *cols[MAX_COLS];   /* the file's columns, by position */
    size_t n_cols;
    int name_col;
    wl_names names;
    offering_index ix;
} wl_ctx;

static int read_header(csv_reader *rd, wl_ctx *c, import_result *r)
{
    char **fields;
    size_t n;
    int rc = csv_read(rd, &fields, &n);
    if (rc < 0) {
        const csv_error *e = csv_reader_error(rd);
        return import_malformed(r, e->row, e->column, e->reason);
    }
    if (rc == 0)
        return import_malformed(r, 1, 1, "the file is empty: the first row names the columns");
    if (n > MAX_COLS)
        return import_malformed(r, 1, MAX_COLS + 1, "too many columns");
    c->name_col = -1;
    for (size_t i = 0; i < n; i++) {
        const field_desc *f = wl_column(fields[i]);
        char detail[200];
        if (!f) {
            snprintf(detail, sizeof detail,
                     "unknown column \"%.60s\" (see the README's workload columns)", fields[i]);
            return import_malformed(r, 1, (long)i + 1, detail);
        }
        for (size_t j = 0; j < i; j++)
            if (c->cols[j] == f) {
                snprintf(detail, sizeof detail, "column \"%.60s\" appears twice", fields[i]);
                return import_malformed(r, 1, (long)i + 1, detail);
            }
        c->cols[i] = f;
        if (strcmp(f->key, "name") == 0)
            c->name_col = (int)i;
    }
    c->n_cols = n;
    if (c->name_col < 0)
        return import_malformed(r, 1, 1, "the header has no \"name\" column");
    return 0;
}

/* The column (0-based) a validation error's pointer names. */
static size_t column_of_pointer(const wl_ctx *c, const char *pointer)
{
    for (size_t i = 0; i < c->n_cols; i++) {
        size_t k = strlen(c->cols[i]->key);
        if (pointer[0] == '/' && strncmp(pointer + 1, c->cols[i]->key, k) == 0 &&
            (pointer[1 + k] == '\0' || pointer[1 + k] == '/'))
            return i;
    }
    return (size_t)c->name_col;
}

/* The workload column a pointer names when the file has no such column
 * (a required value of a new workload), else NULL. */
static const field_desc *missing_column(const wl_ctx *c, const char *pointer)
{
    char key[64];
    const char *p = pointer[0] == '/' ? pointer + 1 : pointer;
    size_t n = strcspn(p, "/");
    if (n == 0 || n >= sizeof key)
        return NULL;
    memcpy(key, p, n);
    key[n] = '\0';
    const field_desc *f = wl_column(key);
    for (size_t i = 0; f && i < c->n_cols; i++)
        if (c->cols[i] == f)
            return NULL;
    return f;
}

static int reject(import_result *r, long row, const wl_ctx *c, size_t col, const char *reason)
{
    return plan_reject(&r->plan, row, (long)col + 1, c->cols[col]->key, reason);
}

/* Compares the stored and the new workload column by column (only the
 * file's columns) into the item's changes; returns how many differ. */
static size_t diff(import_result *r, const wl_ctx *c, plan_item *it, const workload *old,
                   const workload *now)
{
    size_t changed = 0;
    for (size_t i = 0; i < c->n_cols; i++) {
        const char *b = wl_cell(c->cols[i], now, &c->names, &r->plan.a);
        const char *a = old ? wl_cell(c->cols[i], old, &c->names, &r->plan.a) : NULL;
        if (a && strcmp(a, b) == 0)
            continue;
        if (!a && !*b)
            continue;
        plan_change_add(&r->plan, it, c->cols[i]->key, a, b);
        changed++;
    }
    return changed;
}

/* The stored workload as a JSON object to lay the row over, or {}. */
static json_t *base_doc(sy_db *db, arena *a, int64_t id, workload *old, store_err *err)
{
    if (!id)
        return json_object();
    if (store_workload_get(db, id, a, old, err) != ST_OK)
        return NULL;
    const char *text = entity_text(a, &WORKLOAD_DESC, old, NULL);
    return text ? json_loads(text, 0, NULL) : NULL;
}

/* One data row into the plan. 0, or -1 on a storage failure. */
static int plan_row(sy_db *db, wl_ctx *c, char **fields, size_t n, long row, import_result *r)
{
    if (n != c->n_cols) {
        char reason[96];
        snprintf(reason, sizeof reason, "the row has %zu fields; the header has %zu", n, c->n_cols);
        return reject(r, row, c, n < c->n_cols ? n : c->n_cols - 1, reason);
    }
    const char *name = fields[c->name_col];
    int64_t id = 0;
    int found = store_workload_find(db, name, &id);
    if (found != ST_OK && found != ST_NOT_FOUND) {
        r->err.code = ST_ERROR;
        return -1;
    }
    if (!id) { /* a new name that only differs in case or spaces is taken */
        store_err taken;
        int free_code = store_workload_name_free(db, 0, name, &taken);
        if (free_code == ST_CONFLICT)
            return reject(r, row, c, (size_t)c->name_col, taken.detail);
        if (free_code != ST_OK) {
            r->err = taken;
            return -1;
        }
    }
    workload *old = arena_alloc(&r->plan.a, sizeof *old);
    json_t *doc = old ? base_doc(db, &r->plan.a, id, old, &r->err) : NULL;
    if (!doc)
        return -1;
    char reason[400];
    for (size_t i = 0; i < n; i++) {
        int omit;
        /* The export's formula guard ('=...) comes off again. */
        const char *cell = fields[i];
        if (cell[0] == '\'' && csv_is_formula(cell + 1, strlen(cell + 1)))
            cell++;
        json_t *v = wl_cell_json(c->cols[i], cell, &c->names, reason, sizeof reason, &omit);
        if (omit)
            continue;
        if (!v) {
            json_decref(doc);
            return reject(r, row, c, i, reason[0] ? reason : "out of memory");
        }
        json_object_set_new(doc, c->cols[i]->key, v);
    }
    workload *now = arena_alloc(&r->plan.a, sizeof *now);
    sy_errors e;
    errors_init(&e);
    int bad = !now || entity_from_json(&WORKLOAD_DESC, doc, &r->plan.a, now, &e) != 0;
    /* The workload borrows the document's strings: the plan keeps it. */
    if (!r->plan.keep)
        r->plan.keep = json_array();
    if (!r->plan.keep || json_array_append_new(r->plan.keep, doc) != 0)
        return -1;
    if (bad) {
        if (!e.count)
            return reject(r, row, c, 0, "out of memory");
        sy_errors first;
        errors_init(&first);
        errors_add(&first, e.items[0].pointer, "%s", e.items[0].detail);
        entity_errors_text(&WORKLOAD_DESC, &first, reason, sizeof reason);
        const field_desc *f = missing_column(c, e.items[0].pointer);
        if (f) { /* a value a new workload must have, in a column the file lacks */
            char why[sizeof reason + 64];
            snprintf(why, sizeof why, "%s The file has no \"%s\" column.", reason, f->key);
            return plan_reject(&r->plan, row, (long)c->n_cols + 1, f->key, why);
        }
        return reject(r, row, c, column_of_pointer(c, e.items[0].pointer), reason);
    }
    plan_item *it = plan_add(&r->plan, id ? PA_CHANGE : PA_CREATE);
    if (!it)
        return -1;
    it->row = row;
    it->entity = "workload";
    it->id = id;
    it->name = arena_strdup(&r->plan.a, name);
    it->payload = now;
    if (diff(r, c, it, id ? old : NULL, now) == 0 && id) {
        r->plan.counts[PA_CHANGE]--;
        r->plan.counts[PA_UNCHANGED]++;
        it->action = PA_UNCHANGED;
    }
    return 0;
}

/* 1 when name was seen in an earlier row, compared as the store compares
 * names (casefold_name_key: without case and extra blanks), so two rows
 * that would create the same workload are one rejected row, not a failed
 * apply. The keys are kept in seen. */
static int seen_before(arena *a, json_t *seen, const char *name, long row, long *first)
{
    (void)a;
    buf key;
    buf_init(&key);
    if (casefold_name_key(name, &key) != 0) {
        buf_free(&key);
        return 0; /* out of memory: the store's own check still refuses */
    }
    const char *k = key.data ? key.data : "";
    json_t *v = json_object_get(seen, k);
    int repeat = v != NULL;
    if (repeat)
        *first = (long)json_integer_value(v);
    else
        json_object_set_new(seen, k, json_integer(row));
    buf_free(&key);
    return repeat;
}

static int wl_plan(sy_db *db, FILE *f, const import_opts *o, import_result *r)
{
    (void)o;
    wl_ctx *c = arena_alloc(&r->plan.a, sizeof *c);
    if (!c || load_offerings(db, &r->plan.a, &c->ix, &r->err) != 0)
        return -1;
    c->names = (wl_names){name_of, id_of, &c->ix};
    csv_reader *rd = csv_reader_new(f, 0);
    json_t *seen = json_object();
    int rc = rd && seen ? read_header(rd, c, r) : -1;
    char **fields;
    size_t n;
    int got;
    while (rc == 0 && (got = csv_read(rd, &fields, &n)) == 1) {
        long row = csv_reader_line(rd), first;
        r->plan.rows++;
        const char *name = (size_t)c->name_col < n ? fields[c->name_col] : "";
        char reason[96];
        if (!*name) {
            rc = reject(r, row, c, (size_t)c->name_col, "a workload needs a name");
        } else if (seen_before(&r->plan.a, seen, name, row, &first)) {
            snprintf(reason, sizeof reason, "the name is on row %ld already", first);
            rc = reject(r, row, c, (size_t)c->name_col, reason);
        } else {
            rc = plan_row(db, c, fields, n, row, r);
        }
    }
    if (rc == 0 && got < 0) {
        const csv_error *e = csv_reader_error(rd);
        rc = import_malformed(r, e->row, e->column, e->reason);
    }
    json_decref(seen);
    csv_reader_free(rd);
    return rc;
}

/* ---- applying ---------------------------------------------------------------- */

static int wl_apply(sy_db *db, const import_opts *o, import_result *r, const char *source,
                    const char *now)
{
    arena *a = &r->plan.a;
    for (size_t i = 0; i < r->plan.n; i++) {
        plan_item *it = r->plan.items[i];
        if (it->action != PA_CREATE && it->action != PA_CHANGE)
            continue;
        workload *w = it->payload;
        const char *before = NULL;
        if (it->action == PA_CREATE) {
            if (store_workload_insert(db, w, &r->err) != ST_OK)
                return -1;
            it->id = w->id;
        } else {
            workload old;
            if (store_workload_get(db, it->id, a, &old, &r->err) != ST_OK ||
                !(before = entity_text(a, &WORKLOAD_DESC, &old, NULL)) ||
                store_workload_update(db, it->id, 0, w, &r->err) != ST_OK)
                return -1;
        }
        workload saved;
        if (store_workload_get(db, it->id, a, &saved, &r->err) != ST_OK ||
            audit_record(db, o->actor, it->action == PA_CREATE ? "create" : "update", "workload",
                         it->id, before, entity_text(a, &WORKLOAD_DESC, &saved, NULL),
                         &r->err) != ST_OK)
            return -1;
        for (size_t k = 0; k < it->n_changes; k++)
            if (import_provenance(db, "workload", it->id, it->changes[k].field, source, now,
                                  r->import_id, &r->err) != ST_OK)
                return -1;
    }
    return 0;
}

const import_kind IMPORT_WORKLOADS = {"workloads", wl_plan, wl_apply, 0};

int import_offering_names(sy_db *db, arena *a, wl_names *names, store_err *err)
{
    offering_index *ix = arena_alloc(a, sizeof *ix);
    if (!ix || load_offerings(db, a, ix, err) != 0)
        return -1;
    *names = (wl_names){name_of, id_of, ix};
    return 0;
}

/* ---- export ------------------------------------------------------------------ */

int exports_workloads_csv(sy_request *rq)
{
    store_err err;
    offering_index ix;
    if (load_offerings(rq->db, &rq->arena, &ix, &err) != 0)
        return problem_store(rq, &err);
    wl_names names = {name_of, id_of, &ix};
    list_query q = {.limit = 1, .sort = "name", .flagged = -1};
    workload *items;
    size_t n;
    int64_t total;
    if (store_workload_list(rq->db, &q, &rq->arena, &items, &n, &total, &err) != ST_OK)
        return problem_store(rq, &err);
    q.limit = total > 0 ? total : 1;
    if (store_workload_list(rq->db, &q, &rq->arena, &items, &n, &total, &err) != ST_OK)
        return problem_store(rq, &err);
    const field_desc *cols[MAX_COLS];
    size_t nc = wl_columns(cols, MAX_COLS);
    for (size_t i = 0; i < nc; i++)
        csv_field(&rq->out, cols[i]->key, i == 0);
    csv_end(&rq->out);
    for (size_t w = 0; w < n; w++) {
        for (size_t i = 0; i < nc; i++)
            csv_field(&rq->out, wl_cell(cols[i], &items[w], &names, &rq->arena), i == 0);
        csv_end(&rq->out);
    }
    rq->content_type = "text/csv; charset=utf-8";
    rq->disposition = "attachment; filename=\"workloads.csv\"";
    return 200;
}
