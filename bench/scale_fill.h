/* scale_fill.h - the synthetic portfolio of scale_bench.c, written through
 * the store: the seeded catalogue and demo, then vendors to 40, offerings
 * to 300, 1,000 contracts over 1-3 offerings each (every 20th an upstream
 * agreement with scoped, dated access terms), N workloads whose
 * dependencies favour popular offerings, with alternatives and some exit
 * drills. Records are clones of seeded ones with the fields that
 * matter varied, so every column holds a value the API would accept. */
#ifndef SY_SCALE_FILL_H
#define SY_SCALE_FILL_H

#define FILL_VENDORS 40
#define FILL_OFFERINGS 300
#define FILL_CONTRACTS 1000
#define FILL_BATCH 1000

static ids vendors, offerings, contracts, workloads_all;
static int64_t tpl_vendor, tpl_customer, tpl_upstream, tpl_workload;

static void begin(sy_db *db)
{
    store_err err;
    if (store_begin_write(db, &err) != ST_OK)
        DIE("begin: %s", err.detail);
}

static void commit(sy_db *db)
{
    store_err err;
    if (store_commit(db, &err) != ST_OK)
        DIE("commit: %s", err.detail);
}

static void insert(sy_db *db, const store_entity *e, void *item, ids *into, const char *what)
{
    store_err err;
    if (store_entity_insert(db, e, item, &err) != ST_OK)
        DIE("insert %s: %s %s", what, err.detail, err.pointer);
    ids_add(into, *(int64_t *)item);
}

static void get(sy_db *db, const store_entity *e, int64_t id, arena *a, void *out)
{
    store_err err;
    if (store_entity_get(db, e, id, a, out, &err) != ST_OK)
        DIE("get %lld: %s", (long long)id, err.detail);
}

/* What the seed wrote, and one template of each kind. */
static void seeded(sy_db *db)
{
    store_err err;
    snapshot *s = snapshot_build_private(db, &err);
    if (!s)
        DIE("snapshot: %s", err.detail);
    snapshot_view v;
    snapshot_get_view(s, &v);
    for (size_t i = 0; i < v.p.n_vendors; i++) {
        ids_add(&vendors, v.p.vendors[i].id);
        if (!tpl_vendor && strcmp(v.p.vendors[i].kind, "company") == 0)
            tpl_vendor = v.p.vendors[i].id;
    }
    for (size_t i = 0; i < v.p.n_offerings; i++)
        ids_add(&offerings, v.p.offerings[i].id);
    for (size_t i = 0; i < v.p.n_contracts; i++) {
        const contract *c = &v.p.contracts[i];
        ids_add(&contracts, c->id);
        if (strcmp(c->kind, "customer") == 0 && !tpl_customer)
            tpl_customer = c->id;
        if (strcmp(c->kind, "upstream") == 0 && !tpl_upstream)
            tpl_upstream = c->id;
    }
    for (size_t i = 0; i < v.p.n_workloads; i++)
        ids_add(&workloads_all, v.p.workloads[i].id);
    tpl_workload = v.p.n_workloads ? v.p.workloads[0].id : 0;
    snapshot_release(s);
    if (!tpl_vendor || !tpl_customer || !tpl_upstream || !tpl_workload)
        DIE("the seed lacks a template record");
}

static void fill_catalogue(sy_db *db, arena *a)
{
    static const char *const tracks[] = {"copilot", "azure", "openai", "other"};
    static const char *const cats[] = {"model_api", "model_api", "assistant", "platform",
                                       "data_store", "identity", "tooling"};
    static const char *const itfs[] = {"openai_compatible", "open_standard", "proprietary"};
    begin(db);
    for (size_t i = vendors.n; i < FILL_VENDORS; i++) {
        vendor v;
        get(db, &VENDOR_STORE, tpl_vendor, a, &v);
        v.name = named(a, "vendor", i);
        v.parent = below(10) < 3 ? vendors.v[below(vendors.n)] : 0;
        v.lei = "";
        v.connections = NULL;
        v.n_connections = 0;
        insert(db, &VENDOR_STORE, &v, &vendors, "vendor");
    }
    size_t seeded_offerings = offerings.n;
    for (size_t i = offerings.n; i < FILL_OFFERINGS; i++) {
        offering o;
        get(db, &OFFERING_STORE, offerings.v[below(seeded_offerings)], a, &o);
        o.name = named(a, "offering", i);
        o.provider = vendors.v[below(vendors.n)];
        o.publisher = below(2) ? vendors.v[below(vendors.n)] : 0;
        o.host = below(10) < 7 ? vendors.v[below(vendors.n)] : 0;
        o.track = tracks[below(4)];
        o.category = cats[below(7)];
        o.interface = itfs[below(3)];
        o.retires = below(10) == 0 ? day(a, (int64_t)below(900)) : NULL;
        o.deprecated = NULL;
        o.successor = 0;
        insert(db, &OFFERING_STORE, &o, &offerings, "offering");
    }
    commit(db);
}

static void upstream_terms(contract *c, arena *a)
{
    static const char *const kinds[] = {"licence", "distribution", "cloud_priority"};
    static const char *const tracks[] = {"copilot", "azure", "openai", "other"};
    size_t n = 1 + below(3);
    contract_term *t = arena_alloc(a, n * sizeof *t);
    for (size_t k = 0; k < n; k++) {
        memset(&t[k], 0, sizeof t[k]);
        t[k].kind = kinds[below(3)];
        t[k].text = "Bench access term";
        t[k].until = day(a, 30 + (int64_t)below(2000));
        t[k].scope_provider = below(2) ? vendors.v[below(vendors.n)] : 0;
        t[k].scope_track = below(10) < 3 ? tracks[below(4)] : NULL;
    }
    c->terms = t;
    c->n_terms = n;
}

static void fill_contracts(sy_db *db, arena *a)
{
    static const char *const exits[] = {"none", "partial", "full"};
    static const char *const subs[] = {"easy", "medium", "hard", "none"};
    begin(db);
    for (size_t i = 0; i < FILL_CONTRACTS; i++) {
        int up = i % 20 == 19;
        contract c;
        get(db, &CONTRACT_STORE, up ? tpl_upstream : tpl_customer, a, &c);
        c.name = named(a, up ? "agreement" : "contract", i);
        size_t cp = below(vendors.n);
        c.counterparty = vendors.v[cp];
        c.other_party = up ? vendors.v[(cp + 1 + below(vendors.n - 1)) % vendors.n] : 0;
        size_t n = 1 + below(3);
        c.offerings = arena_alloc(a, n * sizeof *c.offerings);
        c.n_offerings = 0;
        for (size_t k = 0; k < n; k++) {
            int64_t o = offerings.v[below(offerings.n)];
            int repeat = 0;
            for (size_t j = 0; j < c.n_offerings; j++)
                repeat |= c.offerings[j] == o;
            if (!repeat)
                c.offerings[c.n_offerings++] = o;
        }
        int64_t start = -(int64_t)below(900);
        c.start_date = day(a, start);
        c.end_date = day(a, start + 365 + (int64_t)below(1100));
        c.auto_renew = below(10) < 4;
        c.renewal_months = c.auto_renew ? 12 : 0;
        c.notice_days = 30 * (int64_t)(1 + below(6));
        c.exclusive = below(50) == 0;
        c.committed_spend = below(10) < 3 ? (int64_t)below(100000000) : 0;
        c.exit_clause = exits[below(3)];
        c.data_portability = below(10) < 6;
        c.substitutability = subs[below(4)];
        if (up)
            upstream_terms(&c, a);
        insert(db, &CONTRACT_STORE, &c, &contracts, "contract");
    }
    commit(db);
}

static void random_dependencies(workload *w, arena *a)
{
    static const char *const roles[] = {"model", "model", "hosting", "data", "data",
                                        "assistant", "identity", "tooling"};
    size_t n = 1 + below(6);
    w->dependencies = arena_alloc(a, n * sizeof *w->dependencies);
    w->n_dependencies = 0;
    for (size_t k = 0; k < n; k++) {
        int64_t o = offerings.v[popular(offerings.n)];
        int repeat = 0;
        for (size_t j = 0; j < w->n_dependencies; j++)
            repeat |= w->dependencies[j].offering == o;
        if (!repeat)
            w->dependencies[w->n_dependencies++] = (dependency){o, roles[below(8)]};
    }
    w->n_alternatives = 0;
    w->alternatives = arena_alloc(a, sizeof *w->alternatives);
    if (below(4) == 0)
        w->alternatives[w->n_alternatives++] =
            (alternative){w->dependencies[0].offering, offerings.v[below(offerings.n)]};
    if (w->n_alternatives && w->alternatives[0].offering == w->alternatives[0].dependency)
        w->n_alternatives = 0;
}

static void fill_workloads(sy_db *db, size_t n, arena *a)
{
    static const char *const statuses[] = {"proposed", "pilot", "production", "production",
                                           "production", "retired"};
    static const char *const crits[] = {"low", "medium", "high", "critical"};
    static const char *const tracks[] = {"copilot", "azure", "openai", "other"};
    workload tpl;
    get(db, &WORKLOAD_STORE, tpl_workload, a, &tpl);
    char now[21];
    clock_now_rfc3339(now);
    for (size_t i = 0; i < n; i++) {
        if (i % FILL_BATCH == 0)
            begin(db);
        workload w = tpl;
        w.name = named(a, "workload", i);
        w.status = statuses[below(6)];
        w.criticality = crits[below(4)];
        w.track = tracks[below(4)];
        w.monthly_spend = (int64_t)below(5000000);
        w.users = (int64_t)below(5000);
        w.swap_layer = below(10) < 3;
        w.planned_end = below(2) ? day(a, (int64_t)below(4000)) : NULL;
        w.n_features = 0;
        random_dependencies(&w, a);
        insert(db, &WORKLOAD_STORE, &w, &workloads_all, "workload");
        if (w.n_alternatives && below(3) == 0) {
            exit_drill d = {.workload = w.id, .dependency = w.alternatives[0].dependency,
                            .offering = w.alternatives[0].offering,
                            .drilled_on = day(a, -(int64_t)below(300)),
                            .result = below(10) < 7 ? "passed" : "failed", .evidence = "",
                            .recorded_by = "bench", .created_at = now};
            store_err err;
            if (store_drill_add(db, &d, &err) != ST_OK)
                DIE("drill: %s", err.detail);
        }
        if (i % FILL_BATCH == FILL_BATCH - 1 || i == n - 1) {
            commit(db);
            arena_free(a);
            arena_init(a);
            get(db, &WORKLOAD_STORE, tpl_workload, a, &tpl);
        }
    }
}

static void fill(sy_db *db, size_t n_workloads)
{
    seed_report report;
    char msg[256];
    if (seed_load(db, 1, &report, msg, sizeof msg) != 0)
        DIE("seed: %s", msg);
    seeded(db);
    arena a;
    arena_init(&a);
    fill_catalogue(db, &a);
    fill_contracts(db, &a);
    size_t more = n_workloads > workloads_all.n ? n_workloads - workloads_all.n : 0;
    /* Generated names are unique: skip the scan of every name per insert
     * (the timed writes afterwards do pay it). */
    store_trust_names(db, 1);
    fill_workloads(db, more, &a);
    store_trust_names(db, 0);
    arena_free(&a);
}

#endif
