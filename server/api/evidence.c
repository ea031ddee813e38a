/* evidence.c - GET /api/v1/workloads/{id}/evidence: where a workload's
 * facts came from (each field an import set, with its source
 * 'import:<id>:<kind>' and observed_at; every other field is declared),
 * its actual monthly spend from cost data beside the declared monthly
 * spend with the difference, the spend an AI gateway's logs show
 * (gateway_spend, kind litellm-spend), and whether its usage evidence is stale:
 * older than `switchyard setting evidence_days N` (default 45 days). */
#include <string.h>

#include "api/api.h"
#include "common/text.h"
#include "store/imports.h"

#define EVIDENCE_DAYS_DEFAULT 45

static int64_t evidence_days(sy_request *rq)
{
    const char *value = NULL;
    int64_t days;
    if (store_setting_get(rq->db, "evidence_days", &rq->arena, &value) == ST_OK && value &&
        parse_i64(value, 1, 3650, &days) == 0)
        return days;
    return EVIDENCE_DAYS_DEFAULT;
}

/* Days from an RFC 3339 instant's day to today; -1 when unreadable. */
static int64_t age_days(const char *at)
{
    char day[11];
    int64_t d;
    if (!at || strlen(at) < 10)
        return -1;
    memcpy(day, at, 10);
    day[10] = '\0';
    return date_parse(day, &d) == 0 ? clock_today() - d : -1;
}

static void write_spend(jw *w, const spend_rec *s, size_t n, int64_t declared,
                        const char *currency)
{
    jw_key(w, "actual_spend");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "month", s[i].month);
        jw_kstr(w, "currency", s[i].currency);
        jw_kmoney(w, "billed_cost", s[i].billed);
        jw_kmoney(w, "actual", s[i].effective);
        jw_kmoney(w, "declared", declared);
        /* The difference only where both are in the same currency (the
         * declared spend is in the reporting currency; unset: assumed). */
        if (!currency || !*currency || strcmp(currency, s[i].currency) == 0) {
            jw_key(w, "difference");
            jw_double(w, (double)(s[i].effective - declared) / 100.0);
        } else {
            jw_key(w, "difference");
            jw_null(w);
        }
        jw_kint(w, "import", s[i].import_id);
        jw_kstr(w, "observed_at", s[i].observed_at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* What the gateway's spend logs priced, per month (apart from the bill). */
static void write_gateway(jw *w, const gateway_spend_rec *g, size_t n)
{
    jw_key(w, "gateway_spend");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kstr(w, "month", g[i].month);
        jw_kstr(w, "currency", g[i].currency);
        jw_key(w, "spend");
        jw_double(w, (double)g[i].micros / 1e6);
        jw_kint(w, "requests", g[i].requests);
        jw_kint(w, "import", g[i].import_id);
        jw_kstr(w, "observed_at", g[i].observed_at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int workloads_evidence(sy_request *rq)
{
    store_err err;
    workload wl;
    provenance_rec *prov;
    spend_rec *spend;
    gateway_spend_rec *gw;
    size_t np, ns, ng;
    const char *currency = NULL;
    if (store_workload_get(rq->db, rq->id, &rq->arena, &wl, &err) != ST_OK ||
        store_provenance_of(rq->db, "workload", rq->id, &rq->arena, &prov, &np, &err) != ST_OK ||
        store_spend_of(rq->db, rq->id, &rq->arena, &spend, &ns, &err) != ST_OK ||
        store_gateway_spend_of(rq->db, rq->id, &rq->arena, &gw, &ng, &err) != ST_OK)
        return problem_store(rq, &err);
    (void)store_setting_get(rq->db, "currency", &rq->arena, &currency);
    const char *last = NULL, *last_usage = NULL;
    for (size_t i = 0; i < np; i++)
        if (!last || strcmp(prov[i].observed_at, last) > 0)
            last = prov[i].observed_at;
    for (size_t i = 0; i < ns; i++)
        if (!last_usage || strcmp(spend[i].observed_at, last_usage) > 0)
            last_usage = spend[i].observed_at;
    for (size_t i = 0; i < ng; i++)
        if (!last_usage || strcmp(gw[i].observed_at, last_usage) > 0)
            last_usage = gw[i].observed_at;
    int64_t days = evidence_days(rq), age = age_days(last_usage);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_kint(w, "workload", rq->id);
    jw_key(w, "provenance");
    jw_arr(w);
    for (size_t i = 0; i < np; i++) {
        jw_obj(w);
        jw_kstr(w, "field", prov[i].field);
        jw_kstr(w, "source", prov[i].source);
        jw_kstr(w, "observed_at", prov[i].observed_at);
        jw_kint(w, "import", prov[i].import_id);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kmoney(w, "declared_monthly_spend", wl.monthly_spend);
    jw_kstr(w, "currency", currency);
    write_spend(w, spend, ns, wl.monthly_spend, currency);
    write_gateway(w, gw, ng);
    jw_kstr(w, "last_observed", last);
    jw_kstr(w, "usage_observed", last_usage);
    jw_kint(w, "stale_after_days", days);
    jw_kbool(w, "usage_stale", last_usage && age > days);
    jw_obj_end(w);
    return 200;
}
