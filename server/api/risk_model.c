/* risk_model.c - /api/v1/risk/model: the factors, weights, bands and the
 * method in plain words; admins change weights with PUT. Scores are always
 * computed from the current weights, so a change applies at once. */
#include <stdio.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "api/audit.h"
#include "core/risk.h"

static const char EXPLANATION[] =
    "Each workload's lock-in risk is the sum of the points of the factors that apply to "
    "it, capped at 100. Every factor is reported with its points and a sentence naming "
    "every offering, contract, deadline or term that caused it. Levels: 0-24 low, 25-49 "
    "medium, 50-74 high, 75-100 critical. Priority (P1-P4) joins the level with the "
    "workload's business criticality by the matrix under \"priority\". A workload is "
    "flagged when it is in the active set (pilot or production), its priority is P1 or "
    "P2, and no unexpired risk acceptance covers it. Scores always use the current "
    "weights and data.";

/* "priority": the matrix level x criticality -> P1..P4, as rows per level. */
static void write_priority(jw *w)
{
    jw_key(w, "priority");
    jw_obj(w);
    jw_key(w, "values");
    jw_arr(w);
    for (int k = 0; RISK_PRIORITIES[k]; k++)
        jw_str(w, RISK_PRIORITIES[k]);
    jw_arr_end(w);
    jw_key(w, "criticalities");
    jw_arr(w);
    for (int c = 0; CRITICALITIES[c]; c++)
        jw_str(w, CRITICALITIES[c]);
    jw_arr_end(w);
    jw_key(w, "matrix");
    jw_obj(w);
    for (int l = 0; l < 4; l++) {
        jw_key(w, RISK_LEVELS[l]);
        jw_obj(w);
        for (int c = 0; c < 4; c++)
            jw_kstr(w, CRITICALITIES[c], RISK_PRIORITIES[RISK_PRIORITY_MATRIX[l][c]]);
        jw_obj_end(w);
    }
    jw_obj_end(w);
    jw_kstr(w, "rule", "priority = matrix[level][business criticality]");
    jw_obj_end(w);
    jw_key(w, "active_set");
    jw_obj(w);
    jw_key(w, "statuses");
    jw_arr(w);
    for (int k = 0; ACTIVE_STATUSES[k]; k++)
        jw_str(w, ACTIVE_STATUSES[k]);
    jw_arr_end(w);
    jw_kstr(w, "rule", RISK_ACTIVE_RULE);
    jw_obj_end(w);
}

static int write_model(sy_request *rq)
{
    int points[RISK_FACTORS];
    store_err err;
    if (store_weights_get(rq->db, points, RISK_FACTORS, &err) != ST_OK)
        return problem_store(rq, &err);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_key(w, "factors");
    jw_arr(w);
    for (int i = 0; i < RISK_FACTORS; i++) {
        jw_obj(w);
        jw_kstr(w, "code", RISK_CODES[i]);
        jw_kint(w, "points", points[i]);
        jw_kint(w, "default", RISK_DEFAULT_WEIGHTS[i]);
        jw_kstr(w, "rule", RISK_RULES[i]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "weights");
    jw_obj(w);
    for (int i = 0; i < RISK_FACTORS; i++)
        jw_kint(w, RISK_CODES[i], points[i]);
    jw_obj_end(w);
    jw_key(w, "levels");
    jw_arr(w);
    static const int bounds[4][2] = {{0, 24}, {25, 49}, {50, 74}, {75, 100}};
    for (int i = 0; i < 4; i++) {
        jw_obj(w);
        jw_kstr(w, "level", RISK_LEVELS[i]);
        jw_kint(w, "min", bounds[i][0]);
        jw_kint(w, "max", bounds[i][1]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    write_priority(w);
    jw_kint(w, "review_days", review_days(rq));
    jw_kint(w, "drill_valid_days", DRILL_VALID_DAYS);
    jw_kstr(w, "flagged", RISK_FLAGGED_RULE);
    jw_kstr(w, "explanation", EXPLANATION);
    jw_obj_end(w);
    return 200;
}

int risk_model_get(sy_request *rq)
{
    return write_model(rq);
}

int risk_model_put(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    json_t *weights = json_object_get(rq->body, "weights");
    const char *key;
    json_t *value;
    if (!json_is_object(rq->body))
        errors_add(&e, "", "must be a JSON object with a \"weights\" member");
    else
        json_object_foreach(rq->body, key, value)
            if (strcmp(key, "weights") != 0) {
                char ptr[128];
                pointer_join(ptr, sizeof ptr, "", key);
                errors_add(&e, ptr, "is not a known field");
            }
    if (json_is_object(rq->body) && !json_is_object(weights))
        errors_add(&e, "/weights", weights ? "must be an object of factor codes to points"
                                           : "is required");
    if (e.count)
        return problem_fields(rq, 400, "The risk model change is invalid.", &e);

    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int points[RISK_FACTORS];
    if (store_weights_get(rq->db, points, RISK_FACTORS, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    json_object_foreach(weights, key, value) {
        char ptr[128];
        pointer_join(ptr, sizeof ptr, "/weights", key);
        int k = enum_index(RISK_CODES, key);
        if (k < 0)
            errors_add(&e, ptr, "is not a risk factor code");
        else if (!json_is_integer(value) || json_integer_value(value) < 0 ||
                 json_integer_value(value) > 100)
            errors_add(&e, ptr, "must be a whole number from 0 to 100");
        else
            points[k] = (int)json_integer_value(value);
    }
    if (e.count) {
        store_rollback(rq->db);
        return problem_fields(rq, 400, "The risk model change is invalid.", &e);
    }
    /* Before and after as {"code": points, ...} for the audit trail. */
    int before[RISK_FACTORS];
    buf b_before, b_after;
    buf_init(&b_before);
    buf_init(&b_after);
    int code = store_weights_get(rq->db, before, RISK_FACTORS, &err);
    jw wb, wa;
    jw_init(&wb, &b_before);
    jw_init(&wa, &b_after);
    jw_obj(&wb);
    jw_obj(&wa);
    for (int i = 0; i < RISK_FACTORS; i++) {
        jw_kint(&wb, RISK_CODES[i], before[i]);
        jw_kint(&wa, RISK_CODES[i], points[i]);
    }
    jw_obj_end(&wb);
    jw_obj_end(&wa);
    if (code == ST_OK)
        code = store_weights_set(rq->db, points, RISK_FACTORS, &err);
    if (code == ST_OK)
        code = audit_record(rq->db, rq->actor, "update", "risk_model", 0, b_before.data,
                            b_after.data, &err);
    buf_free(&b_before);
    buf_free(&b_after);
    if (code != ST_OK || store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    return write_model(rq);
}
