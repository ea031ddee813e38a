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
 * chain is at most MAX_DEPTH long before a full build starts afresh.
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

/* More changes than this since the cached snapshot, or a chain longer
 * than MAX_DEPTH: build anew. */
#define MAX_DERIVED 512
#define MAX_DEPTH 64

struct snapshot {
    arena arena;                /* owns what this snapshot allocated */
    arena side;                 /* the text of child rows read on a second
                                   connection (store_portfolio_load_split) */
    snapshot *parent;           /* a derived snapshot's, held */
    int depth;                  /* derivations since the last full build */
    workload *own_workloads;    /* a derived snapshot's arrays (malloc) */
    risk_result *own_risk;
    size_t cap;                 /* room in p.workloads and risk, wherever
                                   they live (own arrays or an arena) */
    portfolio p;
    risk_weights weights;
    risk_result *risk;
    ov_counts counts;           /* see snapshot_view */
    conc_index cix;             /* p's catalogue's group slots (may live in
                                   an ancestor's arena) */
    conc_sums conc;             /* see snapshot_view; v NULL when not kept */
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
        return out_of_memory(err);
    s->risk = NULL;
    if (s->p.n_workloads &&
        !(s->risk = arena_alloc(&s->arena, s->p.n_workloads * sizeof(risk_result))))
        return out_of_memory(err);
    score_all(s);
    s->cap = s->p.n_workloads;
    ov_count(&s->p, s->risk, NULL, &s->counts);
    last_phases.score_ms = clock_mono_ms() - t1;
    last_phases.score_cpu_ms = clock_cpu_ms() - c1;
    if (!keep)
        return 0;
    if (conc_index_build(&s->p, &s->arena, &s->cix) != 0 ||
        conc_sums_init(&s->conc, &s->cix, &s->arena) != 0)
        return out_of_memory(err);
    for (size_t i = 0; i < s->p.n_workloads; i++)
        conc_sums_add(&s->conc, &s->p, &s->cix, &s->p.workloads[i], 1);
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static size_t sort_unique(int64_t *ids, size_t n)
{
    if (n)
        qsort(ids, n, sizeof *ids, cmp_id);
    size_t unique = 0;
    for (size_t k = 0; k < n; k++)
        if (unique == 0 || ids[unique - 1] != ids[k])
            ids[unique++] = ids[k];
    return unique;
}

/* What a derivation reads and rescores, from the changes since the parent. */
typedef struct delta {
    int64_t workloads[MAX_DERIVED];     /* read again (sorted, unique) */
    int64_t offerings[MAX_DERIVED];
    int64_t contracts[MAX_DERIVED];
    size_t n_workloads, n_offerings, n_contracts;
    int catalogue;                      /* the catalogue is read again */
    size_t n_changes;                   /* how many changes this covers */
    store_change changes[MAX_DERIVED];  /* as listed (on the heap: worker
                                           threads have small stacks) */
} delta;

/* Sorts the n changes listed in d->changes into what to read and rescore. */
static void delta_of(delta *d, size_t n)
{
    const store_change *ch = d->changes;
    d->n_workloads = d->n_offerings = d->n_contracts = 0;
    d->catalogue = 0;
    d->n_changes = n;
    for (size_t k = 0; k < n; k++) {
        int kind = ch[k].kind;
        /* A drill or acceptance changes the drills and acceptances read
         * with the catalogue, and scores its workload again. */
        d->catalogue |= kind != STORE_CHANGE_WORKLOAD;
        if (kind == STORE_CHANGE_WORKLOAD || kind == STORE_CHANGE_GOVERNANCE)
            d->workloads[d->n_workloads++] = ch[k].id;
        else if (kind == STORE_CHANGE_OFFERING)
            d->offerings[d->n_offerings++] = ch[k].id;
        else
            d->contracts[d->n_contracts++] = ch[k].id;
    }
    d->n_workloads = sort_unique(d->workloads, d->n_workloads);
    d->n_offerings = sort_unique(d->offerings, d->n_offerings);
    d->n_contracts = sort_unique(d->contracts, d->n_contracts);
}

static int listed(const int64_t *ids, size_t n, int64_t id)
{
    return bsearch(&id, ids, n, sizeof *ids, cmp_id) != NULL;
}

/* Safety net: besides the listed records, the new catalogue must equal
 * the old one (by id and version), with the same weights. 1 when it does. */
static int same_elsewhere(const snapshot *from, const portfolio *now, const risk_weights *w,
                          const delta *d)
{
    const portfolio *was = &from->p;
    if (memcmp(w, &from->weights, sizeof *w) != 0 || was->n_vendors != now->n_vendors)
        return 0;
    for (size_t i = 0; i < now->n_vendors; i++)
        if (was->vendors[i].id != now->vendors[i].id ||
            was->vendors[i].version != now->vendors[i].version)
            return 0;
    for (int pass = 0; pass < 2; pass++) {
        const portfolio *a = pass ? now : was, *b = pass ? was : now;
        for (size_t i = 0; i < a->n_offerings; i++) {
            const offering *o = &a->offerings[i], *other = pf_offering(b, o->id);
            if (!listed(d->offerings, d->n_offerings, o->id) &&
                (!other || other->version != o->version))
                return 0;
        }
        for (size_t i = 0; i < a->n_contracts; i++) {
            const contract *c = &a->contracts[i], *other = pf_contract(b, c->id);
            if (!listed(d->contracts, d->n_contracts, c->id) &&
                (!other || other->version != c->version))
                return 0;
        }
    }
    return 1;
}

/* Reads what changed, in one read transaction: the catalogue when d says
 * so (into s->p, unindexed, with the weights into s->weights), and the
 * written workloads into fresh (exists[k]: not deleted since). Returns 0,
 * 1 when more changes were committed meanwhile (then build in full), or
 * -1 with err filled. */
static int read_delta(sy_db *db, snapshot *s, delta *d, workload *fresh,
                      unsigned char *exists, int pinned, store_err *err)
{
    int code = store_begin_read(db, err);
    if (code != ST_OK)
        return -1;
    if (d->catalogue) {
        code = store_catalogue_load(db, &s->arena, &s->p, err);
        if (code == ST_OK)
            code = store_weights_get(db, s->weights.points, RISK_FACTORS, err);
    }
    /* exists[k] 0: deleted since. */
    if (code == ST_OK && d->n_workloads)
        code = store_entity_get_some(db, &WORKLOAD_STORE, d->workloads, d->n_workloads,
                                     &s->arena, fresh, exists, err);
    store_end_read(db);
    if (code != ST_OK)
        return -1;
    if (pinned)
        return 0; /* the caller's transaction shows exactly the changes listed */
    /* Workloads alone: a commit after the listing that wrote one of them
     * was read with it (and is listed again next time: reading it again
     * then is harmless); one that wrote another was not read, and is
     * listed next time. The snapshot holds at least its generation. */
    if (!d->catalogue)
        return 0;
    /* A commit between listing the changes and reading the catalogue would
     * be read but not rescored for: the list must still be the same. */
    long n = store_changes_since(db, s->parent->generation, d->changes, MAX_DERIVED);
    return n >= 0 && (size_t)n == d->n_changes ? 0 : 1;
}

/* Merges two id-ordered sequences into s: the parent's workloads and the
 * written ones (replacing, inserting or, when gone, removing). The
 * parent's workloads an offering or contract change touches (set) are
 * rescored against the new catalogue; the rest keep their results. */
static void merge(snapshot *s, const delta *d, const workload *fresh,
                  const unsigned char *exists, const rescore_set *set)
{
    const snapshot *from = s->parent;
    workload *ws = s->own_workloads;
    risk_result *rs = s->own_risk;
    const workload *old = from->p.workloads;
    const int64_t *ids = d->workloads;
    size_t i = 0, k = 0, n = 0, n_old = from->p.n_workloads, n_ids = d->n_workloads;
    while (i < n_old || k < n_ids) {
        if (k == n_ids || (i < n_old && old[i].id < ids[k])) {
            ws[n] = old[i];
            if (rescore_touches(set, &old[i])) {
                risk_score(&s->p, &ws[n], &s->weights, &rs[n]);
                ov_count_one(&s->counts, &old[i], &from->risk[i], -1);
                ov_count_one(&s->counts, &ws[n], &rs[n], 1);
                conc_sums_add(&s->conc, &from->p, &from->cix, &old[i], -1);
                conc_sums_add(&s->conc, &s->p, &s->cix, &ws[n], 1);
            } else {
                rs[n] = from->risk[i];
            }
            n++;
            i++;
            continue;
        }
        if (i < n_old && old[i].id == ids[k]) {
            ov_count_one(&s->counts, &old[i], &from->risk[i], -1);
            conc_sums_add(&s->conc, &from->p, &from->cix, &old[i], -1);
            i++; /* replaced or removed */
        }
        if (exists[k]) {
            ws[n] = fresh[k];
            risk_score(&s->p, &ws[n], &s->weights, &rs[n]);
            ov_count_one(&s->counts, &ws[n], &rs[n], 1);
            conc_sums_add(&s->conc, &s->p, &s->cix, &ws[n], 1);
            n++;
        }
        k++;
    }
    s->p.workloads = ws;
    s->p.n_workloads = n;
    s->risk = rs;
}

/* 1 when workload wid was written since and is gone. */
static int gone(const delta *d, const unsigned char *exists, int64_t wid)
{
    const int64_t *at = bsearch(&wid, d->workloads, d->n_workloads, sizeof wid, cmp_id);
    return at && !exists[at - d->workloads];
}

/* A deleted workload's drills and acceptances went with it (ON DELETE
 * CASCADE): copies the parent's lists without them. 0, or -1 if out of
 * memory. */
static int drop_gone(snapshot *s, const delta *d, const unsigned char *exists)
{
    portfolio *p = &s->p;
    size_t keep_d = 0, keep_a = 0;
    for (size_t i = 0; i < p->n_drills; i++)
        keep_d += !gone(d, exists, p->drills[i].workload);
    for (size_t i = 0; i < p->n_acceptances; i++)
        keep_a += !gone(d, exists, p->acceptances[i].workload);
    if (keep_d == p->n_drills && keep_a == p->n_acceptances)
        return 0;
    exit_drill *dr = arena_alloc(&s->arena, (keep_d + 1) * sizeof *dr);
    risk_acceptance *ac = arena_alloc(&s->arena, (keep_a + 1) * sizeof *ac);
    if (!dr || !ac)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < p->n_drills; i++)
        if (!gone(d, exists, p->drills[i].workload))
            dr[n++] = p->drills[i];
    p->drills = dr;
    p->n_drills = n;
    n = 0;
    for (size_t i = 0; i < p->n_acceptances; i++)
        if (!gone(d, exists, p->acceptances[i].workload))
            ac[n++] = p->acceptances[i];
    p->acceptances = ac;
    p->n_acceptances = n;
    return 0;
}

/* Position of workload id in ws[0..n), or -1. */
static long find(const workload *ws, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ws[mid].id == id)
            return (long)mid;
        if (ws[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* The merge of merge(), done in the parent's own arrays, which s takes
 * over (the parent has no other view: nobody reads them again). A patch
 * costs one rescore; deletions close up and insertions open up the arrays
 * in one pass each. 0, or 1 (nothing touched) when they lack the room. */
static int merge_in_place(snapshot *s, const delta *d, const workload *fresh,
                          const unsigned char *exists, const rescore_set *set)
{
    snapshot *from = s->parent;
    workload *ws = from->p.workloads;
    risk_result *rs = from->risk;
    size_t n = from->p.n_workloads, inserts = 0, deletes = 0;
    long *pos = d->n_workloads ? arena_alloc(&s->arena, d->n_workloads * sizeof *pos) : NULL;
    if (d->n_workloads && !pos)
        return 1;
    for (size_t k = 0; k < d->n_workloads; k++) {
        pos[k] = find(ws, n, d->workloads[k]);
        inserts += pos[k] < 0 && exists[k];
        deletes += pos[k] >= 0 && !exists[k];
    }
    if (n - deletes + inserts > from->cap || (n && !ws))
        return 1;
    s->own_workloads = from->own_workloads;
    s->own_risk = from->own_risk;
    s->cap = from->cap;
    from->own_workloads = NULL;
    from->own_risk = NULL;
    from->p.workloads = NULL;
    from->risk = NULL;
    /* The parent's workloads a catalogue change bears on, rescored. */
    for (size_t i = 0; set->n && i < n; i++)
        if (rescore_touches(set, &ws[i])) {
            ov_count_one(&s->counts, &ws[i], &rs[i], -1);
            risk_score(&s->p, &ws[i], &s->weights, &rs[i]);
            ov_count_one(&s->counts, &ws[i], &rs[i], 1);
            conc_sums_add(&s->conc, &from->p, &from->cix, &ws[i], -1);
            conc_sums_add(&s->conc, &s->p, &s->cix, &ws[i], 1);
        }
    /* Patches in place; deletions marked (id 0), then closed up. */
    for (size_t k = 0; k < d->n_workloads; k++) {
        long at = pos[k];
        /* Taken away against the new catalogue: a workload the catalogue
         * change touched was moved onto it above, and one it did not touch
         * has the same parts under both. */
        if (at >= 0) {
            ov_count_one(&s->counts, &ws[at], &rs[at], -1);
            conc_sums_add(&s->conc, &s->p, &s->cix, &ws[at], -1);
        }
        if (at >= 0 && exists[k]) {
            ws[at] = fresh[k];
            risk_score(&s->p, &ws[at], &s->weights, &rs[at]);
            ov_count_one(&s->counts, &ws[at], &rs[at], 1);
            conc_sums_add(&s->conc, &s->p, &s->cix, &ws[at], 1);
        } else if (at >= 0) {
            ws[at].id = 0;
        }
    }
    size_t m = 0;
    for (size_t i = 0; deletes && i < n; i++)
        if (ws[i].id != 0) {
            ws[m] = ws[i];
            rs[m++] = rs[i];
        }
    n = deletes ? m : n;
    /* Insertions from the back: every write lands at or right of what
     * is still to be read. */
    size_t w = n + inserts;
    long i = (long)n - 1;
    for (long k = (long)d->n_workloads - 1; k >= 0 && inserts; k--) {
        if (!exists[k] || pos[k] >= 0)
            continue;
        while (i >= 0 && ws[i].id > d->workloads[k]) {
            ws[--w] = ws[i];
            rs[w] = rs[i--];
        }
        ws[--w] = fresh[k];
        risk_score(&s->p, &ws[w], &s->weights, &rs[w]);
        ov_count_one(&s->counts, &ws[w], &rs[w], 1);
        conc_sums_add(&s->conc, &s->p, &s->cix, &ws[w], 1);
    }
    s->p.workloads = ws;
    s->p.n_workloads = n + inserts;
    s->risk = rs;
    return 0;
}

/* Derives s from its parent after the changes in d; in the parent's
 * arrays when `steal` (it has no other view), else in copies. Returns 0,
 * 1 when a full build is needed instead, or -1 with err filled. */
static int derive(sy_db *db, snapshot *s, delta *d, int steal, int pinned, store_err *err)
{
    const snapshot *from = s->parent;
    s->p = from->p;
    s->weights = from->weights;
    s->counts = from->counts; /* adjusted by the merge, and so are the
                                 concentration sums: the parent's own when
                                 nobody else reads it, else a copy */
    s->cix = from->cix;       /* rebuilt below when the catalogue is read */
    if (steal) {
        s->conc = from->conc;
        s->parent->conc.v = NULL;
    } else if (from->conc.v && conc_sums_copy(&s->conc, &from->conc, &s->arena) != 0) {
        return out_of_memory(err);
    }
    size_t n_ids = d->n_workloads;
    workload *fresh = n_ids ? arena_alloc(&s->arena, n_ids * sizeof *fresh) : NULL;
    unsigned char *exists = n_ids ? arena_alloc(&s->arena, n_ids) : NULL;
    if (n_ids && (!fresh || !exists))
        return out_of_memory(err);
    int rc = read_delta(db, s, d, fresh, exists, pinned, err);
    if (rc != 0)
        return rc;
    s->p.texts_left_out = from->p.texts_left_out; /* a catalogue reload cleared it */
    int deleted = 0;
    for (size_t k = 0; k < n_ids; k++)
        deleted |= !exists[k];
    if (!d->catalogue && deleted && drop_gone(s, d, exists) != 0)
        return out_of_memory(err);
    rescore_set set = {0};
    if (d->catalogue) {
        /* The new catalogue; the workloads come from the merge. */
        s->p.today = s->today;
        if (!same_elsewhere(from, &s->p, &s->weights, d))
            return 1;
        if (portfolio_index(&s->p, &s->arena) != 0 || risk_prepare(&s->p, &s->arena) != 0 ||
            (s->conc.v && conc_index_build(&s->p, &s->arena, &s->cix) != 0) ||
            rescore_offerings(&from->p, &s->p, d->offerings, d->n_offerings, d->contracts,
                              d->n_contracts, &set) != 0) {
            rescore_set_free(&set);
            return out_of_memory(err);
        }
    }
    if (!steal || merge_in_place(s, d, fresh, exists, &set) != 0) {
        /* Copies, with room to take over next time. */
        size_t cap = from->p.n_workloads + n_ids;
        cap += cap / 8 + 64;
        s->own_workloads = malloc(cap * sizeof *s->own_workloads);
        s->own_risk = malloc(cap * sizeof *s->own_risk);
        s->cap = cap;
        if (!s->own_workloads || !s->own_risk) {
            rescore_set_free(&set);
            return out_of_memory(err);
        }
        merge(s, d, fresh, exists, &set);
    }
    rescore_set_free(&set);
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
        out_of_memory(err);
        return NULL;
    }
    delta *d = prev && prev->today == today && prev->depth < MAX_DEPTH ? malloc(sizeof *d)
                                                                       : NULL;
    long n = d ? store_changes_between(db, prev->generation, pinned ? gen : UINT64_MAX,
                                       d->changes, MAX_DERIVED)
               : -1;
    if (n >= 0) {
        delta_of(d, (size_t)n);
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
        s->depth = prev->depth + 1;
        double started = clock_mono_ms();
        int rc = derive(db, s, d, steal, pinned, err);
        free(d);
        if (rc == 0)
            note_build(1, clock_mono_ms() - started);
        snapshot_release(prev);
        if (rc == 0)
            return s;
        discard(s);
        if (rc < 0)
            return NULL;
        if (!(s = new_snapshot(today, gen, cat))) {
            out_of_memory(err);
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
    if (built)
        return s;
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
        out_of_memory(err);
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
