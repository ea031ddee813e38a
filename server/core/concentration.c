/* concentration.c - HHI per layer; see concentration.h. */
#include "core/concentration.h"

#include <stdlib.h>
#include <string.h>

const char *const LAYER_NAMES[LAYERS + 1] = {"provider", "publisher", "host", NULL};

double hhi_of(const double *amounts, size_t n)
{
    double total = 0, hhi = 0;
    for (size_t i = 0; i < n; i++)
        total += amounts[i];
    if (total <= 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        double s = 100.0 * amounts[i] / total;
        hhi += s * s;
    }
    return hhi;
}

/* Shares are fractions of a sum in floating point, so an HHI that is
 * exactly a band boundary (ten equal groups: 1,000) can come out a hair
 * below or above it (999.9999999999999); compare with a tolerance far
 * below any displayed precision. */
#define HHI_EPSILON 1e-6

const char *hhi_band(double hhi)
{
    if (hhi > 1800 + HHI_EPSILON)
        return "high";
    if (hhi >= 1000 - HHI_EPSILON)
        return "moderate";
    return "unconcentrated";
}

static int by_share_desc(const void *a, const void *b)
{
    const conc_share *x = a, *y = b;
    if (x->amount != y->amount)
        return x->amount < y->amount ? 1 : -1;
    return x->group < y->group ? -1 : x->group > y->group;
}

/* The group of an offering in a layer; 0 when it does not count there. */
static int64_t layer_group(const portfolio *p, const offering *o, int layer, int connected)
{
    int64_t vendor_id = layer == LAYER_PROVIDER ? o->provider
                        : layer == LAYER_PUBLISHER ? o->publisher : o->host;
    if (!vendor_id)
        return layer == LAYER_HOST ? SELF_HOSTED_GROUP : 0;
    return connected ? pf_merged_group(p, vendor_id) : pf_group(p, vendor_id);
}

static conc_share *share_for(conc_layer *l, int64_t group, size_t cap)
{
    for (size_t i = 0; i < l->n_shares; i++)
        if (l->shares[i].group == group)
            return &l->shares[i];
    if (l->n_shares == cap)
        return NULL;
    conc_share *s = &l->shares[l->n_shares++];
    s->group = group;
    return s;
}

/* A workload's amount on a basis; < 0 when it has none (actual basis). */
typedef double (*amount_fn)(const workload *w, const void *actx);

static double declared_spend(const workload *w, const void *actx)
{
    (void)actx;
    return (double)w->monthly_spend / 100.0;
}

static double criticality_amount(const workload *w, const void *actx)
{
    (void)actx;
    return (double)criticality_weight(w->criticality);
}

typedef struct observed_set {
    const conc_observed *obs;
    size_t n;
} observed_set;

static int by_observed_workload(const void *k, const void *e)
{
    int64_t a = *(const int64_t *)k, b = ((const conc_observed *)e)->workload;
    return (a > b) - (a < b);
}

static double observed_amount(const workload *w, const void *actx)
{
    const observed_set *set = actx;
    const conc_observed *hit =
        set->n ? bsearch(&w->id, set->obs, set->n, sizeof *set->obs, by_observed_workload) : NULL;
    return hit ? hit->amount : -1;
}

static int compute(const portfolio *p, int connected, workload_filter include, const void *ctx,
                   amount_fn amount_of, const void *actx, arena *a, concentration *out)
{
    size_t cap = p->n_vendors + 1;   /* every group plus self-hosted */
    for (int l = 0; l < LAYERS; l++) {
        out->layers[l].shares = arena_alloc(a, cap * sizeof(conc_share));
        if (!out->layers[l].shares)
            return -1;
    }
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!workload_active(w) || (include && !include(w, ctx)))
            continue;
        double amount = amount_of(w, actx);
        if (amount < 0 && out->actual) {
            out->not_counted[out->n_not_counted++] = i;
            continue;
        }
        out->counted += out->actual;
        if (amount <= 0)
            continue;
        /* Per layer, split evenly over its model, hosting, assistant and
         * data dependencies that have a group there (domain.md
         * "Concentration"): identity and tooling carry none, and an
         * offering with no publisher takes no part in the publisher layer. */
        for (int l = 0; l < LAYERS; l++) {
            size_t parts = 0;
            for (size_t d = 0; d < w->n_dependencies; d++) {
                const offering *o = pf_offering(p, w->dependencies[d].offering);
                parts += o && dependency_carries_weight(w->dependencies[d].role) &&
                         layer_group(p, o, l, connected) != 0;
            }
            for (size_t d = 0; parts && d < w->n_dependencies; d++) {
                const offering *o = pf_offering(p, w->dependencies[d].offering);
                if (!o || !dependency_carries_weight(w->dependencies[d].role))
                    continue;
                int64_t g = layer_group(p, o, l, connected);
                conc_share *s = g ? share_for(&out->layers[l], g, cap) : NULL;
                if (s)
                    s->amount += amount / (double)parts;
            }
            if (parts)
                out->layers[l].total += amount;
        }
    }
    for (int l = 0; l < LAYERS; l++) {
        conc_layer *layer = &out->layers[l];
        qsort(layer->shares, layer->n_shares, sizeof *layer->shares, by_share_desc);
        double hhi = 0;
        for (size_t k = 0; k < layer->n_shares; k++) {
            conc_share *s = &layer->shares[k];
            s->share = layer->total > 0 ? s->amount / layer->total : 0;
            s->name = s->group == SELF_HOSTED_GROUP ? "Self-hosted"
                                                    : pf_group_name(p, s->group, connected, a);
            hhi += (100.0 * s->share) * (100.0 * s->share);
        }
        layer->hhi = hhi;
        layer->band = hhi_band(hhi);
        layer->effective = hhi > 0 ? 10000.0 / hhi : 0;
    }
    return 0;
}

int concentration_compute(const portfolio *p, int basis_spend, int connected,
                          workload_filter include, const void *ctx, arena *a,
                          concentration *out)
{
    memset(out, 0, sizeof *out);
    out->basis_spend = basis_spend;
    out->connected = connected;
    return compute(p, connected, include, ctx, basis_spend ? declared_spend : criticality_amount,
                   NULL, a, out);
}

int concentration_compute_actual(const portfolio *p, int connected, const conc_observed *obs,
                                 size_t n_obs, arena *a, concentration *out)
{
    memset(out, 0, sizeof *out);
    out->basis_spend = 1;
    out->actual = 1;
    out->connected = connected;
    out->not_counted = arena_alloc(a, (p->n_workloads + 1) * sizeof *out->not_counted);
    if (!out->not_counted)
        return -1;
    observed_set set = {obs, n_obs};
    return compute(p, connected, NULL, NULL, observed_amount, &set, a, out);
}

static int by_workload_month(const void *a, const void *b)
{
    const observed_month *x = *(const observed_month *const *)a;
    const observed_month *y = *(const observed_month *const *)b;
    if (x->workload != y->workload)
        return (x->workload > y->workload) - (x->workload < y->workload);
    if (x->from_bill != y->from_bill)
        return y->from_bill - x->from_bill;          /* the bill first */
    int m = strcmp(y->month, x->month);               /* newest month first */
    return m ? m : strcmp(x->currency, y->currency);
}

int conc_observed_pick(const observed_month *rows, size_t n, const char *currency, arena *a,
                       conc_observed **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (!n)
        return 0;
    const observed_month **v = malloc(n * sizeof *v);
    conc_observed *res = arena_alloc(a, n * sizeof *res);
    if (!v || !res) {
        free(v);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = &rows[i];
    qsort(v, n, sizeof *v, by_workload_month);
    int any = !currency || !*currency;
    for (size_t i = 0; i < n;) {
        size_t j = i; /* the workload's rows: [i, end) */
        size_t end = i;
        while (end < n && v[end]->workload == v[i]->workload)
            end++;
        int done = 0;
        while (j < end && !done) {
            /* One month of one source: [j, k) */
            size_t k = j, in_cur = 0, cur_at = j;
            while (k < end && v[k]->from_bill == v[j]->from_bill && !strcmp(v[k]->month, v[j]->month)) {
                if (any ? k == j : !strcmp(v[k]->currency, currency)) {
                    in_cur++;
                    cur_at = k;
                }
                k++;
            }
            if (in_cur == 1 && (!any || k - j == 1)) {
                res[*n_out] = (conc_observed){v[cur_at]->workload, (double)v[cur_at]->cents / 100.0,
                                             v[cur_at]->month, v[cur_at]->from_bill};
                (*n_out)++;
                done = 1;
            }
            j = k;
        }
        i = end;
    }
    free(v);
    *out = res;
    return 0;
}
