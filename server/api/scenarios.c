/* scenarios.c - /api/v1/scenarios: what-if scenarios. `evaluate` applies a
 * list of changes to an in-memory copy of the portfolio and never writes;
 * scenarios can also be saved, listed and reopened. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "common/text.h"
#include "core/scenario.h"

const entity_ops SCENARIO_OPS = {&SCENARIO_DESC, &SCENARIO_STORE, 0, NULL, NULL};

/* ---- evaluation ---------------------------------------------------------- */

static void offering_ref(jw *w, const portfolio *p, int64_t id)
{
    const offering *o = pf_offering(p, id);
    jw_obj(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", o ? o->name : NULL);
    jw_obj_end(w);
}

static void side_json(jw *w, const scenario_side *s)
{
    jw_obj(w);
    jw_kmoney(w, "monthly_spend", s->monthly_spend);
    jw_kmoney(w, "stranded_spend", s->stranded_spend);
    jw_key(w, "hhi");
    jw_obj(w);
    for (int l = 0; l < LAYERS; l++) {
        jw_key(w, LAYER_NAMES[l]);
        jw_double(w, (double)(int64_t)(s->spend.layers[l].hhi + 0.5));
    }
    jw_obj_end(w);
    jw_key(w, "bands");
    jw_obj(w);
    for (int l = 0; l < LAYERS; l++)
        jw_kstr(w, LAYER_NAMES[l], s->spend.layers[l].band);
    jw_obj_end(w);
    jw_key(w, "levels");
    jw_obj(w);
    for (int l = 0; l < 4; l++)
        jw_kint(w, RISK_LEVELS[l], s->levels[l]);
    jw_obj_end(w);
    jw_key(w, "concentration");
    concentration_json(w, &s->spend);
    jw_obj_end(w);
}

static void summary_json(jw *w, const scenario_result *r)
{
    jw_obj(w);
    for (int o = 0; o < 3; o++)
        jw_kint(w, OUTCOMES[o], r->counts[o]);
    jw_kmoney(w, "spend_at_risk", r->spend_at_risk);
    jw_kmoney(w, "spend_stranded", r->spend_stranded);
    jw_kint(w, "users_at_risk", r->users_at_risk);
    jw_kint(w, "users_unknown", r->users_unknown);
    jw_kint(w, "critical_at_risk", r->critical_at_risk);
    jw_kint(w, "critical_stranded", r->critical_stranded);
    jw_obj_end(w);
}

/* Time to exit and its parts (domain.md "What-if scenarios"). */
static void exit_json(jw *w, const scenario_exit *e)
{
    jw_obj(w);
    jw_kint(w, "days", e->days);
    entity_kday(w, "exit_on", e->exit_on);
    entity_kday(w, "binding_until", e->binding_until);
    entity_kday(w, "notice_deadline", e->notice_deadline);
    entity_kday(w, "exclusivity_end", e->exclusivity_end);
    entity_kday(w, "commitment_end", e->commitment_end);
    entity_kday(w, "contract_end", e->contract_end);
    jw_kint(w, "notice_days", e->notice_days);
    jw_kint(w, "migration_days", e->migration_days);
    jw_obj_end(w);
}

static void ref_or_null(jw *w, const portfolio *p, int64_t id)
{
    if (id)
        offering_ref(w, p, id);
    else
        jw_null(w);
}

/* One affected workload: its outcome, why, and per withdrawn dependency
 * the replacement (or null) and the migration path. */
static void workload_json(jw *w, const portfolio *p, const scenario_workload *sw)
{
    jw_obj(w);
    jw_kint(w, "id", sw->w->id);
    jw_kstr(w, "name", sw->w->name);
    jw_kstr(w, "track", sw->w->track);
    jw_kstr(w, "status", sw->w->status);
    jw_kstr(w, "criticality", sw->w->criticality);
    jw_kmoney(w, "monthly_spend", sw->w->monthly_spend);
    jw_key(w, "users");
    if (sw->w->users == SY_INT_NULL)
        jw_null(w);
    else
        jw_int(w, sw->w->users);
    jw_kstr(w, "outcome", OUTCOMES[sw->outcome]);
    jw_kstr(w, "reason", sw->reason);
    jw_kint(w, "migration_days", sw->migration_days);
    jw_key(w, "replacements");
    jw_arr(w);
    for (size_t k = 0; k < sw->n_lost; k++)
        if (sw->lost[k].replacement)
            offering_ref(w, p, sw->lost[k].replacement);
    jw_arr_end(w);
    jw_key(w, "lost");
    jw_arr(w);
    for (size_t k = 0; k < sw->n_lost; k++) {
        const scenario_loss *l = &sw->lost[k];
        jw_obj(w);
        jw_key(w, "offering");
        offering_ref(w, p, l->offering);
        jw_kstr(w, "role", l->role);
        jw_key(w, "replacement");
        ref_or_null(w, p, l->replacement);
        jw_key(w, "alternative");   /* the same, for older clients */
        ref_or_null(w, p, l->replacement);
        jw_key(w, "path");
        if (l->replacement)
            jw_str(w, PATH_NAMES[l->path]);
        else
            jw_null(w);
        jw_kint(w, "migration_days", PATH_DAYS[l->path]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

int scenarios_evaluate(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    const char *key;
    json_t *value;
    if (!json_is_object(rq->body)) {
        errors_add(&e, "", "must be a JSON object with a \"changes\" array");
        return problem_fields(rq, 400, "The scenario is invalid.", &e);
    }
    json_object_foreach(rq->body, key, value)
        if (strcmp(key, "changes") != 0 && strcmp(key, "name") != 0 &&
            strcmp(key, "description") != 0) {
            char ptr[128];
            pointer_join(ptr, sizeof ptr, "", key);
            errors_add(&e, ptr, "is not a known field");
        }
    scenario s;
    json_t *changes = json_object_get(rq->body, "changes");
    if (!changes)
        errors_add(&e, "/changes", "is required");
    else
        scenario_from_json(changes, &rq->arena, &s, &e);
    if (e.count)
        return problem_fields(rq, 400, "The scenario is invalid.", &e);

    analysis an;
    int status = analysis_load(rq, &an);
    if (status)
        return status;
    if (scenario_check_refs(&s, &an.p, &e) != 0)
        return problem_fields(rq, 400, "The scenario names records that do not exist.", &e);
    scenario_result r;
    if (scenario_evaluate_scored(&an.p, &an.weights, an.risk, &s, &rq->arena, &r) != 0)
        return problem(rq, 500, NULL, "The scenario could not be evaluated.");

    const portfolio *p = &an.p;
    jw *w = &rq->jw;
    jw_obj(w);
    jw_key(w, "changes");
    char *text = json_dumps(changes, JSON_COMPACT | JSON_PRESERVE_ORDER);
    jw_raw(w, text ? text : "[]");
    free(text);
    jw_key(w, "summary");
    summary_json(w, &r);
    jw_key(w, "time_to_exit");
    exit_json(w, &r.exit);
    jw_key(w, "unavailable_offerings");
    jw_arr(w);
    for (size_t i = 0; i < r.n_unavailable; i++)
        offering_ref(w, p, r.unavailable[i]);
    jw_arr_end(w);
    jw_key(w, "workloads");
    jw_arr(w);
    for (size_t i = 0; i < r.n_workloads; i++)
        if (r.workloads[i].outcome != OUTCOME_UNAFFECTED)
            workload_json(w, p, &r.workloads[i]);
    jw_arr_end(w);
    jw_key(w, "before");
    side_json(w, &r.before);
    jw_key(w, "after");
    side_json(w, &r.after);
    jw_obj_end(w);
    return 200;
}
