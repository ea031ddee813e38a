/* audit.c - /api/v1/audit: the trail (auditor, admin), its verification
 * (the hash chain, and the signed checkpoints kept outside the database)
 * and head; and audit_record(), used by every change. */
#include "api/audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "common/file.h"
#include "common/text.h"
#include "core/checkpoint.h"
#include "http/query.h"
#include "http/server.h"
#include "jobs/webhooks.h"
#include "report/report.h"
#include "report/signing.h"

int audit_record(sy_db *db, const char *actor, const char *action, const char *entity,
                 int64_t entity_id, const char *before, const char *after, store_err *err)
{
    audit_event ev;
    memset(&ev, 0, sizeof ev);
    ev.actor = actor ? actor : "system";
    ev.action = action;
    ev.entity = entity;
    ev.entity_id = entity_id;
    ev.before = before;
    ev.after = after;
    return store_audit_append(db, &ev, err);
}

/* The signed checkpoints, sorted by sequence number; `next` is the first
 * not yet met on the walk. */
typedef struct cp_set {
    checkpoint *items;
    size_t n, next;
} cp_set;

typedef struct walk {
    audit_verdict *v;
    char prev[AUDIT_HASH_HEX];
    int64_t expect_seq;
    cp_set *cps;
} walk;

static void broken(audit_verdict *v, int64_t seq, const char *problem)
{
    v->ok = 0;
    v->first_broken = seq;
    v->problem = problem;
}

static int check_event(const audit_event *ev, void *ctx)
{
    walk *w = ctx;
    audit_verdict *v = w->v;
    char hash[AUDIT_HASH_HEX];
    const char *problem = NULL;
    if (ev->seq != w->expect_seq)
        problem = "a sequence number is missing or out of order";
    else if (strcmp(ev->prev_hash, w->prev) != 0)
        problem = "prev_hash does not match the previous event's hash";
    else if (audit_hash(ev, hash) != 0 || strcmp(hash, ev->hash) != 0)
        problem = "the event's content does not match its hash";
    for (cp_set *c = w->cps; !problem && c && c->next < c->n && c->items[c->next].seq == ev->seq;
         c->next++)
        if (strcmp(c->items[c->next].hash, ev->hash) != 0)
            problem = "the chain disagrees with a signed checkpoint: it was rewritten";
    if (problem) {
        broken(v, ev->seq, problem);
        return 1;
    }
    v->events++;
    v->head_seq = ev->seq;
    copy_str(v->head, sizeof v->head, ev->hash);
    copy_str(w->prev, sizeof w->prev, ev->hash);
    w->expect_seq++;
    return 0;
}

static int by_seq(const void *a, const void *b)
{
    int64_t x = ((const checkpoint *)a)->seq, y = ((const checkpoint *)b)->seq;
    return x < y ? -1 : x > y;
}

/* The public key that signed cp: the current audit-checkpoint key, or a
 * retired one (audit-checkpoint.KEYID.pub). 0 or -1. */
static int checkpoint_key(const char *dir, const checkpoint *cp, minisign_key *current,
                          int have_current, minisign_key *out)
{
    if (have_current && memcmp(current->keyid, cp->keyid, MINISIGN_KEYID) == 0) {
        *out = *current;
        return 0;
    }
    char keyid[17], name[64], msg[256];
    minisign_keyid_hex(cp->keyid, keyid);
    snprintf(name, sizeof name, "%s.%s", SIGNING_AUDIT, keyid);
    return keyfile_public(dir, name, out, msg, sizeof msg);
}

/* Reads and checks the signatures of dir's checkpoints into set. 0 (see
 * v->ok), or -1 when out of memory. */
static int load_checkpoints(const char *dir, cp_set *set, audit_verdict *v)
{
    char path[4096];
    char *data = NULL;
    size_t len = 0;
    memset(set, 0, sizeof *set);
    if (snprintf(path, sizeof path, "%s/%s", dir, AUDIT_CHECKPOINT_FILE) >= (int)sizeof path) {
        broken(v, 0, "the key directory's path is too long");
        return 0;
    }
    if (file_read_all(path, (size_t)256 << 20, &data, &len) != 0) {
        if (errno != ENOENT) /* none yet: nothing to hold the chain to */
            broken(v, 0, "the checkpoint file cannot be read");
        return 0;
    }
    minisign_key current;
    char msg[256];
    int have_current = keyfile_public(dir, SIGNING_AUDIT, &current, msg, sizeof msg) == 0;
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += data[i] == '\n';
    if (!(set->items = calloc(cap, sizeof *set->items))) {
        free(data);
        return -1;
    }
    for (const char *p = data, *end = data + len; p < end && v->ok;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        checkpoint *cp = &set->items[set->n];
        minisign_key pub;
        if (n == 0)
            ;
        else if (checkpoint_parse(p, n, cp) != 0)
            broken(v, 0, "a line of the checkpoint file is damaged");
        else if (checkpoint_key(dir, cp, &current, have_current, &pub) != 0)
            broken(v, cp->seq, "a checkpoint is signed by an unknown key");
        else if (!checkpoint_verify(cp, &pub))
            broken(v, cp->seq, "a checkpoint's signature does not verify");
        else
            set->n++;
        p += n + 1;
    }
    free(data);
    qsort(set->items, set->n, sizeof *set->items, by_seq);
    v->checkpoints = (int64_t)set->n;
    v->checkpoint_seq = set->n ? set->items[set->n - 1].seq : 0;
    return 0;
}

int audit_verify(sy_db *db, const char *key_dir, audit_verdict *v, store_err *err)
{
    memset(v, 0, sizeof *v);
    v->ok = 1;
    copy_str(v->head, sizeof v->head, AUDIT_GENESIS);
    cp_set cps;
    memset(&cps, 0, sizeof cps);
    if (key_dir && load_checkpoints(key_dir, &cps, v) != 0) {
        memset(err, 0, sizeof *err);
        err->code = ST_ERROR;
        copy_str(err->detail, sizeof err->detail, "Out of memory.");
        return ST_ERROR;
    }
    walk w = {v, {0}, 1, &cps};
    copy_str(w.prev, sizeof w.prev, AUDIT_GENESIS);
    int code = v->ok ? store_begin_read(db, err) : ST_OK;
    if (code == ST_OK && v->ok) {
        code = store_audit_each(db, check_event, &w, err);
        store_end_read(db);
    }
    /* Checkpoints past the end: the chain lost its last events. */
    if (code == ST_OK && v->ok && cps.next < cps.n)
        broken(v, v->head_seq + 1,
               "the chain is shorter than a signed checkpoint: its last events were removed");
    free(cps.items);
    return code;
}

int audit_verify_get(sy_request *rq)
{
    audit_verdict v;
    store_err err;
    const sy_app *app = rq->app;
    const char *dir = report_key_dir(&rq->arena, app ? app->cfg.key_dir : NULL,
                                     app ? app->cfg.db_path : NULL);
    if (audit_verify(rq->db, dir, &v, &err) != ST_OK)
        return problem_store(rq, &err);
    if (!v.ok)
        webhooks_audit_failed(rq->db, v.events, v.first_broken, v.problem, "api");
    jw *w = &rq->jw;
    jw_obj(w);
    jw_kbool(w, "ok", v.ok);
    jw_kint(w, "events", v.events);
    jw_key(w, "checkpoints");
    jw_obj(w);
    jw_kint(w, "count", v.checkpoints);
    jw_kint(w, "last_seq", v.checkpoint_seq);
    jw_obj_end(w);
    if (v.ok) {
        jw_key(w, "head");
        jw_obj(w);
        jw_kint(w, "seq", v.head_seq);
        jw_kstr(w, "hash", v.head);
        jw_obj_end(w);
    } else {
        jw_kint(w, "first_broken", v.first_broken);
        jw_kstr(w, "problem", v.problem);
        jw_key(w, "last_good");
        jw_obj(w);
        jw_kint(w, "seq", v.head_seq);
        jw_kstr(w, "hash", v.head);
        jw_obj_end(w);
    }
    jw_obj_end(w);
    return 200;
}

int audit_head_get(sy_request *rq)
{
    int64_t seq;
    char hash[AUDIT_HASH_HEX];
    store_err err;
    if (store_audit_head(rq->db, &seq, hash, &err) != ST_OK)
        return problem_store(rq, &err);
    jw_obj(&rq->jw);
    jw_kint(&rq->jw, "seq", seq);
    jw_kstr(&rq->jw, "hash", hash);
    jw_obj_end(&rq->jw);
    return 200;
}

/* Accepts a date (YYYY-MM-DD) or an RFC 3339 UTC time; NULL if neither. */
static const char *time_bound(sy_request *rq, const char *value, int end_of_day)
{
    int64_t days;
    char text[32];
    if (date_parse(value, &days) == 0) {
        snprintf(text, sizeof text, "%sT%s", value, end_of_day ? "23:59:59Z" : "00:00:00Z");
        return arena_strdup(&rq->arena, text);
    }
    if (strlen(value) == 20 && value[10] == 'T' && value[19] == 'Z') {
        char day[11];
        memcpy(day, value, 10);
        day[10] = '\0';
        if (date_parse(day, &days) == 0)
            return arena_strdup(&rq->arena, value);
    }
    return NULL;
}

void audit_event_json(jw *w, const audit_event *ev)
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

int audit_list(sy_request *rq)
{
    audit_query q;
    memset(&q, 0, sizeof q);
    q.limit = 50;
    const char *cursor = rq->query;
    char name[64], value[200];
    int rc;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        if (strcmp(name, "limit") == 0) {
            if (parse_i64(value, 1, 500, &q.limit) != 0)
                return problem_param(rq, name, "must be a whole number from 1 to 500");
        } else if (strcmp(name, "offset") == 0) {
            if (parse_i64(value, 0, INT64_MAX / 2, &q.offset) != 0)
                return problem_param(rq, name, "must be a whole number from 0");
        } else if (strcmp(name, "before") == 0) {
            if (parse_i64(value, 1, INT64_MAX, &q.before) != 0)
                return problem_param(rq, name, "must be an event's seq (the next of a page)");
        } else if (strcmp(name, "entity") == 0) {
            q.entity = arena_strdup(&rq->arena, value);
        } else if (strcmp(name, "actor") == 0) {
            q.actor = arena_strdup(&rq->arena, value);
        } else if (strcmp(name, "action") == 0) {
            q.action = arena_strdup(&rq->arena, value);
        } else if (strcmp(name, "entity_id") == 0) {
            if (parse_i64(value, 1, INT64_MAX, &q.entity_id) != 0)
                return problem_param(rq, name, "must be a record ID");
        } else if (strcmp(name, "since") == 0 || strcmp(name, "until") == 0) {
            const char *bound = time_bound(rq, value, name[0] == 'u');
            if (!bound)
                return problem_param(rq, name, "must be a date (YYYY-MM-DD) or a UTC time "
                                               "(YYYY-MM-DDTHH:MM:SSZ)");
            if (name[0] == 's')
                q.since = bound;
            else
                q.until = bound;
        } else {
            return problem_param(rq, name, "is not supported here");
        }
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    if (q.before && q.offset)
        return problem_param(rq, "before", "cannot be combined with offset");
    audit_event *items;
    size_t n;
    int64_t total;
    store_err err;
    /* One more than the page: whether another follows (its "next"). */
    q.limit++;
    int code = store_audit_list(rq->db, &q, &rq->arena, &items, &n, &total, &err);
    q.limit--;
    if (code != ST_OK)
        return problem_store(rq, &err);
    int more = n > (size_t)q.limit;
    if (more)
        n = (size_t)q.limit;
    jw *w = &rq->jw;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        audit_event_json(w, &items[i]);
    }
    jw_arr_end(w);
    jw_kint(w, "total", total);
    jw_kint(w, "limit", q.limit);
    jw_kint(w, "offset", q.offset);
    /* Keyset paging: before=<next> gives the page after, at the cost of the first. */
    jw_kid(w, "next", more && n ? items[n - 1].seq : 0);
    jw_obj_end(w);
    return 200;
}
