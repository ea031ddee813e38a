/* findings.c - every finding of the active set with its owner, due date
 * and status:
 *   GET   /api/v1/findings[?track=&status=&limit=]   most severe first
 *   PATCH /api/v1/findings/{key}                     owner, due, status, note
 *                                                    (leadership, admin);
 *                                                    If-Match "<version>"
 * The findings are computed (the strategy findings of each track,
 * core/findings.h, and the compliance findings, core/compliance.h); the
 * human part is stored under each finding's stable key
 * (core/finding_action.h) and merged in. Order: findings still to act on
 * (open, in_progress) before settled ones (done, wont_do), then severity
 * (high, medium, low, info), then the due date (sooner first, undated
 * last), then the order the rules give. A PATCH names a finding the rules
 * raise today (else 404), is checked in full, stored with its audit event
 * in one transaction, and answered with the merged finding. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "api/audit.h"
#include "common/text.h"
#include "core/compliance.h"
#include "core/finding_action.h"
#include "core/findings.h"
#include "http/query.h"

/* One finding of either source, in one shape. */
typedef struct item {
    const char *key, *source, *code, *severity, *title, *text, *action, *track;
    const int64_t *workloads;
    size_t n_workloads;
    size_t order;
    const finding_action *act;
} item;

typedef struct rule_words {
    const char *code, *title, *action;
} rule_words;

/* A title and the next step for each strategy rule (compliance findings
 * carry their own). */
static const rule_words WORDS[] = {
    {"deadline_lock_in", "Notice deadline with lock-in",
     "Decide before the deadline whether to renew, renegotiate or prepare an exit."},
    {"no_swap_layer", "Production workloads with no swap layer",
     "Put them behind an agent layer or gateway that can swap model and cloud."},
    {"licence_horizon", "Workloads relying on a licence past its end",
     "Plan how they will reach the same models after the term ends."},
    {"concentrated_spend", "Spend highly concentrated by provider",
     "Move new workloads, or a share of spend, to another provider group."},
    {"flagged", "Flagged workloads",
     "Work through the P1 and P2 workloads, most exposed first, or accept their risk."},
    {"openai_compatible", "Workloads that could move with little change",
     "Name and drill an alternative offering for them."},
    {NULL, NULL, NULL}};

static const rule_words *words_of(const char *code)
{
    for (const rule_words *w = WORDS; w->code; w++)
        if (strcmp(w->code, code) == 0)
            return w;
    return NULL;
}

static int settled(const item *x)
{
    return x->act && (strcmp(x->act->status, "done") == 0 ||
                      strcmp(x->act->status, "wont_do") == 0);
}

static int by_urgency(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int k = settled(x) - settled(y);
    if (k)
        return k;
    k = finding_severity_rank(x->severity) - finding_severity_rank(y->severity);
    if (k)
        return k;
    const char *dx = x->act ? x->act->due : NULL, *dy = y->act ? y->act->due : NULL;
    if (dx && dy && (k = strcmp(dx, dy)) != 0)
        return k;
    if (!dx != !dy)
        return dx ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

static const finding_action *action_of(const finding_action *acts, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(acts[i].key, key) == 0)
            return &acts[i];
    return NULL;
}

/* Every current finding, merged with its stored action, in order. */
static int collect(sy_request *rq, const analysis *an, const finding_action *acts,
                   size_t n_acts, item **out, size_t *n)
{
    compliance_finding *cf;
    size_t n_cf;
    if (compliance_findings(&an->p, SIZE_MAX, &rq->arena, &cf, &n_cf) != 0)
        return -1;
    size_t cap = n_cf + 4 * 8 + 1, k = 0;
    item *items = arena_alloc(&rq->arena, cap * sizeof *items);
    if (!items)
        return -1;
    for (size_t t = 0; TRACKS[t]; t++) {
        finding *f;
        size_t nf;
        if (findings_for_track_kept(&an->p, an->risk, an->conc, TRACKS[t], &rq->arena, &f, &nf) != 0)
            return -1;
        for (size_t i = 0; i < nf && k < cap; i++) {
            const rule_words *w = words_of(f[i].code);
            items[k] = (item){f[i].key, "strategy", f[i].code, f[i].severity,
                              w ? w->title : f[i].code, f[i].text, w ? w->action : NULL,
                              TRACKS[t], f[i].workloads, f[i].n_workloads, k, NULL};
            k++;
        }
    }
    for (size_t i = 0; i < n_cf && k < cap; i++, k++)
        items[k] = (item){cf[i].key, "compliance", cf[i].code, cf[i].severity, cf[i].title,
                          cf[i].detail, cf[i].action, NULL, cf[i].workloads,
                          cf[i].n_workloads, k, NULL};
    for (size_t i = 0; i < k; i++)
        items[i].act = action_of(acts, n_acts, items[i].key);
    qsort(items, k, sizeof *items, by_urgency);
    *out = items;
    *n = k;
    return 0;
}

static const char *status_of(const item *x)
{
    return x->act ? x->act->status : "open";
}

static int names_track(const portfolio *p, const item *x, const char *track)
{
    if (x->track)
        return strcmp(x->track, track) == 0;
    for (size_t i = 0; i < x->n_workloads; i++) {
        const workload *w = pf_workload(p, x->workloads[i]);
        if (w && strcmp(w->track, track) == 0)
            return 1;
    }
    return 0;
}

static void write_item(jw *w, const analysis *an, const item *x)
{
    const finding_action *a = x->act;
    jw_obj(w);
    jw_kstr(w, "key", x->key);
    jw_kstr(w, "source", x->source);
    jw_kstr(w, "code", x->code);
    jw_kstr(w, "severity", x->severity);
    jw_kstr(w, "title", x->title);
    jw_kstr(w, "text", x->text);
    jw_kstr(w, "action", x->action);
    jw_kstr(w, "track", x->track);
    jw_kint(w, "count", (int64_t)x->n_workloads);
    jw_key(w, "workloads");
    jw_arr(w);
    for (size_t k = 0; k < x->n_workloads; k++) {
        const workload *wl = pf_workload(&an->p, x->workloads[k]);
        jw_obj(w);
        jw_kint(w, "id", x->workloads[k]);
        jw_kstr(w, "name", wl ? wl->name : NULL);
        jw_kstr(w, "track", wl ? wl->track : NULL);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "status", status_of(x));
    jw_kstr(w, "owner", a ? a->owner : NULL);
    jw_kstr(w, "due", a ? a->due : NULL);
    int64_t day;
    jw_key(w, "days_left");
    if (a && a->due && date_parse(a->due, &day) == 0)
        jw_int(w, day - an->p.today);
    else
        jw_null(w);
    jw_kstr(w, "note", a ? a->note : NULL);
    jw_kstr(w, "updated_by", a ? a->updated_by : NULL);
    jw_kstr(w, "updated_at", a ? a->updated_at : NULL);
    jw_kint(w, "version", a ? a->version : 0);
    jw_obj_end(w);
}

typedef struct filters {
    char track[16];
    char status[16];
    int64_t limit;
} filters;

static int parse_filters(sy_request *rq, filters *f)
{
    const char *cursor = rq->query;
    char name[32], value[32];
    int rc;
    memset(f, 0, sizeof *f);
    f->limit = 500;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        if (strcmp(name, "track") == 0) {
            if (enum_index(TRACKS, value) < 0)
                return problem_param(rq, "track", "must be copilot, azure, openai or other");
            memcpy(f->track, value, strlen(value) + 1);
        } else if (strcmp(name, "status") == 0) {
            if (enum_index(FINDING_STATUSES, value) < 0)
                return problem_param(rq, "status", "must be open, in_progress, done or wont_do");
            memcpy(f->status, value, strlen(value) + 1);
        } else if (strcmp(name, "limit") == 0) {
            if (parse_i64(value, 1, 500, &f->limit) != 0)
                return problem_param(rq, "limit", "must be a whole number from 1 to 500");
        } else {
            return problem_param(rq, name, "is not supported here");
        }
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    return 0;
}

int findings_list(sy_request *rq)
{
    filters f;
    int status = parse_filters(rq, &f);
    if (status)
        return status;
    store_err err;
    finding_action *acts;
    size_t n_acts;
    if (store_finding_actions(rq->db, &rq->arena, &acts, &n_acts, &err) != ST_OK)
        return problem_store(rq, &err);
    analysis an;
    if ((status = analysis_load(rq, &an)) != 0)
        return status;
    item *items;
    size_t n;
    if (collect(rq, &an, acts, n_acts, &items, &n) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    jw *w = &rq->jw;
    int64_t total = 0, sev[4] = {0, 0, 0, 0}, st[4] = {0, 0, 0, 0};
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        const item *x = &items[i];
        if ((f.track[0] && !names_track(&an.p, x, f.track)) ||
            (f.status[0] && strcmp(status_of(x), f.status) != 0))
            continue;
        total++;
        sev[finding_severity_rank(x->severity)]++;
        st[enum_index(FINDING_STATUSES, status_of(x))]++;
        if (total <= f.limit)
            write_item(w, &an, x);
    }
    jw_arr_end(w);
    jw_kint(w, "total", total);
    jw_key(w, "by_severity");
    jw_obj(w);
    static const char *const SEV[] = {"high", "medium", "low", "info"};
    for (int i = 0; i < 4; i++)
        jw_kint(w, SEV[i], sev[i]);
    jw_obj_end(w);
    jw_key(w, "by_status");
    jw_obj(w);
    for (int i = 0; FINDING_STATUSES[i]; i++)
        jw_kint(w, FINDING_STATUSES[i], st[i]);
    jw_obj_end(w);
    jw_obj_end(w);
    return 200;
}

/* The action as compact JSON for the audit trail. */
static const char *action_text(arena *a, const finding_action *f)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "key", f->key);
    jw_kstr(&w, "owner", f->owner);
    jw_kstr(&w, "due", f->due);
    jw_kstr(&w, "status", f->status);
    jw_kstr(&w, "note", f->note);
    jw_obj_end(&w);
    const char *s = b.data ? arena_strdup(a, b.data) : NULL;
    buf_free(&b);
    return s;
}

/* 1 when the If-Match header (absent, "*", or a list of strong tags)
 * admits version `v` of a finding, whose ETag is "<v>" (0: nothing stored
 * yet). The gzip form's "-gz" names the same version. */
static int if_match_admits(const char *h, int64_t v)
{
    if (!h)
        return 1;
    const char *p = h;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (*p == '*')
            return 1;
        if (*p != '"') /* a weak tag never matches (strong comparison) */
            return 0;
        const char *end = strchr(p + 1, '"');
        if (!end)
            return 0;
        char tag[32];
        size_t n = (size_t)(end - p - 1);
        int64_t got;
        if (n < sizeof tag) {
            memcpy(tag, p + 1, n);
            tag[n] = '\0';
            if (n > 3 && strcmp(tag + n - 3, "-gz") == 0)
                tag[n - 3] = '\0';
            if (parse_i64(tag, 0, INT64_MAX, &got) == 0 && got == v)
                return 1;
        }
        p = end + 1;
    }
    return 0;
}

int findings_patch(sy_request *rq)
{
    const char *key = req_param(rq, "key");
    if (!key || !finding_key_valid(key))
        return problem(rq, 404, NULL, "No current finding has this key.");
    analysis an;
    int status = analysis_load(rq, &an);
    if (status)
        return status;
    store_err err;
    item *items;
    size_t n;
    if (collect(rq, &an, NULL, 0, &items, &n) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    item *found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if (strcmp(items[i].key, key) == 0)
            found = &items[i];
    if (!found)
        return problem(rq, 404, NULL, "No current finding has this key.");
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    finding_action *fa = arena_alloc(&rq->arena, sizeof *fa);
    if (!fa) {
        store_rollback(rq->db);
        return problem(rq, 500, NULL, "Out of memory.");
    }
    int code = store_finding_action_get(rq->db, key, &rq->arena, fa, &err);
    if (code != ST_OK && code != ST_NOT_FOUND) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    const char *before = NULL;
    if (code == ST_OK)
        before = action_text(&rq->arena, fa);
    else
        *fa = (finding_action){0, key, NULL, NULL, "open", NULL, NULL, NULL, 0};
    /* Checked under the writer lock: no change can slip in between. */
    if (!if_match_admits(req_header(rq, "If-Match"), fa->version)) {
        store_rollback(rq->db);
        return problem(rq, 412, "The finding was not updated",
                       "Someone changed this finding since you read it (If-Match does not "
                       "match its ETag). Reload it and make your change again.");
    }
    sy_errors e;
    errors_init(&e);
    if (finding_action_patch(fa, rq->body, &rq->arena, &e) != 0) {
        store_rollback(rq->db);
        char detail[900];
        entity_errors_text(NULL, &e, detail, sizeof detail);
        return problem_fields_titled(rq, 400, "The finding was not updated", detail, &e);
    }
    char now[21];
    clock_now_rfc3339(now);
    fa->key = key;
    fa->updated_by = rq->actor;
    fa->updated_at = arena_strdup(&rq->arena, now);
    fa->version++; /* as the store counts it: 1 for the first, then one more */
    if (store_finding_action_put(rq->db, fa, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, before ? "update" : "create", "finding", fa->id,
                     before, action_text(&rq->arena, fa), &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    found->act = fa;
    snprintf(rq->etag, sizeof rq->etag, "\"%lld\"", (long long)fa->version);
    write_item(&rq->jw, &an, found);
    return 200;
}
