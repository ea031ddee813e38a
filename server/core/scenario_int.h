/* scenario_int.h - what the scenario evaluation stages share
 * (scenario_eval.c: withdrawals, the after copy and the figures;
 * scenario_exit.c: replacements, reasons and time to exit). Internal to
 * core/: not part of the scenario API. */
#ifndef SY_SCENARIO_INT_H
#define SY_SCENARIO_INT_H

#include <stddef.h>

#include "core/scenario.h"

typedef struct eval_ctx {
    const portfolio *p;
    const scenario *s;
    arena *a;
    scenario_result *out;
    int64_t *exited;            /* exited groups, n_exited of them */
    size_t n_exited;
    int64_t *end_on;            /* per contract: the scenario's end date, -1 none */
    unsigned char *swap;        /* per workload: has a swap layer after */
    unsigned char *changed;     /* per workload: its after copy differs */
    unsigned char *level;       /* per workload: lock-in level */
    unsigned char *unavail;     /* per offering: withdrawn in the scenario */
    unsigned char *relied;      /* per offering: withdrawn and relied on by an
                                   affected active workload */
    portfolio *q;               /* the after copy */
    workload *qw;               /* its workloads */
} eval_ctx;

/* Position of an offering in p->offerings, or -1. */
ptrdiff_t scenario_offering_at(const portfolio *p, int64_t id);

/* Lists workload i's distinct withdrawn dependencies with their
 * replacements, and sets its outcome, migration days and reason. Only for
 * an active workload with n_lost > 0 withdrawn dependencies. 0 or -1. */
int scenario_classify(eval_ctx *x, size_t i, size_t n_lost, scenario_workload *r);

/* Fills out->exit from the contracts binding the relied-on withdrawn
 * offerings and the workloads' migration days. */
void scenario_time_to_exit(eval_ctx *x);

#endif
