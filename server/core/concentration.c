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

int concentration_compute(const portfolio *p, int basis_spend, int connected,
                          workload_filter include, const void *ctx, arena *a,
                          concentration *out)
{
    memset(out, 0, sizeof *out);
    out->basis_spend = basis_spend;
    out->connected = connected;
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
        double amount = basis_spend ? (double)w->monthly_spend / 100.0
                                    : (double)criticality_weight(w->criticality);
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
