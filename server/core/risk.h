/* risk.h - the lock-in risk of a workload, explained (shared domain.md).
 *
 * Pure: takes the portfolio snapshot, one workload and the weights; returns
 * the score (0-100), level, priority (P1-P4), flagged and each factor that
 * applies with its points and a sentence naming every offering, contract,
 * deadline or term that caused it (or, scored by risk_score(), no
 * sentence until risk_explained() writes it for output).
 *
 * Choices where domain.md is silent (documented in GET /risk/model):
 * - groups are counted over the *provider* of each model, hosting,
 *   assistant and data dependency (who sells it, and so who can withdraw
 *   it); identity and tooling do not count; two groups score half the
 *   points, rounded down;
 * - reasons name every cause in a stable order: offerings by name then id,
 *   locking contracts by name then id, notice deadlines soonest first and
 *   upstream terms by end date (then contract name, id and term order);
 * - a contract covers a workload when it covers one of its dependency
 *   offerings and has not ended (auto-renewing terms roll forward);
 * - upstream terms bear on a workload when they govern access (licence,
 *   distribution, cloud priority); revenue-share and equity terms do not;
 * - a workload's host group is the host of its hosting dependencies, or of
 *   its model dependencies when it has no hosting one. */
#ifndef SY_RISK_H
#define SY_RISK_H

#include "common/arena.h"
#include "core/portfolio.h"

enum {
    RISK_SINGLE_GROUP,
    RISK_NO_SWAP,
    RISK_PROPRIETARY,
    RISK_CONTRACT_LOCK,
    RISK_NO_ALTERNATIVE,
    RISK_HORIZON,
    RISK_DATA_GRAVITY,
    RISK_FACTORS
};

extern const char *const RISK_CODES[RISK_FACTORS + 1];   /* NULL-terminated */
extern const int RISK_DEFAULT_WEIGHTS[RISK_FACTORS];
extern const char *const RISK_LEVELS[5];                /* low .. critical */
/* Plain-words rule of each factor, for GET /risk/model. */
extern const char *const RISK_RULES[RISK_FACTORS];

#define RISK_HORIZON_DAYS 90
#define RISK_RETIRE_DAYS 180   /* a model retiring this soon counts for horizon */

typedef struct risk_weights {
    int points[RISK_FACTORS];
} risk_weights;

typedef struct risk_factor {
    int code;                  /* RISK_* */
    int points;
    const char *reason;        /* arena */
} risk_factor;

typedef struct risk_result {
    int score;
    int level;                 /* index into RISK_LEVELS */
    int priority;              /* index into RISK_PRIORITIES: 0 is P1 */
    int active;                /* workload_active(): in the active set */
    int accepted;              /* an unexpired risk acceptance covers it */
    int flagged;               /* risk_flagged(active, priority, accepted) */
    int n_factors;
    risk_factor factors[RISK_FACTORS];
} risk_result;

/* Priority (domain.md "Priority") joins lock-in with business
 * criticality: RISK_PRIORITY_MATRIX[level][criticality], both as indexes
 * (RISK_LEVELS, CRITICALITIES), gives an index into RISK_PRIORITIES.
 *
 *   level \ criticality   low  medium  high  critical
 *   low                   P4   P4      P4    P3
 *   medium                P4   P3      P3    P2
 *   high                  P3   P3      P2    P1
 *   critical              P3   P2      P1    P1 */
extern const char *const RISK_PRIORITIES[5];             /* P1 .. P4, NULL */
extern const int RISK_PRIORITY_MATRIX[4][4];
/* Plain words of the flagged rule and of the active set, for GET /risk/model. */
extern const char RISK_FLAGGED_RULE[];
extern const char RISK_ACTIVE_RULE[];

void risk_default_weights(risk_weights *w);
int risk_level_of(int score);   /* 0-24 low, 25-49 medium, 50-74 high, 75+ critical */
/* Priority index (0 = P1 .. 3 = P4) of a level and a criticality; an
 * unknown criticality counts as low. */
int risk_priority(int level, const char *criticality);
/* Flagged: in the active set, priority P1 or P2, and no unexpired risk
 * acceptance covers it. */
int risk_flagged(int active, int priority, int accepted);
/* HOOK for risk acceptance (domain.md "Risk acceptance", issue 15 item 6):
 * whether an unexpired acceptance covers the workload on p->today.
 * Acceptances are not stored yet, so nothing is accepted; when they are,
 * the portfolio carries them and this looks them up. */
int risk_accepted(const portfolio *p, const workload *w);

/* Optional: writes the contract-only reasons (lock, notice deadline) once
 * per snapshot, so scoring many workloads does not format them again.
 * Call after portfolio_index(); 0, or -1 if out of memory. */
int risk_prepare(portfolio *p, arena *a);

/* Assesses one workload. Reasons are allocated from a; with a NULL
 * arena none is written (each factor's reason is NULL), as risk_score(). */
void risk_assess(const portfolio *p, const workload *w, const risk_weights *wts,
                 arena *a, risk_result *out);

/* Scores one workload without writing its sentences: the same score,
 * level, priority, flags, factor codes and points as risk_assess(), every
 * reason NULL, and nothing allocated. The snapshot scores every workload
 * this way and writes sentences only for the workloads it shows. */
void risk_score(const portfolio *p, const workload *w, const risk_weights *wts,
                risk_result *out);

/* r with its sentences: r itself when it has them (or no factor), else
 * tmp, filled by risk_assess() with its reasons in a. p, w and wts must be
 * those r was scored against (or equal to them). */
const risk_result *risk_explained(const portfolio *p, const workload *w,
                                  const risk_weights *wts, const risk_result *r, arena *a,
                                  risk_result *tmp);

/* The factor that contributes most (first on ties), or NULL. */
const risk_factor *risk_top_factor(const risk_result *r);

#endif
