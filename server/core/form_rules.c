/* form_rules.c - warnings about implausible workloads; see form_rules.h. */
#include "core/form_rules.h"

#include <string.h>

#include "common/text.h"

int workload_warnings(const workload *w, int64_t today, sy_errors *out)
{
    int before = out->count;
    int64_t end;
    if (w->status && strcmp(w->status, "production") == 0 && w->planned_end &&
        date_parse(w->planned_end, &end) == 0 && end < today) {
        char day[11];
        date_format(today, day);
        errors_add(out, "/planned_end",
                   "Planned end %s is in the past (today is %s) for a workload in "
                   "production: set a date ahead, or change its status to retired.",
                   w->planned_end, day);
    }
    return out->count - before;
}
