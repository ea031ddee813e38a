/* snapshot_derive.c - a snapshot derived from its parent after known
 * single-record writes (snapshot.c decides when, and shares the result):
 * the changes sorted into what to read again, the written workloads and
 * (after an offering, contract or drill change) the catalogue read in one
 * transaction, the parent's results merged with the rescored ones, in the
 * parent's own arrays when nobody else views them, else in copies; the
 * kept counts and concentration sums adjusted by what left and what came. */
#include "api/snapshot_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/overview.h"
#include "core/rescore.h"

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


/* Sorts the n changes listed in d->changes into what to read and rescore. */
void snapshot_delta_of(delta *d, size_t n)
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
int snapshot_derive(sy_db *db, snapshot *s, delta *d, int steal, int pinned, store_err *err)
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
        return snapshot_out_of_memory(err);
    }
    size_t n_ids = d->n_workloads;
    workload *fresh = n_ids ? arena_alloc(&s->arena, n_ids * sizeof *fresh) : NULL;
    unsigned char *exists = n_ids ? arena_alloc(&s->arena, n_ids) : NULL;
    if (n_ids && (!fresh || !exists))
        return snapshot_out_of_memory(err);
    int rc = read_delta(db, s, d, fresh, exists, pinned, err);
    if (rc != 0)
        return rc;
    s->p.texts_left_out = from->p.texts_left_out; /* a catalogue reload cleared it */
    int deleted = 0;
    for (size_t k = 0; k < n_ids; k++)
        deleted |= !exists[k];
    if (!d->catalogue && deleted && drop_gone(s, d, exists) != 0)
        return snapshot_out_of_memory(err);
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
            return snapshot_out_of_memory(err);
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
            return snapshot_out_of_memory(err);
        }
        merge(s, d, fresh, exists, &set);
    }
    rescore_set_free(&set);
    return 0;
}
