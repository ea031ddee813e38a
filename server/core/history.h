/* history.h - the daily figures of the portfolio over time (issue 19 item
 * 1): for one scope (the whole portfolio, or one track) the figures a
 * leadership review compares from day to day, computed over one scored
 * snapshot, and their compact JSON form stored one row per day and scope.
 * Pure: no I/O.
 *
 * Everything counts the active set only (pilot and production), as the
 * summary and the strategy views do, so a day's row equals what those
 * answered that day. HHI is the connected=false figure per layer, on both
 * bases; findings count the compliance findings naming a workload of the
 * scope. Spend is the declared monthly spend: no actual-spend field exists
 * yet, so "spend_actual" is not stored. */
#ifndef SY_HISTORY_H
#define SY_HISTORY_H

#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "core/concentration.h"
#include "core/portfolio.h"
#include "core/risk.h"

#define HISTORY_SCOPES 5                 /* all + the four tracks */
extern const char *const HISTORY_SCOPE_NAMES[HISTORY_SCOPES + 1]; /* all copilot azure openai other */

typedef struct history_figures {
    int active;                /* pilot + production workloads */
    int64_t spend;             /* declared monthly spend, cents */
    int level[4];              /* by RISK_LEVELS */
    int priority[4];           /* P1..P4 */
    int flagged;
    int accepted;              /* active workloads with an acceptance in force */
    double hhi_spend[LAYERS];  /* provider, publisher, host; 0 when empty */
    double hhi_workloads[LAYERS];
    int findings[3];           /* compliance findings: high, medium, low */
} history_figures;

/* 1 when scope is "all" or a track. */
int history_scope_valid(const char *scope);

/* The figures of scope ("all" or a track) over a scored snapshot (risk: one
 * per p->workloads[i]). 0, or -1 when out of memory. */
int history_compute(const portfolio *p, const risk_result *risk, const char *scope, arena *a,
                    history_figures *out);

/* All HISTORY_SCOPES scopes at once (the compliance findings computed
 * once); out[i] is HISTORY_SCOPE_NAMES[i]'s. 0, or -1 when out of memory. */
int history_compute_all(const portfolio *p, const risk_result *risk, arena *a,
                        history_figures out[HISTORY_SCOPES]);
/* The same with the HHIs read from sums kept for exactly p (a snapshot's;
 * NULL: counted). */
int history_compute_all_kept(const portfolio *p, const risk_result *risk, const conc_sums *kept,
                             arena *a, history_figures out[HISTORY_SCOPES]);

/* Appends the compact JSON object of f to b:
 * {"active","spend","levels":[4],"priority":[4],"flagged","accepted",
 *  "hhi":{"spend":[3],"workloads":[3]},"findings":[3]}; HHI to one decimal,
 * spend in currency units. */
void history_figures_json(buf *b, const history_figures *f);

#endif
