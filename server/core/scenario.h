/* scenario.h - what-if scenarios over a copy of the portfolio (shared
 * domain.md). Pure: the caller's portfolio is never modified, nothing is
 * written anywhere.
 *
 * Changes: a vendor group exits (everything it provides, publishes or
 * hosts becomes unavailable), an offering is withdrawn, a contract ends on
 * a date (the offerings it covers become unavailable), a swap layer is
 * added to some workloads.
 *
 * Each non-retired workload that depends on an unavailable offering is
 * affected: `movable` when it has a swap layer (after the changes) or every
 * unavailable dependency has an alternative - an available offering of the
 * same category whose provider is in another group (not exited); otherwise
 * `stranded`. The rest are `unaffected`.
 *
 * After-state: unavailable dependencies of movable workloads are replaced
 * by their first alternative (by offering id), stranded workloads drop out;
 * HHI per layer and the lock-in distribution are recomputed.
 * Time to exit: the longest notice period among customer contracts covering
 * an unavailable offering, plus the longest migration estimate among
 * affected workloads (swap layer 14 days, OpenAI-compatible interfaces 45,
 * otherwise 120). */
#ifndef SY_SCENARIO_H
#define SY_SCENARIO_H

#include <jansson.h>

#include "common/arena.h"
#include "core/concentration.h"
#include "core/errors.h"
#include "core/portfolio.h"
#include "core/risk.h"

enum { CHANGE_EXIT_GROUP, CHANGE_WITHDRAW_OFFERING, CHANGE_END_CONTRACT, CHANGE_ADD_SWAP_LAYER };
extern const char *const CHANGE_TYPES[];   /* exit_group ... add_swap_layer, NULL */

typedef struct scenario_change {
    int type;                  /* CHANGE_* */
    int64_t id;                /* vendor, offering or contract id */
    const char *on;            /* end_contract: YYYY-MM-DD */
    int64_t *workloads;        /* add_swap_layer */
    size_t n_workloads;
} scenario_change;

typedef struct scenario {
    scenario_change *changes;
    size_t n_changes;
} scenario;

/* Parses {"changes":[...]} shape-only (IDs positive, dates real, types
 * known; errors under /changes/N/...). 0 or -1 with e filled. */
int scenario_from_json(const json_t *changes, arena *a, scenario *out, sy_errors *e);

/* Checks that every referenced id exists in p; errors as above. */
int scenario_check_refs(const scenario *s, const portfolio *p, sy_errors *e);

enum { OUTCOME_UNAFFECTED, OUTCOME_MOVABLE, OUTCOME_STRANDED };
extern const char *const OUTCOMES[];

typedef struct scenario_workload {
    const workload *w;         /* the original */
    int outcome;
    int64_t *lost;             /* unavailable offerings it depends on */
    size_t n_lost;
    int64_t *alternatives;     /* one per lost offering; 0 when none */
    int migration_days;        /* 0 when unaffected */
} scenario_workload;

typedef struct scenario_side {
    concentration spend;       /* basis spend, not merged */
    int levels[4];             /* lock-in distribution over counted workloads */
    int64_t monthly_spend;     /* cents, non-retired and not stranded */
} scenario_side;

typedef struct scenario_result {
    scenario_workload *workloads;   /* one per p->workloads[i] */
    size_t n_workloads;
    int counts[3];                  /* by OUTCOME_* over non-retired */
    int64_t spend_at_risk;          /* cents: affected (movable + stranded) */
    int64_t spend_stranded;         /* cents */
    int critical_at_risk;           /* affected workloads of criticality critical */
    int64_t *unavailable;           /* offering ids */
    size_t n_unavailable;
    int notice_days;                /* longest notice among covering contracts */
    int migration_days;             /* longest migration among affected */
    int exit_days;                  /* notice + migration */
    scenario_side before, after;
} scenario_result;

int scenario_evaluate(const portfolio *p, const risk_weights *wts, const scenario *s,
                      arena *a, scenario_result *out);
/* The same, given the risk of every workload of p under wts (a scored
 * snapshot's): the before side is not scored again. */
int scenario_evaluate_scored(const portfolio *p, const risk_weights *wts,
                             const risk_result *scored, const scenario *s, arena *a,
                             scenario_result *out);

/* Migration estimates, in days. */
#define MIGRATE_SWAP_LAYER 14
#define MIGRATE_OPENAI_COMPATIBLE 45
#define MIGRATE_PROPRIETARY 120

#endif
