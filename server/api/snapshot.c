/* snapshot.c - the shared scored portfolio snapshot; see snapshot.h.
 *
 * A full snapshot owns everything in its arena. A derived one copies its
 * parent's workload and risk arrays (malloc'd, so they go as soon as no
 * request looks at the snapshot) with the written workloads replaced,
 * inserted or removed; their text lives in its own small arena. The
 * unchanged entries still point into the ancestors' arenas, so each
 * snapshot counts two kinds of reference: views (the cache and requests,
 * which need its arrays) and holds (children, which need its arena). A
 * chain is at most MAX_DEPTH long before a full build starts afresh. */
#include "api/snapshot.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

/* More written workloads than this since the cached snapshot, or a chain
 * longer than MAX_DEPTH: build anew. */
#define MAX_DERIVED 512
#define MAX_DEPTH 64

struct snapshot {
    arena arena;                /* owns what this snapshot allocated */
    snapshot *parent;           /* a derived snapshot's, held */
    int depth;                  /* derivations since the last full build */
    workload *own_workloads;    /* a derived snapshot's arrays (malloc) */
    risk_result *own_risk;
    portfolio p;
    risk_weights weights;
    risk_result *risk;
    uint64_t generation, catalogue_generation;
    int64_t today;
    int views;                  /* the cache and requests */
    int holds;                  /* children pointing into the arena */
};

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
    free(s);
    if (parent)
        parent->holds--;
    return parent;
}

void snapshot_release(snapshot *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&cache_lock);
    s->views--;
    /* Dropping the last view may free a chain of ancestors. */
    for (snapshot *next = settle(s); next; next = settle(next))
        ;
    pthread_mutex_unlock(&cache_lock);
}

void snapshot_get_view(const snapshot *s, snapshot_view *out)
{
    out->p = s->p;
    out->weights = s->weights;
    out->risk = s->risk;
}

static int out_of_memory(store_err *err)
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

/* Loads and scores everything into s->arena; 0, or -1 with err filled. */
static int build_full(sy_db *db, snapshot *s, store_err *err)
{
    int code = store_begin_read(db, err);
    if (code == ST_OK) {
        code = store_portfolio_load(db, &s->arena, &s->p, err);
        if (code == ST_OK)
            code = store_weights_get(db, s->weights.points, RISK_FACTORS, err);
        store_end_read(db);
    }
    if (code != ST_OK)
        return -1;
    s->p.today = s->today;
    if (portfolio_index(&s->p, &s->arena) != 0 || risk_prepare(&s->p, &s->arena) != 0)
        return out_of_memory(err);
    s->risk = NULL;
    if (s->p.n_workloads &&
        !(s->risk = arena_alloc(&s->arena, s->p.n_workloads * sizeof(risk_result))))
        return out_of_memory(err);
    for (size_t i = 0; i < s->p.n_workloads; i++)
        risk_assess(&s->p, &s->p.workloads[i], &s->weights, &s->arena, &s->risk[i]);
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Derives s from its parent: the workloads in ids (sorted, unique) are
 * read again and scored; the rest are copied. */
static int derive(sy_db *db, snapshot *s, const int64_t *ids, size_t n_ids, store_err *err)
{
    const snapshot *from = s->parent;
    s->p = from->p;
    s->weights = from->weights;
    workload *fresh = n_ids ? arena_alloc(&s->arena, n_ids * sizeof *fresh) : NULL;
    unsigned char *exists = n_ids ? arena_alloc(&s->arena, n_ids) : NULL;
    size_t cap = from->p.n_workloads + n_ids;
    s->own_workloads = malloc((cap ? cap : 1) * sizeof *s->own_workloads);
    s->own_risk = malloc((cap ? cap : 1) * sizeof *s->own_risk);
    if ((n_ids && (!fresh || !exists)) || !s->own_workloads || !s->own_risk)
        return out_of_memory(err);
    int code = store_begin_read(db, err);
    if (code == ST_OK) {
        for (size_t k = 0; code == ST_OK && k < n_ids; k++) {
            code = store_workload_get(db, ids[k], &s->arena, &fresh[k], err);
            exists[k] = code == ST_OK;
            if (code == ST_NOT_FOUND)
                code = ST_OK; /* deleted since */
        }
        store_end_read(db);
    }
    if (code != ST_OK)
        return -1;
    /* Merge two id-ordered sequences: the parent's workloads and the
     * written ones (replacing, inserting or, when gone, removing). */
    workload *ws = s->own_workloads;
    risk_result *rs = s->own_risk;
    const workload *old = from->p.workloads;
    size_t i = 0, k = 0, n = 0, n_old = from->p.n_workloads;
    while (i < n_old || k < n_ids) {
        if (k == n_ids || (i < n_old && old[i].id < ids[k])) {
            ws[n] = old[i];
            rs[n++] = from->risk[i++];
            continue;
        }
        if (i < n_old && old[i].id == ids[k])
            i++; /* replaced or removed */
        if (exists[k]) {
            ws[n] = fresh[k];
            risk_assess(&s->p, &ws[n], &s->weights, &s->arena, &rs[n]);
            n++;
        }
        k++;
    }
    s->p.workloads = ws;
    s->p.n_workloads = n;
    s->risk = rs;
    return 0;
}

static int usable(const snapshot *s, int need_full, uint64_t gen, uint64_t cat, int64_t today)
{
    return s && s->today == today &&
           (need_full ? s->generation == gen : s->catalogue_generation == cat);
}

/* Builds the successor of the cached snapshot prev, taking over the
 * caller's view of it: derived when the only changes since are known
 * workload writes, else full (with prev let go first, so that its memory
 * can return before the new one is filled). */
/* Builds and their time, full and derived (for /metrics). */
static struct {
    uint64_t count[2];
    double seconds[2], last[2];
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
    pthread_mutex_unlock(&builds_lock);
}

static snapshot *build_next(sy_db *db, snapshot *prev, uint64_t gen, uint64_t cat,
                            int64_t today, store_err *err)
{
    snapshot *s = new_snapshot(today, gen, cat);
    if (!s) {
        snapshot_release(prev);
        out_of_memory(err);
        return NULL;
    }
    if (prev && prev->today == today && prev->catalogue_generation == cat &&
        prev->depth < MAX_DEPTH) {
        int64_t ids[MAX_DERIVED];
        long n = store_workloads_changed_since(db, prev->generation, ids, MAX_DERIVED);
        if (n >= 0) {
            qsort(ids, (size_t)n, sizeof *ids, cmp_id);
            size_t unique = 0;
            for (long k = 0; k < n; k++)
                if (unique == 0 || ids[unique - 1] != ids[k])
                    ids[unique++] = ids[k];
            pthread_mutex_lock(&cache_lock);
            prev->holds++;
            pthread_mutex_unlock(&cache_lock);
            s->parent = prev;
            s->depth = prev->depth + 1;
            double started = clock_mono_ms();
            int failed = derive(db, s, ids, unique, err);
            note_build(1, clock_mono_ms() - started);
            snapshot_release(prev);
            if (!failed)
                return s;
            discard(s);
            return NULL;
        }
    }
    snapshot_release(prev);
    double started = clock_mono_ms();
    int built = build_full(db, s, err) == 0;
    note_build(0, clock_mono_ms() - started);
    if (built)
        return s;
    discard(s);
    return NULL;
}

snapshot *snapshot_obtain(sy_db *db, int need_full, store_err *err)
{
    uint64_t gen, cat;
    store_generations(db, &gen, &cat);
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
    /* The stale snapshot leaves the cache before its successor is built:
     * a full build then has at most one snapshot's worth of company. */
    latest = NULL;
    pthread_mutex_unlock(&cache_lock);
    s = build_next(db, prev, gen, cat, today, err);
    if (s) {
        pthread_mutex_lock(&cache_lock);
        s->views++; /* the cache's and the caller's */
        latest = s;
        pthread_mutex_unlock(&cache_lock);
    }
    pthread_mutex_unlock(&build_lock);
    return s;
}

snapshot *snapshot_build_private(sy_db *db, store_err *err)
{
    snapshot *s = new_snapshot(clock_today(), 0, 0);
    if (!s) {
        out_of_memory(err);
        return NULL;
    }
    if (build_full(db, s, err) != 0) {
        discard(s);
        return NULL;
    }
    return s;
}
