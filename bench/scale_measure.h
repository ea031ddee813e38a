/* scale_measure.h - the timed scenarios of scale_bench.c and, with
 * --smoke, its checks (derived equals full; a cursor walk sees every
 * workload once). */
#ifndef SY_SCALE_MEASURE_H
#define SY_SCALE_MEASURE_H

#define PAGE 100
#define REPEAT 9

/* The process's CPU time (user + system), ms: noise-robust beside wall
 * time when other work shares the machine. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

#ifdef CONC_SCALE
/* What a full shared build adds for keeping the concentration sums
 * (api/snapshot.c): the group slots and every workload's parts. */
static double keep_sums_ms(const snapshot_view *v)
{
    arena a;
    arena_init(&a);
    double t0 = clock_mono_ms();
    conc_index ix;
    conc_sums sums;
    if (conc_index_build(&v->p, &a, &ix) != 0 || conc_sums_init(&sums, &ix, &a) != 0)
        DIE("out of memory");
    for (size_t i = 0; i < v->p.n_workloads; i++)
        conc_sums_add(&sums, &v->p, &ix, &v->p.workloads[i], 1);
    double ms = clock_mono_ms() - t0;
    arena_free(&a);
    return ms;
}
#endif

#ifdef SNAPSHOT_PHASES
/* The cold build's phases, each run's wall and CPU time (ms). */
typedef struct cold_phases {
    double load[3], load_cpu[3], score[3], score_cpu[3], maths_cpu[3];
} cold_phases;

static void phases_take(cold_phases *ph, int r, double maths_cpu)
{
    snapshot_phases sp;
    snapshot_last_phases(&sp);
    ph->load[r] = sp.load_ms;
    ph->load_cpu[r] = sp.load_cpu_ms;
    ph->score[r] = sp.score_ms;
    ph->score_cpu[r] = sp.score_cpu_ms;
    ph->maths_cpu[r] = maths_cpu;
}

/* (a) reading, (b) scoring, (c) the maths, and b + c: the portfolio maths
 * from cold (nothing cached, every workload scored from nothing), medians
 * of each run's sum. */
static void phases_rows(cold_phases *ph, const double *maths_ms, int runs)
{
    double bc[3], bc_cpu[3];
    for (int r = 0; r < runs; r++) {
        bc[r] = ph->score[r] + maths_ms[r];
        bc_cpu[r] = ph->score_cpu[r] + ph->maths_cpu[r];
    }
    size_t n = (size_t)runs;
    row("cold (a): reading the rows from the store", quantile(ph->load, n, 0.5), "");
    row("cold (a): the same, CPU time", quantile(ph->load_cpu, n, 0.5), "");
    row("cold (b): scoring every workload", quantile(ph->score, n, 0.5), "");
    row("cold (b): the same, CPU time", quantile(ph->score_cpu, n, 0.5), "");
    row("cold (c): portfolio maths, CPU time", quantile(ph->maths_cpu, n, 0.5), "");
    row("portfolio maths from cold (b + c)", quantile(bc, n, 0.5), "< 250 ms");
    row("portfolio maths from cold (b + c), CPU time", quantile(bc_cpu, n, 0.5), "");
}
#endif

static void cold(sy_db *db, int smoke)
{
    double build[3], sums[3], cpu[3], maths_ms[3];
#ifdef CONC_SCALE
    double keep[3] = {0, 0, 0};
#endif
#ifdef SNAPSHOT_PHASES
    cold_phases ph;
#endif
    int runs = smoke ? 1 : 3;
    for (int r = 0; r < runs; r++) {
        store_err err;
        double c0 = cpu_ms();
        double t0 = clock_mono_ms();
#ifdef SNAPSHOT_BUILD_LEAN
        snapshot *s = snapshot_build_lean(db, &err); /* as the shared one loads */
#else
        snapshot *s = snapshot_build_private(db, &err);
#endif
        if (!s)
            DIE("snapshot: %s", err.detail);
        double t1 = clock_mono_ms(), c1 = cpu_ms();
        snapshot_view v;
        snapshot_get_view(s, &v);
        arena a;
        arena_init(&a);
        maths(&v, &a);
        sums[r] = maths_ms[r] = clock_mono_ms() - t1;
        cpu[r] = cpu_ms() - c0;
        build[r] = t1 - t0;
#ifdef SNAPSHOT_PHASES
        phases_take(&ph, r, cpu_ms() - c1);
#else
        (void)c1;
        (void)maths_ms;
#endif
#ifdef CONC_SCALE
        keep[r] = keep_sums_ms(&v);
#endif
        arena_free(&a);
        snapshot_release(s);
    }
    double b = quantile(build, (size_t)runs, 0.5), m = quantile(sums, (size_t)runs, 0.5);
    row("cold: load and score every workload", b, "");
    row("cold: portfolio maths over the results", m, "");
#ifdef SNAPSHOT_PHASES
    phases_rows(&ph, maths_ms, runs);
#endif
    row("cold: both (the first summary after a full build)", b + m, "< 250 ms");
    row("cold: both, CPU time", quantile(cpu, (size_t)runs, 0.5), "");
#ifdef CONC_SCALE
    row("cold: keeping the concentration sums", quantile(keep, (size_t)runs, 0.5), "");
#endif
    unsigned long loads, scores;
    snapshot_split_counts(&loads, &scores);
    printf("(full builds so far: %lu with child rows read on a second connection, "
           "%lu scored on two threads)\n", loads, scores);
}

typedef enum { EDIT_WORKLOAD, EDIT_CONTRACT, EDIT_OFFERING } edit_kind;

/* One edit of one record, committed; returns the write's milliseconds. */
static double edit(sy_db *db, edit_kind kind, size_t i)
{
    arena a;
    arena_init(&a);
    double t0 = clock_mono_ms();
    begin(db);
    store_err err;
    int code;
    if (kind == EDIT_WORKLOAD) {
        int64_t id = workloads_all.v[below(workloads_all.n)];
        workload w;
        get(db, &WORKLOAD_STORE, id, &a, &w);
        static const char *const crits[] = {"low", "medium", "high", "critical"};
        w.criticality = crits[i % 4];
        w.monthly_spend = (int64_t)below(5000000);
        code = store_entity_update(db, &WORKLOAD_STORE, id, 0, &w, &err);
    } else if (kind == EDIT_CONTRACT) {
        int64_t id = contracts.v[below(contracts.n)];
        contract c;
        get(db, &CONTRACT_STORE, id, &a, &c);
        c.exclusive = !c.exclusive;
        code = store_entity_update(db, &CONTRACT_STORE, id, 0, &c, &err);
    } else {
        int64_t id = offerings.v[below(offerings.n)];
        offering o;
        get(db, &OFFERING_STORE, id, &a, &o);
        o.interface = strcmp(o.interface, "proprietary") == 0 ? "open_standard" : "proprietary";
        code = store_entity_update(db, &OFFERING_STORE, id, 0, &o, &err);
    }
    if (code != ST_OK)
        DIE("edit: %s", err.detail);
    commit(db);
    double ms = clock_mono_ms() - t0;
    arena_free(&a);
    return ms;
}

/* Edits of one kind, each followed by the next snapshot (derived). */
static void writes(sy_db *db, edit_kind kind, size_t n, const char *what)
{
    double *w = calloc(n, sizeof *w), *r = calloc(n, sizeof *r);
    if (!w || !r)
        DIE("out of memory");
    snapshot_release(obtain(db));
    double t0 = clock_mono_ms();
    for (size_t i = 0; i < n; i++) {
        w[i] = edit(db, kind, i);
        double t1 = clock_mono_ms();
        snapshot_release(obtain(db));
        r[i] = clock_mono_ms() - t1;
    }
    double total = clock_mono_ms() - t0;
    char label[96];
    snprintf(label, sizeof label, "%s: write and commit, median", what);
    row(label, quantile(w, n, 0.5), "");
    snprintf(label, sizeof label, "%s: next snapshot, median", what);
    row(label, quantile(r, n, 0.5), kind == EDIT_WORKLOAD ? "< 5 ms" : "");
    snprintf(label, sizeof label, "%s: next snapshot, p95", what);
    row(label, quantile(r, n, 0.95), "");
    if (kind == EDIT_WORKLOAD)
        printf("| %-44s | %10.0f | %-10s |\n", "workload: writes/s with the snapshot kept",
               (double)n * 1000.0 / total, "");
    free(w);
    free(r);
}

/* The summary's maths over the derived snapshot after each of n
 * one-workload writes (the snapshot derived first, as the write's next
 * reader does): median wall and CPU time, and the concentration's part. */
static void summary_after_writes(sy_db *db, size_t n)
{
    double *wall = calloc(n, sizeof *wall), *cpu = calloc(n, sizeof *cpu),
           *conc = calloc(n, sizeof *conc);
    if (!wall || !cpu || !conc)
        DIE("out of memory");
    for (size_t i = 0; i < n; i++) {
        edit(db, EDIT_WORKLOAD, i);
        snapshot *s = obtain(db);
        snapshot_view v;
        snapshot_get_view(s, &v);
        arena a;
        arena_init(&a);
        double c0 = cpu_ms(), t0 = clock_mono_ms();
        maths(&v, &a);
        wall[i] = clock_mono_ms() - t0;
        cpu[i] = cpu_ms() - c0;
        arena_free(&a);
        arena_init(&a);
        t0 = clock_mono_ms();
        conc_both(&v, &a);
        conc[i] = clock_mono_ms() - t0;
        arena_free(&a);
        snapshot_release(s);
    }
    row("summary after a one-workload write: maths", quantile(wall, n, 0.5), "");
    row("summary after a one-workload write: CPU", quantile(cpu, n, 0.5), "");
    row("... of which concentration, both bases", quantile(conc, n, 0.5), "");
    free(wall);
    free(cpu);
    free(conc);
}

static double page_ms(const analysis *an, const list_query *q, workload_page_out *out)
{
    double t[REPEAT];
    for (int r = 0; r < REPEAT; r++) {
        arena a;
        arena_init(&a);
        double t0 = clock_mono_ms();
        if (workload_page(an, q, &a, out) != 0)
            DIE("page failed");
        t[r] = clock_mono_ms() - t0;
        arena_free(&a);
    }
    return quantile(t, REPEAT, 0.5);
}

#ifdef SNAPSHOT_BUILD_LEAN
/* What a list page adds for the texts the shared snapshot leaves out:
 * its rows' purpose, intended_purpose and notes read from the store
 * (store_workload_texts, one bound query); with --smoke, checked against
 * each workload read whole. */
static double texts_ms(sy_db *db, const analysis *an, const list_query *q, int smoke)
{
    double t[REPEAT];
    for (int r = 0; r < REPEAT; r++) {
        arena a;
        arena_init(&a);
        workload_page_out out;
        if (workload_page(an, q, &a, &out) != 0)
            DIE("page failed");
        workload *rows = arena_alloc(&a, (out.n ? out.n : 1) * sizeof *rows);
        if (!rows)
            DIE("out of memory");
        for (size_t i = 0; i < out.n; i++)
            rows[i] = *out.rows[i].w;
        store_err err;
        double t0 = clock_mono_ms();
        if (store_workload_texts(db, rows, out.n, 0, &a, &err) != ST_OK)
            DIE("texts: %s", err.detail);
        t[r] = clock_mono_ms() - t0;
        for (size_t i = 0; smoke && r == 0 && i < out.n; i++) {
            workload w;
            get(db, &WORKLOAD_STORE, rows[i].id, &a, &w);
            failures += strcmp(w.purpose, rows[i].purpose) != 0 ||
                        strcmp(w.intended_purpose, rows[i].intended_purpose) != 0 ||
                        strcmp(w.notes, rows[i].notes) != 0;
        }
        arena_free(&a);
    }
    return quantile(t, REPEAT, 0.5);
}
#endif

/* Page 1 and page P (1,000, or the last) by cursor and by offset; the
 * smoke run checks the walk saw every workload once. */
static void paging(sy_db *db, int smoke)
{
    snapshot *s = obtain(db);
    snapshot_view v;
    snapshot_get_view(s, &v);
    analysis an = {.p = v.p, .weights = v.weights, .risk = v.risk, .snap = s};
    list_query q = {.limit = PAGE, .sort = "name", .flagged = -1};
    workload_page_out out;
    double first = page_ms(&an, &q, &out);
    size_t pages = (v.p.n_workloads + PAGE - 1) / PAGE, deep = pages < 1000 ? pages : 1000;
    arena walk;
    arena_init(&walk);
    unsigned char *seen = calloc(v.p.n_workloads ? (size_t)v.p.workloads[v.p.n_workloads - 1].id + 1 : 1, 1);
    size_t count = 0;
    const char *cursor = NULL, *deep_cursor = NULL;
    for (size_t p = 1; p <= (smoke ? pages : deep); p++) {
        list_query k = q;
        k.cursor = cursor;
        if (p == deep)
            deep_cursor = cursor;
        if (workload_page(&an, &k, &walk, &out) != 0 || !seen)
            DIE("walk failed");
        for (size_t i = 0; i < out.n; i++) {
            failures += seen[out.rows[i].w->id]++ != 0;
            count++;
        }
        cursor = out.next;
    }
    if (smoke && (count != v.p.n_workloads || cursor)) {
        fprintf(stderr, "cursor walk: %zu rows of %zu\n", count, v.p.n_workloads);
        failures++;
    }
    q.cursor = deep_cursor;
    double by_cursor = page_ms(&an, &q, &out);
    q.cursor = NULL;
    q.offset = (int64_t)(deep - 1) * PAGE;
    double by_offset = page_ms(&an, &q, &out);
    char label[96];
    row("list: page 1 (100 by name)", first, "");
    snprintf(label, sizeof label, "list: page %zu by cursor", deep);
    row(label, by_cursor, "~ page 1");
    snprintf(label, sizeof label, "list: page %zu by offset", deep);
    row(label, by_offset, "");
#ifdef SNAPSHOT_BUILD_LEAN
    q.offset = 0;
    row("list: page 1's texts read from the store", texts_ms(db, &an, &q, smoke), "");
#endif
    free(seen);
    arena_free(&walk);
    snapshot_release(s);
}

/* The shared (derived) snapshot against a full build, and its kept
 * concentration sums against a recount. */
static void check_equal(sy_db *db)
{
    store_err err;
    snapshot *inc = obtain(db), *full = snapshot_build_private(db, &err);
    if (!full)
        DIE("snapshot: %s", err.detail);
    snapshot_view a, b;
    snapshot_get_view(inc, &a);
    snapshot_get_view(full, &b);
    int same = a.p.n_workloads == b.p.n_workloads;
    for (size_t i = 0; same && i < a.p.n_workloads; i++)
        same = a.p.workloads[i].id == b.p.workloads[i].id && a.risk[i].score == b.risk[i].score &&
               a.risk[i].flagged == b.risk[i].flagged && a.risk[i].n_factors == b.risk[i].n_factors;
    if (!same) {
        fprintf(stderr, "derived snapshot differs from a full build\n");
        failures++;
    }
#ifdef CONC_SCALE
    /* The concentration sums it kept across the writes, against a recount. */
    arena ar;
    arena_init(&ar);
    conc_index ix;
    conc_sums recount;
    if (conc_index_build(&b.p, &ar, &ix) != 0 || conc_sums_init(&recount, &ix, &ar) != 0)
        DIE("out of memory");
    for (size_t i = 0; i < b.p.n_workloads; i++)
        conc_sums_add(&recount, &b.p, &ix, &b.p.workloads[i], 1);
    if (!a.conc || !conc_sums_equal(a.conc, &recount)) {
        fprintf(stderr, "kept concentration sums differ from a recount\n");
        failures++;
    }
    arena_free(&ar);
#endif
    snapshot_release(inc);
    snapshot_release(full);
}

static void measure(sy_db *db, size_t n_writes, int smoke, int cold_only)
{
    printf("\n%zu workloads, %zu offerings, %zu contracts, %zu vendors\n\n", workloads_all.n,
           offerings.n, contracts.n, vendors.n);
    printf("| %-44s | %10s | %-10s |\n|%s|%s|%s|\n", "what", "ms", "target",
           "----------------------------------------------", "-----------:", "------------");
    cold(db, smoke);
    snapshot_release(obtain(db));
    printf("| %-44s | %10.0f | %-10s |\n", "peak RSS, MB", (double)peak_rss_kb() / 1024.0,
           "< 256 MB");
    if (cold_only)
        return;
    writes(db, EDIT_WORKLOAD, smoke ? 20 : n_writes, "workload");
    writes(db, EDIT_CONTRACT, smoke ? 5 : 20, "contract");
    writes(db, EDIT_OFFERING, smoke ? 5 : 20, "offering");
    summary_after_writes(db, smoke ? 5 : 50);
    paging(db, smoke);
    snapshot_build_stats st;
    snapshot_stats(&st);
    printf("\nsnapshots: %llu full builds, %llu derived\n", (unsigned long long)st.count[0],
           (unsigned long long)st.count[1]);
    if (smoke) {
        check_equal(db);
        failures += st.count[1] == 0;
    }
}

#endif
