/* calendar.c - the deadlines as a subscribable calendar (issue 19 item 4):
 *   POST   /api/v1/calendar/feeds        a secret feed URL of one's own
 *                                        (shown once; only its SHA-256 kept)
 *   GET    /api/v1/calendar/feeds        one's own feeds (admins: all)
 *   DELETE /api/v1/calendar/feeds/{id}   revoke one
 *   GET    /api/v1/calendar/{secret}.ics the feed (text/calendar), public:
 *                                        the secret is the credential
 * Writes are audited (entity calendar_feed). A revoked feed, or the feed of
 * a disabled user, answers 404 like an unknown one. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "api/analysis.h"
#include "api/api.h"
#include "api/audit.h"
#include "common/text.h"
#include "core/audit.h"
#include "core/calendar.h"
#include "core/history.h"
#include "http/auth.h"
#include "http/query.h"
#include "store/history.h"

#define FEED_PREFIX "syc_"

static void feed_json(jw *w, const feed_rec *f)
{
    jw_obj(w);
    jw_kint(w, "id", f->id);
    jw_kstr(w, "name", f->name);
    jw_kstr(w, "user", f->user_name);
    jw_kstr(w, "track", f->track);
    jw_kstr(w, "prefix", f->prefix);
    jw_kstr(w, "created_at", f->created_at);
    jw_kstr(w, "revoked_at", f->revoked_at);
    jw_obj_end(w);
}

static const char *feed_text(sy_request *rq, const feed_rec *f)
{
    jw_capture c;
    feed_json(jw_capture_begin(&c), f);
    return jw_capture_end(&c, &rq->arena);
}

/* "http(s)://host" of this request, the host reduced to safe characters. */
static const char *base_url(sy_request *rq)
{
    const char *host = req_header(rq, "Host");
    char clean[128];
    size_t n = 0;
    for (; host && *host && n + 1 < sizeof clean; host++)
        if (isalnum((unsigned char)*host) || strchr(".-:[]", *host))
            clean[n++] = *host;
    clean[n] = '\0';
    char out[160];
    snprintf(out, sizeof out, "%s://%s", req_is_tls(rq) || rq->forwarded_https ? "https" : "http",
             n ? clean : "localhost");
    return arena_strdup(&rq->arena, out);
}

int calendar_feeds_list(sy_request *rq)
{
    feed_rec *items;
    size_t n;
    store_err err;
    int64_t owner = rq->role == ROLE_ADMIN ? 0 : rq->user_id;
    if (store_feed_list(rq->db, owner, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    jw_obj(&rq->jw);
    jw_key(&rq->jw, "items");
    jw_arr(&rq->jw);
    for (size_t i = 0; i < n; i++)
        feed_json(&rq->jw, &items[i]);
    jw_arr_end(&rq->jw);
    jw_kint(&rq->jw, "total", (int64_t)n);
    jw_obj_end(&rq->jw);
    return 200;
}

/* Checks the POST body: name (1-80 characters), optional track. */
static int feed_body(sy_request *rq, const char **name, const char **track)
{
    sy_errors e;
    errors_init(&e);
    const char *key;
    json_t *value;
    if (!json_is_object(rq->body)) {
        errors_add(&e, "", "must be a JSON object");
        return problem_fields(rq, 400, "The feed request is invalid.", &e);
    }
    json_object_foreach(rq->body, key, value)
        if (strcmp(key, "name") && strcmp(key, "track")) {
            char ptr[128];
            pointer_join(ptr, sizeof ptr, "", key);
            errors_add(&e, ptr, "is not a known field");
        }
    json_t *jn = json_object_get(rq->body, "name");
    json_t *jt = json_object_get(rq->body, "track");
    *name = json_is_string(jn) ? json_string_value(jn) : NULL;
    if (!*name || json_string_length(jn) < 1 || json_string_length(jn) > 80)
        errors_add(&e, "/name", "must be a name of 1 to 80 characters");
    *track = NULL;
    if (jt && !json_is_null(jt)) {
        *track = json_is_string(jt) ? json_string_value(jt) : NULL;
        if (!*track || enum_index(TRACKS, *track) < 0)
            errors_add(&e, "/track", "must be copilot, azure, openai or other");
    }
    if (e.count)
        return problem_fields(rq, 400, "The feed request is invalid.", &e);
    return 0;
}

int calendar_feeds_create(sy_request *rq)
{
    const char *name = NULL, *track = NULL;
    int status = feed_body(rq, &name, &track);
    if (status)
        return status;
    char secret[128], hash[AUDIT_HASH_HEX], prefix[16], now[21];
    auth_random_secret(FEED_PREFIX, secret, sizeof secret);
    sha256_hex(secret, strlen(secret), hash);
    copy_str(prefix, sizeof prefix, secret);
    prefix[10] = '\0';
    clock_now_rfc3339(now);
    feed_rec f;
    memset(&f, 0, sizeof f);
    f.user_id = rq->user_id;
    f.name = name;
    f.track = track;
    f.prefix = prefix;
    f.secret_hash = hash;
    f.created_at = now;
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (store_feed_insert(rq->db, &f, &err) != ST_OK ||
        store_feed_get(rq->db, f.id, &rq->arena, &f, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "create", "calendar_feed", f.id, NULL,
                     feed_text(rq, &f), &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    snprintf(rq->location, sizeof rq->location, "/api/v1/calendar/feeds/%lld", (long long)f.id);
    char url[320];
    snprintf(url, sizeof url, "%s/api/v1/calendar/%s.ics", base_url(rq), secret);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_kint(w, "id", f.id);
    jw_kstr(w, "name", f.name);
    jw_kstr(w, "user", f.user_name);
    jw_kstr(w, "track", f.track);
    jw_kstr(w, "prefix", f.prefix);
    jw_kstr(w, "url", url); /* shown once */
    jw_kstr(w, "created_at", f.created_at);
    jw_obj_end(w);
    return 201;
}

int calendar_feeds_delete(sy_request *rq)
{
    feed_rec f;
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int code = store_feed_get(rq->db, rq->id, &rq->arena, &f, &err);
    if (code == ST_OK && rq->role != ROLE_ADMIN && f.user_id != rq->user_id) {
        code = err.code = ST_NOT_FOUND; /* others' feeds are not even visible */
        copy_str(err.detail, sizeof err.detail, "No calendar feed with this ID.");
        err.pointer[0] = '\0';
    }
    if (code == ST_OK && f.revoked_at) {
        store_rollback(rq->db);
        return problem(rq, 409, NULL, "This calendar feed is already revoked.");
    }
    char now[21];
    clock_now_rfc3339(now);
    const char *before = code == ST_OK ? feed_text(rq, &f) : NULL;
    if (code != ST_OK || store_feed_revoke(rq->db, f.id, now, &err) != ST_OK ||
        store_feed_get(rq->db, f.id, &rq->arena, &f, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "revoke", "calendar_feed", f.id, before,
                     feed_text(rq, &f), &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    return 204;
}

/* "2026-11-28T08:06:52Z" -> "20261128T080652Z". */
static void ical_stamp(const char *rfc3339, char out[17])
{
    snprintf(out, 17, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", rfc3339, rfc3339 + 5, rfc3339 + 8,
             rfc3339 + 11, rfc3339 + 14, rfc3339 + 17);
}

int calendar_feed_get(sy_request *rq)
{
    const char *secret = req_param(rq, "secret");
    char hash[AUDIT_HASH_HEX];
    feed_rec f;
    store_err err;
    if (!secret || strncmp(secret, FEED_PREFIX, strlen(FEED_PREFIX)) != 0)
        return problem(rq, 404, NULL, "No calendar feed at this address.");
    sha256_hex(secret, strlen(secret), hash);
    int code = store_feed_by_hash(rq->db, hash, &rq->arena, &f, &err);
    if (code == ST_NOT_FOUND || (code == ST_OK && (f.revoked_at || f.user_disabled)))
        return problem(rq, 404, NULL, "No calendar feed at this address.");
    if (code != ST_OK)
        return problem_store(rq, &err);
    const char *track = f.track;
    char value[32];
    const char *cursor = rq->query;
    char name[64];
    int rc;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        if (strcmp(name, "track") != 0)
            return problem_param(rq, name, "is not supported here");
        if (!history_scope_valid(value))
            return problem_param(rq, "track", "must be all, copilot, azure, openai or other");
        track = strcmp(value, "all") == 0 ? NULL : arena_strdup(&rq->arena, value);
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    analysis an;
    int status = analysis_load(rq, &an);
    if (status)
        return status;
    cal_event *ev;
    size_t n;
    if (calendar_events(&an.p, track, &rq->arena, &ev, &n) != 0)
        return problem(rq, 500, NULL, "Out of memory.");
    char now[21], stamp[17], title[128];
    clock_now_rfc3339(now);
    ical_stamp(now, stamp);
    snprintf(title, sizeof title, "Switchyard deadlines%s%s", track ? ": " : "",
             track ? track : "");
    calendar_write(&rq->out, ev, n, title, stamp, base_url(rq));
    rq->content_type = "text/calendar; charset=utf-8";
    return 200;
}
