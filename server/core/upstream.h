/* upstream.h - upstream access terms that active workloads outlive (the
 * summary's and the strategy views' "upstream_terms"): an upstream
 * contract's licence, distribution or cloud-priority term with an end date,
 * and the active workloads with a model, hosting, assistant or data
 * dependency in the term's scope whose planned end (none: open-ended) comes
 * after it. Pure: no I/O. */
#ifndef SY_UPSTREAM_H
#define SY_UPSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/concentration.h"
#include "core/portfolio.h"

typedef struct upstream_outlived {
    const contract *contract;
    const contract_term *term;
    int64_t until;              /* the term's end (days) */
    size_t count;               /* workloads that outlive it */
    size_t *listed;             /* the first of them (indices into
                                   p->workloads, in portfolio order) */
    size_t n_listed;            /* at most the cap asked for */
} upstream_outlived;

/* The terms, in contract and term order, each with at least one workload
 * (include narrows the workloads; NULL: every active one), listing at most
 * cap workloads each. One pass over the workloads: each term's scope is
 * worked out once per offering (a bit set per offering), not per
 * dependency. 0, or -1 out of memory. */
int upstream_outlived_terms(const portfolio *p, workload_filter include, const void *ctx,
                            size_t cap, arena *a, upstream_outlived **out, size_t *n_out);

#endif
