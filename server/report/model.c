/* model.c - the governance report's model, written as JSON in one
 * read transaction. The executive summary and the track sections are the
 * dashboard's own answers (GET /portfolio/summary and /strategies/{track},
 * called in the same snapshot), so the report shows the figures the
 * dashboard shows. Keys come in a fixed order; the JSON format is this
 * model, and the HTML and CSV are rendered from it (core/report_*.h). */
#include <stdlib.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "report/report.h"
#include "common/text.h"
#include "core/overview.h"
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

static void write_date(jw *w, const char *key, int64_t day)
{
    char text[11];
    jw_key(w, key);
    if (day < 0) {
        jw_null(w);
        return;
    }
    date_format(day, text);
    jw_str(w, text);
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

static void write_factors(jw *w, const risk_result *r)
{
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
}

/* Every flagged active workload, in the order to act on them as the
 * overview orders them (priority, then exposure = score x criticality
 * weight; core/overview.h), with every factor and its reason. */
static int write_flagged(sy_request *rq, const analysis *an)
{
    const portfolio *p = &an->p;
    ov_item *items;
    size_t n;
    if (ov_flagged(p, an->risk, NULL, &rq->arena, &items, &n) != 0)
        return -1;
    jw *w = &rq->jw;
    jw_key(w, "flagged");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const workload *x = &p->workloads[items[i].index];
        const risk_result *r = &an->risk[items[i].index];
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
        write_factors(w, r);
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

void report_write_event(jw *w, const audit_event *ev)
{
    jw_obj(w);
    jw_kint(w, "seq", ev->seq);
    jw_kstr(w, "at", ev->at);
    jw_kstr(w, "actor", ev->actor);
    jw_kstr(w, "action", ev->action);
    jw_kstr(w, "entity", ev->entity);
    jw_kid(w, "entity_id", ev->entity_id);
    jw_key(w, "before");
    if (ev->before)
        jw_raw(w, ev->before);
    else
        jw_null(w);
    jw_key(w, "after");
    if (ev->after)
        jw_raw(w, ev->after);
    else
        jw_null(w);
    jw_kstr(w, "prev_hash", ev->prev_hash);
    jw_kstr(w, "hash", ev->hash);
    jw_obj_end(w);
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
        report_write_event(w, &events[i]);
    jw_arr_end(w);
    jw_obj_end(w);
    return 0;
}

static void write_workload(jw *w, const portfolio *p, const workload *x, const risk_result *r)
{
    jw_obj(w);
    jw_kint(w, "id", x->id);
    jw_kstr(w, "name", x->name);
    jw_kstr(w, "purpose", x->purpose);
    jw_kstr(w, "owner", x->owner);
    jw_kstr(w, "team", x->team);
    jw_kstr(w, "track", x->track);
    jw_kstr(w, "status", x->status);
    jw_kstr(w, "criticality", x->criticality);
    jw_kstr(w, "data_classification", x->data_classification);
    jw_kint(w, "users", x->users);
    jw_kmoney(w, "monthly_spend", x->monthly_spend);
    jw_kstr(w, "planned_end", x->planned_end);
    jw_kstr(w, "ai_act_tier", x->ai_act_tier);
    jw_kbool(w, "swap_layer", x->swap_layer);
    jw_kbool(w, "second_model_validated", x->second_model_validated);
    jw_key(w, "proprietary_features");
    jw_arr(w);
    for (size_t i = 0; i < x->n_features; i++)
        jw_str(w, x->features[i]);
    jw_arr_end(w);
    jw_key(w, "dependencies");
    jw_arr(w);
    for (size_t i = 0; i < x->n_dependencies; i++) {
        jw_obj(w);
        jw_kint(w, "offering", x->dependencies[i].offering);
        jw_kstr(w, "offering_name", offering_name(p, x->dependencies[i].offering));
        jw_kstr(w, "role", x->dependencies[i].role);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "notes", x->notes);
    jw_key(w, "risk");
    jw_obj(w);
    jw_kint(w, "score", r->score);
    jw_kstr(w, "level", RISK_LEVELS[r->level]);
    jw_kstr(w, "priority", RISK_PRIORITIES[r->priority]);
    jw_kbool(w, "flagged", r->flagged);
    write_factors(w, r);
    jw_obj_end(w);
    jw_kstr(w, "created_at", x->created_at);
    jw_kstr(w, "updated_at", x->updated_at);
    jw_obj_end(w);
}

static void write_contract(jw *w, const portfolio *p, const contract *c)
{
    int64_t end;
    jw_obj(w);
    jw_kint(w, "id", c->id);
    jw_kstr(w, "name", c->name);
    jw_kstr(w, "kind", c->kind);
    jw_kid(w, "counterparty", c->counterparty);
    jw_kstr(w, "counterparty_name", vendor_name(p, c->counterparty));
    jw_kid(w, "other_party", c->other_party);
    jw_kstr(w, "other_party_name", vendor_name(p, c->other_party));
    jw_key(w, "offerings");
    jw_arr(w);
    for (size_t i = 0; i < c->n_offerings; i++) {
        jw_obj(w);
        jw_kint(w, "id", c->offerings[i]);
        jw_kstr(w, "name", offering_name(p, c->offerings[i]));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "start_date", c->start_date);
    jw_kstr(w, "end_date", c->end_date);
    jw_kint(w, "notice_days", c->notice_days);
    /* As the contracts API computes it: end date minus notice period. */
    write_date(w, "notice_deadline",
               c->end_date && date_parse(c->end_date, &end) == 0 ? end - c->notice_days : -1);
    jw_kbool(w, "active", contract_active(c, p->today));
    /* The current term's end and deadline, auto-renewal rolled forward. */
    write_date(w, "current_end", contract_current_end(c, p->today));
    write_date(w, "current_notice_deadline", contract_notice_deadline(c, p->today));
    jw_kbool(w, "auto_renew", c->auto_renew);
    jw_kint(w, "renewal_months", c->renewal_months);
    jw_kmoney(w, "annual_value", c->annual_value);
    jw_kstr(w, "currency", c->currency);
    jw_kmoney(w, "committed_spend", c->committed_spend);
    jw_kbool(w, "exclusive", c->exclusive);
    jw_kstr(w, "exit_clause", c->exit_clause);
    jw_kbool(w, "data_portability", c->data_portability);
    jw_kstr(w, "substitutability", c->substitutability);
    jw_kstr(w, "exit_plan", c->exit_plan);
    jw_kstr(w, "notes", c->notes);
    jw_key(w, "terms");
    jw_arr(w);
    for (size_t i = 0; i < c->n_terms; i++) {
        jw_obj(w);
        jw_kstr(w, "kind", c->terms[i].kind);
        jw_kstr(w, "text", c->terms[i].text);
        jw_kstr(w, "effective", c->terms[i].effective);
        jw_kstr(w, "until", c->terms[i].until);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "created_at", c->created_at);
    jw_kstr(w, "updated_at", c->updated_at);
    jw_obj_end(w);
}

static void write_offering(jw *w, const portfolio *p, const offering *o)
{
    jw_obj(w);
    jw_kint(w, "id", o->id);
    jw_kstr(w, "name", o->name);
    jw_kid(w, "provider", o->provider);
    jw_kstr(w, "provider_name", vendor_name(p, o->provider));
    jw_kid(w, "publisher", o->publisher);
    jw_kstr(w, "publisher_name", vendor_name(p, o->publisher));
    jw_kid(w, "host", o->host);
    jw_kstr(w, "host_name", vendor_name(p, o->host));
    jw_kstr(w, "track", o->track);
    jw_kstr(w, "category", o->category);
    jw_kstr(w, "interface", o->interface);
    jw_kbool(w, "open_weight", o->open_weight);
    jw_kstr(w, "description", o->description);
    jw_kstr(w, "url", o->url);
    jw_kstr(w, "created_at", o->created_at);
    jw_kstr(w, "updated_at", o->updated_at);
    jw_obj_end(w);
}

static void write_vendor(jw *w, const portfolio *p, const vendor *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kstr(w, "name", v->name);
    jw_kid(w, "parent", v->parent);
    jw_kstr(w, "parent_name", vendor_name(p, v->parent));
    jw_key(w, "group");
    jw_obj(w);
    jw_kint(w, "id", v->group_id ? v->group_id : v->id);
    jw_kstr(w, "name", v->group_name ? v->group_name : v->name);
    jw_obj_end(w);
    jw_kstr(w, "website", v->website);
    jw_kstr(w, "country", v->country);
    jw_kstr(w, "description", v->description);
    jw_key(w, "connections");
    jw_arr(w);
    for (size_t i = 0; i < v->n_connections; i++) {
        jw_obj(w);
        jw_kint(w, "vendor", v->connections[i].vendor);
        jw_kstr(w, "vendor_name", vendor_name(p, v->connections[i].vendor));
        jw_kstr(w, "reason", v->connections[i].reason);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "created_at", v->created_at);
    jw_kstr(w, "updated_at", v->updated_at);
    jw_obj_end(w);
}

static void write_appendices(sy_request *rq, const analysis *an)
{
    const portfolio *p = &an->p;
    jw *w = &rq->jw;
    jw_key(w, "appendices");
    jw_obj(w);
    jw_key(w, "workloads");
    jw_arr(w);
    for (size_t i = 0; i < p->n_workloads; i++)
        write_workload(w, p, &p->workloads[i], &an->risk[i]);
    jw_arr_end(w);
    jw_key(w, "contracts");
    jw_arr(w);
    for (size_t i = 0; i < p->n_contracts; i++)
        write_contract(w, p, &p->contracts[i]);
    jw_arr_end(w);
    jw_key(w, "offerings");
    jw_arr(w);
    for (size_t i = 0; i < p->n_offerings; i++)
        write_offering(w, p, &p->offerings[i]);
    jw_arr_end(w);
    jw_key(w, "vendors");
    jw_arr(w);
    for (size_t i = 0; i < p->n_vendors; i++)
        write_vendor(w, p, &p->vendors[i]);
    jw_arr_end(w);
    jw_obj_end(w);
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
    int status = analysis_load(rq, &an);
    if (status)
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
    if (write_flagged(rq, &an) != 0 || write_concentration(rq, &an) != 0)
        return problem(rq, 500, NULL, "Out of memory.");

    int64_t until = date_add_months(an.p.today, DEADLINE_MONTHS);
    jw_key(w, "deadlines");
    jw_obj(w);
    jw_kint(w, "window_months", DEADLINE_MONTHS);
    write_date(w, "from", an.p.today);
    write_date(w, "until", until);
    jw_key(w, "items");
    write_deadlines(rq, &an, (int)(until - an.p.today), NULL, NULL);
    jw_obj_end(w);

    write_upstream(rq, &an);
    if ((status = write_changes(rq, q, m)) != 0)
        return status;
    write_appendices(rq, &an);
    jw_obj_end(w);
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
