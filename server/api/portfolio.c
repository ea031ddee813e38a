/* portfolio.c - /api/v1/portfolio/summary and /portfolio/concentration:
 * the leadership view of the whole portfolio, computed from one scored
 * snapshot. Only the active set (pilot and production, workload_active)
 * counts in the figures; proposed workloads are the pipeline and retired
 * ones history, counted in counts.status, counts.pipeline and
 * counts.history only. */
#include <stdlib.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "api/imports.h"
#include "common/text.h"
#include "core/focus.h"
#include "core/overview.h"
#include "core/upstream.h"
#include "http/query.h"
#include "store/imports.h"

#define SUMMARY_FLAGGED 20
#define DEADLINE_WINDOW 180

/* Parses basis= (spend, workloads, actual: *basis 1, 0, 2) and
 * connected=; rejects anything else. */
static int parse_conc_query(sy_request *rq, int *basis, int *connected)
{
    *basis = 1;
    *connected = 0;
    const char *cursor = rq->query;
    char name[64], value[64];
    int rc;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        if (strcmp(name, "basis") == 0) {
            if (strcmp(value, "spend") == 0 || strcmp(value, "workloads") == 0 ||
                strcmp(value, "actual") == 0)
                *basis = value[0] == 's' ? 1 : value[0] == 'a' ? 2 : 0;
            else
                return problem_param(rq, "basis", "must be spend, workloads or actual");
        } else if (strcmp(name, "connected") == 0) {
            if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
                *connected = value[0] == 't';
            else
                return problem_param(rq, "connected", "must be true or false");
        } else {
            return problem_param(rq, name, "is not supported here");
        }
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    return 0;
}

/* Every month of observed spend (the bill's and the gateway's), picked
 * per workload in the reporting currency (core/concentration.h). */
static int observed_load(sy_request *rq, conc_observed **obs, size_t *n, store_err *err)
{
    spend_rec *bill;
    gateway_spend_rec *gw;
    size_t nb, ng;
    const char *currency = NULL;
    if (store_spend_all(rq->db, &rq->arena, &bill, &nb, err) != ST_OK ||
        store_gateway_spend_of(rq->db, 0, &rq->arena, &gw, &ng, err) != ST_OK)
        return -1;
    (void)store_setting_get(rq->db, "currency", &rq->arena, &currency);
    observed_month *rows = arena_alloc(&rq->arena, (nb + ng + 1) * sizeof *rows);
    if (!rows)
        return -1;
    for (size_t i = 0; i < nb; i++)
        rows[i] = (observed_month){bill[i].workload, bill[i].month, bill[i].currency,
                                   bill[i].effective, 1};
    for (size_t i = 0; i < ng; i++)
        rows[nb + i] = (observed_month){gw[i].workload, gw[i].month, gw[i].currency,
                                        micros_to_cents(gw[i].micros), 0};
    return conc_observed_pick(rows, nb + ng, currency, &rq->arena, obs, n);
}

int concentration_get(sy_request *rq)
{
    int basis, connected;
    int status = parse_conc_query(rq, &basis, &connected);
    if (status)
        return status;
    conc_observed *obs = NULL;
    size_t n_obs = 0;
    store_err err;
    if (basis == 2 && observed_load(rq, &obs, &n_obs, &err) != 0)
        return err.code ? problem_store(rq, &err) : problem(rq, 500, NULL, "Out of memory.");
    analysis an;
    if ((status = analysis_load(rq, &an)) != 0)
        return status;
    concentration c;
    int rc = basis == 2 ? concentration_compute_actual(&an.p, connected, obs, n_obs, &rq->arena, &c)
                        : concentration_kept(&an.p, an.conc, basis, connected, NULL, &rq->arena, &c);
    if (rc != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    concentration_json_of(&rq->jw, &c, &an.p);
    return 200;
}

static int no_query(sy_request *rq)
{
    if (rq->query[0]) {
        char name[64], value[64];
        const char *cursor = rq->query;
        if (query_next(&cursor, name, sizeof name, value, sizeof value) == 1)
            return problem_param(rq, name, "is not supported here");
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    }
    return 0;
}

typedef struct deadline {
    const contract *c;
    int64_t deadline;
} deadline;

static int by_deadline(const void *a, const void *b)
{
    const deadline *x = a, *y = b;
    return (x->deadline > y->deadline) - (x->deadline < y->deadline);
}

static void write_counts(jw *w, const char *key, const char *const *table, const int *counts)
{
    jw_key(w, key);
    jw_obj(w);
    for (int i = 0; table[i]; i++)
        jw_kint(w, table[i], counts[i]);
    jw_obj_end(w);
}

/* Writes the contracts whose notice deadline falls in [today, today+window],
 * soonest first. Only customer contracts; filter decides which (may be NULL). */
void write_deadlines(sy_request *rq, const analysis *an, int window,
                     int (*filter)(const contract *c, const void *ctx), const void *ctx)
{
    jw *w = &rq->jw;
    deadline *list = arena_alloc(&rq->arena, (an->p.n_contracts + 1) * sizeof *list);
    size_t n = 0;
    for (size_t i = 0; list && i < an->p.n_contracts; i++) {
        const contract *c = &an->p.contracts[i];
        if (strcmp(c->kind, "customer") != 0 || !contract_active(c, an->p.today) ||
            (filter && !filter(c, ctx)))
            continue;
        int64_t d = contract_notice_deadline(c, an->p.today);
        if (d < an->p.today || d - an->p.today > window)
            continue;
        list[n].c = c;
        list[n].deadline = d;
        n++;
    }
    if (list)
        qsort(list, n, sizeof *list, by_deadline);
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const contract *c = list[i].c;
        const vendor *v = pf_vendor(&an->p, c->counterparty);
        char day[11], end[11];
        date_format(list[i].deadline, day);
        date_format(contract_current_end(c, an->p.today), end);
        jw_obj(w);
        jw_kint(w, "contract", c->id);
        jw_kstr(w, "name", c->name);
        jw_kstr(w, "counterparty", v ? v->name : NULL);
        jw_kstr(w, "notice_deadline", day);
        jw_kint(w, "days_left", list[i].deadline - an->p.today);
        jw_kstr(w, "end_date", end);
        jw_kint(w, "notice_days", c->notice_days);
        jw_kbool(w, "auto_renew", c->auto_renew);
        jw_kint(w, "renewal_months", c->renewal_months);
        jw_kmoney(w, "annual_value", c->annual_value);
        jw_kstr(w, "currency", c->currency);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* Upstream access terms with an end date that production workloads depending
 * on them outlive (no planned end, or one after the term ends): see
 * core/upstream.h. */
void write_upstream_terms(sy_request *rq, const analysis *an,
                          int (*filter)(const workload *w, const void *ctx), const void *ctx)
{
    jw *w = &rq->jw;
    upstream_outlived *terms = NULL;
    size_t n = 0;
    if (upstream_outlived_terms(&an->p, filter, ctx, UPSTREAM_EMBEDDED_WORKLOADS, &rq->arena,
                                &terms, &n) != 0)
        n = 0; /* out of memory: the list stays empty rather than wrong */
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const upstream_outlived *u = &terms[i];
        jw_obj(w);
        jw_kint(w, "contract", u->contract->id);
        jw_kstr(w, "agreement", u->contract->name);
        jw_kstr(w, "kind", u->term->kind);
        jw_kstr(w, "text", u->term->text);
        jw_kstr(w, "until", u->term->until);
        jw_kint(w, "days_left", u->until - an->p.today);
        jw_key(w, "workloads");
        jw_arr(w);
        for (size_t k = 0; k < u->n_listed; k++) {
            const workload *x = &an->p.workloads[u->listed[k]];
            jw_obj(w);
            jw_kint(w, "id", x->id);
            jw_kstr(w, "name", x->name);
            jw_kstr(w, "planned_end", x->planned_end);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_kint(w, "count", (int64_t)u->count);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* "counts": every workload, the active set, pipeline and history, and the
 * active set by status, track, level and priority. */
static void write_summary_counts(jw *w, const ov_counts *c)
{
    jw_key(w, "counts");
    jw_obj(w);
    jw_kint(w, "workloads", c->workloads);
    jw_kint(w, "active", c->active);
    jw_kint(w, "flagged", c->flagged);
    jw_kint(w, "pipeline", c->pipeline);
    jw_kint(w, "history", c->history);
    write_counts(w, "status", STATUSES, c->status);
    write_counts(w, "track", TRACKS, c->track);
    write_counts(w, "level", RISK_LEVELS, c->level);
    write_counts(w, "priority", RISK_PRIORITIES, c->priority);
    jw_obj_end(w);
}

/* "spend": the active set's monthly spend, by track and by provider group
 * (each workload's spend split over its weighted dependencies' groups). */
static void write_summary_spend(jw *w, const ov_counts *c, const concentration *spend)
{
    jw_key(w, "spend");
    jw_obj(w);
    jw_kmoney(w, "monthly_total", c->spend);
    jw_key(w, "by_track");
    jw_obj(w);
    for (int t = 0; TRACKS[t]; t++)
        jw_kmoney(w, TRACKS[t], c->spend_track[t]);
    jw_obj_end(w);
    jw_key(w, "by_group");
    jw_arr(w);
    const conc_layer *prov = &spend->layers[LAYER_PROVIDER];
    for (size_t i = 0; i < prov->n_shares; i++) {
        jw_obj(w);
        jw_kstr(w, "group", prov->shares[i].name);
        jw_key(w, "amount");
        jw_amount(w, prov->shares[i].amount);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

/* "concentration": HHI and band per layer on both bases, and the highest band. */
static void write_summary_concentration(jw *w, const concentration *spend,
                                        const concentration *weighted)
{
    jw_key(w, "concentration");
    jw_obj(w);
    const char *highest = "unconcentrated";
    for (int l = 0; l < LAYERS; l++) {
        const conc_layer *layer = &spend->layers[l];
        jw_key(w, LAYER_NAMES[l]);
        jw_obj(w);
        jw_key(w, "hhi");
        jw_double(w, (double)(int64_t)(layer->hhi + 0.5));
        jw_kstr(w, "band", layer->band);
        jw_key(w, "hhi_workloads");
        jw_double(w, (double)(int64_t)(weighted->layers[l].hhi + 0.5));
        jw_kstr(w, "band_workloads", weighted->layers[l].band);
        jw_obj_end(w);
        if (strcmp(layer->band, "high") == 0 ||
            (strcmp(layer->band, "moderate") == 0 && strcmp(highest, "high") != 0))
            highest = layer->band;
    }
    jw_kstr(w, "highest_band", highest);
    jw_obj_end(w);
}

/* "flagged": the first SUMMARY_FLAGGED flagged workloads in the order to act
 * on them (priority, then exposure), each with its top factor. */
static void write_summary_flagged(jw *w, const analysis *an, const ov_item *items, size_t n,
                                  arena *a)
{
    jw_key(w, "flagged");
    jw_arr(w);
    for (size_t i = 0; i < n && i < SUMMARY_FLAGGED; i++) {
        const workload *x = &an->p.workloads[items[i].index];
        risk_result full;
        const risk_result *r =
            analysis_explained(an, x, &an->risk[items[i].index], a, &full);
        const risk_factor *top = risk_top_factor(r);
        jw_obj(w);
        jw_kint(w, "id", x->id);
        jw_kstr(w, "name", x->name);
        jw_kstr(w, "track", x->track);
        jw_kstr(w, "status", x->status);
        jw_kstr(w, "criticality", x->criticality);
        jw_kint(w, "score", r->score);
        jw_kstr(w, "level", RISK_LEVELS[r->level]);
        jw_kstr(w, "priority", RISK_PRIORITIES[r->priority]);
        jw_kint(w, "exposure", items[i].exposure);
        jw_kstr(w, "top_factor", top ? RISK_CODES[top->code] : NULL);
        jw_kstr(w, "top_reason", top ? top->reason : NULL);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

typedef struct accepted_item {
    const workload *w;
    const risk_acceptance *r;
} accepted_item;

static int by_expiry(const void *x, const void *y)
{
    const accepted_item *a = x, *b = y;
    int k = strcmp(a->r->expires_on, b->r->expires_on);
    return k ? k : (a->w->id > b->w->id) - (a->w->id < b->w->id);
}

/* "accepted": active workloads whose lock-in is knowingly accepted today,
 * soonest expiry first, with owner, reason, priority and level. */
static int write_summary_accepted(sy_request *rq, const analysis *an)
{
    const portfolio *p = &an->p;
    /* From the acceptances (by workload id), not from every workload. */
    accepted_item *list = arena_alloc(&rq->arena, (p->n_acceptances + 1) * sizeof *list);
    if (!list)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < p->n_acceptances; i++) {
        int64_t wid = p->acceptances[i].workload;
        if (i > 0 && p->acceptances[i - 1].workload == wid)
            continue;
        const workload *x = pf_workload(p, wid);
        const risk_acceptance *r = x && workload_active(x) ? pf_acceptance(p, wid) : NULL;
        if (r)
            list[n++] = (accepted_item){x, r};
    }
    qsort(list, n, sizeof *list, by_expiry);
    jw *w = &rq->jw;
    jw_key(w, "accepted");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const risk_result *risk = analysis_risk(an, list[i].w);
        jw_obj(w);
        jw_kint(w, "id", list[i].w->id);
        jw_kstr(w, "name", list[i].w->name);
        jw_kstr(w, "track", list[i].w->track);
        jw_kstr(w, "priority", risk ? RISK_PRIORITIES[risk->priority] : NULL);
        jw_kstr(w, "level", risk ? RISK_LEVELS[risk->level] : NULL);
        jw_kint(w, "acceptance", list[i].r->id);
        jw_kstr(w, "owner", list[i].r->owner);
        jw_kstr(w, "reason", list[i].r->reason);
        jw_kstr(w, "expires_on", list[i].r->expires_on);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    return 0;
}

#define DECLARED_SHOWN 10

/* The active workloads whose swap layer or alternatives only someone's
 * word says (no import observed them): how many, the first few by name,
 * and where the whole list is (the Import page). Counted from the
 * snapshot with the few observed ones read (GET /imports lists them all
 * from the store: the same list). */
static int write_declared_only(sy_request *rq, const analysis *an)
{
    observed_rec *obs;
    size_t n_obs;
    store_err err;
    if (store_observed_declarable(rq->db, &rq->arena, &obs, &n_obs, &err) != ST_OK)
        return -1;
    int64_t *swap = arena_alloc(&rq->arena, (n_obs + 1) * sizeof *swap);
    int64_t *alts = arena_alloc(&rq->arena, (n_obs + 1) * sizeof *alts);
    if (!swap || !alts)
        return -1;
    size_t n_swap = 0, n_alts = 0;
    for (size_t i = 0; i < n_obs; i++) /* ascending by id, as read */
        if (obs[i].alternatives)
            alts[n_alts++] = obs[i].id;
        else
            swap[n_swap++] = obs[i].id;
    ov_declared *items;
    size_t n, total;
    if (ov_declared_only(&an->p, swap, n_swap, alts, n_alts, DECLARED_SHOWN, &rq->arena, &items,
                         &n, &total) != 0)
        return -1;
    jw *w = &rq->jw;
    jw_key(w, "declared_only");
    jw_obj(w);
    jw_kint(w, "count", (int64_t)total);
    jw_kstr(w, "link", "#/imports");
    jw_key(w, "workloads");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const workload *x = &an->p.workloads[items[i].index];
        declared_rec d = {x->id, x->name, items[i].swap_layer, items[i].alternatives};
        declared_json(w, &d);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    return 0;
}

int summary_get(sy_request *rq)
{
    int status = no_query(rq);
    if (status)
        return status;
    analysis an;
    if ((status = analysis_load(rq, &an)) != 0)
        return status;
    const portfolio *p = &an.p;
    /* Kept by the snapshot across one-workload writes (api/snapshot.c),
     * and so are the concentration sums. */
    ov_counts counts;
    if (an.counts)
        counts = *an.counts;
    else
        ov_count(p, an.risk, NULL, &counts);
    ov_item *flagged;
    size_t n_flagged, n_total;
    concentration spend, weighted;
    if (ov_flagged(p, an.risk, NULL, SUMMARY_FLAGGED, &rq->arena, &flagged, &n_flagged,
                   &n_total) != 0 ||
        concentration_kept(p, an.conc, 1, 0, NULL, &rq->arena, &spend) != 0 ||
        concentration_kept(p, an.conc, 0, 0, NULL, &rq->arena, &weighted) != 0)
        return problem(rq, 500, NULL, "Out of memory.");

    jw *w = &rq->jw;
    char today[11];
    date_format(p->today, today);
    jw_obj(w);
    jw_kstr(w, "as_of", today);
    write_summary_counts(w, &counts);
    write_summary_spend(w, &counts, &spend);
    write_summary_concentration(w, &spend, &weighted);
    write_summary_flagged(w, &an, flagged, n_flagged, &rq->arena);
    jw_key(w, "deadlines");
    write_deadlines(rq, &an, DEADLINE_WINDOW, NULL, NULL);
    jw_key(w, "upstream_terms");
    write_upstream_terms(rq, &an, NULL, NULL);
    if (write_summary_accepted(rq, &an) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    catalogue_age age;
    int64_t days = review_days(rq);
    catalogue_age_count(p, days, &age);
    jw_key(w, "catalogue");
    jw_obj(w);
    jw_kint(w, "review_days", days);
    jw_kint(w, "records", age.records);
    jw_kint(w, "stale", age.stale);
    jw_kint(w, "undated", age.undated);
    jw_kint(w, "unsourced", age.unsourced);
    jw_obj_end(w);
    if (write_declared_only(rq, &an) != 0)
        return problem(rq, 500, NULL, "The declared-only workloads could not be read.");
    jw_key(w, "compliance");
    if (write_compliance(rq, &an, NULL, 1) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    jw_obj_end(w);
    return 200;
}
