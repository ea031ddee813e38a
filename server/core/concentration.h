/* concentration.h - Herfindahl-Hirschman index per layer over vendor groups
 * (shared domain.md): HHI = sum of (100 * share)^2 over groups; bands after
 * the 2023 US Merger Guidelines; effective number = 10,000 / HHI.
 *
 * Each workload's amount (monthly spend, or its criticality weight) is
 * split evenly, in each layer, over its model, hosting, assistant and data
 * dependencies that have a group there, each part going to its offering's
 * group (two Microsoft dependencies and one OpenAI: Microsoft two thirds);
 * identity and tooling dependencies carry none (dependency_carries_weight). An offering
 * with no host runs on the organisation's own infrastructure and counts as
 * the group "Self-hosted"; an offering with no publisher (a data store, an
 * identity service) does not count in the publisher layer. Only the
 * active set counts (workload_active: pilot and production); proposed and
 * retired workloads never do. Pure: no I/O.
 *
 * The sums are exact integers: a workload's amount (cents, or its weight)
 * times CONC_SCALE = lcm(1..16), split into parts of amount * CONC_SCALE /
 * parts (exact up to 16 parts; past 16 the floor, with the remainder on the
 * first part), so that sums kept by adding and taking away workloads
 * (conc_sums, kept by the snapshot) equal a recount to the last unit.
 * Shares and HHI are computed from the integers when written. */
#ifndef SY_CONCENTRATION_H
#define SY_CONCENTRATION_H

#include <stddef.h>

#include "core/portfolio.h"

enum { LAYER_PROVIDER, LAYER_PUBLISHER, LAYER_HOST, LAYERS };
extern const char *const LAYER_NAMES[LAYERS + 1];

#define SELF_HOSTED_GROUP (-1)

/* lcm(1..16): amount * CONC_SCALE splits evenly over up to 16 parts. */
#define CONC_SCALE 720720
/* Sums of scaled amounts: 100,000 workloads of 10^11 cents each times
 * CONC_SCALE pass 2^63. */
__extension__ typedef __int128 conc_int;

typedef struct conc_share {
    int64_t group;             /* group id, or SELF_HOSTED_GROUP */
    const char *name;
    double amount;             /* spend in currency units, or weight */
    double share;              /* fraction of the layer total */
    conc_int exact;            /* amount in cents (or weight) x CONC_SCALE */
} conc_share;

typedef struct conc_layer {
    double total;
    conc_int exact_total;      /* total in cents (or weight) x CONC_SCALE */
    double hhi;                /* 0 when the layer is empty */
    const char *band;          /* "high", "moderate", "unconcentrated" */
    double effective;          /* 10,000 / HHI; 0 when empty */
    conc_share *shares;        /* by share, largest first */
    size_t n_shares;
} conc_layer;

typedef struct concentration {
    int basis_spend;           /* 1: monthly spend (declared or actual); 0: criticality-weighted workloads */
    int actual;                /* 1: observed monthly spend (basis "actual") */
    int connected;             /* 1: closely connected groups merged */
    conc_layer layers[LAYERS];
    size_t counted;            /* actual: active workloads with observed spend */
    size_t *not_counted;       /* actual: indices into p->workloads of active ones without */
    size_t n_not_counted;
} concentration;

/* A month of observed spend of a workload: from the bill (FinOps FOCUS,
 * actual_spend) or from an AI gateway's spend logs (gateway_spend). */
typedef struct observed_month {
    int64_t workload;
    const char *month;         /* YYYY-MM */
    const char *currency;
    int64_t cents;
    int from_bill;             /* 1: the bill; 0: the gateway */
} observed_month;

typedef struct conc_observed {
    int64_t workload;
    double amount;             /* currency units a month */
    int64_t cents;             /* the same in cents */
    const char *month;
    int from_bill;
} conc_observed;

/* Each workload's observed monthly spend: its latest month of the bill,
 * else its latest month of gateway spend (the bill is what is paid; the
 * gateway prices only what passes through it), counting only amounts in
 * currency (NULL or "": any one currency; a month in several is skipped).
 * *out is sorted by workload, from a. 0, or -1 out of memory. */
int conc_observed_pick(const observed_month *rows, size_t n, const char *currency, arena *a,
                       conc_observed **out, size_t *n_out);

/* The `actual` basis: each active workload weighs its observed monthly
 * spend (obs sorted by workload, as conc_observed_pick makes it); active
 * workloads without any are not counted, and listed in out->not_counted
 * rather than weighed by what was declared. */
int concentration_compute_actual(const portfolio *p, int connected, const conc_observed *obs,
                                 size_t n_obs, arena *a, concentration *out);

/* Narrows the workloads that count; NULL counts every active one. */
typedef int (*workload_filter)(const workload *w, const void *ctx);

int concentration_compute(const portfolio *p, int basis_spend, int connected,
                          workload_filter include, const void *ctx, arena *a,
                          concentration *out);

/* Per offering index, layer and connected (0, 1): the slot of its group
 * in the sums (vendor index of the group; n_vendors for Self-hosted), or
 * -1 when it does not count in that layer. Built per catalogue. */
typedef struct conc_index {
    int32_t *slot;             /* [offering][LAYERS][2] */
    size_t n_offerings;
    size_t n_slots;            /* n_vendors + 1 */
} conc_index;
int conc_index_build(const portfolio *p, arena *a, conc_index *out);

/* The summary's and the track views' sums, kept by a snapshot: per basis
 * (spend, weighted), connected (0, 1), track bucket (TRACKS, then any
 * other track), layer and slot. Exact, so kept == recount. */
#define CONC_BUCKETS 5
typedef struct conc_sums {
    size_t n_slots;
    conc_int *v;               /* [basis 2][connected 2][CONC_BUCKETS][LAYERS][n_slots] */
} conc_sums;

/* Zeroed sums for ix's catalogue in a; 0, or -1 out of memory. */
int conc_sums_init(conc_sums *s, const conc_index *ix, arena *a);
/* A copy of from in a; 0, or -1. */
int conc_sums_copy(conc_sums *s, const conc_sums *from, arena *a);
/* Adds (sign 1) or takes away (-1) workload w's parts, against the
 * catalogue of p (ix built from it). */
void conc_sums_add(conc_sums *s, const portfolio *p, const conc_index *ix, const workload *w,
                   int sign);
/* 1 when both hold the same sums. */
int conc_sums_equal(const conc_sums *x, const conc_sums *y);
/* The layers from kept sums, for track (NULL: every workload); the same
 * as concentration_track over the workloads they were kept for. */
int conc_sums_result(const conc_sums *s, const portfolio *p, int basis_spend, int connected,
                     const char *track, arena *a, concentration *out);

/* The layers of a track's (NULL: every) active workloads: from kept when
 * given (sums kept for exactly p's workloads and catalogue), else counted
 * (concentration_compute with ov_in_track's filter). */
int concentration_kept(const portfolio *p, const conc_sums *kept, int basis_spend,
                       int connected, const char *track, arena *a, concentration *out);

/* HHI of raw amounts (shares computed from their sum). */
double hhi_of(const double *amounts, size_t n);
const char *hhi_band(double hhi);   /* >1800 high, >=1000 moderate */

#endif
