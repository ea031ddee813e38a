/* snapshot.c - the shared scored portfolio snapshot; see snapshot.h.
 *
 * A full snapshot owns everything in its arena. A derived one copies its
 * parent's workload and risk arrays (malloc'd, so they go as soon as no
 * request looks at the snapshot) with the written workloads replaced,
 * inserted or removed; their text lives in its own small arena, and so
 * does the catalogue when an offering, a contract or a drill changed (read
 * again whole: it is small), with the workloads it bears on rescored
 * (core/rescore.h) and the other results kept. The
 * unchanged entries still point into the ancestors' arenas, so each
 * snapshot counts two kinds of reference: views (the cache and requests,
 * which need its arrays) and holds (children, which need its arena). A
 * chain grows until it holds clearly more than a full build would
 * (chain_open, snapshot_int.h: CHAIN_MIN_BYTES); then a full build starts
 * afresh.
 * When no request holds a view of the parent any more (it has left the
 * cache; requests that score one workload against the catalogue hold the
 * arena alone: snapshot_obtain_catalogue), the successor takes its arrays
 * over and changes them in place,
 * so a one-workload write costs one rescore, not a copy of every
 * workload; the copies keep some room for insertions, so that they can be
 * taken over in turn. */
#include "api/snapshot.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "core/overview.h"
#include "core/rescore.h"

#include "api/snapshot_int.h"

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;
static snapshot *latest;

/* Frees what is no longer needed; call with cache_lock held. Returns the
 * parent whose hold was dropped (to release after unlocking), or NULL. */
static snapshot *settle(snapshot *s)
{
    if (s->views > 0)
        return NULL;
    free(s->own_workloads);
    free(s->own_risk);
    s->own_workloads = NULL;
    s->own_risk = NULL;
    if (s->holds > 0)
        return NULL;
    snapshot *parent = s->parent;
    arena_free(&s->arena);
    arena_free(&s->side);
    free(s);
    if (parent)
        parent->holds--;
    return parent;
}

/* Drops a view (view) or a hold; the last one may free a chain of
 * ancestors. */
static void drop(snapshot *s, int view)
{
    if (!s)
        return;
    pthread_mutex_lock(&cache_lock);
    if (view)
        s->views--;
    else
        s->holds--;
    for (snapshot *next = settle(s); next; next = settle(next))
        ;
    pthread_mutex_unlock(&cache_lock);
}

void snapshot_release(snapshot *s)
{
    drop(s, 1);
}

void snapshot_get_view(const snapshot *s, snapshot_view *out)
{
    out->p = s->p;
    out->weights = s->weights;
    out->risk = s->risk;
    out->counts = s->counts;
    out->conc = s->conc.v ? &s->conc : NULL;
}

const ov_counts *snapshot_counts(const snapshot *s)
{
    return &s->counts;
}

int snapshot_out_of_memory(store_err *err)
{
    err->code = ST_ERROR;
    copy_str(err->detail, sizeof err->detail, "Out of memory.");
    err->pointer[0] = '\0';
    return -1;
}

static snapshot *new_snapshot(int64_t today, uint64_t gen, uint64_t cat)
{
    snapshot *s = calloc(1, sizeof *s);
    if (s) {
        arena_init(&s->arena);
        arena_init(&s->side);
        s->today = today;
        s->generation = gen;
        s->catalogue_generation = cat;
        s->views = 1;
    }
    return s;
}

static void discard(snapshot *s)
{
    snapshot_release(s);
}

/* Full builds whose child rows were read on a second connection, and
 * whose scoring was shared between threads (for tests and /metrics). */
static _Atomic unsigned long split_loads, split_scores;
/* Fewer workloads than this are scored on the calling thread. */
static _Atomic size_t score_split_min = 2048;

void snapshot_split_scoring(size_t min_workloads)
{
    score_split_min = min_workloads;
}

void snapshot_split_counts(unsigned long *loads, unsigned long *scores)
{
    *loads = split_loads;
    *scores = split_scores;
}

/* A share of a full build's scoring: workloads [from, to). */
typedef struct score_part {
    snapshot *s;
    size_t from, to;
} score_part;

static void *score_range(void *arg)
{
    score_part *part = arg;
    snapshot *s = part->s;
    for (size_t i = part->from; i < part->to; i++)
        risk_score(&s->p, &s->p.workloads[i], &s->weights, &s->risk[i]);
    return NULL;
}

/* Scores every workload: the second half on a second thread when there
 * are many (risk_score reads the portfolio and writes only its result),
 * all on this one when there are few or no thread can be had. */
static void score_all(snapshot *s)
{
    size_t n = s->p.n_workloads;
    score_part first = {s, 0, n}, second = {s, n / 2, n};
    pthread_t helper;
    int split = n >= score_split_min && n >= 2 &&
                pthread_create(&helper, NULL, score_range, &second) == 0;
    if (split)
        first.to = n / 2;
    score_range(&first);
    if (split) {
        pthread_join(helper, NULL);
        split_scores++;
    }
}

/* The phases of this thread's latest full build (snapshot_last_phases). */
static _Thread_local snapshot_phases last_phases;

void snapshot_last_phases(snapshot_phases *out)
{
    *out = last_phases;
}

/* Loads and scores everything into s->arena, with the concentration sums
 * when `keep` (the shared snapshots; derivations adjust them); 0, or -1
 * with err filled; lean: without the workloads' long texts (the shared
 * snapshots: store_portfolio_load_split). */
static int build_full(sy_db *db, snapshot *s, int keep, int lean, store_err *err)
{
    double t0 = clock_mono_ms(), c0 = clock_cpu_ms();
    int code = store_begin_read(db, err), split = 0;
    if (code == ST_OK) {
        code = store_portfolio_load_split(db, &s->arena, &s->side, &s->p, lean, &split, err);
        if (code == ST_OK)
            code = store_weights_get(db, s->weights.points, RISK_FACTORS, err);
        store_end_read(db);
    }
    if (code != ST_OK)
        return -1;
    if (split)
        split_loads++;
    double t1 = clock_mono_ms(), c1 = clock_cpu_ms();
    last_phases.load_ms = t1 - t0;
    last_phases.load_cpu_ms = c1 - c0;
    s->p.today = s->today;
    if (portfolio_index(&s->p, &s->arena) != 0 || risk_prepare(&s->p, &s->arena) != 0)
        return snapshot_out_of_memory(err);
    s->risk = NULL;
    if (s->p.n_workloads &&
        !(s->risk = arena_alloc(&s->arena, s->p.n_workloads * sizeof(risk_result))))
        return snapshot_out_of_memory(err);
    score_all(s);
    s->cap = s->p.n_workloads;
    ov_count(&s->p, s->risk, NULL, &s->counts);
    last_phases.score_ms = clock_mono_ms() - t1;
    last_phases.score_cpu_ms = clock_cpu_ms() - c1;
    if (!keep)
        return 0;
    if (conc_index_build(&s->p, &s->arena, &s->cix) != 0 ||
        conc_sums_init(&s->conc, &s->cix, &s->arena) != 0)
        return snapshot_out_of_memory(err);
    for (size_t i = 0; i < s->p.n_workloads; i++)
        conc_sums_add(&s->conc, &s->p, &s->cix, &s->p.workloads[i], 1);
    return 0;
}

static int usable(const snapshot *s, int need_full, uint64_t gen, uint64_t cat, int64_t today)
{
    return s && s->today == today &&
           (need_full ? s->generation == gen : s->catalogue_generation == cat);
}

/* Builds and their time, full and derived (for /metrics). */
static struct {
    uint64_t count[2];
    double seconds[2], last[2];
    double held_bytes, full_bytes;
} builds;
static pthread_mutex_t builds_lock = PTHREAD_MUTEX_INITIALIZER;

static void note_build(int derived, double ms)
{
    pthread_mutex_lock(&builds_lock);
    builds.count[derived]++;
    builds.seconds[derived] += ms / 1000.0;
    builds.last[derived] = ms / 1000.0;
    pthread_mutex_unlock(&builds_lock);
}

void snapshot_stats(snapshot_build_stats *out)
{
    pthread_mutex_lock(&builds_lock);
    for (int i = 0; i < 2; i++) {
        out->count[i] = builds.count[i];
        out->seconds[i] = builds.seconds[i];
        out->last[i] = builds.last[i];
    }
    out->held_bytes = builds.held_bytes;
    out->full_bytes = builds.full_bytes;
    pthread_mutex_unlock(&builds_lock);
}

/* The least a chain may hold before it ends (CHAIN_MIN_BYTES; tests
 * lower it). */
static _Atomic size_t chain_min = CHAIN_MIN_BYTES;

void snapshot_chain_budget(size_t min_bytes)
{
    chain_min = min_bytes;
}

/* What s's chain holds, and what a full build of its portfolio would (the
 * chain's full build scaled by the count of workloads). */
static void chain_size(const snapshot *s, double *held, double *full)
{
    *held = (double)s->base_bytes + (double)s->chain_bytes;
    *full = s->base_workloads
                ? (double)s->base_bytes * (double)s->p.n_workloads / (double)s->base_workloads
                : (double)s->base_bytes;
}

/* 1 when a snapshot may still be derived from s: its chain holds no more
 * than a full build would plus a quarter of that, or plus chain_min. */
static int chain_open(const snapshot *s)
{
    double held, full;
    chain_size(s, &held, &full);
    double slack = full / 4 > (double)chain_min ? full / 4 : (double)chain_min;
    return held <= full + slack;
}

/* Records the size of a new shared snapshot's chain (for /metrics). */
static void note_size(const snapshot *s)
{
    double held, full;
    chain_size(s, &held, &full);
    pthread_mutex_lock(&builds_lock);
    builds.held_bytes = held;
    builds.full_bytes = full;
    pthread_mutex_unlock(&builds_lock);
}

/* Builds the successor of the cached snapshot prev, taking over the
 * caller's view of it: derived when the only changes since are known
 * single-record writes (workloads, offerings, contracts, drills), else
 * full (with prev let go first, so that its memory can return before the
 * new one is filled). */
static snapshot *build_next(sy_db *db, snapshot *prev, uint64_t gen, uint64_t cat,
                            int64_t today, int pinned, store_err *err)
{
    snapshot *s = new_snapshot(today, gen, cat);
    if (!s) {
        snapshot_release(prev);
        snapshot_out_of_memory(err);
        return NULL;
    }
    delta *d = prev && prev->today == today && chain_open(prev) ? malloc(sizeof *d) : NULL;
    long n = d ? store_changes_between(db, prev->generation, pinned ? gen : UINT64_MAX,
                                       d->changes, MAX_DERIVED)
               : -1;
    if (n >= 0) {
        snapshot_delta_of(d, (size_t)n);
    } else {
        free(d);
        d = NULL;
    }
    /* A catalogue that moved with no change listed for it: build anew. */
    if (d && (d->catalogue || prev->catalogue_generation == cat)) {
        pthread_mutex_lock(&cache_lock);
        prev->holds++;
        /* Ours is its only view (it has left the cache, so no request can
         * take one any more): its arrays may become the successor's. */
        int steal = prev->views == 1;
        pthread_mutex_unlock(&cache_lock);
        s->parent = prev;
        double started = clock_mono_ms();
        int rc = snapshot_derive(db, s, d, steal, pinned, err);
        free(d);
        if (rc == 0) {
            note_build(1, clock_mono_ms() - started);
            s->base_bytes = prev->base_bytes;
            s->base_workloads = prev->base_workloads;
            s->chain_bytes = prev->chain_bytes + sizeof *s + arena_bytes(&s->arena) +
                             arena_bytes(&s->side);
            note_size(s);
        }
        snapshot_release(prev);
        if (rc == 0)
            return s;
        discard(s);
        if (rc < 0)
            return NULL;
        if (!(s = new_snapshot(today, gen, cat))) {
            snapshot_out_of_memory(err);
            return NULL;
        }
        prev = NULL;
    } else {
        free(d);
    }
    snapshot_release(prev);
    double started = clock_mono_ms();
    int built = build_full(db, s, 1, 1, err) == 0;
    note_build(0, clock_mono_ms() - started);
    s->base_bytes = arena_bytes(&s->arena) + arena_bytes(&s->side);
    s->base_workloads = s->p.n_workloads;
    if (built) {
        note_size(s);
        return s;
    }
    discard(s);
    return NULL;
}

/* snapshot_obtain, or with `pinned` snapshot_obtain_at for gen and cat. */
static snapshot *obtain(sy_db *db, int need_full, uint64_t gen, uint64_t cat, int pinned,
                        store_err *err)
{
    int64_t today = clock_today();
    snapshot *s = NULL;
    pthread_mutex_lock(&cache_lock);
    if (usable(latest, need_full, gen, cat, today)) {
        s = latest;
        s->views++;
    }
    pthread_mutex_unlock(&cache_lock);
    if (s)
        return s;

    /* One builder at a time; the others wait for and share its result. */
    pthread_mutex_lock(&build_lock);
    pthread_mutex_lock(&cache_lock);
    snapshot *prev = latest;
    if (usable(prev, need_full, gen, cat, today)) {
        prev->views++;
        pthread_mutex_unlock(&cache_lock);
        pthread_mutex_unlock(&build_lock);
        return prev;
    }
    if (pinned && prev && prev->today == today && prev->generation > gen) {
        /* Newer than the caller's transaction can show: ask it to look again. */
        pthread_mutex_unlock(&cache_lock);
        pthread_mutex_unlock(&build_lock);
        err->code = ST_BUSY;
        copy_str(err->detail, sizeof err->detail, "The snapshot moved on; look again.");
        err->pointer[0] = '\0';
        return NULL;
    }
    /* The stale snapshot leaves the cache before its successor is built:
     * a full build then has at most one snapshot's worth of company. */
    latest = NULL;
    pthread_mutex_unlock(&cache_lock);
    s = build_next(db, prev, gen, cat, today, pinned, err);
    if (s) {
        pthread_mutex_lock(&cache_lock);
        s->views++; /* the cache's and the caller's */
        latest = s;
        pthread_mutex_unlock(&cache_lock);
    }
    pthread_mutex_unlock(&build_lock);
    return s;
}

snapshot *snapshot_obtain(sy_db *db, int need_full, store_err *err)
{
    uint64_t gen, cat;
    store_generations(db, &gen, &cat);
    return obtain(db, need_full, gen, cat, 0, err);
}

snapshot *snapshot_obtain_at(sy_db *db, uint64_t gen, uint64_t cat, store_err *err)
{
    return obtain(db, 1, gen, cat, 1, err);
}

snapshot *snapshot_obtain_catalogue(sy_db *db, snapshot_view *out, store_err *err)
{
    snapshot *s = snapshot_obtain(db, 0, err);
    if (!s)
        return NULL;
    /* Read while the view is still ours: a derivation takes the arrays
     * over only from a snapshot nobody else views. */
    snapshot_get_view(s, out);
    out->p.workloads = NULL;
    out->p.n_workloads = 0;
    out->risk = NULL;
    out->conc = NULL;
    pthread_mutex_lock(&cache_lock);
    s->holds++;
    s->views--;
    (void)settle(s); /* frees the arrays if no one views them; keeps the arena */
    pthread_mutex_unlock(&cache_lock);
    return s;
}

void snapshot_release_catalogue(snapshot *s)
{
    drop(s, 0);
}

static snapshot *build_private(sy_db *db, int lean, store_err *err)
{
    snapshot *s = new_snapshot(clock_today(), 0, 0);
    if (!s) {
        snapshot_out_of_memory(err);
        return NULL;
    }
    if (build_full(db, s, 0, lean, err) != 0) {
        discard(s);
        return NULL;
    }
    return s;
}

snapshot *snapshot_build_private(sy_db *db, store_err *err)
{
    return build_private(db, 0, err);
}

snapshot *snapshot_build_lean(sy_db *db, store_err *err)
{
    return build_private(db, 1, err);
}
