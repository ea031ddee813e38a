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

/* ---- the list, filtered and sorted over the scored snapshot ------------- */

typedef struct row {
    const workload *w;
    const risk_result *r;
} row;

/* qsort has no context argument, so the key is per-thread state. */
static _Thread_local const char *sort_key;

static int status_rank(const char *s) { return enum_index(STATUSES, s); }

static int compare_rows(const void *pa, const void *pb, const char *key)
{
    const row *a = pa, *b = pb;
    int desc = key[0] == '-';
    const char *k = desc ? key + 1 : key;
    int c = 0;
    if (strcmp(k, "risk") == 0)
        c = (a->r->score > b->r->score) - (a->r->score < b->r->score);
    else if (strcmp(k, "priority") == 0)   /* P1 first; ties by higher score */
        c = a->r->priority != b->r->priority ? a->r->priority - b->r->priority
                                             : b->r->score - a->r->score;
    else if (strcmp(k, "monthly_spend") == 0)
        c = (a->w->monthly_spend > b->w->monthly_spend) - (a->w->monthly_spend < b->w->monthly_spend);
    else if (strcmp(k, "criticality") == 0)
        c = criticality_weight(a->w->criticality) - criticality_weight(b->w->criticality);
    else if (strcmp(k, "status") == 0)
        c = status_rank(a->w->status) - status_rank(b->w->status);
    else if (strcmp(k, "created_at") == 0)
        c = strcmp(a->w->created_at, b->w->created_at);
    else if (strcmp(k, "updated_at") == 0)
        c = strcmp(a->w->updated_at, b->w->updated_at);
    else if (strcmp(k, "id") == 0)
        c = (a->w->id > b->w->id) - (a->w->id < b->w->id);
    else
        c = strcmp(a->w->name, b->w->name);
    if (desc)
        c = -c;
    if (c == 0)
        c = strcmp(a->w->name, b->w->name);
    if (c == 0)
        c = (a->w->id > b->w->id) - (a->w->id < b->w->id);
    return c;
}

static int qsort_rows(const void *a, const void *b) { return compare_rows(a, b, sort_key); }

static int uses_vendor(const portfolio *p, const workload *w, int64_t vendor_id)
{
    for (size_t i = 0; i < w->n_dependencies; i++) {
        const offering *o = pf_offering(p, w->dependencies[i].offering);
        if (o && (o->provider == vendor_id || o->publisher == vendor_id || o->host == vendor_id))
            return 1;
    }
    return 0;
}

static int uses_offering(const workload *w, int64_t offering_id)
{
    for (size_t i = 0; i < w->n_dependencies; i++)
        if (w->dependencies[i].offering == offering_id)
            return 1;
    return 0;
}

/* Filters on computed risk (risk_level, priority, flagged) choose from the active set
 * only (domain.md "The active set"), so that each list's total equals the
 * matching count of GET /portfolio/summary. */
static int risk_filter_matches(const workload *w, const risk_result *r, const list_query *q)
{
    if (!q->risk_level && !q->priority && q->flagged < 0)
        return 1;
    return workload_active(w) &&
           (!q->risk_level || strcmp(RISK_LEVELS[r->level], q->risk_level) == 0) &&
           (!q->priority || strcmp(RISK_PRIORITIES[r->priority], q->priority) == 0) &&
           (q->flagged < 0 || r->flagged == q->flagged);
}

static int matches(const analysis *an, const workload *w, const risk_result *r,
                   const list_query *q)
{
    return (!q->q || !*q->q || str_contains_ci(w->name, q->q)) &&
           (!q->track || strcmp(w->track, q->track) == 0) &&
           (!q->status || strcmp(w->status, q->status) == 0) &&
           (!q->criticality || strcmp(w->criticality, q->criticality) == 0) &&
           (!q->vendor || uses_vendor(&an->p, w, q->vendor)) &&
           (!q->offering || uses_offering(w, q->offering)) &&
           risk_filter_matches(w, r, q);
}

static int workloads_list(sy_request *rq)
{
    list_query q;
    int status =
        parse_list_query(rq, WORKLOAD_SORTS, "name", entity_list_filters(&WORKLOAD_OPS), &q);
    if (status)
        return status;
    analysis an;
    if ((status = analysis_load(rq, &an)) != 0)
        return status;
    row *rows = arena_alloc(&rq->arena, (an.p.n_workloads + 1) * sizeof(row));
    if (!rows)
        return problem(rq, 500, NULL, "Out of memory.");
    size_t n = 0;
    for (size_t i = 0; i < an.p.n_workloads; i++)
        if (matches(&an, &an.p.workloads[i], &an.risk[i], &q)) {
            rows[n].w = &an.p.workloads[i];
            rows[n].r = &an.risk[i];
            n++;
        }
    sort_key = q.sort;
    qsort(rows, n, sizeof *rows, qsort_rows);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    for (size_t i = (size_t)q.offset; i < n && i < (size_t)(q.offset + q.limit); i++)
        workload_write(w, rows[i].w, rows[i].r);
    jw_arr_end(w);
    jw_kint(w, "total", (int64_t)n);
    jw_kint(w, "limit", q.limit);
    jw_kint(w, "offset", q.offset);
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
