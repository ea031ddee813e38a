/* compliance.c - GET /api/v1/compliance: the compliance findings of the
 * active set (core/compliance.h), most severe first, each with what to do
 * and the workloads concerned; ?track= keeps those naming a workload of
 * that track. The summary and the strategy views embed the same list, cut
 * to the most severe COMPLIANCE_EMBEDDED findings, each naming at most
 * COMPLIANCE_EMBEDDED_WORKLOADS workloads (n_workloads says how many there
 * are), so that a large portfolio's dashboard stays small and cacheable;
 * the counts always cover every finding. */
#include <stdint.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "core/compliance.h"
#include "http/query.h"

static void write_finding(jw *w, const portfolio *p, const compliance_finding *f,
                          size_t max_workloads)
{
    jw_obj(w);
    jw_kstr(w, "key", f->key);
    jw_kstr(w, "code", f->code);
    jw_kstr(w, "severity", f->severity);
    jw_kstr(w, "title", f->title);
    jw_kstr(w, "detail", f->detail);
    jw_kstr(w, "action", f->action);
    jw_kint(w, "n_workloads", (int64_t)f->n_workloads);
    jw_key(w, "workloads");
    jw_arr(w);
    for (size_t k = 0; k < f->n_listed && k < max_workloads; k++) {
        const workload *x = pf_workload(p, f->workloads[k]);
        jw_obj(w);
        jw_kint(w, "id", f->workloads[k]);
        jw_kstr(w, "name", x ? x->name : NULL);
        jw_kstr(w, "track", x ? x->track : NULL);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

int write_compliance(sy_request *rq, const analysis *an, const char *track, int embedded)
{
    compliance_finding *items;
    size_t n;
    size_t keep = embedded ? COMPLIANCE_EMBEDDED_WORKLOADS : SIZE_MAX;
    if (compliance_findings(&an->p, keep, &rq->arena, &items, &n) != 0)
        return -1;
    unsigned want = compliance_track_bit(track);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    int64_t total = 0, by[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        const compliance_finding *f = &items[i];
        if (track && !(f->tracks & want))
            continue;
        if ((size_t)total < (embedded ? COMPLIANCE_EMBEDDED : SIZE_MAX))
            write_finding(w, &an->p, f, keep);
        total++;
        by[strcmp(f->severity, "high") == 0 ? 0 : strcmp(f->severity, "medium") == 0 ? 1 : 2]++;
    }
    jw_arr_end(w);
    jw_kint(w, "total", total);
    jw_key(w, "by_severity");
    jw_obj(w);
    jw_kint(w, "high", by[0]);
    jw_kint(w, "medium", by[1]);
    jw_kint(w, "low", by[2]);
    jw_obj_end(w);
    jw_obj_end(w);
    return 0;
}

int compliance_get(sy_request *rq)
{
    char track[16];
    const char *cursor = rq->query;
    char name[32], value[32];
    int rc, have_track = 0;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        if (strcmp(name, "track") != 0)
            return problem_param(rq, name, "is not supported here");
        if (enum_index(TRACKS, value) < 0)
            return problem_param(rq, "track", "must be copilot, azure, openai or other");
        memcpy(track, value, strlen(value) + 1);
        have_track = 1;
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    analysis an;
    int status = analysis_load(rq, &an);
    if (status)
        return status;
    if (write_compliance(rq, &an, have_track ? track : NULL, 0) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    return 200;
}
