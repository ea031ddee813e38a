/* users.c - /api/v1/users (admin): people who sign in, their roles, and
 * disabling or resetting them. Password hashes never leave the server; a
 * generated password is shown once in the answer that created it. Every
 * change is audited (without the password). A password reset, a role
 * change or disabling revokes the user's API tokens and ends their
 * sessions; a reset or re-enabling also clears their sign-in failures. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/tokens.h"
#include "http/auth.h"

#define MIN_PASSWORD 12

static void user_json(jw *w, const user_rec *u)
{
    jw_obj(w);
    jw_kint(w, "id", u->id);
    jw_kstr(w, "name", u->name);
    jw_kstr(w, "role", u->role);
    jw_kbool(w, "disabled", u->disabled);
    jw_kstr(w, "created_at", u->created_at);
    jw_kstr(w, "updated_at", u->updated_at);
    jw_obj_end(w);
}

static const char *user_text(sy_request *rq, const user_rec *u)
{
    jw_capture c;
    user_json(jw_capture_begin(&c), u);
    return jw_capture_end(&c, &rq->arena);
}

/* Checks the members of a user document; `creating` requires name and role. */
static int check_user_body(sy_request *rq, int creating, sy_errors *e)
{
    const char *key;
    json_t *value;
    if (!json_is_object(rq->body)) {
        errors_add(e, "", "must be a JSON object");
        return -1;
    }
    json_object_foreach(rq->body, key, value) {
        char ptr[128];
        pointer_join(ptr, sizeof ptr, "", key);
        if (strcmp(key, "name") == 0 && creating) {
            if (!json_is_string(value) || !user_name_valid(json_string_value(value)))
                errors_add(e, ptr, "must be 1 to 64 letters, digits or . _ - @");
        } else if (strcmp(key, "role") == 0) {
            if (!json_is_string(value) || role_parse(json_string_value(value)) == ROLE_UNSET)
                errors_add(e, ptr, "must be one of viewer, architect, auditor or admin");
        } else if (strcmp(key, "password") == 0) {
            if (!json_is_string(value) || json_string_length(value) < MIN_PASSWORD ||
                json_string_length(value) > 1024)
                errors_add(e, ptr, "must be at least 12 characters");
        } else if (strcmp(key, "disabled") == 0 && !creating) {
            if (!json_is_boolean(value))
                errors_add(e, ptr, "must be true or false");
        } else if (strcmp(key, "id") && strcmp(key, "created_at") && strcmp(key, "updated_at")) {
            errors_add(e, ptr, "is not a known field");
        }
    }
    if (creating && !json_object_get(rq->body, "name"))
        errors_add(e, "/name", "is required");
    if (creating && !json_object_get(rq->body, "role"))
        errors_add(e, "/role", "is required");
    return e->count ? -1 : 0;
}

int users_list(sy_request *rq)
{
    user_rec *items;
    size_t n;
    store_err err;
    if (store_user_list(rq->db, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    jw_obj(&rq->jw);
    jw_key(&rq->jw, "items");
    jw_arr(&rq->jw);
    for (size_t i = 0; i < n; i++)
        user_json(&rq->jw, &items[i]);
    jw_arr_end(&rq->jw);
    jw_kint(&rq->jw, "total", (int64_t)n);
    jw_obj_end(&rq->jw);
    return 200;
}

int users_get(sy_request *rq)
{
    user_rec u;
    store_err err;
    if (store_user_get(rq->db, rq->id, &rq->arena, &u, &err) != ST_OK)
        return problem_store(rq, &err);
    user_json(&rq->jw, &u);
    return 200;
}

int users_create(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    if (check_user_body(rq, 1, &e) != 0)
        return problem_fields(rq, 400, "The user is invalid.", &e);
    user_rec u;
    memset(&u, 0, sizeof u);
    u.name = json_string_value(json_object_get(rq->body, "name"));
    u.role = json_string_value(json_object_get(rq->body, "role"));
    const char *password = json_string_value(json_object_get(rq->body, "password"));
    char generated[64], hash[128];
    if (!password) {
        auth_random_secret(NULL, generated, sizeof generated);
        generated[24] = '\0';
        password = generated;
    }
    if (auth_hash_password(password, hash) != 0)
        return problem(rq, 500, NULL, "The password could not be hashed.");
    u.password_hash = hash;
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (store_user_insert(rq->db, &u, &err) != ST_OK ||
        store_user_get(rq->db, u.id, &rq->arena, &u, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, "create", "user", u.id, NULL, user_text(rq, &u),
                     &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    snprintf(rq->location, sizeof rq->location, "/api/v1/users/%lld", (long long)u.id);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_kint(w, "id", u.id);
    jw_kstr(w, "name", u.name);
    jw_kstr(w, "role", u.role);
    jw_kbool(w, "disabled", u.disabled);
    if (password == generated)
        jw_kstr(w, "password", generated); /* shown once */
    jw_kstr(w, "created_at", u.created_at);
    jw_kstr(w, "updated_at", u.updated_at);
    jw_obj_end(w);
    return 201;
}

int users_patch(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    if (check_user_body(rq, 0, &e) != 0)
        return problem_fields(rq, 400, "The change is invalid.", &e);
    json_t *role = json_object_get(rq->body, "role");
    json_t *disabled = json_object_get(rq->body, "disabled");
    json_t *password = json_object_get(rq->body, "password");
    char hash[128];
    if (password && auth_hash_password(json_string_value(password), hash) != 0)
        return problem(rq, 500, NULL, "The password could not be hashed.");
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    user_rec before, u;
    if (store_user_get(rq->db, rq->id, &rq->arena, &before, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    if (rq->id == rq->user_id && ((disabled && json_is_true(disabled)) ||
                                  (role && strcmp(json_string_value(role), "admin") != 0))) {
        store_rollback(rq->db);
        return problem(rq, 409, NULL, "You cannot disable yourself or give up your own admin role.");
    }
    u = before;
    if (role)
        u.role = json_string_value(role);
    if (disabled)
        u.disabled = json_is_true(disabled);
    u.password_hash = password ? hash : NULL;
    const char *why = password                                     ? "password reset"
                      : role && strcmp(u.role, before.role) != 0   ? "role changed"
                      : u.disabled && !before.disabled             ? "user disabled"
                                                                   : NULL;
    int ends_sessions = password || u.disabled;
    int clears = password || (before.disabled && !u.disabled);
    if (store_user_update(rq->db, &u, &err) != ST_OK ||
        (ends_sessions && store_session_delete_user(rq->db, u.id, &err) != ST_OK) ||
        (clears && store_failure_clear(rq->db, u.name, NULL, &err) != ST_OK) ||
        (why && tokens_revoke(rq->db, rq->actor, u.id, 0, why, &rq->arena, NULL, &err) != ST_OK) ||
        store_user_get(rq->db, rq->id, &rq->arena, &u, &err) != ST_OK ||
        audit_record(rq->db, rq->actor, password ? "reset_password" : "update", "user", u.id,
                     user_text(rq, &before), user_text(rq, &u), &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    user_json(&rq->jw, &u);
    return 200;
}
