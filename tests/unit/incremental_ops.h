/* incremental_ops.h - the random writes of test_incremental.c, one commit
 * each, through the same store calls as the API. Include once, after the
 * world type and rnd(). Writes the store refuses (a record in use, a
 * clash) roll back and change nothing, which the comparison also covers. */
#ifndef SY_INCREMENTAL_OPS_H
#define SY_INCREMENTAL_OPS_H

#include "common/text.h"

#define MAX_IDS 4096

typedef struct id_list {
    int64_t ids[MAX_IDS];
    size_t n;
} id_list;

static id_list workloads_, offerings_, contracts_, vendors_;
static int lists_ready;

enum { OP_PATCH, OP_DEPS, OP_CREATE, OP_DELETE, OP_OFFERING, OP_CONTRACT, OP_CONTRACT_NEW,
       OP_CONTRACT_DEL, OP_DRILL, OP_ACCEPT, OP_WEIGHTS, OP_VENDOR, OPS };
static const char *const OP_NAMES[OPS] = {
    "workload patch", "workload dependencies", "workload create", "workload delete",
    "offering edit", "contract edit", "contract create", "contract delete", "exit drill",
    "risk acceptance", "weights", "vendor edit"};
static long op_done[OPS], op_refused[OPS];

static size_t table_len(const char *const *t)
{
    size_t n = 0;
    while (t[n])
        n++;
    return n;
}

static const char *pick(const char *const *t)
{
    return t[rnd((uint32_t)table_len(t))];
}

static int64_t pick_id(const id_list *l)
{
    return l->n ? l->ids[rnd((uint32_t)l->n)] : 0;
}

static void list_remove(id_list *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->ids[i] == id) {
            l->ids[i] = l->ids[--l->n];
            return;
        }
}

static void list_add(id_list *l, int64_t id)
{
    if (l->n < MAX_IDS)
        l->ids[l->n++] = id;
}

/* A date near today (2026-05-01): from a year before to two after. */
static const char *some_date(arena *a)
{
    char day[11];
    date_format(days_from_civil(2026, 5, 1) - 365 + (int64_t)rnd(365 * 3), day);
    return arena_strdup(a, day);
}

static void lists_init(world *w)
{
    store_err err;
    snapshot *s = snapshot_build_private(w->db, &err);
    assert_non_null(s);
    snapshot_view v;
    snapshot_get_view(s, &v);
    for (size_t i = 0; i < v.p.n_workloads; i++)
        list_add(&workloads_, v.p.workloads[i].id);
    for (size_t i = 0; i < v.p.n_offerings; i++)
        list_add(&offerings_, v.p.offerings[i].id);
    for (size_t i = 0; i < v.p.n_contracts; i++)
        list_add(&contracts_, v.p.contracts[i].id);
    for (size_t i = 0; i < v.p.n_vendors; i++)
        list_add(&vendors_, v.p.vendors[i].id);
    snapshot_release(s);
    lists_ready = 1;
}

/* New dependencies (1-4 distinct offerings) and alternatives (0-2). */
static void random_deps(workload *x, arena *a)
{
    size_t n = 1 + rnd(4);
    x->dependencies = arena_alloc(a, n * sizeof *x->dependencies);
    x->n_dependencies = 0;
    for (size_t k = 0; k < n; k++) {
        int64_t o = pick_id(&offerings_);
        int repeat = 0;
        for (size_t j = 0; j < x->n_dependencies; j++)
            repeat |= x->dependencies[j].offering == o;
        if (!repeat)
            x->dependencies[x->n_dependencies++] = (dependency){o, pick(DEP_ROLES)};
    }
    size_t m = rnd(3);
    x->alternatives = arena_alloc(a, (m + 1) * sizeof *x->alternatives);
    x->n_alternatives = 0;
    for (size_t k = 0; k < m; k++) {
        int64_t dep = x->dependencies[rnd((uint32_t)x->n_dependencies)].offering;
        int64_t alt = pick_id(&offerings_);
        if (alt != dep)
            x->alternatives[x->n_alternatives++] = (alternative){dep, alt};
    }
}

static void random_workload(workload *x, arena *a)
{
    x->status = pick(STATUSES);
    x->criticality = pick(CRITICALITIES);
    x->track = pick(TRACKS);
    x->monthly_spend = (int64_t)rnd(500000) * 100;
    x->planned_end = rnd(3) ? some_date(a) : NULL;
    x->swap_layer = (int)rnd(2);
    static const char *feature[] = {"Assistants API"};
    x->features = rnd(3) ? NULL : feature;
    x->n_features = x->features ? 1 : 0;
}

static int op_workload(world *w, int op, arena *a, store_err *err)
{
    int64_t id = pick_id(&workloads_);
    if (op == OP_DELETE) {
        int code = store_entity_delete(w->db, &WORKLOAD_STORE, id, 0, err);
        if (code == ST_OK)
            list_remove(&workloads_, id);
        return code;
    }
    workload x;
    int code = store_workload_get(w->db, id, a, &x, err);
    if (code != ST_OK)
        return code;
    if (op == OP_DEPS) {
        random_deps(&x, a);
        return store_entity_update(w->db, &WORKLOAD_STORE, id, 0, &x, err);
    }
    random_workload(&x, a);
    if (op == OP_PATCH)
        return store_entity_update(w->db, &WORKLOAD_STORE, id, 0, &x, err);
    char name[64];
    snprintf(name, sizeof name, "Random workload %ld", w->step);
    x.name = arena_strdup(a, name);
    random_deps(&x, a);
    code = store_entity_insert(w->db, &WORKLOAD_STORE, &x, err);
    if (code == ST_OK)
        list_add(&workloads_, x.id);
    return code;
}

static int op_offering(world *w, arena *a, store_err *err)
{
    int64_t id = pick_id(&offerings_);
    offering o;
    int code = store_entity_get(w->db, &OFFERING_STORE, id, a, &o, err);
    if (code != ST_OK)
        return code;
    switch (rnd(6)) {
    case 0: o.interface = pick(INTERFACES); break;
    case 1: o.provider = pick_id(&vendors_); break;
    case 2: o.host = rnd(3) ? pick_id(&vendors_) : 0; break;
    case 3: o.retires = rnd(3) ? some_date(a) : NULL; break;
    case 4: o.successor = rnd(2) ? pick_id(&offerings_) : 0; break;
    default: {
        char name[96];
        snprintf(name, sizeof name, "%.60s %ld", o.name, w->step % 7);
        o.name = arena_strdup(a, name);
    }
    }
    if (o.successor == o.id)
        o.successor = 0;
    return store_entity_update(w->db, &OFFERING_STORE, id, 0, &o, err);
}

static void random_contract(contract *c, arena *a)
{
    switch (rnd(8)) {
    case 0:
        c->exclusive = (int)rnd(2);
        c->exclusive_until = rnd(2) ? some_date(a) : NULL;
        break;
    case 1: c->committed_spend = rnd(2) ? (int64_t)rnd(1000000) * 100 : 0; break;
    case 2: c->exit_clause = pick(EXIT_CLAUSES); break;
    case 3: c->substitutability = pick(SUBSTITUTABILITY); break;
    case 4:
        c->end_date = rnd(4) ? some_date(a) : NULL;
        c->notice_days = rnd(120);
        c->auto_renew = (int)rnd(2);
        c->renewal_months = c->auto_renew ? 12 : 0;
        break;
    case 5: {
        size_t n = 1 + rnd(3);
        c->offerings = arena_alloc(a, n * sizeof *c->offerings);
        c->n_offerings = 0;
        for (size_t k = 0; k < n; k++) {
            int64_t o = pick_id(&offerings_);
            int repeat = 0;
            for (size_t j = 0; j < c->n_offerings; j++)
                repeat |= c->offerings[j] == o;
            if (!repeat)
                c->offerings[c->n_offerings++] = o;
        }
        break;
    }
    case 6:
        if (c->n_terms) {
            contract_term *t = arena_alloc(a, c->n_terms * sizeof *t);
            memcpy(t, c->terms, c->n_terms * sizeof *t);
            size_t k = rnd((uint32_t)c->n_terms);
            t[k].until = rnd(4) ? some_date(a) : NULL;
            t[k].scope_track = rnd(3) ? t[k].scope_track : pick(TRACKS);
            c->terms = t;
        }
        break;
    default: c->data_portability = (int)rnd(2);
    }
}

static int op_contract(world *w, int op, arena *a, store_err *err)
{
    int64_t id = pick_id(&contracts_);
    if (op == OP_CONTRACT_DEL) {
        int code = store_entity_delete(w->db, &CONTRACT_STORE, id, 0, err);
        if (code == ST_OK)
            list_remove(&contracts_, id);
        return code;
    }
    contract c;
    int code = store_entity_get(w->db, &CONTRACT_STORE, id, a, &c, err);
    if (code != ST_OK)
        return code;
    random_contract(&c, a);
    if (op == OP_CONTRACT)
        return store_entity_update(w->db, &CONTRACT_STORE, id, 0, &c, err);
    char name[64];
    snprintf(name, sizeof name, "Random contract %ld", w->step);
    c.name = arena_strdup(a, name);
    code = store_entity_insert(w->db, &CONTRACT_STORE, &c, err);
    if (code == ST_OK)
        list_add(&contracts_, c.id);
    return code;
}

static int op_governance(world *w, int op, arena *a, store_err *err)
{
    int64_t id = pick_id(&workloads_);
    workload x;
    int code = store_workload_get(w->db, id, a, &x, err);
    if (code != ST_OK)
        return code;
    char now[21];
    clock_now_rfc3339(now);
    if (op == OP_ACCEPT) {
        risk_acceptance r = {.workload = id, .owner = "Owner", .reason = "Known and accepted",
                             .expires_on = some_date(a), .created_by = "test",
                             .created_at = now};
        return store_acceptance_add(w->db, &r, err);
    }
    if (!x.n_dependencies)
        return ST_NOT_FOUND;
    exit_drill d = {.workload = id,
                    .dependency = x.dependencies[rnd((uint32_t)x.n_dependencies)].offering,
                    .offering = x.n_alternatives && rnd(2)
                                    ? x.alternatives[rnd((uint32_t)x.n_alternatives)].offering
                                    : pick_id(&offerings_),
                    .drilled_on = some_date(a), .result = rnd(3) ? "passed" : "failed",
                    .evidence = "", .recorded_by = "test", .created_at = now};
    return store_drill_add(w->db, &d, err);
}

static int op_other(world *w, int op, arena *a, store_err *err)
{
    if (op == OP_WEIGHTS) {
        int points[RISK_FACTORS];
        for (int i = 0; i < RISK_FACTORS; i++)
            points[i] = (int)rnd(40);
        return store_weights_set(w->db, points, RISK_FACTORS, err);
    }
    int64_t id = pick_id(&vendors_);
    vendor v;
    int code = store_entity_get(w->db, &VENDOR_STORE, id, a, &v, err);
    if (code != ST_OK)
        return code;
    char name[96];
    snprintf(name, sizeof name, "%.60s %ld", v.name, w->step % 5);
    v.name = arena_strdup(a, name);
    return store_entity_update(w->db, &VENDOR_STORE, id, 0, &v, err);
}

/* One random write in its own transaction. */
static void random_write(world *w)
{
    if (!lists_ready)
        lists_init(w);
    static const int weight[OPS] = {28, 15, 10, 6, 10, 15, 3, 2, 4, 3, 2, 2};
    int total = 0, op = 0;
    for (int i = 0; i < OPS; i++)
        total += weight[i];
    int r = (int)rnd((uint32_t)total);
    while (r >= weight[op])
        r -= weight[op++];
    /* Keep the portfolio a few hundred workloads at most. */
    if (op == OP_CREATE && workloads_.n > 200)
        op = OP_DELETE;
    w->op = OP_NAMES[op];
    arena a;
    arena_init(&a);
    store_err err;
    int code = store_begin_write(w->db, &err);
    assert_int_equal(code, ST_OK);
    if (op <= OP_DELETE)
        code = op_workload(w, op, &a, &err);
    else if (op == OP_OFFERING)
        code = op_offering(w, &a, &err);
    else if (op <= OP_CONTRACT_DEL)
        code = op_contract(w, op, &a, &err);
    else if (op <= OP_ACCEPT)
        code = op_governance(w, op, &a, &err);
    else
        code = op_other(w, op, &a, &err);
    if (code == ST_OK)
        code = store_commit(w->db, &err);
    else
        store_rollback(w->db);
    if (code == ST_OK)
        op_done[op]++;
    else
        op_refused[op]++;
    arena_free(&a);
}

static void print_op_counts(void)
{
    for (int i = 0; i < OPS; i++)
        printf("  %-22s %6ld done, %5ld refused\n", OP_NAMES[i], op_done[i], op_refused[i]);
}

#endif
