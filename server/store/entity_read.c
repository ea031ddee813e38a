/* entity_read.c (store) - the generic reads of the catalogue entities
 * and saved scenarios, driven by their descriptors: one row reader, one
 * child-table reader (one record's rows, every record's, or those of a
 * few records at once) and the typed reads of store.h. The writes are in
 * entity.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/entity.h"

#define SLOT(base, off, T) ((T *)(void *)((char *)(base) + (off)))
#define CSLOT(base, off, T) ((const T *)(const void *)((const char *)(base) + (off)))

/* ---- values from columns --------------------------------------------------- */

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

void entity_read_row(const store_entity *e, dstmt *st, arena *a, void *item)
{
    const entity_desc *d = e->desc;
    memset(item, 0, d->size);
    *(int64_t *)item = col_i64(st, 0);
    int col = 1;
    for (const field_desc *f = d->fields; f->key; f++)
        if (entity_row_column(f))
            read_value(f, st, col++, a, item);
    *SLOT(item, d->version_offset, int64_t) = col_i64(st, col++);
    *SLOT(item, d->created_offset, const char *) = col_text(st, col++, a);
    *SLOT(item, d->updated_offset, const char *) = col_text(st, col++, a);
    if (e->read_extra)
        e->read_extra(st, col, a, item);
}

/* Binds the row's fields as ?1..?n; returns n. */
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

int entity_read_child(sy_db *db, const child_sql *c, void *item, arena *a, store_err *err)
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
        code = entity_read_child(db, &s->children[i], item, a, err);
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
        dstmt_stream(st); /* PostgreSQL: rows as they come (342,000 at 100,000) */
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

/* ---- the typed reads ---------------------------------------------------------- */

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

/* ---- a few records at once ---------------------------------------------------- */

/* Binds ids[0..n) (n <= ENTITY_SOME) to a "some" statement; NULL matches
 * nothing in the places left. */
static void bind_some(dstmt *st, const int64_t *ids, size_t n)
{
    for (size_t k = 0; k < ENTITY_SOME; k++)
        if (k < n)
            bind_i64(st, (int)k + 1, ids[k]);
        else
            (void)dstmt_bind_null(st, (int)k + 1);
}

/* Position of id in ids[0..n) (ascending), or -1. */
static long position_of(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] == id)
            return (long)mid;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* One child table's rows of the found records among ids[0..n), from its
 * bound (and perhaps already sent) statement st. */
static int some_children(sy_db *db, const child_sql *c, dstmt *st, const int64_t *ids, size_t n,
                         size_t size, char *out, const unsigned char *found, arena *a,
                         store_err *err)
{
    char *rows;
    child_key *keys;
    size_t n_rows, r = 0;
    int code = collect(db, st, c->field, a, &rows, &keys, &n_rows, err);
    if (code == ST_OK)
        order_keys(keys, n_rows);
    for (size_t k = 0; code == ST_OK && k < n; k++) {
        while (r < n_rows && keys[r].parent < ids[k])
            r++;
        size_t first = r;
        while (r < n_rows && keys[r].parent == ids[k])
            r++;
        if (found[k])
            code = set_ordered(db, c->field, out + k * size, rows, keys + first, r - first, a,
                               err);
    }
    free(rows);
    free(keys);
    return code;
}

/* Up to ENTITY_SOME records: their rows, then each child table's, the
 * statements sent together (one round trip on PostgreSQL). */
static int get_some(sy_db *db, const store_entity *e, const entity_sql *s, const int64_t *ids,
                    size_t n, arena *a, char *out, unsigned char *found, store_err *err)
{
    size_t size = e->desc->size;
    dstmt *all[1 + ENTITY_MAX_CHILDREN];
    int n_st = 1 + s->n_children;
    memset(found, 0, n);
    for (int i = 0; i < n_st; i++) {
        all[i] = db_stmt(db, i ? s->children[i - 1].some : s->some);
        if (!all[i]) {
            while (i-- > 0)
                dstmt_reset(all[i]);
            return db_fail(db, err, "get");
        }
        bind_some(all[i], ids, n);
    }
    if (dstmt_prefetch(all, n_st) != 0)
        return db_fail(db, err, "get");
    db_step rc;
    while ((rc = dstmt_step(all[0])) == DB_ROW) {
        long k = position_of(ids, n, col_i64(all[0], 0));
        if (k >= 0) {
            e->read_row(all[0], a, out + (size_t)k * size);
            found[k] = 1;
        }
    }
    dstmt_reset(all[0]);
    int code = rc == DB_DONE ? ST_OK : db_fail(db, err, "get");
    for (int c = 0; c < s->n_children; c++)
        if (code == ST_OK)
            code = some_children(db, &s->children[c], all[c + 1], ids, n, size, out, found, a,
                                 err);
        else
            dstmt_reset(all[c + 1]);
    for (size_t k = 0; code == ST_OK && e->read_more && k < n; k++)
        if (found[k])
            code = e->read_more(db, a, out + k * size, err);
    return code;
}

int store_entity_get_some(sy_db *db, const store_entity *e, const int64_t *ids, size_t n,
                          arena *a, void *out, unsigned char *found, store_err *err)
{
    const entity_sql *s = entity_sql_of(e);
    if (!s)
        return db_fail_nomem(db, err, "statements");
    int code = ST_OK;
    for (size_t at = 0; code == ST_OK && at < n; at += ENTITY_SOME) {
        size_t m = n - at < ENTITY_SOME ? n - at : ENTITY_SOME;
        code = get_some(db, e, s, ids + at, m, a, (char *)out + at * e->desc->size, found + at,
                        err);
    }
    return code;
}
