/* workloads.c - /api/v1/workloads: AI use cases, their dependencies and
 * their lock-in risk. Reads go through the scored portfolio snapshot
 * (analysis.h) so that every workload carries its current risk and lists
 * can filter and sort by it; writes use the generic entity flow. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "core/form_rules.h"
#include "api/workload_page.h"
#include "common/text.h"

/* One workload as the API writes it, with its risk when known (a preview
 * of a new workload has a null id). */
static void workload_write(jw *w, const workload *x, const risk_result *risk)
{
    entity_ctx ctx = {.risk = risk};
    entity_write(w, &WORKLOAD_DESC, x, &ctx);
}

/* Renders one workload with its risk, scored against the current
 * catalogue (the workload itself comes fresh from the store). */
static int respond_with_risk(sy_request *rq, const void *item)
{
    analysis an;
    int status = analysis_catalogue(rq, &an);
    if (status)
        return status;
    risk_result r;
    analysis_score(&an, item, &rq->arena, &r);
    workload_write(&rq->jw, item, &r);
    return 0;
}

/* ---- the list: api/workload_page.c --------------------------------------- */

static int workloads_list(sy_request *rq)
{
    list_query q;
    int status =
        parse_list_query(rq, WORKLOAD_SORTS, "name", entity_list_filters(&WORKLOAD_OPS), &q);
    if (status)
        return status;
    if (q.cursor && q.offset)
        return problem_param(rq, "cursor", "cannot be combined with offset");
    analysis an;
    if ((status = analysis_load(rq, &an)) != 0)
        return status;
    workload_page_out page;
    int rc = workload_page(&an, &q, &rq->arena, &page);
    if (rc == WP_BAD_CURSOR || rc == WP_OTHER_SORT)
        return problem_param(rq, "cursor", rc == WP_OTHER_SORT
                                               ? "was made for another sort; start again without it"
                                               : "is not a cursor this server gave");
    const workload **shown = page.n ? arena_alloc(&rq->arena, page.n * sizeof *shown) : NULL;
    if (rc != 0 || (page.n && !shown))
        return problem(rq, 500, NULL, "Out of memory.");
    /* The page's rows with the texts the shared snapshot leaves out. */
    for (size_t i = 0; i < page.n; i++)
        shown[i] = page.rows[i].w;
    workload *rows = NULL;
    if ((status = analysis_shown(rq, &an, shown, page.n, &rows)) != 0)
        return status;
    jw *w = &rq->jw;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    for (size_t i = 0; i < page.n; i++) {
        risk_result full;
        workload_write(w, &rows[i],
                       analysis_explained(&an, page.rows[i].w, page.rows[i].r, &rq->arena, &full));
    }
    jw_arr_end(w);
    jw_kint(w, "total", page.total);
    jw_kint(w, "limit", q.limit);
    jw_kint(w, "offset", q.offset);
    jw_kstr(w, "next", page.next);
    jw_obj_end(w);
    return 200;
}

const entity_ops WORKLOAD_OPS = {
    &WORKLOAD_DESC, &WORKLOAD_STORE,
    LF_VENDOR | LF_OFFERING | LF_RISK, /* track, status, criticality: FD_FILTER fields */
    respond_with_risk, workloads_list};

/* The preview's refusal, in the words a save would use. */
static int preview_invalid(sy_request *rq, const sy_errors *e)
{
    char detail[900];
    entity_errors_text(&WORKLOAD_DESC, e, detail, sizeof detail);
    return problem_fields_titled(rq, 400, "The workload would not be saved as it is", detail, e);
}

/* POST /workloads/preview: the workload as it would be saved, with its risk,
 * and nothing written: the same validation as a save, references checked
 * against the catalogue, scored like a saved workload. An "id" (an edit)
 * is echoed back. */
int workloads_preview(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    workload *x = arena_alloc(&rq->arena, sizeof *x);
    if (!x)
        return problem(rq, 500, NULL, "Out of memory.");
    if (workload_from_json(rq->body, &rq->arena, x, &e) != 0)
        return preview_invalid(rq, &e);
    analysis an;
    int status = analysis_catalogue(rq, &an);
    if (status)
        return status;
    for (size_t i = 0; i < x->n_dependencies; i++)
        if (!pf_offering(&an.p, x->dependencies[i].offering)) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/dependencies/%zu/offering", i);
            errors_add(&e, ptr, "No offering with this ID.");
        }
    if (e.count)
        return preview_invalid(rq, &e);
    json_t *id = json_object_get(rq->body, "id");
    x->id = json_is_integer(id) && json_integer_value(id) > 0 ? (int64_t)json_integer_value(id) : 0;
    risk_result r;
    analysis_score(&an, x, &rq->arena, &r);
    workload_write(&rq->jw, x, &r);
    /* Legal but implausible values, said beside their field (form_rules.h). */
    sy_errors warn;
    errors_init(&warn);
    workload_warnings(x, an.p.today, &warn);
    if (jw_reopen(&rq->jw) == 0) {
        jw_key(&rq->jw, "warnings");
        jw_arr(&rq->jw);
        for (int i = 0; i < warn.count; i++) {
            jw_obj(&rq->jw);
            jw_kstr(&rq->jw, "pointer", warn.items[i].pointer);
            jw_kstr(&rq->jw, "detail", warn.items[i].detail);
            jw_obj_end(&rq->jw);
        }
        jw_arr_end(&rq->jw);
        jw_obj_end(&rq->jw);
    }
    return 200;
}
