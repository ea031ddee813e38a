/* governance.c - exit drills and risk acceptances as the API takes and
 * shows them: their field descriptors (validation, JSON and OpenAPI come
 * from these, as for the entities) and the rules that need today's date or
 * the workload: a drill replaces one of the workload's dependencies with
 * one of its named alternatives and is not dated in the future; an
 * acceptance expires between today and one year ahead. */
#include "core/governance.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/text.h"

#define AT(type, member) offsetof(type, member)
#define ONE_LINE " Single line, no control characters."

/* Read-only text written as is (who, when), or null. */
#define SHOW(T, k)                                                                  \
    static void write_##T##_##k(jw *w, const char *key, const void *item,          \
                                const entity_ctx *ctx)                             \
    {                                                                              \
        (void)ctx;                                                                 \
        jw_kstr(w, key, ((const T *)item)->k);                                     \
    }
SHOW(exit_drill, recorded_by)
SHOW(exit_drill, created_at)
SHOW(risk_acceptance, created_by)
SHOW(risk_acceptance, created_at)
SHOW(risk_acceptance, revoked_at)
SHOW(risk_acceptance, revoked_by)

static void write_drill_workload(jw *w, const char *key, const void *item,
                                 const entity_ctx *ctx)
{
    (void)ctx;
    jw_kid(w, key, ((const exit_drill *)item)->workload);
}

static void write_accept_workload(jw *w, const char *key, const void *item,
                                  const entity_ctx *ctx)
{
    (void)ctx;
    jw_kid(w, key, ((const risk_acceptance *)item)->workload);
}

/* In force on ctx->today: not revoked and not past expires_on. */
static void write_in_force(jw *w, const char *key, const void *item, const entity_ctx *ctx)
{
    jw_kbool(w, key, acceptance_in_force(item, ctx ? ctx->today : INT64_MIN));
}

#define RO(k, fn, sch, text) \
    {.key = #k, .kind = FK_COMPUTED, .write = fn, .schema = sch, .doc = text, .brief = text}

static const field_desc DRILL_FIELDS[] = {
    {.key = "id", .kind = FK_ID, .offset = AT(exit_drill, id), .label = "ID",
     .doc = "The drill's ID.", .brief = "The drill's ID."},
    RO(workload, write_drill_workload, "RecordId", "The workload drilled."),
    {.key = "dependency", .kind = FK_REF, .flags = FD_REQUIRED,
     .offset = AT(exit_drill, dependency), .ref = REF_OFFERING, .label = "Replaced",
     .doc = "The offering of the dependency that was replaced."},
    {.key = "offering", .kind = FK_REF, .flags = FD_REQUIRED, .offset = AT(exit_drill, offering),
     .ref = REF_OFFERING, .label = "Alternative",
     .doc = "The alternative the workload ran on: one named for that dependency."},
    {.key = "drilled_on", .kind = FK_DATE, .flags = FD_REQUIRED,
     .offset = AT(exit_drill, drilled_on), .label = "Drilled on",
     .doc = "Day of the drill; not in the future."},
    {.key = "result", .kind = FK_ENUM, .flags = FD_REQUIRED, .offset = AT(exit_drill, result),
     .enum_table = DRILL_RESULTS, .label = "Result", .doc = "passed or failed."},
    {.key = "evidence", .kind = FK_STR, .offset = AT(exit_drill, evidence), .max = 4000,
     .label = "Evidence", .doc = "What was run and observed, or where the evidence is kept."},
    RO(recorded_by, write_exit_drill_recorded_by, "Actor", "Who recorded it."),
    RO(created_at, write_exit_drill_created_at, "Stamp", "When it was recorded."),
    {.key = NULL}};

const entity_desc DRILL_DESC = {"drill", NULL, "exit_drills", "Drill", sizeof(exit_drill),
                                0, 0, 0, DRILL_FIELDS, NULL, NULL};

static const field_desc ACCEPTANCE_FIELDS[] = {
    {.key = "id", .kind = FK_ID, .offset = AT(risk_acceptance, id), .label = "ID",
     .doc = "The acceptance's ID.", .brief = "The acceptance's ID."},
    RO(workload, write_accept_workload, "RecordId", "The workload whose risk is accepted."),
    {.key = "owner", .kind = FK_STR, .flags = FD_REQUIRED | FD_ONELINE,
     .offset = AT(risk_acceptance, owner), .min = 1, .max = 120, .label = "Owner",
     .doc = "The named person who accepts the risk." ONE_LINE},
    {.key = "reason", .kind = FK_STR, .flags = FD_REQUIRED,
     .offset = AT(risk_acceptance, reason), .min = 1, .max = 2000, .label = "Reason",
     .doc = "Why the lock-in is accepted."},
    {.key = "expires_on", .kind = FK_DATE, .flags = FD_REQUIRED,
     .offset = AT(risk_acceptance, expires_on), .label = "Expires",
     .doc = "Last day it counts: from today to one year ahead. The day after, the workload "
            "is flagged again if its priority still calls for it."},
    RO(in_force, write_in_force, "Flag", "Not revoked and not expired today."),
    RO(created_by, write_risk_acceptance_created_by, "Actor", "Who recorded it."),
    RO(created_at, write_risk_acceptance_created_at, "Stamp", "When it was recorded."),
    RO(revoked_at, write_risk_acceptance_revoked_at, "NullableStamp",
       "When it was revoked; null while not."),
    RO(revoked_by, write_risk_acceptance_revoked_by, "NullableActor",
       "Who revoked it; null while not."),
    {.key = NULL}};

const entity_desc ACCEPTANCE_DESC = {"acceptance", NULL, "risk_acceptances", "Acceptance",
                                     sizeof(risk_acceptance), 0, 0, 0, ACCEPTANCE_FIELDS,
                                     NULL, NULL};

int drill_check(const workload *w, const exit_drill *d, int64_t today, sy_errors *e)
{
    int bad = 0;
    int64_t day;
    if (date_parse(d->drilled_on, &day) == 0 && day > today) {
        errors_add(e, "/drilled_on", "must not be in the future");
        bad = 1;
    }
    int depends = 0;
    for (size_t i = 0; i < w->n_dependencies && !depends; i++)
        depends = w->dependencies[i].offering == d->dependency;
    if (!depends) {
        errors_add(e, "/dependency", "must be the offering of one of the workload's dependencies");
        return -1;
    }
    int named = 0;
    for (size_t i = 0; i < w->n_alternatives && !named; i++)
        named = w->alternatives[i].dependency == d->dependency &&
                w->alternatives[i].offering == d->offering;
    if (!named) {
        errors_add(e, "/offering",
                   "must be an alternative named for this dependency (add it to the "
                   "workload's alternatives first)");
        bad = 1;
    }
    return bad ? -1 : 0;
}

int acceptance_check(const risk_acceptance *r, int64_t today, sy_errors *e)
{
    int64_t until;
    if (date_parse(r->expires_on, &until) != 0)
        return -1;
    if (until < today) {
        errors_add(e, "/expires_on", "must not be in the past");
        return -1;
    }
    if (until > date_add_months(today, 12)) {
        errors_add(e, "/expires_on", "must be at most one year ahead");
        return -1;
    }
    return 0;
}
