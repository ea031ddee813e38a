/* risk.h - the lock-in risk of a workload, explained (shared domain.md).
 *
 * Pure: takes the portfolio snapshot, one workload and the weights; returns
 * the score (0-100), level, flagged and each factor that applies with its
 * points and a sentence naming the offering or contract that caused it.
 *
 * Choices where domain.md is silent (documented in GET /risk/model):
 * - groups are counted over the *provider* of each dependency (who sells
 *   it, and so who can withdraw it); two groups score half the points,
 *   rounded down;
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
    int flagged;
    int n_factors;
    risk_factor factors[RISK_FACTORS];
} risk_result;

void risk_default_weights(risk_weights *w);
int risk_level_of(int score);   /* 0-24 low, 25-49 medium, 50-74 high, 75+ critical */
int risk_flagged(int level, const char *criticality);

/* Optional: writes the contract-only reasons (lock, notice deadline) once
 * per snapshot, so scoring many workloads does not format them again.
 * Call after portfolio_index(); 0, or -1 if out of memory. */
int risk_prepare(portfolio *p, arena *a);

/* Assesses one workload. Reasons are allocated from a. */
void risk_assess(const portfolio *p, const workload *w, const risk_weights *wts,
                 arena *a, risk_result *out);

/* The factor that contributes most (first on ties), or NULL. */
const risk_factor *risk_top_factor(const risk_result *r);

#endif
