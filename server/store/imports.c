/* imports.c - the store side of evidence imports; see store/imports.h.
 * Actual spend changes what the portfolio shows, so a write of it marks
 * the workload changed (the scored snapshot and caches move on). */
#include <string.h>

#include "store/imports.h"
#include "store/internal.h"

static const char SQL_IMPORT_ADD[] =
    "INSERT INTO imports(kind, file_name, sha256, rows, created, changed, unchanged, rejected, "
    "summary, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id";
static const char SQL_IMPORT_LIST[] =
    "SELECT id, kind, file_name, sha256, rows, created, changed, unchanged, rejected, summary, "
    "actor, at FROM imports ORDER BY id DESC LIMIT 100";
static const char SQL_PROV_SET[] =
    "INSERT INTO provenance(entity, entity_id, field, source, observed_at, import_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(entity, entity_id, field) DO UPDATE SET "
    "source = excluded.source, observed_at = excluded.observed_at, import_id = excluded.import_id";
static const char SQL_PROV_OF[] =
    "SELECT field, source, observed_at, import_id, entity, entity_id FROM provenance "
    "WHERE entity = ?1 AND entity_id = ?2 ORDER BY field";
static const char SQL_PROV_ALL[] =
    "SELECT field, source, observed_at, import_id, entity, entity_id FROM provenance "
    "ORDER BY entity, entity_id, field";
static const char SQL_SPEND_ALL[] =
    "SELECT workload_id, month, currency, billed_cents, effective_cents, import_id, observed_at "
    "FROM actual_spend ORDER BY workload_id, month, currency";
static const char SQL_SPEND_GET[] =
    "SELECT billed_cents, effective_cents FROM actual_spend "
    "WHERE workload_id = ?1 AND month = ?2 AND currency = ?3";
static const char SQL_SPEND_SET[] =
    "INSERT INTO actual_spend(workload_id, month, currency, billed_cents, effective_cents, "
    "import_id, observed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT(workload_id, month, currency) DO UPDATE SET billed_cents = excluded.billed_cents, "
    "effective_cents = excluded.effective_cents, import_id = excluded.import_id, "
    "observed_at = excluded.observed_at";
static const char SQL_SPEND_OF[] =
    "SELECT workload_id, month, currency, billed_cents, effective_cents, import_id, observed_at "
    "FROM actual_spend WHERE workload_id = ?1 ORDER BY month DESC, currency";

int store_import_add(sy_db *db, import_rec *r, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_IMPORT_ADD);
    if (!st)
        return db_fail(db, err, "import");
    bind_text(st, 1, r->kind);
    bind_text(st, 2, r->file_name ? r->file_name : "");
    bind_text(st, 3, r->sha256);
    bind_i64(st, 4, r->rows);
    bind_i64(st, 5, r->created);
    bind_i64(st, 6, r->changed);
    bind_i64(st, 7, r->unchanged);
    bind_i64(st, 8, r->rejected);
    bind_text(st, 9, r->summary ? r->summary : "{}");
    bind_text(st, 10, r->actor);
    bind_text(st, 11, r->at);
    return db_insert_id(db, st, &r->id, err, "import");
}

static void read_import(dstmt *st, arena *a, void *item)
{
    import_rec *r = item;
    r->id = col_i64(st, 0);
    r->kind = col_text(st, 1, a);
    r->file_name = col_text(st, 2, a);
    r->sha256 = col_text(st, 3, a);
    r->rows = col_i64(st, 4);
    r->created = col_i64(st, 5);
    r->changed = col_i64(st, 6);
    r->unchanged = col_i64(st, 7);
    r->rejected = col_i64(st, 8);
    r->summary = col_text(st, 9, a);
    r->actor = col_text(st, 10, a);
    r->at = col_text(st, 11, a);
}

int store_import_list(sy_db *db, arena *a, import_rec **items, size_t *n, store_err *err)
{
    void *out;
    int code = db_rows(db, SQL_IMPORT_LIST, 0, 16, a, sizeof(import_rec), read_import, &out, n,
                       err, "imports");
    *items = out;
    return code;
}

int store_provenance_set(sy_db *db, const char *entity, int64_t id, const char *field,
                         const char *source, const char *observed_at, int64_t import_id,
                         store_err *err)
{
    dstmt *st = db_stmt(db, SQL_PROV_SET);
    if (!st)
        return db_fail(db, err, "provenance");
    bind_text(st, 1, entity);
    bind_i64(st, 2, id);
    bind_text(st, 3, field);
    bind_text(st, 4, source);
    bind_text(st, 5, observed_at);
    bind_id(st, 6, import_id);
    return db_exec_stmt(db, st, err, "provenance");
}

/* Steps st (already bound), reading each row into a growing arena array. */
static int collect(sy_db *db, dstmt *st, arena *a, size_t size, row_reader read, void **items,
                   size_t *n, store_err *err, const char *what)
{
    size_t cap = 0;
    char *out = NULL;
    db_step rc;
    *n = 0;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char *grown = arena_alloc(a, ncap * size);
            if (!grown) {
                dstmt_reset(st);
                return db_fail_nomem(db, err, what);
            }
            if (*n)
                memcpy(grown, out, *n * size);
            out = grown;
            cap = ncap;
        }
        read(st, a, out + (*n)++ * size);
    }
    dstmt_reset(st);
    if (rc != DB_DONE)
        return db_fail(db, err, what);
    *items = out;
    return ST_OK;
}

static void read_provenance(dstmt *st, arena *a, void *item)
{
    provenance_rec *p = item;
    p->field = col_text(st, 0, a);
    p->source = col_text(st, 1, a);
    p->observed_at = col_text(st, 2, a);
    p->import_id = col_i64(st, 3);
    p->entity = col_text(st, 4, a);
    p->entity_id = col_i64(st, 5);
}

int store_provenance_all(sy_db *db, arena *a, provenance_rec **items, size_t *n, store_err *err)
{
    void *out;
    int code = db_rows(db, SQL_PROV_ALL, 0, 16, a, sizeof(provenance_rec), read_provenance, &out,
                       n, err, "provenance");
    *items = out;
    return code;
}

int store_provenance_of(sy_db *db, const char *entity, int64_t id, arena *a,
                        provenance_rec **items, size_t *n, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_PROV_OF);
    *items = NULL;
    if (!st)
        return db_fail(db, err, "provenance");
    bind_text(st, 1, entity);
    bind_i64(st, 2, id);
    void *out = NULL;
    int code = collect(db, st, a, sizeof(provenance_rec), read_provenance, &out, n, err,
                       "provenance");
    *items = out;
    return code;
}

/* One row of a per-workload, per-month, per-currency table (FOCUS spend,
 * gateway spend): its two figures, or ST_NOT_FOUND saying `missing`. */
static int month_row_get(sy_db *db, const char *sql, int64_t workload_id, const char *month,
                         const char *currency, int64_t *first, int64_t *second,
                         const char *what, const char *missing, store_err *err)
{
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, err, what);
    bind_i64(st, 1, workload_id);
    bind_text(st, 2, month);
    bind_text(st, 3, currency);
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW) {
        *first = col_i64(st, 0);
        *second = col_i64(st, 1);
    }
    dstmt_reset(st);
    if (rc == DB_ROW)
        return ST_OK;
    if (rc == DB_DONE) {
        err_set(err, ST_NOT_FOUND, "", missing);
        return ST_NOT_FOUND;
    }
    return db_fail(db, err, what);
}

/* Upserts such a row: (workload, month, currency, first, second, import,
 * observed_at) bound as ?1..?7. */
static int month_row_set(sy_db *db, const char *sql, int64_t workload_id, const char *month,
                         const char *currency, int64_t first, int64_t second, int64_t import_id,
                         const char *observed_at, const char *what, store_err *err)
{
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, err, what);
    bind_i64(st, 1, workload_id);
    bind_text(st, 2, month);
    bind_text(st, 3, currency);
    bind_i64(st, 4, first);
    bind_i64(st, 5, second);
    bind_i64(st, 6, import_id);
    bind_text(st, 7, observed_at);
    db_note_workload(db, workload_id);
    return db_exec_stmt(db, st, err, what);
}

int store_spend_get(sy_db *db, int64_t workload_id, const char *month, const char *currency,
                    int64_t *billed, int64_t *effective, store_err *err)
{
    return month_row_get(db, SQL_SPEND_GET, workload_id, month, currency, billed, effective,
                         "actual spend", "No actual spend for this month.", err);
}

int store_spend_set(sy_db *db, const spend_rec *s, store_err *err)
{
    return month_row_set(db, SQL_SPEND_SET, s->workload, s->month, s->currency, s->billed,
                         s->effective, s->import_id, s->observed_at, "actual spend", err);
}

static void read_spend(dstmt *st, arena *a, void *item)
{
    spend_rec *s = item;
    s->workload = col_i64(st, 0);
    s->month = col_text(st, 1, a);
    s->currency = col_text(st, 2, a);
    s->billed = col_i64(st, 3);
    s->effective = col_i64(st, 4);
    s->import_id = col_i64(st, 5);
    s->observed_at = col_text(st, 6, a);
}

int store_spend_of(sy_db *db, int64_t workload_id, arena *a, spend_rec **items, size_t *n,
                   store_err *err)
{
    void *out;
    int code = db_rows(db, SQL_SPEND_OF, workload_id, 8, a, sizeof(spend_rec), read_spend, &out, n,
                       err, "actual spend");
    *items = out;
    return code;
}

static const char SQL_MAP_GET[] =
    "SELECT workload_id FROM gateway_mappings WHERE kind = ?1 AND key = ?2";
static const char SQL_MAP_SET[] =
    "INSERT INTO gateway_mappings(kind, key, workload_id, import_id) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(kind, key) DO UPDATE SET workload_id = excluded.workload_id, "
    "import_id = excluded.import_id";

int store_mapping_get(sy_db *db, const char *kind, const char *key, int64_t *workload_id,
                      store_err *err)
{
    dstmt *st = db_stmt(db, SQL_MAP_GET);
    if (!st)
        return db_fail(db, err, "gateway mapping");
    bind_text(st, 1, kind);
    bind_text(st, 2, key);
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW)
        *workload_id = col_i64(st, 0);
    dstmt_reset(st);
    if (rc == DB_ROW)
        return ST_OK;
    if (rc == DB_DONE) {
        err_set(err, ST_NOT_FOUND, "", "No mapping.");
        return ST_NOT_FOUND;
    }
    return db_fail(db, err, "gateway mapping");
}

int store_mapping_set(sy_db *db, const char *kind, const char *key, int64_t workload_id,
                      int64_t import_id, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_MAP_SET);
    if (!st)
        return db_fail(db, err, "gateway mapping");
    bind_text(st, 1, kind);
    bind_text(st, 2, key);
    bind_i64(st, 3, workload_id);
    bind_id(st, 4, import_id);
    return db_exec_stmt(db, st, err, "gateway mapping");
}

int store_spend_all(sy_db *db, arena *a, spend_rec **items, size_t *n, store_err *err)
{
    void *out;
    int code = db_rows(db, SQL_SPEND_ALL, 0, 16, a, sizeof(spend_rec), read_spend, &out, n, err,
                       "actual spend");
    *items = out;
    return code;
}

#define OBSERVED(f) \
    "EXISTS (SELECT 1 FROM provenance p WHERE p.entity = 'workload' AND p.entity_id = w.id " \
    "AND p.field = '" f "')"
#define HAS_ALTS "EXISTS (SELECT 1 FROM workload_alternatives a WHERE a.workload_id = w.id)"
static const char SQL_DECLARED[] =
    "SELECT w.id, w.name, "
    "CASE WHEN w.swap_layer = 1 AND NOT " OBSERVED("swap_layer") " THEN 1 ELSE 0 END, "
    "CASE WHEN " HAS_ALTS " AND NOT " OBSERVED("alternatives") " THEN 1 ELSE 0 END "
    "FROM workloads w WHERE w.status IN ('pilot', 'production') AND "
    "((w.swap_layer = 1 AND NOT " OBSERVED("swap_layer") ") OR "
    "(" HAS_ALTS " AND NOT " OBSERVED("alternatives") ")) ORDER BY w.name, w.id";
/* The workloads an import observed the swap layer or the alternatives
 * of (a few, beside thousands declared by hand): the summary counts the
 * declared-only ones from its snapshot with these. */
static const char SQL_OBSERVED_DECLARABLE[] =
    "SELECT entity_id, field FROM provenance WHERE entity = 'workload' "
    "AND field IN ('swap_layer', 'alternatives') ORDER BY entity_id";

static void read_observed(dstmt *st, arena *a, void *item)
{
    observed_rec *o = item;
    o->id = col_i64(st, 0);
    const char *field = col_text(st, 1, a);
    o->alternatives = field && strcmp(field, "alternatives") == 0;
}

int store_observed_declarable(sy_db *db, arena *a, observed_rec **items, size_t *n,
                              store_err *err)
{
    void *out;
    int code = db_rows(db, SQL_OBSERVED_DECLARABLE, 0, 16, a, sizeof(observed_rec),
                       read_observed, &out, n, err, "observed fields");
    *items = out;
    return code;
}

static void read_declared(dstmt *st, arena *a, void *item)
{
    declared_rec *d = item;
    d->id = col_i64(st, 0);
    d->name = col_text(st, 1, a);
    d->swap_layer_declared = (int)col_i64(st, 2);
    d->alternatives_declared = (int)col_i64(st, 3);
}

int store_declared_only(sy_db *db, arena *a, declared_rec **items, size_t *n, store_err *err)
{
    void *out;
    int code = db_rows(db, SQL_DECLARED, 0, 16, a, sizeof(declared_rec), read_declared, &out, n,
                       err, "declared only");
    *items = out;
    return code;
}

static const char SQL_GW_GET[] =
    "SELECT spend_micros, requests FROM gateway_spend "
    "WHERE workload_id = ?1 AND month = ?2 AND currency = ?3";
static const char SQL_GW_SET[] =
    "INSERT INTO gateway_spend(workload_id, month, currency, spend_micros, requests, import_id, "
    "observed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT(workload_id, month, currency) DO UPDATE SET spend_micros = excluded.spend_micros, "
    "requests = excluded.requests, import_id = excluded.import_id, "
    "observed_at = excluded.observed_at";
static const char SQL_GW_OF[] =
    "SELECT workload_id, month, currency, spend_micros, requests, import_id, observed_at "
    "FROM gateway_spend WHERE workload_id = ?1 ORDER BY month DESC, currency";
static const char SQL_GW_ALL[] =
    "SELECT workload_id, month, currency, spend_micros, requests, import_id, observed_at "
    "FROM gateway_spend ORDER BY workload_id, month DESC, currency";

int store_gateway_spend_get(sy_db *db, int64_t workload_id, const char *month,
                            const char *currency, int64_t *micros, int64_t *requests,
                            store_err *err)
{
    return month_row_get(db, SQL_GW_GET, workload_id, month, currency, micros, requests,
                         "gateway spend", "No gateway spend for this month.", err);
}

int store_gateway_spend_set(sy_db *db, const gateway_spend_rec *s, store_err *err)
{
    return month_row_set(db, SQL_GW_SET, s->workload, s->month, s->currency, s->micros,
                         s->requests, s->import_id, s->observed_at, "gateway spend", err);
}

static void read_gateway_spend(dstmt *st, arena *a, void *item)
{
    gateway_spend_rec *s = item;
    s->workload = col_i64(st, 0);
    s->month = col_text(st, 1, a);
    s->currency = col_text(st, 2, a);
    s->micros = col_i64(st, 3);
    s->requests = col_i64(st, 4);
    s->import_id = col_i64(st, 5);
    s->observed_at = col_text(st, 6, a);
}

int store_gateway_spend_of(sy_db *db, int64_t workload_id, arena *a, gateway_spend_rec **items,
                           size_t *n, store_err *err)
{
    void *out;
    int code = workload_id
                   ? db_rows(db, SQL_GW_OF, workload_id, 8, a, sizeof(gateway_spend_rec),
                             read_gateway_spend, &out, n, err, "gateway spend")
                   : db_rows(db, SQL_GW_ALL, 0, 16, a, sizeof(gateway_spend_rec),
                             read_gateway_spend, &out, n, err, "gateway spend");
    *items = out;
    return code;
}
