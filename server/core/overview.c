/* overview.c - the summary's and the strategy views' figures; see
 * overview.h. */
#include "core/overview.h"

#include <stdlib.h>
#include <string.h>

#include "common/topk.h"

int ov_in_track(const workload *w, const void *track)
{
    return !track || strcmp(w->track, (const char *)track) == 0;
}

void ov_count_one(ov_counts *out, const workload *w, const risk_result *r, int sign)
{
    out->workloads += sign;
    int s = enum_index(STATUSES, w->status);
    if (s >= 0)
        out->status[s] += sign;
    out->pipeline += sign * (s == 0);
    out->history += sign * (s == 3);
    if (!workload_active(w))
        return;
    out->active += sign;
    out->production += sign * (strcmp(w->status, "production") == 0);
    out->flagged += sign * r->flagged;
    out->without_swap_layer += sign * !w->swap_layer;
    out->level[r->level] += sign;
    out->priority[r->priority] += sign;
    out->spend += sign * w->monthly_spend;
    int t = enum_index(TRACKS, w->track);
    if (t >= 0) {
        out->track[t] += sign;
        out->spend_track[t] += sign * w->monthly_spend;
    }
}

void ov_count(const portfolio *p, const risk_result *risk, const char *track, ov_counts *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < p->n_workloads; i++)
        if (ov_in_track(&p->workloads[i], track))
            ov_count_one(out, &p->workloads[i], &risk[i], 1);
}

/* Sort keys copied beside each item, so the comparison needs no context. */
typedef struct keyed {
    ov_item item;
    int priority;
    int score;
    const char *name;
    int64_t id;
} keyed;

static int by_name_id(const keyed *x, const keyed *y)
{
    int c = strcmp(x->name, y->name);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int by_action(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority - y->priority;
    if (x->item.exposure != y->item.exposure)
        return y->item.exposure - x->item.exposure;
    return by_name_id(x, y);
}

static int by_score(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    return by_name_id(x, y);
}

/* A qsort order as a topk comparison (the order is the context). */
typedef struct order_ref {
    int (*order)(const void *, const void *);
} order_ref;

static int by_order(const void *a, const void *b, const void *ctx)
{
    return ((const order_ref *)ctx)->order(a, b);
}

/* Room for the first `limit` (0: all) of p's workloads in `order`, in t
 * (malloc'd: NULL if out of memory); the counts cleared. */
static keyed *heap_new(const portfolio *p, size_t limit, const order_ref *order, topk *t,
                       size_t *n, size_t *total)
{
    *n = 0;
    *total = 0;
    size_t cap = limit && limit < p->n_workloads ? limit : p->n_workloads;
    keyed *k = malloc((cap + 1) * sizeof *k);
    topk_init(t, k, sizeof *k, cap, by_order, order);
    return k;
}

/* The first `limit` (0: all) of the selected workloads in `order`: the
 * best so far kept in a heap with the worst on top, so that most
 * workloads cost one comparison with it and only those kept are sorted
 * (the summary lists 20 of tens of thousands). *total: how many were
 * selected. */
static int collect(const portfolio *p, const risk_result *risk, const char *track,
                   int flagged_only, int (*order)(const void *, const void *), size_t limit,
                   arena *a, ov_item **out, size_t *n, size_t *total)
{
    topk t;
    order_ref o = {order};
    keyed *k = heap_new(p, limit, &o, &t, n, total);
    *out = NULL;
    ov_item *items = k ? arena_alloc(a, (t.cap + 1) * sizeof *items) : NULL;
    if (!items) {
        free(k);
        return -1;
    }
    for (size_t i = 0; i < p->n_workloads; i++) {
        /* The scored facts first: they sit in one array, the workload
         * (its track) elsewhere. */
        if (!risk[i].active || (flagged_only && !risk[i].flagged))
            continue;
        const workload *w = &p->workloads[i];
        if (!ov_in_track(w, track))
            continue;
        keyed x = {{i, risk[i].score * criticality_weight(w->criticality)}, risk[i].priority,
                   risk[i].score, w->name, w->id};
        ++*total;
        topk_offer(&t, &x);
    }
    size_t m = t.n;
    qsort(k, m, sizeof *k, order);
    for (size_t i = 0; i < m; i++)
        items[i] = k[i].item;
    free(k);
    *out = items;
    *n = m;
    return 0;
}

int ov_flagged(const portfolio *p, const risk_result *risk, const char *track, size_t limit,
               arena *a, ov_item **out, size_t *n, size_t *total)
{
    return collect(p, risk, track, 1, by_action, limit, a, out, n, total);
}

int ov_track_rows(const portfolio *p, const risk_result *risk, const char *track, size_t limit,
                  arena *a, ov_item **out, size_t *n, size_t *total)
{
    return collect(p, risk, track, 0, by_score, limit, a, out, n, total);
}

static int by_name_only(const void *a, const void *b)
{
    return by_name_id(a, b);
}

static int listed_id(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] == id)
            return 1;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int ov_declared_only(const portfolio *p, const int64_t *observed_swap, size_t n_swap,
                     const int64_t *observed_alts, size_t n_alts, size_t limit, arena *a,
                     ov_declared **out, size_t *n, size_t *total)
{
    topk t;
    order_ref o = {by_name_only};
    keyed *k = heap_new(p, limit, &o, &t, n, total);
    *out = NULL;
    ov_declared *items = k ? arena_alloc(a, (t.cap + 1) * sizeof *items) : NULL;
    if (!items) {
        free(k);
        return -1;
    }
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!workload_active(w) || (!w->swap_layer && !w->n_alternatives))
            continue;
        int swap = w->swap_layer && !listed_id(observed_swap, n_swap, w->id);
        int alts = w->n_alternatives && !listed_id(observed_alts, n_alts, w->id);
        if (!swap && !alts)
            continue;
        keyed x = {{i, 0}, 0, 0, w->name, w->id};
        ++*total;
        topk_offer(&t, &x);
    }
    size_t m = t.n;
    qsort(k, m, sizeof *k, by_name_only);
    for (size_t j = 0; j < m; j++) {
        const workload *w = &p->workloads[k[j].item.index];
        items[j].index = k[j].item.index;
        items[j].swap_layer = w->swap_layer && !listed_id(observed_swap, n_swap, w->id);
        items[j].alternatives = w->n_alternatives && !listed_id(observed_alts, n_alts, w->id);
    }
    free(k);
    *out = items;
    *n = m;
    return 0;
}
