/* rescore.h - which workloads a change of offerings or contracts touches,
 * so that the scored snapshot (api/snapshot.c) rescores only those.
 *
 * A workload's risk (core/risk.c) reads, besides the workload itself and
 * the vendors: the offerings of its dependencies and alternatives, the
 * successors of its dependencies, the contracts covering its dependencies,
 * and the upstream contracts whose scoped terms match a dependency. So a
 * change to offering X touches the workloads naming X, or naming an
 * offering whose successor is X; a change to contract C touches the
 * workloads naming an offering C covers or one of its scoped terms
 * matches, before or after the change. Pure: no SQL. */
#ifndef SY_RESCORE_H
#define SY_RESCORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/portfolio.h"

/* A sorted set of offering ids (heap; rescore_set_free). */
typedef struct rescore_set {
    int64_t *ids;
    size_t n, cap;
} rescore_set;

/* Fills set with the offerings whose workloads need rescoring after the
 * offerings and contracts listed changed from `before` to `after` (both
 * indexed portfolios with the same vendors). 0, or -1 if out of memory. */
int rescore_offerings(const portfolio *before, const portfolio *after,
                      const int64_t *offerings, size_t n_offerings,
                      const int64_t *contracts, size_t n_contracts, rescore_set *set);

/* 1 when a dependency or alternative of w names an offering of the set. */
int rescore_touches(const rescore_set *set, const workload *w);

void rescore_set_free(rescore_set *set);

#endif
