/* scenario.h - what-if scenarios over a copy of the portfolio (shared
 * domain.md "What-if scenarios"). Pure: the caller's portfolio is never
 * modified, nothing is written anywhere.
 *
 * Changes: a vendor group exits, an offering is withdrawn, a contract ends
 * on a date, a swap layer is added to some workloads, a named alternative
 * is drilled (a passed exit drill today).
 *
 * Withdrawn offerings:
 * - group exit: every offering the group provides or hosts, and every
 *   closed (not open-weight) model it publishes wherever it is hosted; its
 *   open-weight models stay usable where another group provides and hosts
 *   them;
 * - withdraw offering: that offering;
 * - contract end on a date: the offerings it covers, unless another
 *   customer contract in force on that date (signed by then, not ended by
 *   then, and not ended by the scenario on or before it) covers them.
 *
 * Each active workload (pilot, production) that depends on a withdrawn
 * offering is affected; for each withdrawn dependency a replacement is
 * looked for, in this order:
 * 1. a named alternative of that dependency that is not withdrawn (so its
 *    group has not exited), one whose latest drill proves the exit first;
 * 2. with a swap layer (model, hosting, assistant, data), or for identity
 *    and tooling (attached through their own standard interfaces, not
 *    through the swap layer): an offering of the same category, not
 *    withdrawn, with a compatible interface - both openai_compatible, or
 *    both open_standard - provided the workload relies on no proprietary
 *    feature (the catalogue does not record which offering carries which
 *    proprietary feature, so any other offering is taken to lose them).
 *    One the workload already uses is preferred, then the smallest id.
 * So a proprietary assistant or data store with no named alternative is
 * stranded. The workload is `movable` when every withdrawn dependency has
 * a replacement, otherwise `stranded`; its reason says, per dependency,
 * the replacement and the path, or what is missing.
 *
 * Migration days per withdrawn dependency, by path: a named alternative
 * whose latest drill passed in the last 180 days 7; else with a swap layer
 * 14; else to a compatible interface (openai_compatible to
 * openai_compatible, the domain's "OpenAI-compatible" path, or the same
 * open standard, as identity moves) 45; else (a proprietary interface, or
 * no replacement: a rebuild) 120. A workload takes its longest path plus
 * 30 for each proprietary feature it relies on when a model, hosting,
 * assistant or data dependency moves (an identity or tooling move alone
 * carries no feature); a stranded one counts as a rebuild.
 *
 * Time to exit: the latest of the notice deadline, the exclusivity end
 * (exclusive_until, or the contract's current end) and the committed-spend
 * end (committed_until, or the current end) over the customer contracts in
 * force today that cover a withdrawn offering an affected workload relies
 * on - a contract the scenario ends on a date binds no later than that
 * date, which also counts - never before today; plus the longest migration
 * among affected workloads.
 *
 * After-state: the withdrawn dependencies of movable workloads are replaced
 * by their replacement (their spend moves to its groups); stranded
 * workloads drop out of the after figures and their spend is reported
 * apart; HHI per layer and the lock-in distribution are recomputed. */
#ifndef SY_SCENARIO_H
#define SY_SCENARIO_H

#include <jansson.h>

#include "common/arena.h"
#include "core/concentration.h"
#include "core/errors.h"
#include "core/portfolio.h"
#include "core/risk.h"

enum {
    CHANGE_EXIT_GROUP,
    CHANGE_WITHDRAW_OFFERING,
    CHANGE_END_CONTRACT,
    CHANGE_ADD_SWAP_LAYER,
    CHANGE_DRILL_ALTERNATIVE
};
extern const char *const CHANGE_TYPES[];   /* exit_group ... drill_alternative, NULL */

typedef struct scenario_change {
    int type;                  /* CHANGE_* */
    int64_t id;                /* vendor, offering, contract or (drill) workload id */
    const char *on;            /* end_contract: YYYY-MM-DD */
    int64_t *workloads;        /* add_swap_layer */
    size_t n_workloads;
    int64_t dependency;        /* drill_alternative: the offering replaced */
    int64_t alternative;       /* drill_alternative: the named alternative */
} scenario_change;

typedef struct scenario {
    scenario_change *changes;
    size_t n_changes;
} scenario;

/* Parses {"changes":[...]} shape-only (IDs positive, dates real, types
 * known; errors under /changes/N/...). 0 or -1 with e filled. */
int scenario_from_json(const json_t *changes, arena *a, scenario *out, sy_errors *e);

/* Checks that every referenced id exists in p (and that a drilled
 * alternative is one the workload names for that dependency); errors as
 * above. */
int scenario_check_refs(const scenario *s, const portfolio *p, sy_errors *e);

enum { OUTCOME_UNAFFECTED, OUTCOME_MOVABLE, OUTCOME_STRANDED };
extern const char *const OUTCOMES[];

/* How a withdrawn dependency is replaced (migration path). */
enum {
    PATH_DRILLED,              /* named alternative, drill passed in 180 days */
    PATH_SWAP_LAYER,           /* through the swap layer */
    PATH_OPENAI_COMPATIBLE,    /* a compatible interface, no swap layer */
    PATH_PROPRIETARY,          /* anything else, or a rebuild */
    PATHS
};
extern const char *const PATH_NAMES[];     /* drilled_alternative ... proprietary, NULL */
extern const int PATH_DAYS[PATHS];         /* 7 14 45 120 */
#define MIGRATE_PER_FEATURE 30

/* Why a replacement was taken, or why there is none. */
enum {
    VIA_NAMED,                 /* a named alternative */
    VIA_SWAP_LAYER,            /* same category, compatible, through the swap layer */
    VIA_STANDARD,              /* identity or tooling: same category, same standard */
    MISSING_NAMED_WITHDRAWN,   /* its named alternatives are withdrawn too */
    MISSING_NO_SWAP_LAYER,     /* no named alternative, no swap layer */
    MISSING_PROPRIETARY,       /* proprietary interface: nothing is compatible */
    MISSING_FEATURES,          /* relies on proprietary features */
    MISSING_NO_CANDIDATE       /* no available compatible offering of its category */
};

typedef struct scenario_loss {
    int64_t offering;          /* the withdrawn dependency */
    const char *role;          /* its (first) role in the workload */
    int64_t replacement;       /* 0 when none is reachable */
    int via;                   /* VIA_* or MISSING_* */
    int path;                  /* PATH_* */
    const char *drilled_on;    /* VIA_NAMED with a proving drill: its date */
} scenario_loss;

typedef struct scenario_workload {
    const workload *w;         /* the original */
    int outcome;
    scenario_loss *lost;       /* distinct withdrawn dependencies, in dependency order */
    size_t n_lost;
    int migration_days;        /* 0 when unaffected */
    int features;              /* proprietary features that count (+30 each) */
    const char *reason;        /* NULL when unaffected */
} scenario_workload;

typedef struct scenario_side {
    concentration spend;       /* basis spend, not merged */
    int levels[4];             /* lock-in distribution over counted workloads */
    int64_t monthly_spend;     /* cents, active and not stranded */
    int64_t stranded_spend;    /* cents, left out of this side (after only) */
} scenario_side;

/* Time to exit, its parts as days since 1970-01-01 (-1: none binds). */
typedef struct scenario_exit {
    int64_t notice_deadline;   /* latest notice deadline */
    int64_t exclusivity_end;   /* latest exclusivity end */
    int64_t commitment_end;    /* latest committed-spend end */
    int64_t contract_end;      /* latest scenario end date of an ended contract */
    int64_t binding_until;     /* the latest of the four, never before today */
    int migration_days;        /* longest migration among affected */
    int64_t exit_on;           /* binding_until + migration_days */
    int days;                  /* exit_on - today */
    int notice_days;           /* longest notice period among the binding contracts */
} scenario_exit;

typedef struct scenario_result {
    scenario_workload *workloads;   /* one per p->workloads[i] */
    size_t n_workloads;
    int counts[3];                  /* by OUTCOME_* over the active set */
    int64_t spend_at_risk;          /* cents: affected (movable + stranded) */
    int64_t spend_stranded;         /* cents */
    int64_t users_at_risk;          /* users of affected workloads, where known */
    int users_unknown;              /* affected workloads whose users are not known */
    int critical_at_risk;           /* affected workloads of criticality critical */
    int critical_stranded;          /* of them, stranded */
    int64_t *unavailable;           /* withdrawn offering ids, ascending */
    size_t n_unavailable;
    scenario_exit exit;
    scenario_side before, after;
} scenario_result;

int scenario_evaluate(const portfolio *p, const risk_weights *wts, const scenario *s,
                      arena *a, scenario_result *out);
/* The same, given the risk of every workload of p under wts (a scored
 * snapshot's): the before side is not scored again. */
int scenario_evaluate_scored(const portfolio *p, const risk_weights *wts,
                             const risk_result *scored, const scenario *s, arena *a,
                             scenario_result *out);

#endif
