/* governance.h - exit drills and risk acceptances: their descriptors for
 * the API (validation, JSON, OpenAPI) and the rules that need today or the
 * workload. Pure. */
#ifndef SY_GOVERNANCE_H
#define SY_GOVERNANCE_H

#include "core/entity.h"
#include "core/portfolio.h"

extern const entity_desc DRILL_DESC, ACCEPTANCE_DESC;

/* A drill of w: its dependency is one of w's, its offering an alternative
 * named for that dependency, and drilled_on not after today. 0, or -1
 * with errors naming the fields. */
int drill_check(const workload *w, const exit_drill *d, int64_t today, sy_errors *e);
/* expires_on from today to one year ahead (same day next year). 0 or -1. */
int acceptance_check(const risk_acceptance *r, int64_t today, sy_errors *e);

#endif
