/* webhooks.c (api) - /api/v1/webhooks (admin): register endpoints and the
 * events they want, list, change, delete, rotate the signing secret (shown
 * once, sealed at rest: jobs/webhooks.h), list deliveries and replay one.
 * Every write is audited; the secret never reaches the audit trail. The
 * sending happens in the background worker (jobs/webhook_worker.c). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/api.h"
#include "api/audit.h"
#include "common/text.h"
#include "core/webhook.h"
#include "jobs/webhooks.h"
#include "store/webhooks.h"

#define DESCRIPTION_MAX 500

static void hook_json(jw *w, const webhook_rec *h)
{
    jw_obj(w);
    jw_kint(w, "id", h->id);
    jw_kstr(w, "url", h->url);
    jw_key(w, "events");
    jw_arr(w);
    unsigned mask = webhook_events_mask(h->events);
    for (int i = 0; i < WH_N_EVENTS; i++)
        if (mask & (1u << i))
            jw_str(w, WH_EVENT_NAMES[i]);
    jw_arr_end(w);
    jw_kstr(w, "description", h->description ? h->description : "");
    jw_kbool(w, "enabled", h->enabled);
    jw_kstr(w, "created_at", h->created_at);
    jw_kstr(w, "updated_at", h->updated_at);
    jw_obj_end(w);
}

static const char *hook_text(sy_request *rq, const webhook_rec *h)
{
    jw_capture c;
    hook_json(jw_capture_begin(&c), h);
    return jw_capture_end(&c, &rq->arena);
}

static void time_text(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void delivery_json(jw *w, const webhook_delivery *d)
{
    char next[21];
    jw_obj(w);
    jw_kint(w, "id", d->id);
    jw_kint(w, "webhook", d->webhook_id);
    jw_kstr(w, "event_id", d->event_id);
    jw_kstr(w, "type", d->type);
    jw_kstr(w, "event_created", d->event_created);
    jw_kstr(w, "status", d->status);
    jw_kint(w, "attempts", d->attempts);
    jw_key(w, "response_code");
    if (d->response_code)
        jw_int(w, d->response_code);
    else
        jw_null(w);
    jw_kstr(w, "last_error", d->last_error);
    jw_kstr(w, "last_attempt_at", d->last_attempt_at);
    jw_key(w, "next_attempt_at");
    if (strcmp(d->status, "pending") == 0) {
        time_text(d->next_at, next);
        jw_str(w, next);
    } else {
        jw_null(w);
    }
    jw_kstr(w, "delivered_at", d->delivered_at);
    jw_obj_end(w);
}

/* Validates the fields of a POST (create) or PATCH body into h; *mask is
 * the events asked for. Returns e->count. */
static int read_body(sy_request *rq, int create, webhook_rec *h, sy_errors *e)
{
    const char *key;
    json_t *value;
    if (!json_is_object(rq->body)) {
        errors_add(e, "", "must be a JSON object");
        return e->count;
    }
    json_object_foreach(rq->body, key, value)
        if (strcmp(key, "url") && strcmp(key, "events") && strcmp(key, "description") &&
            strcmp(key, "enabled")) {
            char ptr[128];
            pointer_join(ptr, sizeof ptr, "", key);
            errors_add(e, ptr, "is not a known field");
        }
    json_t *url = json_object_get(rq->body, "url");
    json_t *events = json_object_get(rq->body, "events");
    json_t *desc = json_object_get(rq->body, "description");
    json_t *enabled = json_object_get(rq->body, "enabled");
    if (url || create) {
        const char *why = json_is_string(url) ? webhook_url_check(json_string_value(url))
                                              : "must be an http or https URL";
        if (why)
            errors_add(e, "/url", "%s", why);
        else
            h->url = json_string_value(url);
    }
    if (events || create) {
        unsigned mask = 0;
        size_t i;
        json_t *item;
        if (!json_is_array(events) || json_array_size(events) == 0)
            errors_add(e, "/events", "must be a non-empty list of event types");
        else
            json_array_foreach(events, i, item) {
                int code = json_is_string(item) ? webhook_event_code(json_string_value(item)) : -1;
                if (code < 0) {
                    char ptr[64];
                    snprintf(ptr, sizeof ptr, "/events/%zu", i);
                    errors_add(e, ptr, "must be one of workload.flagged, workload.unflagged, "
                                       "priority.p1, deadline.upcoming, acceptance.expired, "
                                       "drill.failed, import.applied, audit.verify_failed");
                } else {
                    mask |= 1u << code;
                }
            }
        buf b;
        buf_init(&b);
        webhook_events_text(mask, &b);
        h->events = arena_strdup(&rq->arena, b.data ? b.data : "");
        buf_free(&b);
    }
    if (desc) {
        if (!json_is_string(desc) || json_string_length(desc) > DESCRIPTION_MAX)
            errors_add(e, "/description", "must be text of at most 500 characters");
        else
            h->description = json_string_value(desc);
    }
    if (enabled) {
        if (!json_is_boolean(enabled))
            errors_add(e, "/enabled", "must be true or false");
        else
            h->enabled = json_is_true(enabled);
    }
    return e->count;
}

int webhooks_list(sy_request *rq)
{
    webhook_rec *items;
    size_t n;
    store_err err;
    if (store_webhook_list(rq->db, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    jw_obj(&rq->jw);
    jw_key(&rq->jw, "items");
    jw_arr(&rq->jw);
    for (size_t i = 0; i < n; i++)
        hook_json(&rq->jw, &items[i]);
    jw_arr_end(&rq->jw);
    jw_kint(&rq->jw, "total", (int64_t)n);
    jw_obj_end(&rq->jw);
    return 200;
}

int webhooks_get(sy_request *rq)
{
    webhook_rec h;
    store_err err;
    if (store_webhook_get(rq->db, rq->id, &rq->arena, &h, &err) != ST_OK)
        return problem_store(rq, &err);
    hook_json(&rq->jw, &h);
    return 200;
}

/* The answer to a create or a rotation: the webhook and its secret, once. */
static void with_secret(sy_request *rq, const webhook_rec *h, const char *secret)
{
    jw *w = &rq->jw;
    jw_obj(w);
    jw_key(w, "webhook");
    hook_json(w, h);
    jw_kstr(w, "secret", secret);
    jw_kstr(w, "signature",
            "Switchyard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256 of \"<t>.<body>\" "
            "keyed with the secret>");
    jw_obj_end(w);
}

int webhooks_create(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    webhook_rec h;
    memset(&h, 0, sizeof h);
    h.enabled = 1;
    h.description = "";
    if (read_body(rq, 1, &h, &e))
        return problem_fields(rq, 400, "The webhook is invalid.", &e);
    char secret[96];
    if (webhooks_new_secret(secret, sizeof secret, &rq->arena, &h.secret_sealed) != 0)
        return problem(rq, 503, NULL,
                       "The key that seals webhook secrets is not loaded; see the server log.");
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (store_webhook_insert(rq->db, &h, &err) != ST_OK ||
        store_webhook_get(rq->db, h.id, &rq->arena, &h, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "create", "webhook", h.id, NULL, hook_text(rq, &h),
                     &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        sodium_memzero(secret, sizeof secret);
        return problem_store(rq, &err);
    }
    snprintf(rq->location, sizeof rq->location, "/api/v1/webhooks/%lld", (long long)h.id);
    with_secret(rq, &h, secret);
    sodium_memzero(secret, sizeof secret);
    return 201;
}

int webhooks_patch(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    webhook_rec h;
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (store_webhook_get(rq->db, rq->id, &rq->arena, &h, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    const char *before = hook_text(rq, &h);
    if (read_body(rq, 0, &h, &e)) {
        store_rollback(rq->db);
        return problem_fields(rq, 400, "The webhook change is invalid.", &e);
    }
    if (store_webhook_update(rq->db, &h, &err) != ST_OK ||
        store_webhook_get(rq->db, h.id, &rq->arena, &h, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "update", "webhook", h.id, before, hook_text(rq, &h),
                     &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    if (h.enabled)
        webhooks_wake();
    hook_json(&rq->jw, &h);
    return 200;
}

int webhooks_delete(sy_request *rq)
{
    webhook_rec h;
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (store_webhook_get(rq->db, rq->id, &rq->arena, &h, &err) != ST_OK ||
        store_webhook_delete(rq->db, h.id, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "delete", "webhook", h.id, hook_text(rq, &h), NULL,
                     &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    return 204;
}

int webhooks_rotate_secret(sy_request *rq)
{
    webhook_rec h;
    store_err err;
    char secret[96];
    const char *sealed;
    if (webhooks_new_secret(secret, sizeof secret, &rq->arena, &sealed) != 0)
        return problem(rq, 503, NULL,
                       "The key that seals webhook secrets is not loaded; see the server log.");
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int code = store_webhook_get(rq->db, rq->id, &rq->arena, &h, &err);
    if (code == ST_OK) {
        h.secret_sealed = sealed;
        code = store_webhook_update(rq->db, &h, &err);
    }
    /* The audit trail records that it was rotated, never the secret. */
    if (code != ST_OK || store_webhook_get(rq->db, h.id, &rq->arena, &h, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "rotate_secret", "webhook", h.id, NULL,
                     hook_text(rq, &h), &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        sodium_memzero(secret, sizeof secret);
        return problem_store(rq, &err);
    }
    with_secret(rq, &h, secret);
    sodium_memzero(secret, sizeof secret);
    return 200;
}

int webhooks_deliveries(sy_request *rq)
{
    webhook_rec h;
    webhook_delivery *items;
    size_t n;
    store_err err;
    if (store_webhook_get(rq->db, rq->id, &rq->arena, &h, &err) != ST_OK ||
        store_webhook_deliveries(rq->db, h.id, 200, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    jw_obj(&rq->jw);
    jw_key(&rq->jw, "items");
    jw_arr(&rq->jw);
    for (size_t i = 0; i < n; i++)
        delivery_json(&rq->jw, &items[i]);
    jw_arr_end(&rq->jw);
    jw_kint(&rq->jw, "total", (int64_t)n);
    jw_obj_end(&rq->jw);
    return 200;
}

int webhooks_replay(sy_request *rq)
{
    webhook_delivery d;
    store_err err;
    char before[32];
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int code = store_webhook_delivery_get(rq->db, rq->id, &rq->arena, &d, &err);
    if (code == ST_OK) {
        copy_str(before, sizeof before, d.status);
        code = store_webhook_delivery_replay(rq->db, d.id, clock_now(), &err);
    }
    if (code == ST_OK)
        code = store_webhook_delivery_get(rq->db, d.id, &rq->arena, &d, &err);
    if (code == ST_OK) {
        buf b;
        buf_init(&b);
        jw w;
        jw_init(&w, &b);
        jw_obj(&w);
        jw_kint(&w, "webhook", d.webhook_id);
        jw_kstr(&w, "event_id", d.event_id);
        jw_kstr(&w, "status_before", before);
        jw_obj_end(&w);
        code = audit_record(rq->db, rq->actor, "replay", "webhook_delivery", d.id, NULL,
                            b.data ? b.data : "{}", &err);
        buf_free(&b);
    }
    if (code != ST_OK || store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    webhooks_wake();
    delivery_json(&rq->jw, &d);
    return 202;
}
