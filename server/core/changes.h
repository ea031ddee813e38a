/* changes.h - what changed in the portfolio since the start of a day (issue 19 item 3:
 * "since the last review"), per workload and per contract, from two scored
 * portfolios: the one at the start of that day (put back together from the audit trail,
 * api/history_state.h) and today's. Pure: no I/O.
 *
 * Per workload (kinds):
 *   new          not there that day, active now
 *   retired      active that day, retired or deleted since
 *   level        lock-in level moved (from, to), with one
 *   factor       per risk factor whose points moved (code, points from, to)
 *   priority     priority moved (from, to)
 *   flagged / unflagged
 *   acceptance_granted  an acceptance recorded since (until its expiry)
 *   acceptance_expired  an acceptance whose last day fell since, or revoked since
 *   drill        an exit drill held since (passed or failed, the alternative)
 * Per contract:
 *   new          not there that day, in force now
 *   ended        in force that day, not now (or deleted)
 *   renewed      its current term's end moved later (from, to)
 *   ending       in force, its notice deadline or end within the next 90 days
 * Workloads and contracts with no change are left out; the lists are by
 * name. */
#ifndef SY_CHANGES_H
#define SY_CHANGES_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "core/portfolio.h"
#include "core/risk.h"

#define CHANGES_ENDING_DAYS 90

typedef struct change {
    const char *kind;
    const char *code;          /* factor: its code; drill: its result */
    const char *from, *to;     /* level, priority: names; renewed: dates; drill: offering */
    int points_from, points_to;/* factor */
    const char *day;           /* acceptance, drill, ending: the date concerned */
} change;

typedef struct change_item {
    int64_t id;
    const char *name;
    const char *track;         /* workloads */
    change *changes;
    size_t n_changes;
} change_item;

typedef struct change_set {
    change_item *workloads;
    size_t n_workloads;
    change_item *contracts;
    size_t n_contracts;
} change_set;

/* Compares before (the portfolio at the instant cutoff, RFC 3339; p->today
 * its day) with after (today); each risk array has one result per its
 * workloads. Acceptances count as granted or revoked since when recorded
 * at or after cutoff; drills when held on its day or later. 0, or -1 out
 * of memory. */
int changes_compute(const portfolio *before, const risk_result *rb, const portfolio *after,
                    const risk_result *ra, const char *cutoff, arena *a, change_set *out);

#endif
