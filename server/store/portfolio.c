/* portfolio.c - loads the whole portfolio snapshot in a handful of
 * queries: one per table, children joined to parents by a merge over
 * id-ordered results (no query per row). Also the risk weights. */
#include <stdlib.h>
#include <string.h>

#include "core/portfolio.h"
#include "core/risk.h"
#include "store/internal.h"

static const char SQL_VENDORS[] =
    "WITH RECURSIVE chain(id, top) AS ("
    " SELECT id, id FROM vendors WHERE parent_id IS NULL"
    " UNION ALL SELECT v.id, c.top FROM vendors v JOIN chain c ON v.parent_id = c.id) "
    "SELECT v.id, v.name, v.parent_id, v.website, v.country, v.description, v.version, "
    "v.created_at, v.updated_at, g.top, gv.name FROM vendors v "
    "LEFT JOIN chain g ON g.id = v.id LEFT JOIN vendors gv ON gv.id = g.top ORDER BY v.id";
static const char SQL_LINKS[] = "SELECT vendor_a, vendor_b, reason FROM vendor_connections";
static const char SQL_OFFERINGS[] =
    "SELECT id, name, provider_id, publisher_id, host_id, track, category, interface, "
    "open_weight, description, url, version, created_at, updated_at FROM offerings ORDER BY id";
static const char SQL_CONTRACTS[] =
    "SELECT id, name, kind, counterparty_id, other_party_id, start_date, end_date, "
    "notice_days, auto_renew, renewal_months, annual_value, currency, committed_spend, "
    "exclusive, exit_clause, data_portability, substitutability, exit_plan, notes, "
    "version, created_at, updated_at FROM contracts ORDER BY id";
static const char SQL_CONTRACT_OFFERINGS[] =
    "SELECT contract_id, offering_id FROM contract_offerings ORDER BY contract_id, position";
static const char SQL_TERMS[] =
    "SELECT contract_id, kind, text, effective, until FROM contract_terms "
    "ORDER BY contract_id, position";
static const char SQL_WORKLOADS[] =
    "SELECT id, name, purpose, owner, team, track, status, criticality, "
    "data_classification, users, monthly_spend, planned_end, ai_act_tier, swap_layer, "
    "second_model_validated, notes, version, created_at, updated_at FROM workloads ORDER BY id";
static const char SQL_DEPS[] =
    "SELECT workload_id, offering_id, role FROM workload_dependencies "
    "ORDER BY workload_id, position";
static const char SQL_FEATURES[] =
    "SELECT workload_id, feature FROM workload_features ORDER BY workload_id, position";
static const char SQL_WEIGHTS[] = "SELECT code, points FROM risk_weights";
static const char SQL_WEIGHT_SET[] =
    "INSERT INTO risk_weights(code, points) VALUES (?1, ?2) "
    "ON CONFLICT(code) DO UPDATE SET points = excluded.points";

/* Child rows carry their parent id in column 0, then either an id (links,
 * contract offerings, dependencies) or text (terms, features). */
typedef struct child_row {
    int64_t parent;
    int64_t id;
    const char *s1, *s2, *s3, *s4;
} child_row;

/* Runs sql and returns all rows as an arena array. */
static int all_rows(sy_db *db, const char *sql, arena *a, size_t size, row_reader read,
                    void **items, size_t *n, store_err *err)
{
    return db_rows(db, sql, 0, 64, a, size, read, items, n, err, "portfolio");
}

/* Child rows are only needed while they are sorted into their parents:
 * they go to the heap (the caller frees them), their text to the arena. */
static int child_rows(sy_db *db, const char *sql, arena *a, row_reader read, void **items,
                      size_t *n, store_err *err)
{
    return db_rows_heap(db, sql, 0, 64, a, sizeof(child_row), read, items, n, err, "portfolio");
}

/* (parent, id) */
static void read_child_id(dstmt *st, arena *a, void *item)
{
    (void)a;
    child_row *c = item;
    c->parent = col_i64(st, 0);
    c->id = col_i64(st, 1);
}

/* (parent, id, text): a link's reason, a dependency's role. */
static void read_child_id_text(dstmt *st, arena *a, void *item)
{
    child_row *c = item;
    c->parent = col_i64(st, 0);
    c->id = col_i64(st, 1);
    c->s2 = col_text(st, 2, a);
}

/* (parent, text): a feature. */
static void read_child_text(dstmt *st, arena *a, void *item)
{
    child_row *c = item;
    c->parent = col_i64(st, 0);
    c->s1 = col_text(st, 1, a);
}

/* (parent, kind, text, effective, until): a contract term. */
static void read_child_term(dstmt *st, arena *a, void *item)
{
    child_row *c = item;
    c->parent = col_i64(st, 0);
    c->s1 = col_text(st, 1, a);
    c->s2 = col_text(st, 2, a);
    c->s3 = col_text(st, 3, a);
    c->s4 = col_text(st, 4, a);
}

/* For parents sorted by id and children sorted by parent: start index and
 * count of each parent's children. */
static void spans(const child_row *rows, size_t n_rows, const int64_t *ids, size_t n_ids,
                  size_t stride, size_t *start, size_t *count)
{
    size_t r = 0;
    for (size_t i = 0; i < n_ids; i++) {
        int64_t id = *(const int64_t *)(const void *)((const char *)ids + i * stride);
        while (r < n_rows && rows[r].parent < id)
            r++;
        start[i] = r;
        while (r < n_rows && rows[r].parent == id)
            r++;
        count[i] = r - start[i];
    }
}

static int load_vendors(sy_db *db, arena *a, portfolio *p, store_err *err)
{
    void *items, *links;
    size_t n_links;
    int code = all_rows(db, SQL_VENDORS, a, sizeof(vendor), store_read_vendor_row, &items,
                        &p->n_vendors, err);
    p->vendors = items;
    if (code != ST_OK)
        return code;
    code = child_rows(db, SQL_LINKS, a, read_child_id_text, &links, &n_links, err);
    if (code != ST_OK)
        return code;
    /* Each link row (a, b, reason) belongs to both vendors. Row shape here:
     * parent = a, id = b, s2 = reason. */
    child_row *rows = links;
    for (size_t i = 0; i < p->n_vendors; i++) {
        vendor *v = &p->vendors[i];
        size_t count = 0;
        for (size_t k = 0; k < n_links; k++)
            count += rows[k].parent == v->id || rows[k].id == v->id;
        if (!count)
            continue;
        v->connections = arena_alloc(a, count * sizeof(vendor_link));
        if (!v->connections) {
            free(links);
            return db_fail_nomem(db, err, "portfolio");
        }
        for (size_t k = 0; k < n_links; k++) {
            if (rows[k].parent != v->id && rows[k].id != v->id)
                continue;
            vendor_link *l = &v->connections[v->n_connections++];
            l->vendor = rows[k].parent == v->id ? rows[k].id : rows[k].parent;
            l->reason = rows[k].s2;
        }
    }
    free(links);
    return ST_OK;
}

static int load_contracts(sy_db *db, arena *a, portfolio *p, store_err *err)
{
    void *items, *offs = NULL, *terms = NULL;
    size_t n_offs = 0, n_terms = 0, *start = NULL;
    int code = all_rows(db, SQL_CONTRACTS, a, sizeof(contract), store_read_contract_row,
                        &items, &p->n_contracts, err);
    p->contracts = items;
    if (code == ST_OK)
        code = child_rows(db, SQL_CONTRACT_OFFERINGS, a, read_child_id, &offs, &n_offs, err);
    if (code == ST_OK)
        code = child_rows(db, SQL_TERMS, a, read_child_term, &terms, &n_terms, err);
    if (code != ST_OK || p->n_contracts == 0)
        goto done;
    if (!(start = malloc(p->n_contracts * sizeof(size_t) * 2)))
        goto oom;
    size_t *count = start + p->n_contracts;
    const child_row *o = offs, *t = terms;
    spans(o, n_offs, &p->contracts[0].id, p->n_contracts, sizeof(contract), start, count);
    for (size_t i = 0; i < p->n_contracts; i++) {
        contract *c = &p->contracts[i];
        c->n_offerings = count[i];
        if (count[i] && !(c->offerings = arena_alloc(a, count[i] * sizeof(int64_t))))
            goto oom;
        for (size_t k = 0; k < count[i]; k++)
            c->offerings[k] = o[start[i] + k].id;
    }
    spans(t, n_terms, &p->contracts[0].id, p->n_contracts, sizeof(contract), start, count);
    for (size_t i = 0; i < p->n_contracts; i++) {
        contract *c = &p->contracts[i];
        c->n_terms = count[i];
        if (count[i] && !(c->terms = arena_alloc(a, count[i] * sizeof(contract_term))))
            goto oom;
        for (size_t k = 0; k < count[i]; k++) {
            const child_row *r = &t[start[i] + k];
            c->terms[k].kind = r->s1;
            c->terms[k].text = r->s2;
            c->terms[k].effective = r->s3;
            c->terms[k].until = r->s4;
        }
    }
    goto done;
oom:
    code = db_fail_nomem(db, err, "portfolio");
done:
    free(start);
    free(offs);
    free(terms);
    return code;
}

static int load_workloads(sy_db *db, arena *a, portfolio *p, store_err *err)
{
    void *items, *deps = NULL, *feats = NULL;
    size_t n_deps = 0, n_feats = 0, *start = NULL;
    int code = all_rows(db, SQL_WORKLOADS, a, sizeof(workload), store_read_workload_row,
                        &items, &p->n_workloads, err);
    p->workloads = items;
    if (code == ST_OK)
        code = child_rows(db, SQL_DEPS, a, read_child_id_text, &deps, &n_deps, err);
    if (code == ST_OK)
        code = child_rows(db, SQL_FEATURES, a, read_child_text, &feats, &n_feats, err);
    if (code != ST_OK || p->n_workloads == 0)
        goto done;
    if (!(start = malloc(p->n_workloads * sizeof(size_t) * 2)))
        goto oom;
    size_t *count = start + p->n_workloads;
    const child_row *d = deps, *f = feats;
    spans(d, n_deps, &p->workloads[0].id, p->n_workloads, sizeof(workload), start, count);
    for (size_t i = 0; i < p->n_workloads; i++) {
        workload *w = &p->workloads[i];
        w->n_dependencies = count[i];
        if (count[i] && !(w->dependencies = arena_alloc(a, count[i] * sizeof(dependency))))
            goto oom;
        for (size_t k = 0; k < count[i]; k++) {
            w->dependencies[k].offering = d[start[i] + k].id;
            w->dependencies[k].role = d[start[i] + k].s2;
        }
    }
    spans(f, n_feats, &p->workloads[0].id, p->n_workloads, sizeof(workload), start, count);
    for (size_t i = 0; i < p->n_workloads; i++) {
        workload *w = &p->workloads[i];
        w->n_features = count[i];
        if (count[i] && !(w->features = arena_alloc(a, count[i] * sizeof(char *))))
            goto oom;
        for (size_t k = 0; k < count[i]; k++)
            w->features[k] = f[start[i] + k].s1;
    }
    goto done;
oom:
    code = db_fail_nomem(db, err, "portfolio");
done:
    free(start);
    free(deps);
    free(feats);
    return code;
}

int store_portfolio_load(sy_db *db, arena *a, portfolio *p, store_err *err)
{
    memset(p, 0, sizeof *p);
    void *items;
    int code = load_vendors(db, a, p, err);
    if (code == ST_OK) {
        code = all_rows(db, SQL_OFFERINGS, a, sizeof(offering), store_read_offering_row,
                        &items, &p->n_offerings, err);
        p->offerings = items;
    }
    if (code == ST_OK)
        code = load_contracts(db, a, p, err);
    if (code == ST_OK)
        code = load_workloads(db, a, p, err);
    return code;
}

int store_weights_get(sy_db *db, int *points, int n, store_err *err)
{
    for (int i = 0; i < n; i++)
        points[i] = RISK_DEFAULT_WEIGHTS[i];
    dstmt *st = db_stmt(db, SQL_WEIGHTS);
    if (!st)
        return db_fail(db, err, "weights");
    db_step rc;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        const char *code = dstmt_col_text(st, 0, NULL);
        int k = enum_index(RISK_CODES, code);
        if (k >= 0 && k < n)
            points[k] = (int)col_i64(st, 1);
    }
    dstmt_reset(st);
    return rc == DB_DONE ? ST_OK : db_fail(db, err, "weights");
}

int store_weights_set(sy_db *db, const int *points, int n, store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    for (int i = 0; i < n && i < RISK_FACTORS; i++) {
        dstmt *st = db_stmt(db, SQL_WEIGHT_SET);
        if (!st)
            return db_fail(db, err, "weights");
        bind_text(st, 1, RISK_CODES[i]);
        bind_i64(st, 2, points[i]);
        int code = db_exec_stmt(db, st, err, "weights");
        if (code != ST_OK)
            return code;
    }
    return ST_OK;
}
