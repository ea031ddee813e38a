/* entity.c (store) - the generic reads and writes of the catalogue
 * entities and saved scenarios, driven by their descriptors: one row
 * reader, one binder and one child-table reader and writer for all of them
 * (see store/entity.h), plus the typed entry points of store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/entity.h"

#define SLOT(base, off, T) ((T *)(void *)((char *)(base) + (off)))
#define CSLOT(base, off, T) ((const T *)(const void *)((const char *)(base) + (off)))

static int row_column(const field_desc *f)
{
    return f->column && f->kind != FK_ID && f->kind != FK_STAMP;
}

/* ---- values <-> columns ---------------------------------------------------- */

/* An enumeration's value: the descriptor's own string when it is one (no
 * copy: a snapshot holds hundreds of thousands of "model" and
 * "production"), else a copy in the arena. */
static const char *enum_text(const field_desc *f, dstmt *st, int col, arena *a)
{
    size_t n;
    const char *t = dstmt_col_text(st, col, &n);
    if (!t)
        return NULL;
    for (const char *const *e = f->enum_table; e && *e; e++)
        if (strlen(*e) == n && memcmp(*e, t, n) == 0)
            return *e;
    return n ? arena_strndup(a, t, n) : "";
}

static void read_value(const field_desc *f, dstmt *st, int col, arena *a, void *base)
{
    switch (f->kind) {
    case FK_BOOL:
        *SLOT(base, f->offset, int) = (int)col_i64(st, col);
        break;
    case FK_INT:
        *SLOT(base, f->offset, int64_t) = (f->flags & FD_NULLABLE) && dstmt_col_is_null(st, col)
                                              ? SY_INT_NULL
                                              : col_i64(st, col);
        break;
    case FK_MONEY:
    case FK_REF:
    case FK_ID:
        *SLOT(base, f->offset, int64_t) = col_i64(st, col);
        break;
    case FK_ENUM:
        *SLOT(base, f->offset, const char *) = enum_text(f, st, col, a);
        break;
    default: /* text: strings, dates, JSON, timestamps */
        *SLOT(base, f->offset, const char *) = col_text(st, col, a);
    }
}

static void bind_value(dstmt *st, int idx, const field_desc *f, const void *base)
{
    switch (f->kind) {
    case FK_BOOL:
        bind_i64(st, idx, *CSLOT(base, f->offset, int) ? 1 : 0);
        break;
    case FK_INT:
        if ((f->flags & FD_NULLABLE) && *CSLOT(base, f->offset, int64_t) == SY_INT_NULL)
            (void)dstmt_bind_null(st, idx);
        else
            bind_i64(st, idx, *CSLOT(base, f->offset, int64_t));
        break;
    case FK_MONEY:
        bind_i64(st, idx, *CSLOT(base, f->offset, int64_t));
        break;
    case FK_REF:
        bind_id(st, idx, *CSLOT(base, f->offset, int64_t));
        break;
    case FK_STR:
    case FK_ENUM: {
        /* A string left unset (a struct filled in code, not from JSON)
         * takes the default an absent field takes in validation. */
        const char *s = *CSLOT(base, f->offset, char *);
        bind_text(st, idx, s || (f->flags & FD_NULLABLE) ? s : f->def ? f->def : "");
        break;
    }
    default:
        bind_text(st, idx, *CSLOT(base, f->offset, char *));
    }
}

void entity_read_row(const store_entity *e, dstmt *st, arena *a, void *item)
{
    const entity_desc *d = e->desc;
    memset(item, 0, d->size);
    *(int64_t *)item = col_i64(st, 0);
    int col = 1;
    for (const field_desc *f = d->fields; f->key; f++)
        if (row_column(f))
            read_value(f, st, col++, a, item);
    *SLOT(item, d->version_offset, int64_t) = col_i64(st, col++);
    *SLOT(item, d->created_offset, const char *) = col_text(st, col++, a);
    *SLOT(item, d->updated_offset, const char *) = col_text(st, col++, a);
    if (e->read_extra)
        e->read_extra(st, col, a, item);
}

/* Binds the row's fields as ?1..?n; returns n. */
static int bind_fields(dstmt *st, const entity_desc *d, const void *item)
{
    int n = 0;
    for (const field_desc *f = d->fields; f->key; f++)
        if (row_column(f))
            bind_value(st, ++n, f, item);
    return n;
}

static void read_item(const field_desc *f, dstmt *st, int col, arena *a, void *slot)
{
    for (const field_desc *g = f->sub; g->key; g++)
        read_value(g, st, col++, a, slot);
}

/* ---- child tables ------------------------------------------------------------ */

/* Where a child row belongs: its parent and position, and where the
 * scan put it. */
typedef struct child_key {
    int64_t parent, position;
    size_t at;
} child_key;

/* Steps st, appending items to a heap array; with keys (the all-rows
 * statement), the first two columns are the parent and the position and
 * go to a second heap array. */
static int collect(sy_db *db, dstmt *st, const field_desc *f, arena *a, char **items,
                   child_key **keys, size_t *n, store_err *err)
{
    size_t cap = 0;
    db_step rc;
    *items = NULL;
    *n = 0;
    if (keys)
        *keys = NULL;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            char *grown = realloc(*items, ncap * f->item_size);
            child_key *kgrown = grown && keys ? realloc(*keys, ncap * sizeof **keys) : NULL;
            if (grown)
                *items = grown;
            if (kgrown)
                *keys = kgrown;
            if (!grown || (keys && !kgrown)) {
                dstmt_reset(st);
                return db_fail_nomem(db, err, "children");
            }
            cap = ncap;
        }
        char *slot = *items + *n * f->item_size;
        memset(slot, 0, f->item_size);
        if (keys)
            (*keys)[*n] = (child_key){col_i64(st, 0), col_i64(st, 1), *n};
        read_item(f, st, keys ? 2 : 0, a, slot);
        (*n)++;
    }
    dstmt_reset(st);
    return rc == DB_DONE ? ST_OK : db_fail(db, err, "children");
}

static int by_parent_position(const void *x, const void *y)
{
    const child_key *a = x, *b = y;
    if (a->parent != b->parent)
        return (a->parent > b->parent) - (a->parent < b->parent);
    return (a->position > b->position) - (a->position < b->position);
}

/* Orders the keys by parent, then position; a scan of a table written in
 * that order (the common case) is checked, not sorted. */
static void order_keys(child_key *keys, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (by_parent_position(&keys[i - 1], &keys[i]) > 0) {
            qsort(keys, n, sizeof *keys, by_parent_position);
            return;
        }
}

/* Sets the array field of item to a copy of rows[0..n) in the arena. */
static int set_items(sy_db *db, const field_desc *f, void *item, const char *rows, size_t n,
                     arena *a, store_err *err)
{
    void *copy = NULL;
    if (n) {
        copy = arena_alloc(a, n * f->item_size);
        if (!copy)
            return db_fail_nomem(db, err, "children");
        memcpy(copy, rows, n * f->item_size);
    }
    *SLOT(item, f->offset, void *) = copy;
    *SLOT(item, f->count_offset, size_t) = n;
    return ST_OK;
}

/* Sets the array field of item to the n rows keys name, in their order. */
static int set_ordered(sy_db *db, const field_desc *f, void *item, const char *rows,
                       const child_key *keys, size_t n, arena *a, store_err *err)
{
    char *copy = NULL;
    if (n) {
        copy = arena_alloc(a, n * f->item_size);
        if (!copy)
            return db_fail_nomem(db, err, "children");
        for (size_t k = 0; k < n; k++)
            memcpy(copy + k * f->item_size, rows + keys[k].at * f->item_size, f->item_size);
    }
    *SLOT(item, f->offset, void *) = copy;
    *SLOT(item, f->count_offset, size_t) = n;
    return ST_OK;
}

static int read_child(sy_db *db, const child_sql *c, void *item, arena *a, store_err *err)
{
    dstmt *st = db_stmt(db, c->select);
    if (!st)
        return db_fail(db, err, "children");
    bind_i64(st, 1, *(const int64_t *)item);
    char *rows;
    size_t n;
    int code = collect(db, st, c->field, a, &rows, NULL, &n, err);
    if (code == ST_OK)
        code = set_items(db, c->field, item, rows, n, a, err);
    free(rows);
    return code;
}

static int read_children(sy_db *db, const store_entity *e, const entity_sql *s, void *item,
                         arena *a, store_err *err)
{
    int code = ST_OK;
    for (int i = 0; code == ST_OK && i < s->n_children; i++)
        code = read_child(db, &s->children[i], item, a, err);
    if (code == ST_OK && e->read_more)
        code = e->read_more(db, a, item, err);
    return code;
}

int entity_load_children(sy_db *db, const store_entity *e, arena *a, void *items, size_t n,
                         store_err *err)
{
    const entity_sql *s = entity_sql_of(e);
    if (!s)
        return db_fail_nomem(db, err, "statements");
    for (int c = 0; c < s->n_children; c++) {
        const field_desc *f = s->children[c].field;
        dstmt *st = db_stmt(db, s->children[c].all);
        if (!st)
            return db_fail(db, err, "portfolio");
        char *rows;
        child_key *keys;
        size_t n_rows, r = 0;
        int code = collect(db, st, f, a, &rows, &keys, &n_rows, err);
        if (code == ST_OK)
            order_keys(keys, n_rows);
        /* Records by ID, rows by parent: one merge. */
        for (size_t i = 0; code == ST_OK && i < n; i++) {
            void *item = (char *)items + i * e->desc->size;
            int64_t id = *(const int64_t *)item;
            while (r < n_rows && keys[r].parent < id)
                r++;
            size_t first = r;
            while (r < n_rows && keys[r].parent == id)
                r++;
            code = set_ordered(db, f, item, rows, keys + first, r - first, a, err);
        }
        free(rows);
        free(keys);
        if (code != ST_OK)
            return code;
    }
    return ST_OK;
}

static int same_items(const field_desc *f, const char *x, const char *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (const field_desc *g = f->sub; g->key; g++) {
            const char *p = x + i * f->item_size, *q = y + i * f->item_size;
            if (g->kind == FK_REF || g->kind == FK_INT || g->kind == FK_MONEY) {
                if (*CSLOT(p, g->offset, int64_t) != *CSLOT(q, g->offset, int64_t))
                    return 0;
            } else {
                const char *s = *CSLOT(p, g->offset, char *);
                const char *t = *CSLOT(q, g->offset, char *);
                if (s != t && (!s || !t || strcmp(s, t) != 0))
                    return 0;
            }
        }
    return 1;
}

/* 1 when the stored items of record id are exactly item's (in order), so
 * an update may leave their rows alone: rewriting them would dirty pages
 * and indexes for nothing. 0 otherwise or on error (then they are
 * rewritten, which is always correct). */
static int child_unchanged(sy_db *db, const child_sql *c, int64_t id, const void *item,
                           size_t size)
{
    arena a;
    arena_init(&a);
    store_err err;
    void *stored = arena_alloc(&a, size);
    int same = 0;
    if (stored) {
        memset(stored, 0, size);
        *(int64_t *)stored = id;
        const field_desc *f = c->field;
        size_t n = *CSLOT(item, f->count_offset, size_t);
        same = read_child(db, c, stored, &a, &err) == ST_OK &&
               *CSLOT(stored, f->count_offset, size_t) == n &&
               same_items(f, *CSLOT(stored, f->offset, char *),
                          *CSLOT(item, f->offset, char *), n);
    }
    arena_free(&a);
    return same;
}

/* 1 when item's items of field f are before's, in order. */
static int same_as_before(const field_desc *f, const void *item, const void *before)
{
    size_t n = *CSLOT(item, f->count_offset, size_t);
    return *CSLOT(before, f->count_offset, size_t) == n &&
           same_items(f, *CSLOT(before, f->offset, char *), *CSLOT(item, f->offset, char *), n);
}

/* Runs a child row's statement; inside a write transaction it is queued
 * (PostgreSQL: it goes out with the write's next statement, its audit
 * event or the COMMIT, one round trip for all). Nothing in a child row
 * can be refused for the caller's input at that point: its references
 * were checked in this transaction (entity_check_refs), its values validated,
 * its positions are new; a failure there is the database's (and fails the
 * statement or the COMMIT it went out with, as any failure would). */
static int child_exec(sy_db *db, dstmt *st, store_err *err)
{
    if (!db->in_write)
        return db_exec_stmt(db, st, err, "children");
    return dstmt_queue(st) == 0 ? ST_OK : db_fail(db, err, "children");
}

/* Writes item's rows of one child table; a new record (fresh) has none to
 * clear. */
static int write_child(sy_db *db, const child_sql *c, int64_t id, const void *item, int fresh,
                       store_err *err)
{
    const field_desc *f = c->field;
    const char *items = *CSLOT(item, f->offset, char *);
    size_t n = *CSLOT(item, f->count_offset, size_t);
    dstmt *st;
    int code = ST_OK;
    if (!fresh) {
        if (!(st = db_stmt(db, c->clear)))
            return db_fail(db, err, "children");
        bind_i64(st, 1, id);
        code = child_exec(db, st, err);
    }
    for (size_t i = 0; code == ST_OK && i < n; i++) {
        if (!(st = db_stmt(db, c->add)))
            return db_fail(db, err, "children");
        bind_i64(st, 1, id);
        bind_i64(st, 2, (int64_t)i);
        int idx = 3;
        for (const field_desc *g = f->sub; g->key; g++)
            bind_value(st, idx++, g, items + i * f->item_size);
        code = child_exec(db, st, err);
    }
    return code;
}

/* A child table's rows are rewritten only when they change: on an update
 * they are compared with `before` (the record at the version the write
 * checked) or, without it, with the stored rows. */
static int write_children(sy_db *db, const store_entity *e, const entity_sql *s, int64_t id,
                          const void *item, int update, const void *before, store_err *err)
{
    int code = ST_OK;
    for (int i = 0; code == ST_OK && i < s->n_children; i++) {
        const child_sql *c = &s->children[i];
        int same = !update   ? 0
                   : before ? same_as_before(c->field, item, before)
                            : child_unchanged(db, c, id, item, e->desc->size);
        if (!same)
            code = write_child(db, c, id, item, !update, err);
    }
    if (code == ST_OK && e->write_more)
        code = e->write_more(db, id, item, err);
    return code;
}

/* ---- operations ----------------------------------------------------------- */

static void note_write(sy_db *db, const store_entity *e, int64_t id)
{
    /* Risk inputs change (see store_generations); snapshots rescore the
     * workloads one offering or contract bears on, and rebuild otherwise. */
    if (e->catalogue && id)
        db_note_catalogue(db, e == &OFFERING_STORE   ? STORE_CHANGE_OFFERING
                              : e == &CONTRACT_STORE ? STORE_CHANGE_CONTRACT : 0, id);
    else if (e->catalogue)
        db->touched_catalogue = 1;
    if (e->workloads && id)
        db_note_workload(db, id);
}

/* The statements of one record bound to its ID: its row, then each child
 * list. Their count, or -1. */
static int bind_record(sy_db *db, const entity_sql *s, int64_t id, dstmt **all)
{
    for (int i = 0; i <= s->n_children; i++) {
        all[i] = db_stmt(db, i ? s->children[i - 1].select : s->get);
        if (!all[i]) {
            while (i-- > 0)
                dstmt_reset(all[i]);
            return -1;
        }
        bind_i64(all[i], 1, id);
    }
    return 1 + s->n_children;
}

/* Steps the record's statements (run ahead or at their first step) into
 * out; the child lists are dropped unread when the record is missing. */
static int read_record(sy_db *db, const store_entity *e, const entity_sql *s, dstmt **all,
                       arena *a, void *out, store_err *err)
{
    db_step rc = dstmt_step(all[0]);
    if (rc == DB_ROW)
        e->read_row(all[0], a, out);
    dstmt_reset(all[0]);
    int code = rc == DB_ROW ? ST_OK : rc == DB_DONE ? ST_NOT_FOUND : ST_ERROR;
    for (int i = 0; code == ST_OK && i < s->n_children; i++) {
        char *rows;
        size_t n;
        const field_desc *f = s->children[i].field;
        code = collect(db, all[i + 1], f, a, &rows, NULL, &n, err);
        if (code == ST_OK)
            code = set_items(db, f, out, rows, n, a, err);
        free(rows);
        if (code != ST_OK)
            while (++i < s->n_children)
                dstmt_reset(all[i + 1]);
    }
    if (rc != DB_ROW)
        for (int i = 0; i < s->n_children; i++)
            dstmt_reset(all[i + 1]);
    if (rc == DB_DONE)
        err_set(err, ST_NOT_FOUND, "", e->missing);
    else if (rc != DB_ROW)
        return db_fail(db, err, "get");
    if (code == ST_OK && e->read_more)
        code = e->read_more(db, a, out, err);
    return code;
}

/* The row and the child lists go out together (one round trip on
 * PostgreSQL, where each used to cost one). */
int store_entity_get(sy_db *db, const store_entity *e, int64_t id, arena *a, void *out,
                     store_err *err)
{
    const entity_sql *s = entity_sql_of(e);
    dstmt *all[1 + ENTITY_MAX_CHILDREN];
    if (!s)
        return db_fail_nomem(db, err, "statements");
    int n = bind_record(db, s, id, all);
    if (n < 0 || (n > 1 && dstmt_prefetch(all, n) != 0))
        return db_fail(db, err, "get");
    return read_record(db, e, s, all, a, out, err);
}

int store_entity_get_alone(sy_db *db, const store_entity *e, int64_t id, arena *a, void *out,
                           store_err *err)
{
    const entity_sql *s = entity_sql_of(e);
    dstmt *all[1 + ENTITY_MAX_CHILDREN];
    if (!s)
        return db_fail_nomem(db, err, "statements");
    /* Inside a transaction, or what reads more than its statements (a
     * vendor's links): the usual read in a snapshot of its own. */
    if (db->in_read || dconn_in_transaction(db->conn) || e->read_more) {
        int code = store_begin_read(db, err);
        if (code == ST_OK) {
            code = store_entity_get(db, e, id, a, out, err);
            store_end_read(db);
        }
        return code;
    }
    int n = bind_record(db, s, id, all);
    int rc = n < 0 ? -1 : dstmt_prefetch_alone(all, n);
    if (rc < 0)
        return db_fail(db, err, "get");
    if (rc > 0)
        return read_record(db, e, s, all, a, out, err);
    int code = store_begin_read(db, err); /* SQLite: the statements run in it */
    if (code != ST_OK) {
        for (int i = 0; i < n; i++)
            dstmt_reset(all[i]);
        return code;
    }
    code = read_record(db, e, s, all, a, out, err);
    store_end_read(db);
    return code;
}

int store_entity_list(sy_db *db, const store_entity *e, const list_query *q, arena *a,
                      void **items, size_t *n, int64_t *total, store_err *err)
{
    const entity_sql *s = entity_sql_of(e);
    if (!s)
        return db_fail_nomem(db, err, "statements");
    int code = db_list(db, s->count, s->page, q, a, e->desc->size, e->read_row, items, n,
                       total, err);
    for (size_t i = 0; code == ST_OK && i < *n; i++)
        code = read_children(db, e, s, (char *)*items + i * e->desc->size, a, err);
    return code;
}

int store_entity_as_written(const store_entity *e)
{
    return !e->read_extra && !e->read_more && !e->write_more;
}

int store_entity_insert_stamped(sy_db *db, const store_entity *e, void *item, store_stamp *stamp,
                                store_err *err)
{
    const entity_sql *s = entity_sql_of(e);
    if (!s)
        return db_fail_nomem(db, err, "statements");
    note_write(db, e, 0);
    int code = entity_check_refs(db, e, s, 0, item, NULL, err);
    if (code != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, s->insert);
    if (!st)
        return db_fail(db, err, "insert");
    bind_text(st, bind_fields(st, e->desc, item) + 1, now);
    int64_t *id = (int64_t *)item;
    if ((code = db_insert_id(db, st, id, err, "insert")) != ST_OK)
        return code;
    note_write(db, e, *id);
    if ((code = write_children(db, e, s, *id, item, 0, NULL, err)) == ST_OK && stamp) {
        stamp->version = 1;
        memcpy(stamp->at, now, sizeof stamp->at);
    }
    return code;
}

int store_entity_insert(sy_db *db, const store_entity *e, void *item, store_err *err)
{
    return store_entity_insert_stamped(db, e, item, NULL, err);
}

/* The update of both entry points; before as store_entity_update_from's,
 * or NULL. */
static int update_item(sy_db *db, const store_entity *e, int64_t id, int64_t if_version,
                       const void *item, const void *before, store_stamp *stamp, store_err *err)
{
    const entity_sql *s = entity_sql_of(e);
    if (!s)
        return db_fail_nomem(db, err, "statements");
    note_write(db, e, id);
    /* References first, so a missing one is named rather than refused by
     * the update's foreign key; if the version turns out stale, the
     * update says so and the caller rolls back. */
    int code = entity_check_refs(db, e, s, id, item, before, err);
    if (code != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, s->update);
    if (!st)
        return db_fail(db, err, "update");
    int n = bind_fields(st, e->desc, item);
    bind_text(st, n + 1, now);
    bind_i64(st, n + 2, id);
    bind_i64(st, n + 3, if_version);
    db_step rc = dstmt_step(st);
    int64_t version = rc == DB_ROW ? col_i64(st, 0) : 0;
    dstmt_reset(st);
    if (rc == DB_DONE) { /* gone, or another version: 404 or 412 */
        code = db_check_version(db, s->version, id, if_version, NULL, "update", err);
        if (code != ST_OK)
            return code;
        err_set(err, ST_ERROR, "", "The record could not be updated.");
        return ST_ERROR;
    }
    if (rc != DB_ROW)
        return db_fail(db, err, "update");
    if ((code = write_children(db, e, s, id, item, 1, before, err)) == ST_OK && stamp) {
        stamp->version = version;
        memcpy(stamp->at, now, sizeof stamp->at);
    }
    return code;
}

int store_entity_update(sy_db *db, const store_entity *e, int64_t id, int64_t if_version,
                        const void *item, store_err *err)
{
    return update_item(db, e, id, if_version, item, NULL, NULL, err);
}

int store_entity_update_from(sy_db *db, const store_entity *e, const void *before,
                             const void *item, store_stamp *stamp, store_err *err)
{
    int64_t id = *(const int64_t *)before;
    int64_t version = *CSLOT(before, e->desc->version_offset, int64_t);
    return update_item(db, e, id, version, item, version > 0 ? before : NULL, stamp, err);
}

int store_entity_delete(sy_db *db, const store_entity *e, int64_t id, int64_t if_version,
                        store_err *err)
{
    const entity_sql *s = entity_sql_of(e);
    if (!s)
        return db_fail_nomem(db, err, "statements");
    note_write(db, e, id);
    int code = db_check_version(db, s->version, id, if_version, NULL, "delete", err);
    if (code == ST_OK && e->before_delete)
        code = e->before_delete(db, id, err);
    if (code != ST_OK)
        return code;
    dstmt *st = db_stmt(db, s->remove);
    if (!st)
        return db_fail(db, err, "delete");
    bind_i64(st, 1, id);
    return db_exec_stmt(db, st, err, "delete");
}

int store_entity_find(sy_db *db, const store_entity *e, const char *name, int64_t *id)
{
    const entity_sql *s = entity_sql_of(e);
    return s ? db_find_id(db, s->find, name, id) : ST_ERROR;
}

/* ---- the typed entry points of store.h ------------------------------------- */

#define TYPED(T, fn, E)                                                                    \
    int store_##fn##_get(sy_db *db, int64_t id, arena *a, T *out, store_err *err)          \
    { return store_entity_get(db, &E, id, a, out, err); }                                   \
    int store_##fn##_list(sy_db *db, const list_query *q, arena *a, T **items, size_t *n,  \
                          int64_t *total, store_err *err)                                   \
    {                                                                                       \
        void *rows = NULL;                                                                  \
        int code = store_entity_list(db, &E, q, a, &rows, n, total, err);                  \
        *items = rows;                                                                      \
        return code;                                                                        \
    }                                                                                       \
    int store_##fn##_insert(sy_db *db, T *item, store_err *err)                            \
    { return store_entity_insert(db, &E, item, err); }                                      \
    int store_##fn##_update(sy_db *db, int64_t id, int64_t if_version, const T *item,      \
                            store_err *err)                                                 \
    { return store_entity_update(db, &E, id, if_version, item, err); }                      \
    int store_##fn##_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err)     \
    { return store_entity_delete(db, &E, id, if_version, err); }                            \
    int store_##fn##_find(sy_db *db, const char *name, int64_t *id)                        \
    { return store_entity_find(db, &E, name, id); }

TYPED(vendor, vendor, VENDOR_STORE)
TYPED(offering, offering, OFFERING_STORE)
TYPED(contract, contract, CONTRACT_STORE)
TYPED(workload, workload, WORKLOAD_STORE)
TYPED(saved_scenario, scenario, SCENARIO_STORE)
