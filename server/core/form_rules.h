/* form_rules.h - warnings about a workload that is legal but implausible,
 * shown beside the field in the form's live panel (POST
 * /api/v1/workloads/preview answers them as "warnings"); they never refuse
 * a save. Pure: no I/O.
 *
 *  /planned_end   a workload in production whose planned end is in the past
 */
#ifndef SY_FORM_RULES_H
#define SY_FORM_RULES_H

#include <stdint.h>

#include "core/errors.h"
#include "core/model.h"

/* Adds each warning about w (today: days since 1970-01-01) to out, in the
 * form of field errors (pointer and detail). Returns how many. */
int workload_warnings(const workload *w, int64_t today, sy_errors *out);

#endif
