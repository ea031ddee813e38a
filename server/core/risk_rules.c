/* risk_rules.c - the risk model's fixed parts: factor codes, default
 * weights, levels, the priority matrix, the flagged rule and their plain
 * words (GET /risk/model); the engine itself is risk.c. */
#include "core/risk.h"

#include <string.h>

#include "common/text.h"

const char *const RISK_CODES[RISK_FACTORS + 1] = {
    "single_group_stack", "no_swap_layer", "proprietary_interface", "contract_lock",
    "no_proven_alternative", "horizon", "data_gravity", NULL};
const int RISK_DEFAULT_WEIGHTS[RISK_FACTORS] = {25, 20, 15, 15, 10, 10, 5};
const char *const RISK_LEVELS[5] = {"low", "medium", "high", "critical", NULL};
const char *const RISK_RULES[RISK_FACTORS] = {
    "Its model, hosting, assistant and data dependencies that are not portable are sold by "
    "one vendor group (full points), two (half, rounded down) or three or more (none); "
    "groups by provider; identity and tooling do not count.",
    "No agent layer or gateway can swap model and cloud without a rebuild.",
    "A model, assistant or data dependency that is not portable has a proprietary "
    "interface, or the workload relies on proprietary features.",
    "A customer contract covering a model, hosting, assistant or data offering (binding from "
    "signature) is exclusive or commits spend (each until its end date), has no exit clause, "
    "lacks data portability, or rates substitutability hard or none.",
    "A model or assistant dependency is not portable (no alternative from another group "
    "passed its latest exit drill within 180 days): full points if one has no named "
    "alternative, else half, rounded down.",
    "A covering contract's notice deadline is within 90 days; an upstream licence, "
    "distribution or cloud-priority term in scope ends before the planned end; or a model "
    "it uses retires before it or within 180 days. No planned end: beyond every date.",
    "A proprietary data store that is not portable belongs to the group of one of its "
    "model, hosting or assistant dependencies."};

void risk_default_weights(risk_weights *w)
{
    for (int i = 0; i < RISK_FACTORS; i++)
        w->points[i] = RISK_DEFAULT_WEIGHTS[i];
}

int risk_level_of(int score)
{
    return score >= 75 ? 3 : score >= 50 ? 2 : score >= 25 ? 1 : 0;
}

const char *const RISK_PRIORITIES[5] = {"P1", "P2", "P3", "P4", NULL};
/* [level][criticality], 0 = P1; domain.md "Priority". */
const int RISK_PRIORITY_MATRIX[4][4] = {
    /* low      */ {3, 3, 3, 2},
    /* medium   */ {3, 2, 2, 1},
    /* high     */ {2, 2, 1, 0},
    /* critical */ {2, 1, 0, 0},
};
const char RISK_FLAGGED_RULE[] =
    "A workload is flagged when it is in the active set, its priority is P1 or P2, and no "
    "unexpired risk acceptance covers it.";
const char RISK_ACTIVE_RULE[] =
    "Portfolio figures (flagged, level and priority lists and counts, concentration, "
    "strategy views, findings, summaries and reports) count workloads in pilot or "
    "production; proposed ones are the pipeline, retired ones history.";

int risk_priority(int level, const char *criticality)
{
    int c = criticality ? enum_index(CRITICALITIES, criticality) : -1;
    if (level < 0 || level > 3)
        level = 0;
    return RISK_PRIORITY_MATRIX[level][c < 0 || c > 3 ? 0 : c];
}

int risk_flagged(int active, int priority, int accepted)
{
    return active && priority <= 1 && !accepted;
}

int risk_accepted(const portfolio *p, const workload *w)
{
    return pf_acceptance(p, w->id) != NULL;
}
