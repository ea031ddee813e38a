/* entity.c (store) - the generic writes of the catalogue entities and
 * saved scenarios, driven by their descriptors: one binder and one
 * child-table writer for all of them (see store/entity.h), reference
 * checks, plus the typed write entry points of store.h. The reads are in
 * entity_read.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/entity.h"

#define SLOT(base, off, T) ((T *)(void *)((char *)(base) + (off)))
#define CSLOT(base, off, T) ((const T *)(const void *)((const char *)(base) + (off)))

/* ---- values <-> columns ---------------------------------------------------- */

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

static int bind_fields(dstmt *st, const entity_desc *d, const void *item)
{
    int n = 0;
    for (const field_desc *f = d->fields; f->key; f++)
        if (entity_row_column(f))
            bind_value(st, ++n, f, item);
    return n;
}

/* The text bind_value binds for a string field of base. */
static const char *bound_text(const field_desc *f, const void *base)
{
    const char *s = *CSLOT(base, f->offset, char *);
    if ((f->kind == FK_STR || f->kind == FK_ENUM) && !s && !(f->flags & FD_NULLABLE))
        return f->def ? f->def : "";
    return s;
}

/* 1 when bind_value binds the same value for f from x and from y. */
static int same_value(const field_desc *f, const void *x, const void *y)
{
    switch (f->kind) {
    case FK_BOOL:
        return !*CSLOT(x, f->offset, int) == !*CSLOT(y, f->offset, int);
    case FK_INT:
    case FK_MONEY:
    case FK_REF:
        return *CSLOT(x, f->offset, int64_t) == *CSLOT(y, f->offset, int64_t);
    default: {
        const char *s = bound_text(f, x), *t = bound_text(f, y);
        return s == t || (s && t && strcmp(s, t) == 0);
    }
    }
}

/* 1 when every keyed row column (bit i of keyed: the i-th) of item
 * keeps before's value. */
static int keys_unchanged(const entity_desc *d, uint64_t keyed, const void *item,
                          const void *before)
{
    int i = 0;
    for (const field_desc *f = d->fields; f->key; f++)
        if (entity_row_column(f) && (keyed >> i++ & 1) && !same_value(f, item, before))
            return 0;
    return 1;
}

/* Binds the plain row columns (keyed bit clear) from ?1; how many. */
static int bind_plain(dstmt *st, const entity_desc *d, uint64_t keyed, const void *item)
{
    int n = 0, i = 0;
    for (const field_desc *f = d->fields; f->key; f++)
        if (entity_row_column(f) && !(keyed >> i++ & 1))
            bind_value(st, ++n, f, item);
    return n;
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
        same = entity_read_child(db, c, stored, &a, &err) == ST_OK &&
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
    /* An edit that keeps every keyed column (the record as read before,
     * at the version the update checks) sets the plain columns alone. */
    uint64_t keyed = 0;
    const char *narrow = before ? entity_sql_narrow_update(e, db->conn, &keyed) : NULL;
    if (narrow && !keys_unchanged(e->desc, keyed, item, before))
        narrow = NULL;
    dstmt *st = db_stmt(db, narrow ? narrow : s->update);
    if (!st)
        return db_fail(db, err, "update");
    int n = narrow ? bind_plain(st, e->desc, keyed, item) : bind_fields(st, e->desc, item);
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
