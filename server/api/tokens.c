/* tokens.c - /api/v1/tokens: API tokens for scripts. Any signed-in user
 * manages their own; admins see and revoke everyone's. A token's role is
 * never above its creator's; its secret (prefix "sy_") is shown once and
 * only its SHA-256 is stored. A token creates further tokens only when it
 * was created with may_create_tokens; those never outlive it and are
 * revoked with it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/tokens.h"
#include "common/text.h"
#include "http/auth.h"

#define DEFAULT_DAYS 90
#define MAX_DAYS 366

static void token_json(jw *w, const token_rec *t)
{
    jw_obj(w);
    jw_kint(w, "id", t->id);
    jw_kstr(w, "name", t->name);
    jw_kstr(w, "user", t->user_name);
    jw_kstr(w, "role", t->role);
    jw_kstr(w, "prefix", t->prefix);
    jw_kstr(w, "created_at", t->created_at);
    jw_kstr(w, "last_used_at", t->last_used_at);
    jw_kstr(w, "expires_at", t->expires_at);
    jw_kstr(w, "revoked_at", t->revoked_at);
    jw_kbool(w, "may_create_tokens", t->may_create_tokens);
    jw_obj_end(w);
}

static const char *token_text(sy_request *rq, const token_rec *t)
{
    jw_capture c;
    token_json(jw_capture_begin(&c), t);
    return jw_capture_end(&c, &rq->arena);
}

int tokens_list(sy_request *rq)
{
    token_rec *items;
    size_t n;
    store_err err;
    int64_t owner = rq->role == ROLE_ADMIN ? 0 : rq->user_id;
    auth_flush_uses(rq->db, 1); /* the last uses the cache holds, first */
    if (store_token_list(rq->db, owner, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    jw_obj(&rq->jw);
    jw_key(&rq->jw, "items");
    jw_arr(&rq->jw);
    for (size_t i = 0; i < n; i++)
        token_json(&rq->jw, &items[i]);
    jw_arr_end(&rq->jw);
    jw_kint(&rq->jw, "total", (int64_t)n);
    jw_obj_end(&rq->jw);
    return 200;
}

int tokens_create(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    const char *key;
    json_t *value;
    if (!json_is_object(rq->body)) {
        errors_add(&e, "", "must be a JSON object");
        return problem_fields(rq, 400, "The token request is invalid.", &e);
    }
    json_object_foreach(rq->body, key, value)
        if (strcmp(key, "name") && strcmp(key, "role") && strcmp(key, "expires_in_days") &&
            strcmp(key, "may_create_tokens")) {
            char ptr[128];
            pointer_join(ptr, sizeof ptr, "", key);
            errors_add(&e, ptr, "is not a known field");
        }
    json_t *name = json_object_get(rq->body, "name");
    json_t *role = json_object_get(rq->body, "role");
    json_t *days = json_object_get(rq->body, "expires_in_days");
    json_t *may_create = json_object_get(rq->body, "may_create_tokens");
    if (may_create && !json_is_boolean(may_create))
        errors_add(&e, "/may_create_tokens", "must be true or false");
    if (!json_is_string(name) || json_string_length(name) < 1 || json_string_length(name) > 80)
        errors_add(&e, "/name", "must be a name of 1 to 80 characters");
    sy_role wanted = role ? (json_is_string(role) ? role_parse(json_string_value(role)) : ROLE_UNSET)
                          : rq->role;
    if (wanted == ROLE_UNSET)
        errors_add(&e, "/role", "must be one of viewer, architect, auditor or admin");
    else if (!role_allows(rq->role, wanted))
        errors_add(&e, "/role", "must not be above your own role");
    int64_t n_days = DEFAULT_DAYS;
    if (days) {
        if (!json_is_integer(days) || json_integer_value(days) < 1 ||
            json_integer_value(days) > MAX_DAYS)
            errors_add(&e, "/expires_in_days", "must be a whole number from 1 to 366");
        else
            n_days = (int64_t)json_integer_value(days);
    }
    if (e.count)
        return problem_fields(rq, 400, "The token request is invalid.", &e);
    /* A token acts for its user only as far as it was allowed: creating
     * tokens is a right given at its creation, never implied by the role. */
    if (rq->token_id && !rq->token_may_create)
        return problem(rq, 403, NULL,
                       "This API token may not create tokens; sign in, or use a token "
                       "created with may_create_tokens.");

    char secret[128], hash[AUDIT_HASH_HEX], prefix[16], expires[21];
    auth_random_secret("sy_", secret, sizeof secret);
    sha256_hex(secret, strlen(secret), hash);
    copy_str(prefix, sizeof prefix, secret);
    prefix[10] = '\0';
    time_t at = (time_t)clock_now() + (time_t)(n_days * 86400);
    struct tm tm;
    gmtime_r(&at, &tm);
    strftime(expires, sizeof expires, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* A token's tokens never outlive it. */
    if (rq->token_id && rq->token_expires && strcmp(rq->token_expires, expires) < 0)
        copy_str(expires, sizeof expires, rq->token_expires);

    token_rec t;
    memset(&t, 0, sizeof t);
    t.user_id = rq->user_id;
    t.name = json_string_value(name);
    t.prefix = prefix;
    t.token_hash = hash;
    t.role = role_name(wanted);
    t.expires_at = expires;
    t.may_create_tokens = json_is_true(may_create);
    t.parent_id = rq->token_id;
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (store_token_insert(rq->db, &t, &err) != ST_OK ||
        store_token_get(rq->db, t.id, &rq->arena, &t, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "create", "token", t.id, NULL, token_text(rq, &t),
                     &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    snprintf(rq->location, sizeof rq->location, "/api/v1/tokens/%lld", (long long)t.id);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_kint(w, "id", t.id);
    jw_kstr(w, "name", t.name);
    jw_kstr(w, "user", t.user_name);
    jw_kstr(w, "role", t.role);
    jw_kstr(w, "prefix", t.prefix);
    jw_kstr(w, "token", secret); /* shown once */
    jw_kstr(w, "created_at", t.created_at);
    jw_kstr(w, "expires_at", t.expires_at);
    jw_kbool(w, "may_create_tokens", t.may_create_tokens);
    jw_obj_end(w);
    return 201;
}

/* 1 if token t descends from root through parent_id (or is root). */
static int descends(const token_rec *items, size_t n, const token_rec *t, int64_t root)
{
    for (size_t hops = 0; t && hops <= n; hops++) {
        if (t->id == root)
            return 1;
        const token_rec *up = NULL;
        for (size_t i = 0; t->parent_id && i < n && !up; i++)
            if (items[i].id == t->parent_id)
                up = &items[i];
        t = up;
    }
    return 0;
}

int tokens_revoke(sy_db *db, const char *actor, int64_t user_id, int64_t root, const char *why,
                  arena *a, int *count, store_err *err)
{
    token_rec *items;
    size_t n;
    if (count)
        *count = 0;
    int code = store_token_list(db, user_id, a, &items, &n, err);
    char now[21];
    clock_now_rfc3339(now);
    for (size_t i = 0; code == ST_OK && i < n; i++) {
        if (items[i].revoked_at || (root && !descends(items, n, &items[i], root)))
            continue;
        buf before, after;
        buf_init(&before);
        buf_init(&after);
        jw w;
        jw_init(&w, &before);
        token_json(&w, &items[i]);
        items[i].revoked_at = now;
        jw_init(&w, &after);
        jw_obj(&w);
        jw_kint(&w, "id", items[i].id);
        jw_kstr(&w, "revoked_at", now);
        jw_kstr(&w, "reason", why);
        jw_obj_end(&w);
        if (buf_failed(&before) || buf_failed(&after)) {
            memset(err, 0, sizeof *err);
            err->code = code = ST_ERROR;
            copy_str(err->detail, sizeof err->detail, "Out of memory.");
        } else {
            code = store_token_revoke(db, items[i].id, now, err);
            if (code == ST_OK)
                code = audit_record(db, actor, "revoke", "token", items[i].id, before.data,
                                    after.data, err);
        }
        buf_free(&before);
        buf_free(&after);
        if (code == ST_OK && count)
            (*count)++;
    }
    return code;
}

int tokens_delete(sy_request *rq)
{
    token_rec t;
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int code = store_token_get(rq->db, rq->id, &rq->arena, &t, &err);
    if (code == ST_OK && rq->role != ROLE_ADMIN && t.user_id != rq->user_id) {
        err.code = ST_NOT_FOUND; /* others' tokens are not even visible */
        copy_str(err.detail, sizeof err.detail, "No token with this ID.");
        err.pointer[0] = '\0';
        code = ST_NOT_FOUND;
    }
    char now[21];
    clock_now_rfc3339(now);
    const char *before = code == ST_OK ? token_text(rq, &t) : NULL;
    /* The token itself (audited as always), then the tokens it created. */
    if (code != ST_OK || store_token_revoke(rq->db, t.id, now, &err) != ST_OK ||
        store_token_get(rq->db, t.id, &rq->arena, &t, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "revoke", "token", t.id, before, token_text(rq, &t),
                     &err) != ST_OK ||
        tokens_revoke(rq->db, rq->actor, t.user_id, t.id, "created by a revoked token",
                      &rq->arena, NULL, &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    return 204;
}
