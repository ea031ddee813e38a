/* findings.h - plain-words findings for a strategy track, from rules in code
 * (not canned text). Pure: no I/O. Each rule looks at the track's active
 * workloads (workload_active: pilot and production):
 *
 *  no_swap_layer       production workloads with no swap layer; names the
 *                      upstream licence they rely on and where the same
 *                      models are sold directly (same publisher, other group)
 *  concentrated_spend  the track's spend by provider group is above the high
 *                      band (HHI > 1,800)
 *  deadline_lock_in    a customer contract covering the track's offerings
 *                      auto-renews, its notice deadline is within 90 days and
 *                      workloads at high or critical lock-in depend on it
 *  licence_horizon     workloads relying on an upstream licence past its end
 *                      (production with no planned end, or planned end later)
 *  openai_compatible   workloads whose models sit behind an OpenAI-compatible
 *                      interface and could move to another offering or cloud
 *  flagged             how many of the track's workloads are flagged
 *
 * Severity: high, medium or info. Each finding has a stable key
 * (core/finding_action.h) under which its owner, due date and status are kept. */
#ifndef SY_FINDINGS_H
#define SY_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "core/concentration.h"
#include "core/portfolio.h"
#include "core/risk.h"

typedef struct finding {
    const char *key;           /* stable: "<code>.<track>", and for a
                                  deadline "deadline_lock_in.<track>.c<id>" */
    const char *code;
    const char *severity;
    const char *text;
    int64_t *workloads;
    size_t n_workloads;
} finding;

/* The track's findings, most severe first (then in the order above); risk
 * holds one result per p->workloads[i]. */
int findings_for_track(const portfolio *p, const risk_result *risk, const char *track,
                       arena *a, finding **out, size_t *n);
/* The same, the track's concentration read from sums kept for exactly p
 * (a snapshot's; NULL: counted). */
int findings_for_track_kept(const portfolio *p, const risk_result *risk, const conc_sums *kept,
                            const char *track, arena *a, finding **out, size_t *n);

/* 1 if a workload depends on an offering of another track than its own
 * (or, for a workload of another track, on one of `track`). Sign-in
 * (identity dependencies) does not count: nearly everything uses the
 * corporate directory, which says nothing about model or cloud strategy. */
int workload_crosses(const portfolio *p, const workload *w, const char *track);

#endif
