/* analysis.c - loads the portfolio and scores it; see analysis.h. */
#include "api/analysis.h"

#include "common/text.h"

int analysis_load(sy_request *rq, analysis *an)
{
    store_err err;
    int code = store_begin_read(rq->db, &err);
    if (code == ST_OK) {
        code = store_portfolio_load(rq->db, &rq->arena, &an->p, &err);
        if (code == ST_OK)
            code = store_weights_get(rq->db, an->weights.points, RISK_FACTORS, &err);
        store_end_read(rq->db);
    }
    if (code != ST_OK)
        return problem_store(rq, &err);
    an->p.today = clock_today();
    if (portfolio_index(&an->p, &rq->arena) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    an->risk = NULL;
    if (an->p.n_workloads) {
        an->risk = arena_alloc(&rq->arena, an->p.n_workloads * sizeof(risk_result));
        if (!an->risk)
            return problem(rq, 500, NULL, "Out of memory.");
    }
    for (size_t i = 0; i < an->p.n_workloads; i++)
        risk_assess(&an->p, &an->p.workloads[i], &an->weights, &rq->arena, &an->risk[i]);
    return 0;
}

const risk_result *analysis_risk(const analysis *an, const workload *w)
{
    return &an->risk[w - an->p.workloads];
}

void risk_json(jw *w, const risk_result *r)
{
    jw_obj(w);
    jw_kint(w, "score", r->score);
    jw_kstr(w, "level", RISK_LEVELS[r->level]);
    jw_kbool(w, "flagged", r->flagged);
    jw_key(w, "factors");
    jw_arr(w);
    for (int i = 0; i < r->n_factors; i++) {
        jw_obj(w);
        jw_kstr(w, "code", RISK_CODES[r->factors[i].code]);
        jw_kint(w, "points", r->factors[i].points);
        jw_kstr(w, "reason", r->factors[i].reason);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}
