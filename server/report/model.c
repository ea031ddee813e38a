/* model.c - the governance report's model, written as JSON in one
 * read transaction. The executive summary and the track sections are the
 * dashboard's own answers (GET /portfolio/summary and /strategies/{track},
 * called in the same snapshot), so the report shows the figures the
 * dashboard shows. The appendices are each entity's records written by the
 * API's own writer (entity_write, in the report's form: names beside
 * references). Keys come in a fixed order; the JSON format is this model,
 * and the HTML and CSV are rendered from it (core/report_*.h). */
#include <stdlib.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "api/audit.h"
#include "api/report_dora.h"
#include "api/history.h"
#include "api/exports.h"
#include "report/report.h"
#include "common/text.h"
#include "core/overview.h"
#include "store/imports.h"
#include "store/reports.h"
#include "version.h"

#define REPORT_FORMAT_VERSION 1
#define DEADLINE_MONTHS 12

/* Runs a dashboard handler as a sub-request (no query; for a track,
 * {track} = track) on the same connection, hence inside the report's read
 * transaction, and writes its answer into the model at the current key.
 * The sub-request has its own arena and releases its snapshot at once. */
static int embed_view(sy_request *rq, int (*handler)(sy_request *), const char *track)
{
    static const char name[] = "track";
    sy_request sub;
    memset(&sub, 0, sizeof sub);
    sub.app = rq->app;
    sub.db = rq->db;
    sub.method = "GET";
    sub.path = rq->path;
    sub.query = "";
    sub.role = rq->role;
    sub.user_id = rq->user_id;
    sub.user_name = rq->user_name;
    sub.actor = rq->actor;
    if (track) {
        sub.params.count = 1;
        sub.params.p[0].name = name;
        sub.params.p[0].name_len = sizeof name - 1;
        sub.params.p[0].value = track;
        sub.params.p[0].value_len = strlen(track);
    }
    arena_init(&sub.arena);
    buf_init(&sub.out);
    jw_init(&sub.jw, &sub.out);
    int status = handler(&sub);
    if (status == 200 && !buf_failed(&sub.out) && sub.out.data)
        jw_raw(&rq->jw, sub.out.data);
    else
        status = problem(rq, 500, NULL, "A section of the report could not be built.");
    for (int i = 0; i < sub.n_done; i++)
        sub.done[i].fn(sub.done[i].arg);
    buf_free(&sub.out);
    arena_free(&sub.arena);
    return status == 200 ? 0 : status;
}

static const char *vendor_name(const portfolio *p, int64_t id)
{
    const vendor *v = id ? pf_vendor(p, id) : NULL;
    return v ? v->name : NULL;
}

static const char *offering_name(const portfolio *p, int64_t id)
{
    const offering *o = pf_offering(p, id);
    return o ? o->name : NULL;
}

static int write_cover(sy_request *rq, const report_query *q, const report_meta *m,
                       int stamp, const char *head_at)
{
    jw *w = &rq->jw;
    jw_key(w, "cover");
    jw_obj(w);
    jw_kstr(w, "title", "AI governance report");
    jw_kstr(w, "organisation", m->organisation);
    jw_kstr(w, "classification", m->classification);
    jw_kstr(w, "currency", m->currency);
    jw_kstr(w, "as_of", m->as_of);
    jw_kstr(w, "generated_at", stamp ? m->generated_at : NULL);
    jw_kstr(w, "generated_by", m->generated_by);
    jw_kstr(w, "software", "switchyard " SWITCHYARD_VERSION);
    jw_kstr(w, "since", q->since);
    jw_key(w, "audit_head");
    jw_obj(w);
    jw_kint(w, "seq", m->head_seq);
    jw_kstr(w, "hash", m->head_hash);
    jw_kstr(w, "at", head_at);
    jw_obj_end(w);
    /* The risk model in force, as GET /risk/model answers it. */
    jw_key(w, "risk_model");
    int status = embed_view(rq, risk_model_get, NULL);
    if (status)
        return status;
    jw_obj_end(w);
    return 0;
}

/* Every flagged active workload, in the order to act on them as the
 * overview orders them (priority, then exposure = score x criticality
 * weight; core/overview.h), with every factor and its reason. */
static int write_flagged(sy_request *rq, const analysis *an)
{
    const portfolio *p = &an->p;
    ov_item *items;
    size_t n, total;
    if (ov_flagged(p, an->risk, NULL, 0, &rq->arena, &items, &n, &total) != 0)
        return -1;
    jw *w = &rq->jw;
    jw_key(w, "flagged");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const workload *x = &p->workloads[items[i].index];
        risk_result full;
        const risk_result *r =
            analysis_explained(an, x, &an->risk[items[i].index], &rq->arena, &full);
        jw_obj(w);
        jw_kint(w, "id", x->id);
        jw_kstr(w, "name", x->name);
        jw_kstr(w, "track", x->track);
        jw_kstr(w, "status", x->status);
        jw_kstr(w, "criticality", x->criticality);
        jw_kstr(w, "owner", x->owner);
        jw_kstr(w, "team", x->team);
        jw_kmoney(w, "monthly_spend", x->monthly_spend);
        jw_kbool(w, "swap_layer", x->swap_layer);
        jw_kint(w, "score", r->score);
        jw_kstr(w, "level", RISK_LEVELS[r->level]);
        jw_kstr(w, "priority", RISK_PRIORITIES[r->priority]);
        jw_kint(w, "exposure", items[i].exposure);
        risk_factors_json(w, r);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    return 0;
}

/* Concentration per layer: by spend and by criticality-weighted workloads,
 * each without and with closely connected groups merged. */
static int write_concentration(sy_request *rq, const analysis *an)
{
    jw *w = &rq->jw;
    jw_key(w, "concentration");
    jw_arr(w);
    for (int basis = 1; basis >= 0; basis--)
        for (int connected = 0; connected <= 1; connected++) {
            concentration c;
            if (concentration_compute(&an->p, basis, connected, NULL, NULL, &rq->arena, &c) != 0)
                return -1;
            concentration_json(w, &c);
        }
    jw_arr_end(w);
    return 0;
}

static int outlives(const workload *x, int64_t until)
{
    int64_t planned;
    if (!x->planned_end)
        return strcmp(x->status, "production") == 0;
    return date_parse(x->planned_end, &planned) == 0 && planned > until;
}

/* Every term of every upstream agreement, with the active workloads that
 * depend on an offering the agreement covers. */
static void write_upstream(sy_request *rq, const analysis *an)
{
    const portfolio *p = &an->p;
    jw *w = &rq->jw;
    jw_key(w, "upstream_terms");
    jw_arr(w);
    for (size_t i = 0; i < p->n_contracts; i++) {
        const contract *c = &p->contracts[i];
        if (strcmp(c->kind, "upstream") != 0)
            continue;
        for (size_t t = 0; t < c->n_terms; t++) {
            const contract_term *term = &c->terms[t];
            int64_t until = -1;
            if (term->until && date_parse(term->until, &until) != 0)
                until = -1;
            jw_obj(w);
            jw_kint(w, "contract", c->id);
            jw_kstr(w, "agreement", c->name);
            jw_kstr(w, "counterparty", vendor_name(p, c->counterparty));
            jw_kstr(w, "other_party", vendor_name(p, c->other_party));
            jw_kstr(w, "kind", term->kind);
            jw_kstr(w, "text", term->text);
            jw_kstr(w, "effective", term->effective);
            jw_kstr(w, "until", term->until);
            jw_key(w, "days_left");
            if (until >= 0)
                jw_int(w, until - p->today);
            else
                jw_null(w);
            jw_key(w, "workloads");
            jw_arr(w);
            for (size_t k = 0; k < p->n_workloads; k++) {
                const workload *x = &p->workloads[k];
                if (!workload_active(x))
                    continue;
                int depends = 0;
                for (size_t d = 0; d < x->n_dependencies && !depends; d++)
                    depends = contract_covers(c, x->dependencies[d].offering);
                if (!depends)
                    continue;
                jw_obj(w);
                jw_kint(w, "id", x->id);
                jw_kstr(w, "name", x->name);
                jw_kstr(w, "track", x->track);
                jw_kstr(w, "status", x->status);
                jw_kstr(w, "planned_end", x->planned_end);
                jw_kbool(w, "outlives_term", until >= 0 && outlives(x, until));
                jw_obj_end(w);
            }
            jw_arr_end(w);
            jw_obj_end(w);
        }
    }
    jw_arr_end(w);
}

static int write_changes(sy_request *rq, const report_query *q, const report_meta *m)
{
    jw *w = &rq->jw;
    jw_key(w, "changes");
    if (!q->since_bound) {
        jw_null(w);
        return 0;
    }
    audit_event *events;
    size_t n;
    store_err err;
    if (store_report_changes(rq->db, q->since_bound, m->head_seq, &rq->arena, &events, &n,
                             &err) != ST_OK)
        return problem_store(rq, &err);
    jw_obj(w);
    jw_kstr(w, "since", q->since_bound);
    jw_kint(w, "count", (int64_t)n);
    jw_key(w, "events");
    jw_arr(w);
    for (size_t i = 0; i < n; i++)
        audit_event_json(w, &events[i]);
    jw_arr_end(w);
    jw_obj_end(w);
    return 0;
}

/* The report names what a record refers to, beside its ID. */
static const char *name_in(const void *data, ref_kind kind, int64_t id)
{
    const portfolio *p = data;
    return kind == REF_VENDOR ? vendor_name(p, id) : offering_name(p, id);
}

/* One appendix: every record of an entity in the report's form of the
 * API's own writer (names beside references, report-only fields). A
 * workload's reason sentences are written as it is (analysis_explained),
 * in a scratch arena let go every few hundred workloads. */
static void write_records(jw *w, const analysis *an, const char *key, const entity_desc *d,
                          const void *items, size_t n)
{
    entity_ctx ctx = {.report = 1, .name_of = name_in, .data = &an->p, .today = an->p.today};
    arena scratch;
    arena_init(&scratch);
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const void *item = (const char *)items + i * d->size;
        risk_result full;
        ctx.risk = d == &WORKLOAD_DESC
                       ? analysis_explained(an, item, &an->risk[i], &scratch, &full)
                       : NULL;
        entity_write(w, d, item, &ctx);
        if (i % 256 == 255)
            arena_free(&scratch);
    }
    jw_arr_end(w);
    arena_free(&scratch);
}

static void write_appendices(sy_request *rq, const analysis *an)
{
    const portfolio *p = &an->p;
    jw *w = &rq->jw;
    jw_key(w, "appendices");
    jw_obj(w);
    write_records(w, an, "workloads", &WORKLOAD_DESC, p->workloads, p->n_workloads);
    write_records(w, an, "contracts", &CONTRACT_DESC, p->contracts, p->n_contracts);
    write_records(w, an, "offerings", &OFFERING_DESC, p->offerings, p->n_offerings);
    write_records(w, an, "vendors", &VENDOR_DESC, p->vendors, p->n_vendors);
    jw_obj_end(w);
}

/* Where imported facts came from (every field an import set, with its
 * source and observed_at; the rest are declared) and the actual monthly
 * spend cost data showed, beside the declared spend in the appendices. */
static int write_evidence(sy_request *rq)
{
    provenance_rec *prov;
    spend_rec *spend;
    size_t np, ns;
    store_err err;
    if (store_provenance_all(rq->db, &rq->arena, &prov, &np, &err) != ST_OK ||
        store_spend_all(rq->db, &rq->arena, &spend, &ns, &err) != ST_OK)
        return problem_store(rq, &err);
    jw *w = &rq->jw;
    jw_key(w, "evidence");
    jw_obj(w);
    jw_key(w, "provenance");
    jw_arr(w);
    for (size_t i = 0; i < np; i++) {
        jw_obj(w);
        jw_kstr(w, "entity", prov[i].entity);
        jw_kint(w, "id", prov[i].entity_id);
        jw_kstr(w, "field", prov[i].field);
        jw_kstr(w, "source", prov[i].source);
        jw_kstr(w, "observed_at", prov[i].observed_at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "actual_spend");
    jw_arr(w);
    for (size_t i = 0; i < ns; i++) {
        jw_obj(w);
        jw_kint(w, "workload", spend[i].workload);
        jw_kstr(w, "month", spend[i].month);
        jw_kstr(w, "currency", spend[i].currency);
        jw_kmoney(w, "billed_cost", spend[i].billed);
        jw_kmoney(w, "actual", spend[i].effective);
        jw_kstr(w, "observed_at", spend[i].observed_at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    return 0;
}

static int build(sy_request *rq, const report_query *q, int stamp, report_meta *m)
{
    store_err err;
    const char *head_at = NULL;
    /* Settings (seeded, or set with `switchyard setting`): absent is NULL. */
    static const char *const keys[] = {"organisation", "currency", "report_classification"};
    const char **slots[] = {&m->organisation, &m->currency, &m->classification};
    for (int i = 0; i < 3; i++) {
        *slots[i] = NULL;
        int code = store_setting_get(rq->db, keys[i], &rq->arena, slots[i]);
        if (code != ST_OK && code != ST_NOT_FOUND)
            return problem(rq, 500, NULL, "A report setting could not be read.");
    }
    if (!m->classification)
        m->classification = REPORT_DEFAULT_CLASSIFICATION;
    if (store_report_head(rq->db, &rq->arena, &m->head_seq, m->head_hash, &head_at, &err) !=
        ST_OK)
        return problem_store(rq, &err);
    analysis an;
    /* Inside the report's transaction the snapshot is private and has every
     * text; analysis_texts reads them when it would not. */
    int status = analysis_load(rq, &an);
    if (status || (status = analysis_texts(rq, &an, 0)) != 0)
        return status;
    date_format(an.p.today, m->as_of);

    jw *w = &rq->jw;
    jw_obj(w);
    jw_kstr(w, "report", "governance");
    jw_kint(w, "format_version", REPORT_FORMAT_VERSION);
    if ((status = write_cover(rq, q, m, stamp, head_at)) != 0)
        return status;
    jw_key(w, "summary");
    if ((status = embed_view(rq, summary_get, NULL)) != 0)
        return status;
    jw_key(w, "tracks");
    jw_arr(w);
    for (int t = 0; TRACKS[t]; t++)
        if ((status = embed_view(rq, strategy_get, TRACKS[t])) != 0)
            return status;
    jw_arr_end(w);
    if (write_flagged(rq, &an) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    /* Every finding with its owner, due date and status, as GET /findings. */
    jw_key(w, "findings");
    if ((status = embed_view(rq, findings_list, NULL)) != 0)
        return status;
    if (write_concentration(rq, &an) != 0)
        return problem(rq, 500, NULL, "Out of memory.");

    int64_t until = date_add_months(an.p.today, DEADLINE_MONTHS);
    jw_key(w, "deadlines");
    jw_obj(w);
    jw_kint(w, "window_months", DEADLINE_MONTHS);
    entity_kday(w, "from", an.p.today);
    entity_kday(w, "until", until);
    jw_key(w, "items");
    write_deadlines(rq, &an, (int)(until - an.p.today), NULL, NULL);
    jw_obj_end(w);

    write_upstream(rq, &an);
    if ((status = write_changes(rq, q, m)) != 0 || (status = changes_review_model(rq, &an)) != 0)
        return status;
    jw_key(w, "ai_act");
    if ((status = export_ai_act_section(rq, &an)) != 0 ||
        (q->format == REPORT_BUNDLE && (status = export_bundle_files(rq, &an, m)) != 0))
        return status;
    write_appendices(rq, &an);
    if ((status = write_evidence(rq)) != 0)
        return status;
    jw_obj_end(w);
    /* The signed bundle carries the DORA register of the same snapshot. */
    if (q->format == REPORT_BUNDLE) {
        m->dora = arena_alloc(&rq->arena, sizeof *m->dora);
        if (!m->dora)
            return problem(rq, 500, NULL, "Out of memory.");
        if ((status = dora_register_load(rq, &an, m->dora)) != 0)
            return status;
    }
    if (buf_failed(&rq->out))
        return problem(rq, 500, NULL, "The report could not be built.");
    return 0;
}

int report_model_build(sy_request *rq, const report_query *q, const char *now, int stamp,
                       report_meta *meta)
{
    memset(meta, 0, sizeof *meta);
    copy_str(meta->generated_at, sizeof meta->generated_at, now);
    meta->generated_by = rq->actor ? rq->actor : "system";
    buf_reset(&rq->out);
    jw_init(&rq->jw, &rq->out);
    store_err err;
    if (store_begin_read(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int status = build(rq, q, stamp, meta);
    store_end_read(rq->db);
    return status;
}
