/* overview.c - the summary's and the strategy views' figures; see
 * overview.h. */
#include "core/overview.h"

#include <stdlib.h>
#include <string.h>

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

static int collect(const portfolio *p, const risk_result *risk, const char *track,
                   int flagged_only, int (*order)(const void *, const void *), arena *a,
                   ov_item **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    keyed *k = malloc((p->n_workloads + 1) * sizeof *k);
    ov_item *items = arena_alloc(a, (p->n_workloads + 1) * sizeof *items);
    if (!k || !items) {
        free(k);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!ov_in_track(w, track) || !workload_active(w) || (flagged_only && !risk[i].flagged))
            continue;
        k[m].item.index = i;
        k[m].item.exposure = risk[i].score * criticality_weight(w->criticality);
        k[m].priority = risk[i].priority;
        k[m].score = risk[i].score;
        k[m].name = w->name;
        k[m].id = w->id;
        m++;
    }
    qsort(k, m, sizeof *k, order);
    for (size_t i = 0; i < m; i++)
        items[i] = k[i].item;
    free(k);
    *out = items;
    *n = m;
    return 0;
}

int ov_flagged(const portfolio *p, const risk_result *risk, const char *track, arena *a,
               ov_item **out, size_t *n)
{
    return collect(p, risk, track, 1, by_action, a, out, n);
}

int ov_track_rows(const portfolio *p, const risk_result *risk, const char *track, arena *a,
                  ov_item **out, size_t *n)
{
    return collect(p, risk, track, 0, by_score, a, out, n);
}
