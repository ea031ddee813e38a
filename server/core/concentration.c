/* concentration.c - HHI per layer; see concentration.h. */
#include "core/concentration.h"

#include <stdlib.h>
#include <string.h>

#include "core/overview.h"

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

/* The group of an offering in a layer; 0 when it does not count there. */
static int64_t layer_group(const portfolio *p, const offering *o, int layer, int connected)
{
    int64_t vendor_id = layer == LAYER_PROVIDER ? o->provider
                        : layer == LAYER_PUBLISHER ? o->publisher : o->host;
    if (!vendor_id)
        return layer == LAYER_HOST ? SELF_HOSTED_GROUP : 0;
    return connected ? pf_merged_group(p, vendor_id) : pf_group(p, vendor_id);
}

/* The slot of offering o's group in layer l (vendor index of the group,
 * n_vendors for Self-hosted); -1 when it does not count there, or when its
 * group is no vendor of the catalogue (foreign keys rule that out). */
static int32_t group_slot(const portfolio *p, const offering *o, int l, int connected)
{
    int64_t g = layer_group(p, o, l, connected);
    if (!g)
        return -1;
    if (g == SELF_HOSTED_GROUP)
        return (int32_t)p->n_vendors;
    const vendor *v = pf_vendor(p, g);
    return v ? (int32_t)(v - p->vendors) : -1;
}

int conc_index_build(const portfolio *p, arena *a, conc_index *out)
{
    out->n_offerings = p->n_offerings;
    out->n_slots = p->n_vendors + 1;
    out->slot = arena_alloc(a, (p->n_offerings + 1) * LAYERS * 2 * sizeof *out->slot);
    if (!out->slot)
        return -1;
    for (size_t i = 0; i < p->n_offerings; i++)
        for (int l = 0; l < LAYERS; l++)
            for (int c = 0; c < 2; c++)
                out->slot[(i * LAYERS + (size_t)l) * 2 + (size_t)c] =
                    group_slot(p, &p->offerings[i], l, c);
    return 0;
}

/* The offering index of a dependency that carries weight, or -1. */
static int32_t dep_offering(const portfolio *p, const conc_index *ix, const dependency *dep)
{
    if (!dependency_carries_weight(dep->role))
        return -1;
    const offering *o = pf_offering(p, dep->offering);
    size_t i = o ? (size_t)(o - p->offerings) : ix->n_offerings;
    return i < ix->n_offerings ? (int32_t)i : -1;
}

/* The slot of offering index o's group in layer l, or -1 for none. */
static int32_t slot_of(const conc_index *ix, int32_t o, int l, int connected)
{
    return o < 0 ? -1 : ix->slot[((size_t)o * LAYERS + (size_t)l) * 2 + (size_t)connected];
}

/* Dependencies whose offering index is looked up once per workload. */
#define DEP_CACHE 64

/* Adds sign x workload w's parts of amounts[b] to sums[b][layer][slot],
 * for each of n_bases bases. Per layer, amount * CONC_SCALE is split
 * evenly over its model, hosting, assistant and data dependencies that
 * have a group there (domain.md "Concentration"): exactly up to 16 parts,
 * past that the floor with the remainder on the first part. */
static void add_parts(const portfolio *p, const conc_index *ix, const workload *w,
                      int connected, const int64_t *amounts, conc_int *const *sums,
                      int n_bases, int sign)
{
    int any = 0;
    for (int b = 0; b < n_bases; b++)
        any |= amounts[b] > 0;
    if (!any)
        return;
    int32_t at[DEP_CACHE];
    size_t n = w->n_dependencies, cached = n < DEP_CACHE ? n : DEP_CACHE;
    for (size_t d = 0; d < cached; d++)
        at[d] = dep_offering(p, ix, &w->dependencies[d]);
#define OFFERING_OF(d) ((d) < cached ? at[d] : dep_offering(p, ix, &w->dependencies[d]))
    for (int l = 0; l < LAYERS; l++) {
        size_t parts = 0;
        for (size_t d = 0; d < n; d++)
            parts += slot_of(ix, OFFERING_OF(d), l, connected) >= 0;
        for (int b = 0; parts && b < n_bases; b++) {
            int64_t amount = amounts[b];
            if (amount <= 0)
                continue;
            conc_int q, r;
            if (amount <= INT64_MAX / CONC_SCALE) {
                int64_t whole = amount * CONC_SCALE, q64 = whole / (int64_t)parts;
                q = q64;
                r = whole - q64 * (int64_t)parts;
            } else {
                conc_int whole = (conc_int)amount * CONC_SCALE;
                q = whole / (conc_int)parts;
                r = whole - q * (conc_int)parts;
            }
            conc_int *layer = sums[b] + (size_t)l * ix->n_slots;
            for (size_t d = 0; d < n; d++) {
                int32_t slot = slot_of(ix, OFFERING_OF(d), l, connected);
                if (slot < 0)
                    continue;
                layer[slot] += sign > 0 ? q + r : -(q + r);
                r = 0;
            }
        }
    }
#undef OFFERING_OF
}

static int by_share_desc(const void *a, const void *b)
{
    const conc_share *x = a, *y = b;
    if (x->exact != y->exact)
        return x->exact < y->exact ? 1 : -1;
    return x->group < y->group ? -1 : x->group > y->group;
}

/* The layers from integer sums[layer][slot] (out's basis and connected
 * set): shares, largest first, and HHI from the integers. */
static int finish(const portfolio *p, const conc_int *sums, size_t n_slots, arena *a,
                  concentration *out)
{
    double unit = out->basis_spend ? 100.0 * CONC_SCALE : (double)CONC_SCALE;
    for (int l = 0; l < LAYERS; l++) {
        conc_layer *layer = &out->layers[l];
        const conc_int *v = sums + (size_t)l * n_slots;
        layer->shares = arena_alloc(a, n_slots * sizeof(conc_share));
        if (!layer->shares)
            return -1;
        conc_int total = 0;
        for (size_t k = 0; k < n_slots; k++) {
            if (!v[k])
                continue;
            total += v[k];
            conc_share *s = &layer->shares[layer->n_shares++];
            s->group = k < p->n_vendors ? p->vendors[k].id : SELF_HOSTED_GROUP;
            s->exact = v[k];
        }
        qsort(layer->shares, layer->n_shares, sizeof *layer->shares, by_share_desc);
        layer->exact_total = total;
        layer->total = (double)total / unit;
        double hhi = 0;
        for (size_t k = 0; k < layer->n_shares; k++) {
            conc_share *s = &layer->shares[k];
            s->amount = (double)s->exact / unit;
            s->share = total > 0 ? (double)s->exact / (double)total : 0;
            s->name = s->group == SELF_HOSTED_GROUP ? "Self-hosted"
                                                    : pf_group_name(p, s->group, out->connected, a);
            hhi += (100.0 * s->share) * (100.0 * s->share);
        }
        layer->hhi = hhi;
        layer->band = hhi_band(hhi);
        layer->effective = hhi > 0 ? 10000.0 / hhi : 0;
    }
    return 0;
}

/* A workload's amount on a basis (cents or weight); < 0 when it has none
 * (actual basis). */
typedef int64_t (*amount_fn)(const workload *w, const void *actx);

static int64_t declared_spend(const workload *w, const void *actx)
{
    (void)actx;
    return w->monthly_spend;
}

static int64_t criticality_amount(const workload *w, const void *actx)
{
    (void)actx;
    return criticality_weight(w->criticality);
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

static int64_t observed_amount(const workload *w, const void *actx)
{
    const observed_set *set = actx;
    const conc_observed *hit =
        set->n ? bsearch(&w->id, set->obs, set->n, sizeof *set->obs, by_observed_workload) : NULL;
    return hit ? hit->cents : -1;
}

static int compute(const portfolio *p, int connected, workload_filter include, const void *ctx,
                   amount_fn amount_of, const void *actx, arena *a, concentration *out)
{
    conc_index ix;
    if (conc_index_build(p, a, &ix) != 0)
        return -1;
    conc_int *sums = arena_alloc(a, LAYERS * ix.n_slots * sizeof *sums);
    if (!sums)
        return -1;
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!workload_active(w) || (include && !include(w, ctx)))
            continue;
        int64_t amount = amount_of(w, actx);
        if (amount < 0 && out->actual) {
            out->not_counted[out->n_not_counted++] = i;
            continue;
        }
        out->counted += out->actual;
        add_parts(p, &ix, w, connected, &amount, &sums, 1, 1);
    }
    return finish(p, sums, ix.n_slots, a, out);
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

/* Kept sums (conc_sums): [basis][connected][bucket] blocks of
 * [LAYERS][n_slots]. A workload's bucket is its track's index in TRACKS,
 * or the last for any other track. */
static size_t block_size(const conc_sums *s)
{
    return (size_t)LAYERS * s->n_slots;
}

static conc_int *block(const conc_sums *s, int basis_spend, int connected, int bucket)
{
    return s->v + ((size_t)((basis_spend * 2 + connected) * CONC_BUCKETS + bucket)) *
                      block_size(s);
}

/* The bucket of a track; -1 for a name that is none of TRACKS. */
static int track_bucket(const char *track)
{
    return enum_index(TRACKS, track);
}

int conc_sums_init(conc_sums *s, const conc_index *ix, arena *a)
{
    s->n_slots = ix->n_slots;
    s->v = arena_alloc(a, 4 * CONC_BUCKETS * block_size(s) * sizeof *s->v);
    return s->v ? 0 : -1;
}

int conc_sums_copy(conc_sums *s, const conc_sums *from, arena *a)
{
    s->n_slots = from->n_slots;
    size_t bytes = 4 * CONC_BUCKETS * block_size(s) * sizeof *s->v;
    s->v = arena_alloc(a, bytes);
    if (!s->v)
        return -1;
    memcpy(s->v, from->v, bytes);
    return 0;
}

void conc_sums_add(conc_sums *s, const portfolio *p, const conc_index *ix, const workload *w,
                   int sign)
{
    if (!s->v || !workload_active(w))
        return;
    int b = track_bucket(w->track);
    b = b >= 0 && b < CONC_BUCKETS - 1 ? b : CONC_BUCKETS - 1;
    int64_t amounts[2] = {w->monthly_spend, criticality_weight(w->criticality)};
    for (int c = 0; c < 2; c++) {
        conc_int *sums[2] = {block(s, 1, c, b), block(s, 0, c, b)};
        add_parts(p, ix, w, c, amounts, sums, 2, sign);
    }
}

int conc_sums_equal(const conc_sums *x, const conc_sums *y)
{
    if (x->n_slots != y->n_slots || !x->v || !y->v)
        return 0;
    size_t n = 4 * CONC_BUCKETS * block_size(x);
    for (size_t i = 0; i < n; i++)
        if (x->v[i] != y->v[i])
            return 0;
    return 1;
}

int conc_sums_result(const conc_sums *s, const portfolio *p, int basis_spend, int connected,
                     const char *track, arena *a, concentration *out)
{
    memset(out, 0, sizeof *out);
    out->basis_spend = basis_spend;
    out->connected = connected;
    int b = track ? track_bucket(track) : -1;
    if (!s->v || s->n_slots != p->n_vendors + 1 || (track && (b < 0 || b >= CONC_BUCKETS - 1)))
        return -1;
    if (track)
        return finish(p, block(s, basis_spend, connected, b), s->n_slots, a, out);
    /* Every workload: the buckets added up. */
    conc_int *all = arena_alloc(a, block_size(s) * sizeof *all);
    if (!all)
        return -1;
    for (int k = 0; k < CONC_BUCKETS; k++) {
        const conc_int *v = block(s, basis_spend, connected, k);
        for (size_t i = 0; i < block_size(s); i++)
            all[i] += v[i];
    }
    return finish(p, all, s->n_slots, a, out);
}

int concentration_kept(const portfolio *p, const conc_sums *kept, int basis_spend,
                       int connected, const char *track, arena *a, concentration *out)
{
    if (kept && conc_sums_result(kept, p, basis_spend, connected, track, a, out) == 0)
        return 0;
    return concentration_compute(p, basis_spend, connected, ov_in_track, track, a, out);
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
                                             v[cur_at]->cents, v[cur_at]->month,
                                             v[cur_at]->from_bill};
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
