/* changes.c - reviews and what changed since one (issue 19 item 3):
 *   GET  /api/v1/reviews                  every review, latest first
 *   POST /api/v1/reviews                  mark one (leadership, admin; audited)
 *   GET  /api/v1/portfolio/changes?since=review|YYYY-MM-DD
 * The portfolio as it stood at the cutoff (the start of the day, or the
 * moment the latest review was recorded) is put back
 * together from the audit trail (api/history_state.h) and compared with
 * today's (core/changes.h); the figures before come from that day's
 * history row when there is one, else from the replayed state. */
#include <stdio.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "api/audit.h"
#include "api/history_state.h"
#include "common/text.h"
#include "core/changes.h"
#include "core/history.h"
#include "http/query.h"
#include "store/history.h"

static void review_json(jw *w, const review_rec *r)
{
    jw_obj(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "name", r->name);
    jw_kstr(w, "held_on", r->held_on);
    jw_kstr(w, "notes", r->notes);
    jw_kstr(w, "created_by", r->created_by);
    jw_kstr(w, "created_at", r->created_at);
    jw_obj_end(w);
}

int reviews_list(sy_request *rq)
{
    review_rec *items;
    size_t n;
    store_err err;
    if (store_review_list(rq->db, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    jw_obj(&rq->jw);
    jw_key(&rq->jw, "items");
    jw_arr(&rq->jw);
    for (size_t i = 0; i < n; i++)
        review_json(&rq->jw, &items[i]);
    jw_arr_end(&rq->jw);
    jw_kint(&rq->jw, "total", (int64_t)n);
    jw_obj_end(&rq->jw);
    return 200;
}

/* Checks the body into r: name 1-120, held_on a date not after today
 * (default today), notes at most 2,000 characters. */
static int review_body(sy_request *rq, review_rec *r)
{
    sy_errors e;
    errors_init(&e);
    const char *key;
    json_t *value;
    if (!json_is_object(rq->body)) {
        errors_add(&e, "", "must be a JSON object");
        return problem_fields(rq, 400, "The review is invalid.", &e);
    }
    json_object_foreach(rq->body, key, value)
        if (strcmp(key, "name") && strcmp(key, "held_on") && strcmp(key, "notes")) {
            char ptr[128];
            pointer_join(ptr, sizeof ptr, "", key);
            errors_add(&e, ptr, "is not a known field");
        }
    json_t *name = json_object_get(rq->body, "name");
    json_t *held = json_object_get(rq->body, "held_on");
    json_t *notes = json_object_get(rq->body, "notes");
    if (!json_is_string(name) || json_string_length(name) < 1 || json_string_length(name) > 120)
        errors_add(&e, "/name", "must be a name of 1 to 120 characters");
    else
        r->name = json_string_value(name);
    int64_t day = clock_today();
    if (held && !json_is_null(held)) {
        if (!json_is_string(held) || date_parse(json_string_value(held), &day) != 0)
            errors_add(&e, "/held_on", "must be a date (YYYY-MM-DD)");
        else if (day > clock_today())
            errors_add(&e, "/held_on", "must not be after today");
    }
    char d[11];
    date_format(day, d);
    r->held_on = arena_strdup(&rq->arena, d);
    r->notes = "";
    if (notes && !json_is_null(notes)) {
        if (!json_is_string(notes) || json_string_length(notes) > 2000)
            errors_add(&e, "/notes", "must be text of at most 2,000 characters");
        else
            r->notes = json_string_value(notes);
    }
    if (e.count)
        return problem_fields(rq, 400, "The review is invalid.", &e);
    return 0;
}

int reviews_create(sy_request *rq)
{
    review_rec r;
    memset(&r, 0, sizeof r);
    int status = review_body(rq, &r);
    if (status)
        return status;
    char now[21];
    clock_now_rfc3339(now);
    r.created_by = rq->actor;
    r.created_at = now;
    store_err err;
    buf b;
    buf_init(&b);
    jw w;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int code = store_review_add(rq->db, &r, &err);
    jw_init(&w, &b);
    review_json(&w, &r);
    if (code == ST_OK && buf_failed(&b)) {
        code = err.code = ST_ERROR;
        copy_str(err.detail, sizeof err.detail, "Out of memory.");
    }
    if (code != ST_OK ||
        audit_record(rq->db, rq->actor, "create", "review", r.id, NULL, b.data, &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        buf_free(&b);
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    buf_free(&b);
    snprintf(rq->location, sizeof rq->location, "/api/v1/reviews");
    review_json(&rq->jw, &r);
    return 201;
}

/* since=review (the moment the latest review was recorded, or the end of
 * its held_on day if that came first) or a date not after today (from its
 * start). Writes the cutoff instant: what happened at or after it changed. */
static int parse_since(sy_request *rq, char cutoff[24], review_rec *review, int *has_review,
                       int *at_review)
{
    *at_review = 0;
    int64_t since_day = 0;
    int64_t *since = &since_day;
    char name[64], value[64];
    const char *cursor = rq->query;
    int rc, seen = 0;
    *has_review = 0;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        if (strcmp(name, "since") != 0)
            return problem_param(rq, name, "is not supported here");
        seen = 1;
        if (strcmp(value, "review") == 0) {
            review_rec *items;
            size_t n;
            store_err err;
            if (store_review_list(rq->db, &rq->arena, &items, &n, &err) != ST_OK)
                return problem_store(rq, &err);
            if (!n)
                return problem_param(rq, "since", "names the latest review, but none has been "
                                                  "recorded: give a date (YYYY-MM-DD)");
            *review = items[0];
            *has_review = 1;
            copy_str(value, sizeof value, items[0].held_on);
        }
        if (date_parse(value, since) != 0)
            return problem_param(rq, "since", "must be review or a date (YYYY-MM-DD)");
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    if (!seen)
        return problem_param(rq, "since", "is required: review or a date (YYYY-MM-DD)");
    if (*since > clock_today())
        return problem_param(rq, "since", "must not be after today");
    day_start(*since, cutoff);
    if (*has_review) {
        /* Whatever was recorded in the review's own second came before it:
         * a trailing '~' sorts after every timestamp of that second. */
        char end[21];
        day_start(*since + 1, end);
        const char *at = review->created_at && strcmp(review->created_at, end) < 0
                             ? review->created_at : end;
        snprintf(cutoff, 24, "%s~", at);
        *at_review = at == review->created_at;
    }
    return 0;
}

/* {"day","source","figures"}: the history row of the day, else computed
 * from p (source: replayed for a past day, live for today). */
static int write_figures(sy_request *rq, const char *key, int64_t day, const portfolio *p,
                         const risk_result *risk, const char *computed)
{
    char d[11];
    date_format(day, d);
    history_row *rows;
    size_t n = 0;
    store_err err;
    /* A history row is the day's start: it stands for a cutoff at a day's
     * start only ("replayed!" asks for the replayed figures alone). */
    if (strcmp(computed, "replayed") == 0 &&
        store_history_range(rq->db, "all", d, d, &rq->arena, &rows, &n, &err) != ST_OK)
        n = 0;
    jw *w = &rq->jw;
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "day", d);
    if (n) {
        jw_kstr(w, "source", rows[0].source);
        jw_key(w, "figures");
        jw_raw(w, rows[0].figures);
    } else {
        history_figures f;
        buf b;
        buf_init(&b);
        if (history_compute(p, risk, "all", &rq->arena, &f) != 0)
            return -1;
        history_figures_json(&b, &f);
        jw_kstr(w, "source", strcmp(computed, "live") == 0 ? "live" : "replayed");
        jw_key(w, "figures");
        jw_raw(w, b.data ? b.data : "null");
        buf_free(&b);
    }
    jw_obj_end(w);
    return 0;
}

static void write_change(jw *w, const change *c)
{
    jw_obj(w);
    jw_kstr(w, "kind", c->kind);
    if (strcmp(c->kind, "factor") == 0) {
        jw_kstr(w, "code", c->code);
        jw_kint(w, "from", c->points_from);
        jw_kint(w, "to", c->points_to);
    } else if (strcmp(c->kind, "drill") == 0) {
        jw_kstr(w, "result", c->code);
        jw_kstr(w, "alternative", c->to);
        jw_kstr(w, "drilled_on", c->day);
    } else if (strncmp(c->kind, "acceptance", 10) == 0) {
        jw_kstr(w, "state", c->code);
        jw_kstr(w, "expires_on", c->day);
    } else if (strcmp(c->kind, "ending") == 0) {
        jw_kstr(w, "what", c->code);
        jw_kstr(w, "on", c->day);
    } else if (c->from || c->to) {
        jw_kstr(w, "from", c->from);
        jw_kstr(w, "to", c->to);
    }
    jw_obj_end(w);
}

static void write_items(jw *w, const char *key, const change_item *items, size_t n, int track)
{
    jw_key(w, key);
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_kint(w, "id", items[i].id);
        jw_kstr(w, "name", items[i].name);
        if (track)
            jw_kstr(w, "track", items[i].track);
        jw_key(w, "changes");
        jw_arr(w);
        for (size_t k = 0; k < items[i].n_changes; k++)
            write_change(w, &items[i].changes[k]);
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

int changes_get(sy_request *rq)
{
    char cutoff[24];
    review_rec review;
    memset(&review, 0, sizeof review);
    int has_review = 0, at_review = 0;
    int status = parse_since(rq, cutoff, &review, &has_review, &at_review);
    if (status)
        return status;
    analysis an;
    if ((status = analysis_load(rq, &an)) != 0)
        return status;
    trail t;
    past ps;
    store_err err;
    memset(&ps, 0, sizeof ps);
    int code = trail_load(rq->db, &t, &err);
    if (code == ST_OK)
        code = past_build_seq(&t, &an.p, &an.weights, cutoff,
                              at_review ? trail_review_seq(&t, review.id) : 0, &ps, &err);
    change_set cs;
    if (code == ST_OK &&
        changes_compute(&ps.p, ps.risk, &an.p, an.risk, cutoff, &rq->arena, &cs) != 0) {
        code = err.code = ST_ERROR;
        copy_str(err.detail, sizeof err.detail, "Out of memory.");
    }
    if (code != ST_OK) {
        past_free(&ps);
        trail_free(&t);
        return problem_store(rq, &err);
    }
    jw *w = &rq->jw;
    char d[11], today[11];
    date_format(ps.p.today, d);
    date_format(an.p.today, today);
    char instant[21];
    copy_str(instant, sizeof instant, cutoff); /* without a trailing '~' */
    jw_obj(w);
    jw_kstr(w, "since", d);
    jw_kstr(w, "since_instant", instant);
    jw_kstr(w, "today", today);
    jw_key(w, "review");
    if (has_review)
        review_json(w, &review);
    else
        jw_null(w);
    jw_key(w, "figures");
    jw_obj(w);
    int day_start_cut = strcmp(cutoff + 10, "T00:00:00Z") == 0;
    int failed = write_figures(rq, "before", ps.p.today, &ps.p, ps.risk,
                               day_start_cut ? "replayed" : "replayed!") != 0 ||
                 write_figures(rq, "after", an.p.today, &an.p, an.risk, "live") != 0;
    jw_obj_end(w);
    write_items(w, "workloads", cs.workloads, cs.n_workloads, 1);
    write_items(w, "contracts", cs.contracts, cs.n_contracts, 0);
    jw_kstr(w, "replay", HISTORY_REPLAY_NOTE);
    jw_obj_end(w);
    past_free(&ps);
    trail_free(&t);
    return failed ? problem(rq, 500, NULL, "Out of memory.") : 200;
}

int changes_review_model(sy_request *rq, const analysis *an)
{
    jw *w = &rq->jw;
    jw_key(w, "since_review");
    review_rec *items;
    size_t n;
    store_err err;
    if (store_review_list(rq->db, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    if (!n) {
        jw_null(w);
        return 0;
    }
    trail t;
    past ps;
    memset(&ps, 0, sizeof ps);
    char cutoff[24];
    int64_t held;
    if (date_parse(items[0].held_on, &held) != 0)
        held = an->p.today;
    day_start(held + 1, cutoff);
    int at_review = items[0].created_at && strcmp(items[0].created_at, cutoff) < 0;
    if (at_review)
        snprintf(cutoff, sizeof cutoff, "%s~", items[0].created_at);
    int code = trail_load(rq->db, &t, &err);
    if (code == ST_OK)
        code = past_build_seq(&t, &an->p, &an->weights, cutoff,
                              at_review ? trail_review_seq(&t, items[0].id) : 0, &ps, &err);
    change_set cs;
    if (code == ST_OK &&
        changes_compute(&ps.p, ps.risk, &an->p, an->risk, cutoff, &rq->arena, &cs) != 0) {
        code = err.code = ST_ERROR;
        copy_str(err.detail, sizeof err.detail, "Out of memory.");
    }
    if (code == ST_OK) {
        char instant[21];
        copy_str(instant, sizeof instant, cutoff);
        jw_obj(w);
        jw_key(w, "review");
        review_json(w, &items[0]);
        jw_kstr(w, "since_instant", instant);
        write_items(w, "workloads", cs.workloads, cs.n_workloads, 1);
        write_items(w, "contracts", cs.contracts, cs.n_contracts, 0);
        jw_obj_end(w);
    }
    past_free(&ps);
    trail_free(&t);
    return code == ST_OK ? 0 : problem_store(rq, &err);
}
