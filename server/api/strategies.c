/* strategies.c - /api/v1/strategies/{track}: one view per strategy track
 * (copilot, azure, openai, other), so that Copilot, Azure and OpenAI
 * strategy are governed separately: figures, lock-in distribution,
 * concentration inside the track, contracts and deadlines, upstream terms,
 * cross-track workloads and findings. */
#include <stdlib.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "common/text.h"
#include "core/findings.h"
#include "core/overview.h"

static const char *const TITLES[] = {"Copilot strategy", "Azure strategy",
                                     "OpenAI strategy", "Other vendors"};

/* Long lists in a view are cut here; the list endpoints page through all. */
#define VIEW_LIST_MAX 200

static int in_track(const workload *w, const void *track)
{
    return strcmp(w->track, (const char *)track) == 0;
}

static int contract_in_track(const contract *c, const void *ctx)
{
    const analysis *an = ((const void *const *)ctx)[0];
    const char *track = ((const void *const *)ctx)[1];
    for (size_t i = 0; i < c->n_offerings; i++) {
        const offering *o = pf_offering(&an->p, c->offerings[i]);
        if (o && strcmp(o->track, track) == 0)
            return 1;
    }
    return 0;
}

static void write_workload_row(jw *w, const workload *x, const risk_result *r)
{
    jw_obj(w);
    jw_kint(w, "id", x->id);
    jw_kstr(w, "name", x->name);
    jw_kstr(w, "track", x->track);
    jw_kstr(w, "status", x->status);
    jw_kstr(w, "criticality", x->criticality);
    jw_kmoney(w, "monthly_spend", x->monthly_spend);
    jw_kbool(w, "swap_layer", x->swap_layer);
    jw_kint(w, "score", r->score);
    jw_kstr(w, "level", RISK_LEVELS[r->level]);
    jw_kstr(w, "priority", RISK_PRIORITIES[r->priority]);
    jw_kbool(w, "flagged", r->flagged);
    jw_obj_end(w);
}

/* "figures", "risk_distribution" and "priority_distribution" of the
 * track's active set. */
static void write_figures(jw *w, const ov_counts *c)
{
    jw_key(w, "figures");
    jw_obj(w);
    jw_kint(w, "workloads", c->active);
    jw_kint(w, "production", c->production);
    jw_kint(w, "flagged", c->flagged);
    jw_kint(w, "without_swap_layer", c->without_swap_layer);
    jw_kmoney(w, "monthly_spend", c->spend);
    jw_obj_end(w);
    jw_key(w, "risk_distribution");
    jw_obj(w);
    for (int l = 0; l < 4; l++)
        jw_kint(w, RISK_LEVELS[l], c->level[l]);
    jw_obj_end(w);
    jw_key(w, "priority_distribution");
    jw_obj(w);
    for (int k = 0; k < 4; k++)
        jw_kint(w, RISK_PRIORITIES[k], c->priority[k]);
    jw_obj_end(w);
}

static void write_findings(jw *w, const portfolio *p, const finding *findings, size_t n)
{
    jw_key(w, "findings");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "key", findings[i].key);
        jw_kstr(w, "code", findings[i].code);
        jw_kstr(w, "severity", findings[i].severity);
        jw_kstr(w, "text", findings[i].text);
        jw_kint(w, "count", (int64_t)findings[i].n_workloads);
        jw_key(w, "workloads");
        jw_arr(w);
        for (size_t k = 0; k < findings[i].n_workloads && k < VIEW_LIST_MAX; k++) {
            const workload *x = pf_workload(p, findings[i].workloads[k]);
            jw_obj(w);
            jw_kint(w, "id", findings[i].workloads[k]);
            jw_kstr(w, "name", x ? x->name : NULL);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* The track's active workloads, highest lock-in first; a long list is cut
 * at VIEW_LIST_MAX (figures.workloads has the count; the list endpoint
 * pages through all of them). */
static void write_rows(jw *w, const analysis *an, const ov_item *rows, size_t n)
{
    jw_key(w, "workloads");
    jw_arr(w);
    for (size_t k = 0; k < n && k < VIEW_LIST_MAX; k++)
        write_workload_row(w, &an->p.workloads[rows[k].index], &an->risk[rows[k].index]);
    jw_arr_end(w);
}

/* The customer contracts covering an offering of the track. */
static void write_contracts(jw *w, const portfolio *p, const void *const ctx[2])
{
    jw_key(w, "contracts");
    jw_arr(w);
    size_t listed = 0;
    for (size_t i = 0; i < p->n_contracts && listed < VIEW_LIST_MAX; i++) {
        const contract *c = &p->contracts[i];
        if (strcmp(c->kind, "customer") != 0 || !contract_in_track(c, ctx))
            continue;
        listed++;
        const vendor *v = pf_vendor(p, c->counterparty);
        int64_t deadline = contract_notice_deadline(c, p->today);
        char day[11];
        jw_obj(w);
        jw_kint(w, "id", c->id);
        jw_kstr(w, "name", c->name);
        jw_kstr(w, "counterparty", v ? v->name : NULL);
        jw_kstr(w, "end_date", c->end_date);
        jw_key(w, "notice_deadline");
        if (deadline >= 0) {
            date_format(deadline, day);
            jw_str(w, day);
        } else {
            jw_null(w);
        }
        jw_kbool(w, "active", contract_active(c, p->today));
        jw_kbool(w, "auto_renew", c->auto_renew);
        jw_kbool(w, "exclusive", c->exclusive);
        jw_kmoney(w, "annual_value", c->annual_value);
        jw_kmoney(w, "committed_spend", c->committed_spend);
        jw_kstr(w, "currency", c->currency);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* Active workloads that cross into or out of the track, with every track
 * they use (identity dependencies do not count). */
static void write_cross_track(jw *w, const portfolio *p, const char *track)
{
    jw_key(w, "cross_track");
    jw_arr(w);
    size_t listed = 0;
    for (size_t i = 0; i < p->n_workloads && listed < VIEW_LIST_MAX; i++) {
        const workload *x = &p->workloads[i];
        if (!workload_active(x) || !workload_crosses(p, x, track))
            continue;
        listed++;
        jw_obj(w);
        jw_kint(w, "id", x->id);
        jw_kstr(w, "name", x->name);
        jw_kstr(w, "track", x->track);
        jw_key(w, "tracks");
        jw_arr(w);
        for (int k = 0; TRACKS[k]; k++) {
            int uses = strcmp(x->track, TRACKS[k]) == 0;
            for (size_t d = 0; d < x->n_dependencies && !uses; d++) {
                const offering *o = pf_offering(p, x->dependencies[d].offering);
                uses = o && strcmp(x->dependencies[d].role, "identity") != 0 &&
                       strcmp(o->track, TRACKS[k]) == 0;
            }
            if (uses)
                jw_str(w, TRACKS[k]);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int strategy_get(sy_request *rq)
{
    const char *track = req_param(rq, "track");
    int t = enum_index(TRACKS, track);
    if (t < 0)
        return problem(rq, 404, NULL, "No such strategy track: use copilot, azure, openai or other.");
    if (rq->query[0])
        return problem(rq, 400, "A query parameter was not accepted", "This resource takes no query parameters.");
    analysis an;
    int status = analysis_load(rq, &an);
    if (status)
        return status;
    const portfolio *p = &an.p;
    ov_counts counts;
    ov_count(p, an.risk, track, &counts);
    concentration conc;
    finding *findings;
    size_t n_findings, n_rows, n_total;
    ov_item *rows;
    if (concentration_kept(p, an.conc, 1, 0, track, &rq->arena, &conc) != 0 ||
        findings_for_track_kept(p, an.risk, an.conc, track, &rq->arena, &findings,
                                &n_findings) != 0 ||
        ov_track_rows(p, an.risk, track, VIEW_LIST_MAX, &rq->arena, &rows, &n_rows, &n_total) != 0)
        return problem(rq, 500, NULL, "Out of memory.");

    jw *w = &rq->jw;
    char today[11];
    date_format(p->today, today);
    jw_obj(w);
    jw_kstr(w, "track", track);
    jw_kstr(w, "title", TITLES[t]);
    jw_kstr(w, "as_of", today);
    write_figures(w, &counts);
    write_findings(w, p, findings, n_findings);
    write_rows(w, &an, rows, n_rows);
    jw_key(w, "concentration");
    concentration_json(w, &conc);
    const void *ctx[2] = {&an, track};
    write_contracts(w, p, ctx);
    jw_key(w, "deadlines");
    write_deadlines(rq, &an, 180, contract_in_track, ctx);
    jw_key(w, "upstream_terms");
    write_upstream_terms(rq, &an, in_track, track);
    write_cross_track(w, p, track);
    jw_key(w, "compliance");
    if (write_compliance(rq, &an, track, 1) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    jw_obj_end(w);
    return 200;
}
