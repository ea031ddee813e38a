/* entity_refs.c (store) - the reference checks of a generic entity write
 * (entity_check_refs, store/entity.h): every record a write names must
 * exist, and the entity's own check (a workload's folded name) must pass,
 * judged in a fixed order so that the same field is named in the same
 * error; the look-ups go to the database in one round trip. Moved out of
 * entity.c, which they made too long. */
#include <stdio.h>
#include <string.h>

#include "store/entity.h"

#define CSLOT(base, off, T) ((const T *)(const void *)((const char *)(base) + (off)))

/* ---- references ------------------------------------------------------------- */

/* The look-ups of check_refs go to the database in one round trip
 * (dstmt_prefetch): a first pass (collecting) binds the first look-up of
 * each statement (an existence check per target kind, the entity's own
 * check's query) without running it; the second pass judges them in the
 * same order as before, running any further look-up of a statement
 * already used as it did before. Errors are thus exactly as before. */
#define LOOKUPS 8
typedef struct lookups {
    int collecting;
    int n;
    const char *sql[LOOKUPS];
    dstmt *st[LOOKUPS];
    int64_t id[LOOKUPS];
    int used[LOOKUPS];
} lookups;

/* In the collecting pass: binds a first look-up of sql for id (ST_OK, or
 * an error when the statement cannot be had). */
static int collect_lookup(sy_db *db, lookups *lk, const char *sql, int64_t id, store_err *err)
{
    for (int i = 0; i < lk->n; i++)
        if (lk->sql[i] == sql)
            return ST_OK; /* a later look-up of the same statement: run in turn */
    if (lk->n == LOOKUPS)
        return ST_OK;
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, err, "reference check");
    bind_i64(st, 1, id);
    lk->sql[lk->n] = sql;
    lk->st[lk->n] = st;
    lk->id[lk->n] = id;
    lk->used[lk->n++] = 0;
    return ST_OK;
}

/* In the judging pass: 1 if a row with id exists, 0 if not, -1 on error;
 * from the prefetched look-up when it is this one. */
static int judge_exists(sy_db *db, lookups *lk, const char *sql, int64_t id)
{
    for (int i = 0; lk && i < lk->n; i++)
        if (lk->sql[i] == sql && lk->id[i] == id && !lk->used[i]) {
            lk->used[i] = 1;
            db_step rc = dstmt_step(lk->st[i]);
            dstmt_reset(lk->st[i]);
            return rc == DB_FAIL ? -1 : rc == DB_ROW;
        }
    return db_exists(db, sql, id);
}

static int check_ref(sy_db *db, ref_kind kind, int64_t id, const char *ptr, lookups *lk,
                     store_err *err)
{
    const store_entity *target = entity_store_of(kind);
    const entity_sql *ts = target ? entity_sql_of(target) : NULL;
    if (!id || !ts)
        return ST_OK;
    if (lk && lk->collecting)
        return collect_lookup(db, lk, ts->exists, id, err);
    int ok = judge_exists(db, lk, ts->exists, id);
    if (ok > 0)
        return ST_OK;
    err_set(err, ok < 0 ? ST_ERROR : ST_BAD_REF, ptr, target->missing);
    return ok < 0 ? ST_ERROR : ST_BAD_REF;
}

/* 1 when before's items of f refer to id through their field g: a
 * reference the record already held names a record (a referenced record
 * cannot be deleted, and the version check says before is current). */
static int held_before(const field_desc *f, const field_desc *g, const void *before, int64_t id)
{
    if (!before)
        return 0;
    const char *items = *CSLOT(before, f->offset, char *);
    size_t n = *CSLOT(before, f->count_offset, size_t);
    for (size_t i = 0; i < n; i++)
        if (*CSLOT(items + i * f->item_size, g->offset, int64_t) == id)
            return 1;
    return 0;
}

static int check_array_refs(sy_db *db, const field_desc *f, const void *item, const void *before,
                            lookups *lk, store_err *err)
{
    const char *items = *CSLOT(item, f->offset, char *);
    size_t n = *CSLOT(item, f->count_offset, size_t);
    for (size_t i = 0; i < n; i++)
        for (const field_desc *g = f->sub; g->key; g++) {
            if (g->kind != FK_REF ||
                held_before(f, g, before, *CSLOT(items + i * f->item_size, g->offset, int64_t)))
                continue;
            char ptr[128];
            if (g->key[0])
                snprintf(ptr, sizeof ptr, "/%s/%zu/%s", f->key, i, g->key);
            else
                snprintf(ptr, sizeof ptr, "/%s/%zu", f->key, i);
            int code = check_ref(db, g->ref, *CSLOT(items + i * f->item_size, g->offset, int64_t),
                                 ptr, lk, err);
            if (code != ST_OK)
                return code;
        }
    return ST_OK;
}

/* The references of item (one pass of check_refs). */
static int refs_pass(sy_db *db, const entity_desc *d, const void *item, const void *before,
                     lookups *lk, store_err *err)
{
    int code = ST_OK;
    for (const field_desc *f = d->fields; code == ST_OK && f->key; f++) {
        if (f->kind == FK_REF) {
            int64_t ref = *CSLOT(item, f->offset, int64_t);
            if (before && *CSLOT(before, f->offset, int64_t) == ref)
                continue;
            char ptr[96];
            snprintf(ptr, sizeof ptr, "/%s", f->key);
            code = check_ref(db, f->ref, ref, ptr, lk, err);
        } else if (f->kind == FK_ARRAY) {
            code = check_array_refs(db, f, item, before, lk, err);
        }
    }
    return code;
}

/* The name is free, every reference names a record, then the entity's own
 * rules: so the client hears which field is at fault. With `before` (the
 * record at the version the write checked), a name or reference it keeps
 * is not looked up again. The reference look-ups and the entity's own
 * query go to the database together (see lookups). */
int entity_check_refs(sy_db *db, const store_entity *e, const entity_sql *s, int64_t id,
                      const void *item, const void *before, store_err *err)
{
    const entity_desc *d = e->desc;
    size_t name_at = entity_field(d, "name")->offset;
    const char *name = *CSLOT(item, name_at, char *);
    const char *had = before ? *CSLOT(before, name_at, char *) : NULL;
    int code = e->folds_names || (name && had && strcmp(name, had) == 0)
                   ? ST_OK
                   : db_name_free(db, s->name_taken, name, id, e->taken, err);
    lookups lk = {.collecting = 1};
    dstmt *own = NULL;
    if (code == ST_OK)
        code = refs_pass(db, d, item, before, &lk, err);
    if (code == ST_OK && e->check_query)
        code = e->check_query(db, id, item, before, &own, err);
    dstmt *all[LOOKUPS + 1];
    int n = 0;
    for (int i = 0; i < lk.n; i++)
        all[n++] = lk.st[i];
    if (own)
        all[n++] = own;
    if (code == ST_OK && n > 1 && dstmt_prefetch(all, n) != 0)
        code = db_fail(db, err, "reference check");
    lk.collecting = 0;
    if (code == ST_OK)
        code = refs_pass(db, d, item, before, &lk, err);
    if (code == ST_OK && e->check_query)
        code = own ? e->check_with(db, own, item, err) : ST_OK;
    else if (code == ST_OK && e->check)
        code = e->check(db, id, item, before, err);
    return code;
}
