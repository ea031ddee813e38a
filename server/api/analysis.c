/* analysis.c - the scored portfolio snapshot as request handlers use it,
 * and the JSON writers shared by the read-side endpoints; see analysis.h.
 * The snapshot itself (sharing, derivation) lives in snapshot.c. */
#include "api/analysis.h"

#include <stdint.h>
#include <string.h>

#include "api/snapshot.h"
#include "common/text.h"

static void release(void *arg)
{
    snapshot_release(arg);
}

static void release_catalogue(void *arg)
{
    snapshot_release_catalogue(arg);
}

static int fill(sy_request *rq, analysis *an, int need_full)
{
    store_err err;
    memset(an, 0, sizeof *an);
    /* Inside the caller's transaction (a write, or a report's read
     * snapshot) the snapshot must show that transaction's view, and is
     * private to it. The catalogue alone is held without the workloads. */
    snapshot_view v;
    int private = store_in_transaction(rq->db), catalogue = !need_full && !private;
    snapshot *s = private     ? snapshot_build_private(rq->db, &err)
                  : catalogue ? snapshot_obtain_catalogue(rq->db, &v, &err)
                              : snapshot_obtain(rq->db, need_full, &err);
    if (!s)
        return problem_store(rq, &err);
    if (req_on_done(rq, catalogue ? release_catalogue : release, s) != 0) {
        if (catalogue)
            snapshot_release_catalogue(s);
        else
            snapshot_release(s);
        return problem(rq, 500, NULL, "Too many snapshots in one request.");
    }
    if (!catalogue)
        snapshot_get_view(s, &v);
    an->p = v.p;
    an->weights = v.weights;
    an->risk = v.risk;
    an->snap = s;
    an->counts = catalogue ? NULL : snapshot_counts(s);
    an->conc = v.conc;
    return 0;
}

int analysis_load(sy_request *rq, analysis *an)
{
    return fill(rq, an, 1);
}

int analysis_catalogue(sy_request *rq, analysis *an)
{
    return fill(rq, an, 0);
}

int analysis_shown(sy_request *rq, const analysis *an, const workload *const *rows, size_t n,
                   workload **out)
{
    store_err err;
    if (n && !(*out = arena_alloc(&rq->arena, n * sizeof **out)))
        return problem(rq, 500, NULL, "Out of memory.");
    for (size_t i = 0; i < n; i++)
        (*out)[i] = *rows[i];
    if (n && an->p.texts_left_out &&
        store_workload_texts(rq->db, *out, n, 0, &rq->arena, &err) != ST_OK)
        return problem_store(rq, &err);
    return 0;
}

int analysis_texts(sy_request *rq, analysis *an, int64_t only)
{
    size_t n = an->p.n_workloads;
    if (!an->p.texts_left_out || !n)
        return 0;
    workload *copy = arena_alloc(&rq->arena, n * sizeof *copy);
    if (!copy)
        return problem(rq, 500, NULL, "Out of memory.");
    memcpy(copy, an->p.workloads, n * sizeof *copy);
    /* Only the one shown, or every workload (sorted by id: one scan). */
    workload *one = only ? (workload *)pf_workload(&(portfolio){.workloads = copy,
                                                                .n_workloads = n},
                                                   only)
                         : NULL;
    store_err err;
    if (only && !one)
        return 0;
    if (store_workload_texts(rq->db, one ? one : copy, one ? 1 : n, !one, &rq->arena, &err) !=
        ST_OK)
        return problem_store(rq, &err);
    an->p.workloads = copy;
    an->p.texts_left_out = 0;
    return 0;
}

void analysis_score(const analysis *an, const workload *w, arena *a, risk_result *out)
{
    risk_assess(&an->p, w, &an->weights, a, out);
}

const risk_result *analysis_risk(const analysis *an, const workload *w)
{
    return &an->risk[w - an->p.workloads];
}

const risk_result *analysis_explained(const analysis *an, const workload *w,
                                      const risk_result *r, arena *a, risk_result *tmp)
{
    return risk_explained(&an->p, w, &an->weights, r, a, tmp);
}

void jw_amount(jw *w, double units)
{
    double cents = units * 100.0;
    jw_money(w, (int64_t)(cents < 0 ? cents - 0.5 : cents + 0.5));
}

static double round_to(double v, double unit)
{
    return (double)(int64_t)(v / unit + (v < 0 ? -0.5 : 0.5)) * unit;
}

void concentration_json(jw *w, const concentration *c)
{
    concentration_json_of(w, c, NULL);
}

/* The actual basis's count of workloads without observed spend, each
 * named when the portfolio is given. */
static void not_counted_json(jw *w, const concentration *c, const portfolio *p)
{
    jw_kint(w, "counted", (int64_t)c->counted);
    jw_key(w, "not_counted");
    jw_obj(w);
    jw_kint(w, "count", (int64_t)c->n_not_counted);
    jw_kstr(w, "reason", "no observed monthly spend (import cost data or gateway spend logs); "
                         "declared spend is not used on this basis");
    jw_key(w, "workloads");
    jw_arr(w);
    for (size_t i = 0; p && i < c->n_not_counted; i++) {
        const workload *wl = &p->workloads[c->not_counted[i]];
        jw_obj(w);
        jw_kint(w, "id", wl->id);
        jw_kstr(w, "name", wl->name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

void concentration_json_of(jw *w, const concentration *c, const portfolio *p)
{
    jw_obj(w);
    jw_kstr(w, "basis", c->actual ? "actual" : c->basis_spend ? "spend" : "workloads");
    jw_kbool(w, "connected", c->connected);
    jw_key(w, "layers");
    jw_obj(w);
    for (int l = 0; l < LAYERS; l++) {
        const conc_layer *layer = &c->layers[l];
        jw_key(w, LAYER_NAMES[l]);
        jw_obj(w);
        jw_key(w, "hhi");
        jw_double(w, round_to(layer->hhi, 1));
        jw_kstr(w, "band", layer->band);
        jw_key(w, "effective_providers");
        jw_double(w, round_to(layer->effective, 0.01));
        jw_key(w, "total");
        if (c->basis_spend)
            jw_amount(w, layer->total);
        else
            jw_double(w, layer->total);
        jw_key(w, "shares");
        jw_arr(w);
        for (size_t i = 0; i < layer->n_shares; i++) {
            const conc_share *s = &layer->shares[i];
            jw_obj(w);
            jw_kstr(w, "group", s->name);
            jw_key(w, "group_id");
            if (s->group > 0)
                jw_int(w, s->group);
            else
                jw_null(w);
            jw_key(w, "share");
            jw_double(w, round_to(s->share, 0.0001));
            jw_key(w, "amount");
            if (c->basis_spend)
                jw_amount(w, s->amount);
            else
                jw_double(w, round_to(s->amount, 0.01));
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_obj_end(w);
    if (c->actual)
        not_counted_json(w, c, p);
    jw_obj_end(w);
}

int64_t days_until(const analysis *an, const char *date)
{
    int64_t d;
    if (!date || date_parse(date, &d) != 0)
        return INT64_MIN;
    return d - an->p.today;
}

int64_t review_days(sy_request *rq)
{
    const char *value = NULL;
    int64_t days;
    if (store_setting_get(rq->db, "review_days", &rq->arena, &value) == ST_OK && value &&
        parse_i64(value, 1, 3650, &days) == 0)
        return days;
    return REVIEW_DAYS_DEFAULT;
}
