/* compliance.h - compliance findings, separate from the lock-in score
 * (domain.md "Compliance checks"). Pure: over the portfolio snapshot, for
 * the active set only. Each finding has a code, a severity (high, medium,
 * low), a sentence naming what is wrong, what to do, and the workloads
 * concerned:
 *
 *  residency            confidential or restricted data sent to a model,
 *                       hosting, assistant or data offering that processes
 *                       it only outside the workload's allowed regions (high
 *                       for restricted, medium for confidential; one per
 *                       workload and offering); and restricted data sent to
 *                       a provider headquartered outside them (medium, one
 *                       per provider)
 *  residency_unknown    such data sent to an offering whose processing
 *                       regions are not recorded (low, one per offering)
 *  model_retired        a model dependency past its retirement date (high)
 *  model_retiring       a model retiring within 90 days with no successor
 *                       named (medium)
 *  ai_act_oversight     a high-risk AI Act workload with no human-oversight
 *                       owner or no fundamental-rights impact assessment
 *                       (high)
 *  exit_plan_untested   a critical workload whose covering customer
 *                       contract has no exit plan tested (medium)
 *  ai_act_annex_iii     a high-risk workload naming no Annex III area (high)
 *  ai_act_log_retention a high-risk workload keeping its logs for less
 *                       than six months, or none recorded (high; Art. 26(6))
 *  ai_act_fria          a high-risk workload whose fundamental-rights
 *                       impact assessment is planned, not done (medium;
 *                       Art. 27)
 *  ai_act_incident_contact  a high-risk workload with no incident contact
 *                       (medium; Art. 26(5))
 *  ai_act_information   a high-risk workload with no record that affected
 *                       persons were informed (low; Art. 26(11))
 * (ai_act_oversight counts a fria_status of not_required as on file.)
 *
 * Regions compare without case; an allowed "EU" also admits the EU member
 * states' ISO 3166 codes, and "EEA" those and Iceland, Liechtenstein and
 * Norway. Findings are ordered by severity, then code, then the first
 * workload's name. */
#ifndef SY_COMPLIANCE_H
#define SY_COMPLIANCE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "core/portfolio.h"

#define COMPLIANCE_RETIRE_DAYS 90
#define AI_ACT_MIN_LOG_MONTHS 6   /* Regulation (EU) 2024/1689 Art. 26(6) */

typedef struct compliance_finding {
    const char *key;           /* stable: code and subject ids, e.g.
                                  "residency.w12.o7", "residency_hq.v3",
                                  "model_retired.o9", "exit_plan_untested.c4" */
    const char *code;
    const char *severity;      /* high | medium | low */
    const char *title;         /* short, plain words */
    const char *detail;        /* names the offering, contract or dates */
    const char *action;        /* what to do */
    int64_t *workloads;        /* ids, by name: the first n_listed */
    size_t n_listed;           /* at most the keep asked for */
    size_t n_workloads;        /* how many it concerns in all */
    unsigned tracks;           /* their tracks: bit i for TRACKS[i] */
    const char *first;         /* the first workload's name (ordering) */
} compliance_finding;

extern const char *const COMPLIANCE_CODES[];   /* NULL-terminated */

/* Every finding over p's active workloads, each listing at most keep of
 * its workloads (SIZE_MAX: all; a prefix of the full list otherwise);
 * *out in the arena. 0, or -1 when out of memory. */
int compliance_findings(const portfolio *p, size_t keep, arena *a, compliance_finding **out,
                        size_t *n);

/* A track's bit in compliance_finding.tracks (TRACKS[i]: 1 << i); 0 for
 * NULL or a name that is not a track. */
unsigned compliance_track_bit(const char *track);

/* 1 when region lies within one of the allowed regions (see above). */
int region_allowed(const char *region, const char *const *allowed, size_t n_allowed);

#endif
