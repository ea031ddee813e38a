/* test_incremental.c - the incrementally maintained snapshot
 * (api/snapshot.c) equals a full rebuild after random write sequences.
 *
 * A database seeded with the catalogue and the demo portfolio takes
 * SY_INCR_STEPS (default 10,000) random writes, each its own commit:
 * workloads created, patched (status, criticality, spend, planned end,
 * swap layer, features), given other dependencies and alternatives, and
 * deleted; offerings edited (interface, provider, retirement, successor,
 * name); contracts edited (clauses, dates, covered offerings, term
 * dates), created and deleted; exit drills and risk acceptances recorded;
 * weights changed. After most writes (some are left to pile up, so that one
 * derivation covers several changes) the shared snapshot is compared with
 * one built from scratch: every workload's score, level, priority, flags
 * and each factor's code and points, and the reasons written for output
 * from each (risk_explained: the snapshots score without them); the counts
 * the derived snapshot kept by adjusting them per write against a recount;
 * the counts, spend, flagged
 * list and concentration (both bases) computed from them; the
 * concentration sums the derived snapshot kept the same way (exact
 * integers) against a recount over the full build, and every tenth time
 * the concentration JSON written from the kept sums against the JSON
 * counted from the full build's workloads, byte for byte, on both bases,
 * connected or not, for the whole portfolio and each track. A third of the
 * time the compared snapshot stays referenced until the next look, so both
 * ways of deriving (in copies, or in the arrays of an unreferenced parent)
 * are covered. The PRNG seed is
 * SY_INCR_SEED (default fixed) and is printed on a mismatch. It also
 * checks that most steps were derived, not rebuilt (snapshot_stats). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/analysis.h"
#include "api/snapshot.h"
#include "common/jw.h"
#include "common/log.h"
#include "core/concentration.h"
#include "core/overview.h"
#include "db_fixture.h"
#include "seed/seed.h"
#include "store/store.h"

static uint64_t rng_state;
static uint64_t seed_used;
static snapshot *held;                 /* a reader's view kept across writes */
static char db_path[96];               /* removed by teardown, also on failure */

static uint32_t rnd(uint32_t n)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ULL) >> 33) % (n ? n : 1);
}

typedef struct world {
    char path[96];
    sy_db *db;
    long step;
    const char *op;
} world;

#define CHECK(w, cond, ...)                                                            \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "mismatch at step %ld (%s), seed %llu: ", (w)->step,      \
                    (w)->op, (unsigned long long)seed_used);                           \
            fprintf(stderr, __VA_ARGS__);                                              \
            fprintf(stderr, "\n");                                                     \
            fail();                                                                    \
        }                                                                              \
    } while (0)

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The results of workload index i in both views: scores and factors as
 * scored (the snapshot writes no sentence: every reason NULL), then the
 * sentences risk_explained() writes for output from each view. */
static void compare_risk(world *w, const snapshot_view *va, const snapshot_view *vb, size_t i)
{
    const workload *wl = &va->p.workloads[i];
    int64_t id = wl->id;
    const risk_result *a = &va->risk[i], *b = &vb->risk[i];
    for (int f = 0; f < a->n_factors; f++)
        CHECK(w, !a->factors[f].reason, "workload %lld: the snapshot wrote a reason",
              (long long)id);
    arena ar;
    arena_init(&ar);
    risk_result ea, eb;
    const risk_result *scored = a;
    a = risk_explained(&va->p, wl, &va->weights, a, &ar, &ea);
    /* Writing the sentences changes nothing else. */
    int same = scored->score == a->score && scored->level == a->level &&
               scored->priority == a->priority && scored->flagged == a->flagged &&
               scored->accepted == a->accepted && scored->n_factors == a->n_factors;
    for (int f = 0; same && f < a->n_factors; f++)
        same = scored->factors[f].code == a->factors[f].code &&
               scored->factors[f].points == a->factors[f].points;
    CHECK(w, same, "workload %lld: explained result differs from the scored one", (long long)id);
    b = risk_explained(&vb->p, &vb->p.workloads[i], &vb->weights, b, &ar, &eb);
    for (int f = 0; f < a->n_factors; f++)
        CHECK(w, a->factors[f].reason && a->factors[f].reason[0],
              "workload %lld: factor %d explained without a sentence", (long long)id, f);
    CHECK(w, a->score == b->score, "workload %lld score %d vs %d", (long long)id, a->score,
          b->score);
    CHECK(w, a->level == b->level && a->priority == b->priority && a->active == b->active &&
                 a->accepted == b->accepted && a->flagged == b->flagged,
          "workload %lld level/priority/flags differ", (long long)id);
    CHECK(w, a->n_factors == b->n_factors, "workload %lld factors %d vs %d", (long long)id,
          a->n_factors, b->n_factors);
    for (int f = 0; f < a->n_factors; f++) {
        CHECK(w, a->factors[f].code == b->factors[f].code &&
                     a->factors[f].points == b->factors[f].points,
              "workload %lld factor %d", (long long)id, f);
        CHECK(w, same_str(a->factors[f].reason, b->factors[f].reason),
              "workload %lld reason:\n  incremental: %s\n  full:        %s", (long long)id,
              a->factors[f].reason, b->factors[f].reason);
    }
    arena_free(&ar);
}

static void compare_conc(world *w, const concentration *a, const concentration *b)
{
    for (int l = 0; l < LAYERS; l++) {
        const conc_layer *x = &a->layers[l], *y = &b->layers[l];
        CHECK(w, x->hhi == y->hhi && x->total == y->total && x->n_shares == y->n_shares,
              "concentration layer %d: hhi %f vs %f", l, x->hhi, y->hhi);
        for (size_t i = 0; i < x->n_shares; i++)
            CHECK(w, x->shares[i].group == y->shares[i].group &&
                         x->shares[i].amount == y->shares[i].amount,
                  "concentration layer %d share %zu", l, i);
    }
}

/* Field by field (not memcmp: the struct has padding). */
static int same_counts(const ov_counts *x, const ov_counts *y)
{
    int same = x->workloads == y->workloads && x->pipeline == y->pipeline &&
               x->history == y->history && x->active == y->active &&
               x->production == y->production && x->flagged == y->flagged &&
               x->without_swap_layer == y->without_swap_layer && x->spend == y->spend;
    for (int i = 0; i < 4; i++)
        same &= x->status[i] == y->status[i] && x->track[i] == y->track[i] &&
                x->level[i] == y->level[i] && x->priority[i] == y->priority[i] &&
                x->spend_track[i] == y->spend_track[i];
    return same;
}

/* The portfolio sums from both snapshots' per-workload results. */
static void compare_sums(world *w, const snapshot_view *a, const snapshot_view *b)
{
    ov_counts ca, cb;
    ov_count(&a->p, a->risk, NULL, &ca);
    ov_count(&b->p, b->risk, NULL, &cb);
    CHECK(w, memcmp(&ca, &cb, sizeof ca) == 0, "counts differ (flagged %d vs %d)", ca.flagged,
          cb.flagged);
    /* The counts each snapshot keeps (adjusted per write in a derived
     * one) equal counting every workload of the full build afresh. */
    CHECK(w, same_counts(&a->counts, &cb),
          "kept counts differ from a recount: workloads %d vs %d, active %d vs %d, flagged %d "
          "vs %d, spend %lld vs %lld", a->counts.workloads, cb.workloads, a->counts.active,
          cb.active, a->counts.flagged, cb.flagged, (long long)a->counts.spend,
          (long long)cb.spend);
    CHECK(w, same_counts(&b->counts, &cb), "a full build's kept counts differ");
    arena ar;
    arena_init(&ar);
    ov_item *fa, *fb;
    size_t na, nb, ta, tb;
    assert_int_equal(ov_flagged(&a->p, a->risk, NULL, 0, &ar, &fa, &na, &ta), 0);
    assert_int_equal(ov_flagged(&b->p, b->risk, NULL, 0, &ar, &fb, &nb, &tb), 0);
    CHECK(w, na == nb && ta == na && tb == nb, "flagged list %zu vs %zu", na, nb);
    for (size_t i = 0; i < na; i++)
        CHECK(w, fa[i].index == fb[i].index && fa[i].exposure == fb[i].exposure,
              "flagged item %zu", i);
    /* The first few (kept in a heap, then sorted) are the whole list's
     * first few, and so are a track's rows. */
    size_t limit = 1 + rnd(25);
    ov_item *top, *all;
    size_t n_top, total, n_all;
    assert_int_equal(ov_flagged(&a->p, a->risk, NULL, limit, &ar, &top, &n_top, &total), 0);
    CHECK(w, total == na && n_top == (na < limit ? na : limit), "top %zu of %zu flagged: %zu",
          limit, na, n_top);
    for (size_t i = 0; i < n_top; i++)
        CHECK(w, top[i].index == fa[i].index, "top flagged item %zu of %zu", i, limit);
    const char *track = TRACKS[rnd(4)];
    assert_int_equal(ov_track_rows(&a->p, a->risk, track, 0, &ar, &all, &n_all, &total), 0);
    assert_int_equal(ov_track_rows(&a->p, a->risk, track, limit, &ar, &top, &n_top, &total), 0);
    CHECK(w, total == n_all && n_top == (n_all < limit ? n_all : limit), "top %zu of %zu rows",
          limit, n_all);
    for (size_t i = 0; i < n_top; i++)
        CHECK(w, top[i].index == all[i].index, "top %s row %zu of %zu", track, i, limit);
    for (int basis = 0; basis < 2; basis++) {
        concentration x, y;
        assert_int_equal(concentration_compute(&a->p, basis, basis, NULL, NULL, &ar, &x), 0);
        assert_int_equal(concentration_compute(&b->p, basis, basis, NULL, NULL, &ar, &y), 0);
        compare_conc(w, &x, &y);
    }
    arena_free(&ar);
}

/* The concentration sums of p's workloads, counted afresh into a. */
static void recount_sums(const portfolio *p, arena *a, conc_sums *out)
{
    conc_index ix;
    assert_int_equal(conc_index_build(p, a, &ix), 0);
    assert_int_equal(conc_sums_init(out, &ix, a), 0);
    for (size_t i = 0; i < p->n_workloads; i++)
        conc_sums_add(out, p, &ix, &p->workloads[i], 1);
}

static long kept_checks, json_checks;

/* The concentration JSON of scope track (NULL: all) from the kept sums of
 * view a and counted over view b's workloads: the same bytes. */
static void compare_conc_json(world *w, const snapshot_view *a, const snapshot_view *b,
                              arena *ar)
{
    for (int combo = 0; combo < 4; combo++) {
        for (int t = -1; t < 4; t++) {
            int basis = combo / 2, connected = combo % 2;
            const char *track = t < 0 ? NULL : TRACKS[t];
            concentration x, y;
            assert_int_equal(conc_sums_result(a->conc, &a->p, basis, connected, track, ar, &x), 0);
            assert_int_equal(concentration_compute(&b->p, basis, connected, ov_in_track, track,
                                                   ar, &y), 0);
            buf bx, by;
            buf_init(&bx);
            buf_init(&by);
            jw jx, jy;
            jw_init(&jx, &bx);
            jw_init(&jy, &by);
            concentration_json(&jx, &x);
            concentration_json(&jy, &y);
            CHECK(w, bx.data && by.data && strcmp(bx.data, by.data) == 0,
                  "concentration JSON (basis %d, connected %d, track %s):\n  kept:    %s\n"
                  "  counted: %s", basis, connected, track ? track : "all",
                  bx.data ? bx.data : "", by.data ? by.data : "");
            buf_free(&bx);
            buf_free(&by);
            json_checks++;
        }
    }
}

/* The concentration sums the shared snapshot a kept (adjusted per write
 * when derived) equal a recount over its own workloads, and, when its
 * workloads are current (need_full), over the full build b's. */
static void compare_kept_conc(world *w, const snapshot_view *a, const snapshot_view *b,
                              int need_full)
{
    CHECK(w, a->conc != NULL, "the shared snapshot keeps no concentration sums");
    CHECK(w, b->conc == NULL, "a private snapshot keeps concentration sums");
    arena ar;
    arena_init(&ar);
    conc_sums own;
    recount_sums(&a->p, &ar, &own);
    CHECK(w, conc_sums_equal(a->conc, &own),
          "kept concentration sums differ from a recount of the same workloads");
    if (need_full) {
        conc_sums full;
        recount_sums(&b->p, &ar, &full);
        CHECK(w, conc_sums_equal(a->conc, &full),
              "kept concentration sums differ from a recount of a full build");
        if (kept_checks % 10 == 0)
            compare_conc_json(w, a, b, &ar);
    }
    kept_checks++;
    arena_free(&ar);
}

/* Each full build is split (child rows on a second connection, scoring on
 * two threads) or not, at random, so that split and whole builds are
 * compared both ways. */
static void split_at_random(void)
{
    store_split_threshold(rnd(2) ? 0 : LLONG_MAX);
    snapshot_split_scoring(rnd(2) ? 1 : SIZE_MAX);
    /* Chains of derivations end often (a budget of nothing or 16 KB over a
     * full build's size: a third of the time) or run for thousands of
     * writes (8 MB). */
    uint32_t b = rnd(6);
    snapshot_chain_budget(b == 0 ? 0 : b == 1 ? 16384 : (size_t)8 << 20);
}

static void compare_now(world *w, int need_full)
{
    store_err err;
    split_at_random();
    snapshot *inc = snapshot_obtain(w->db, need_full, &err);
    split_at_random();
    snapshot *full = snapshot_build_private(w->db, &err);
    assert_non_null(inc);
    assert_non_null(full);
    snapshot_view a, b;
    snapshot_get_view(inc, &a);
    snapshot_get_view(full, &b);
    CHECK(w, memcmp(&a.weights, &b.weights, sizeof a.weights) == 0, "weights differ");
    /* A catalogue-current snapshot (need_full 0) may still hold drills and
     * acceptances of workloads deleted since: only the workload scored
     * against it matters there. */
    CHECK(w, a.p.n_offerings == b.p.n_offerings && a.p.n_contracts == b.p.n_contracts &&
                 (!need_full ||
                  (a.p.n_drills == b.p.n_drills && a.p.n_acceptances == b.p.n_acceptances)),
          "catalogue sizes differ: offerings %zu/%zu contracts %zu/%zu drills %zu/%zu "
          "acceptances %zu/%zu", a.p.n_offerings, b.p.n_offerings, a.p.n_contracts,
          b.p.n_contracts, a.p.n_drills, b.p.n_drills, a.p.n_acceptances, b.p.n_acceptances);
    for (size_t i = 0; i < a.p.n_contracts; i++)
        CHECK(w, a.p.contracts[i].version == b.p.contracts[i].version, "contract %lld",
              (long long)a.p.contracts[i].id);
    for (size_t i = 0; i < a.p.n_offerings; i++)
        CHECK(w, a.p.offerings[i].version == b.p.offerings[i].version, "offering %lld",
              (long long)a.p.offerings[i].id);
    if (need_full) {
        CHECK(w, a.p.n_workloads == b.p.n_workloads, "%zu workloads vs %zu", a.p.n_workloads,
              b.p.n_workloads);
        for (size_t i = 0; i < a.p.n_workloads; i++) {
            const workload *x = &a.p.workloads[i], *y = &b.p.workloads[i];
            CHECK(w, x->id == y->id && x->version == y->version && same_str(x->name, y->name),
                  "workload at %zu: %lld v%lld vs %lld v%lld", i, (long long)x->id,
                  (long long)x->version, (long long)y->id, (long long)y->version);
            CHECK(w, x->n_dependencies == y->n_dependencies &&
                         x->n_alternatives == y->n_alternatives && x->n_features == y->n_features,
                  "workload %lld: child rows differ", (long long)x->id);
            for (size_t k = 0; k < x->n_dependencies; k++)
                CHECK(w, x->dependencies[k].offering == y->dependencies[k].offering &&
                             same_str(x->dependencies[k].role, y->dependencies[k].role),
                      "workload %lld: dependency %zu differs", (long long)x->id, k);
            for (size_t k = 0; k < x->n_features; k++)
                CHECK(w, same_str(x->features[k], y->features[k]),
                      "workload %lld: feature %zu differs", (long long)x->id, k);
            compare_risk(w, &a, &b, i);
        }
        compare_sums(w, &a, &b);
    }
    compare_kept_conc(w, &a, &b, need_full);
    /* Now and then a reader keeps its view across the next writes: the
     * next snapshot is then derived in copies, else in the arrays of its
     * parent (api/snapshot.c takes them over). Both ways are compared. */
    if (rnd(3) == 0) {
        snapshot_release(held);
        held = inc;
    } else {
        snapshot_release(inc);
    }
    snapshot_release(full);
}

#include "incremental_ops.h"

/* One workload patched, in a commit of its own. */
static void patch_one(world *w)
{
    if (!lists_ready)
        lists_init(w);
    arena a;
    arena_init(&a);
    store_err err;
    assert_int_equal(store_begin_write(w->db, &err), ST_OK);
    assert_int_equal(op_workload(w, OP_PATCH, &a, &err), ST_OK);
    assert_int_equal(store_commit(w->db, &err), ST_OK);
    arena_free(&a);
}

/* Looks after one patch: the snapshot built, and which kind it was. */
static int patched_and_built(world *w, snapshot_build_stats *before, snapshot_build_stats *after)
{
    store_err err;
    snapshot_stats(before);
    patch_one(w);
    snapshot *s = snapshot_obtain(w->db, 1, &err);
    assert_non_null(s);
    snapshot_release(s);
    snapshot_stats(after);
    assert_int_equal(after->count[0] + after->count[1], before->count[0] + before->count[1] + 1);
    return after->count[0] > before->count[0]; /* 1: a full build */
}

/* A chain of derivations ends when it holds more than a full build of its
 * portfolio would, by the budget: not after a count of derivations (it
 * was 64). With 8 MB, 300 patches all derive; with 16 KB, a full build
 * comes exactly when the last snapshot held more than a full build plus
 * max(16 KB, a quarter of it). */
static void check_chain_budget(world *w)
{
    w->op = "chain budget";
    snapshot_release(held);
    held = NULL;
    store_split_threshold(LLONG_MAX);
    snapshot_split_scoring(SIZE_MAX);
    snapshot_build_stats before, after;
    snapshot_chain_budget((size_t)8 << 20);
    (void)patched_and_built(w, &before, &after); /* may end the test's own chain */
    int full = 0;
    for (int i = 0; i < 300; i++)
        full += patched_and_built(w, &before, &after);
    CHECK(w, full == 0, "%d full builds in 300 patches with an 8 MB budget", full);
    CHECK(w, after.held_bytes > after.full_bytes, "held %.0f, full %.0f", after.held_bytes,
          after.full_bytes);
    snapshot_chain_budget(16384);
    full = 0;
    for (int i = 0; i < 300; i++) {
        int was_full = patched_and_built(w, &before, &after);
        double slack = before.full_bytes / 4 > 16384 ? before.full_bytes / 4 : 16384;
        int over = before.held_bytes > before.full_bytes + slack;
        CHECK(w, was_full == over, "patch %d: %s build after held %.0f, full %.0f", i,
              was_full ? "a full" : "a derived", before.held_bytes, before.full_bytes);
        full += was_full;
    }
    printf("chain budget of 16 KB: %d full builds in 300 patches\n", full);
    CHECK(w, full >= 2, "%d full builds in 300 patches with a 16 KB budget", full);
    snapshot_chain_budget((size_t)8 << 20);
}

static void run(void **state)
{
    (void)state;
    setenv("SWITCHYARD_TODAY", "2026-05-01", 1);
    log_set_level(LOG_ERROR);
    const char *s = getenv("SY_INCR_SEED");
    const char *n = getenv("SY_INCR_STEPS");
    seed_used = s && *s ? strtoull(s, NULL, 10) : 20261206ULL;
    long steps = n && *n ? strtol(n, NULL, 10) : 10000;
    rng_state = seed_used * 0x9E3779B97F4A7C15ULL + 1;
    printf("seed %llu, %ld steps\n", (unsigned long long)seed_used, steps);

    world w = {0};
    /* Commits are synchronous=FULL: on tmpfs they cost no disk flush. */
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(w.path, sizeof w.path, "%s/sy_incr_XXXXXX", dir);
    int fd = mkstemp(w.path);
    assert_true(fd >= 0);
    close(fd);
    snprintf(db_path, sizeof db_path, "%s", w.path);
    store_err err;
    assert_int_equal(store_open(w.path, &w.db, &err), ST_OK);
    int applied;
    assert_int_equal(store_migrate(w.db, &applied, &err), ST_OK);
    seed_report report;
    char msg[256];
    assert_int_equal(seed_load(w.db, 1, &report, msg, sizeof msg), 0);
    w.op = "seed";
    compare_now(&w, 1);

    snapshot_build_stats before, after;
    snapshot_stats(&before);
    long compared = 0;
    for (w.step = 1; w.step <= steps; w.step++) {
        random_write(&w);
        /* Now and then several writes pile up before the next look. */
        if (rnd(10) < 7) {
            compare_now(&w, rnd(20) != 0);
            compared++;
        }
    }
    compare_now(&w, 1);
    snapshot_release(held);
    held = NULL;
    snapshot_stats(&after);
    uint64_t derived = after.count[1] - before.count[1], full = after.count[0] - before.count[0];
    printf("%ld writes, %ld comparisons; %llu derived, %llu full builds\n", steps, compared,
           (unsigned long long)derived, (unsigned long long)full);
    print_op_counts();
    printf("%ld kept concentration sums equal to a recount, %ld concentration JSON compared\n",
           kept_checks, json_checks);
    assert_true(kept_checks > compared);
    assert_true(json_checks >= 20 * (compared / 20));
    /* Full builds: weights changes, chains over their budget, and writes
     * refused by the store; the rest must be derived. */
    assert_true(derived > 2 * full);
    /* Both kinds of split build happened (and were compared above). */
    unsigned long loads, scores;
    snapshot_split_counts(&loads, &scores);
    printf("%lu builds read child rows on a second connection, %lu scored on two threads\n",
           loads, scores);
    assert_true(loads > 10);
    assert_true(scores > 10);
    check_chain_budget(&w);
    store_close(w.db);
}

static int teardown(void **state)
{
    (void)state;
    if (db_path[0])
        db_fixture_remove(db_path);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(run, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
