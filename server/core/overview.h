/* overview.h - the figures of the portfolio summary and of a strategy view
 * (shared domain.md "The active set", "Priority", "Strategy views"),
 * computed over one scored snapshot. Pure: no I/O; the API writes them.
 *
 * Every figure but the by-status counts, pipeline and history counts only
 * the active set (workload_active: pilot and production), so a summary
 * count and the total of the matching filtered list always agree. */
#ifndef SY_OVERVIEW_H
#define SY_OVERVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "core/portfolio.h"
#include "core/risk.h"

typedef struct ov_counts {
    int workloads;             /* every workload in scope, any status */
    int status[4];             /* by STATUSES, any status */
    int pipeline;              /* proposed */
    int history;               /* retired */
    int active;                /* pilot + production */
    int production;
    int flagged;
    int without_swap_layer;    /* active ones */
    int track[4];              /* active, by TRACKS */
    int level[4];              /* active, by RISK_LEVELS */
    int priority[4];           /* active, by RISK_PRIORITIES */
    int64_t spend;             /* active, monthly, cents */
    int64_t spend_track[4];    /* active, by TRACKS, cents */
} ov_counts;

/* Counts the workloads of a track (NULL: of the whole portfolio); risk
 * holds one result per p->workloads[i]. */
void ov_count(const portfolio *p, const risk_result *risk, const char *track, ov_counts *out);

/* Adds (sign 1) or takes away (sign -1) one workload's part of the
 * counts: what the snapshot does on a one-workload write instead of
 * counting every workload again (api/snapshot.c). Integers, so the kept
 * counts equal a fresh ov_count() exactly. */
void ov_count_one(ov_counts *out, const workload *w, const risk_result *r, int sign);

/* A workload to act on: its index into p->workloads and its exposure
 * (score x criticality weight). */
typedef struct ov_item {
    size_t index;
    int exposure;
} ov_item;

/* The flagged workloads of a track (NULL: all), in the order to act on
 * them: priority (P1 first), then exposure (largest first), then name and
 * id; the first `limit` of them (0: all) into *out (allocated from a) and
 * *n, how many there are in all into *total. Returns 0, or -1 if out of
 * memory. */
int ov_flagged(const portfolio *p, const risk_result *risk, const char *track, size_t limit,
               arena *a, ov_item **out, size_t *n, size_t *total);

/* The active workloads of a track, highest score first, then name and id;
 * limit, *n and *total as for ov_flagged. Returns 0, or -1 if out of
 * memory. */
int ov_track_rows(const portfolio *p, const risk_result *risk, const char *track, size_t limit,
                  arena *a, ov_item **out, size_t *n, size_t *total);

/* An active workload whose swap layer or alternatives only someone's word
 * says: which of the two no import observed. */
typedef struct ov_declared {
    size_t index;               /* in p->workloads */
    int swap_layer, alternatives;
} ov_declared;

/* The active workloads with a swap layer or alternatives that no import
 * observed (observed_swap, observed_alts: the ids whose swap layer or
 * alternatives one did, ascending), by name then id: the first `limit`
 * (0: all) into *out (from a), how many in all into *total. Returns 0, or
 * -1 if out of memory. */
int ov_declared_only(const portfolio *p, const int64_t *observed_swap, size_t n_swap,
                     const int64_t *observed_alts, size_t n_alts, size_t limit, arena *a,
                     ov_declared **out, size_t *n, size_t *total);

/* 1 when the workload is of the track (a NULL track matches every one). */
int ov_in_track(const workload *w, const void *track);

#endif
