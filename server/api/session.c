/* session.c - /api/v1/session: sign in (sets the session cookie), who am I,
 * sign out. Sign-in failures are rate limited per name and per address and
 * recorded in the audit trail, as are successes; passwords never are. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/audit.h"
#include "common/text.h"
#include "http/auth.h"

#define FAIL_WINDOW 900
#define FAIL_LIMIT 5

/* {"user":"alice","address":"127.0.0.1"} for the audit trail. */
static const char *who_json(sy_request *rq, const char *name)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    jw_kstr(&w, "user", name);
    jw_kstr(&w, "address", rq->address ? rq->address : "");
    jw_obj_end(&w);
    const char *out = arena_strdup(&rq->arena, b.data ? b.data : "{}");
    buf_free(&b);
    return out;
}

static int parse_credentials(sy_request *rq, const char **name, const char **password)
{
    sy_errors e;
    errors_init(&e);
    const char *key;
    json_t *value;
    if (!json_is_object(rq->body)) {
        errors_add(&e, "", "must be a JSON object with name and password");
        return problem_fields(rq, 400, "The sign-in request is invalid.", &e);
    }
    json_object_foreach(rq->body, key, value)
        if (strcmp(key, "name") != 0 && strcmp(key, "password") != 0) {
            char ptr[128];
            pointer_join(ptr, sizeof ptr, "", key);
            errors_add(&e, ptr, "is not a known field");
        }
    json_t *n = json_object_get(rq->body, "name"), *p = json_object_get(rq->body, "password");
    if (!json_is_string(n) || json_string_length(n) == 0 || json_string_length(n) > 120)
        errors_add(&e, "/name", "must be a user name of 1 to 120 characters");
    if (!json_is_string(p) || json_string_length(p) == 0 || json_string_length(p) > 1024)
        errors_add(&e, "/password", "must be a string of 1 to 1024 characters");
    if (e.count)
        return problem_fields(rq, 400, "The sign-in request is invalid.", &e);
    *name = json_string_value(n);
    *password = json_string_value(p);
    return 0;
}

int session_create(sy_request *rq)
{
    const char *name = NULL, *password = NULL;
    int status = parse_credentials(rq, &name, &password);
    if (status)
        return status;
    int64_t now = clock_now();
    int64_t by_name = 0, by_address = 0, oldest = 0;
    store_err err;
    if (store_failure_count(rq->db, name, rq->address, now - FAIL_WINDOW, &by_name,
                            &by_address, &oldest, &err) != ST_OK)
        return problem_store(rq, &err);
    if (by_name >= FAIL_LIMIT || by_address >= FAIL_LIMIT) {
        /* The limit lifts once enough failures have left the window. `oldest`
         * is over the name's and the address's failures together, so drop
         * failures oldest first until neither count is over the limit. */
        int64_t since = now - FAIL_WINDOW;
        for (int i = 0; i < 1000 && (by_name >= FAIL_LIMIT || by_address >= FAIL_LIMIT); i++) {
            since = oldest + 1;
            if (store_failure_count(rq->db, name, rq->address, since, &by_name, &by_address,
                                    &oldest, &err) != ST_OK)
                return problem_store(rq, &err);
        }
        rq->retry_after = (int)(since + FAIL_WINDOW - now);
        if (rq->retry_after < 1)
            rq->retry_after = 1;
        return problem(rq, 429, NULL,
                       "Too many failed sign-ins for this name or address; try again later.");
    }

    user_rec u;
    memset(&u, 0, sizeof u);
    int found = store_user_by_name(rq->db, name, &rq->arena, &u, &err);
    if (found != ST_OK && found != ST_NOT_FOUND)
        return problem_store(rq, &err);
    /* The password check runs outside any transaction: Argon2id is slow. */
    int good = auth_verify_password(password, found == ST_OK ? u.password_hash : NULL);
    good = good && !u.disabled;

    char secret[128], hash[AUDIT_HASH_HEX];
    if (good) {
        auth_random_secret(NULL, secret, sizeof secret);
        sha256_hex(secret, strlen(secret), hash);
    }
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int code;
    if (good) {
        char actor[160];
        snprintf(actor, sizeof actor, "user:%s", u.name);
        code = store_session_create(rq->db, hash, u.id, now, now + SESSION_MAX_SECONDS, &err);
        if (code == ST_OK)
            code = audit_record(rq->db, actor, "sign_in", "session", u.id, NULL,
                                who_json(rq, u.name), &err);
    } else {
        code = store_failure_add(rq->db, name, rq->address, now, &err);
        if (code == ST_OK)
            code = audit_record(rq->db, "anonymous", "sign_in_failed", "session", 0, NULL,
                                who_json(rq, name), &err);
    }
    if (code != ST_OK || store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    if (!good)
        return problem(rq, 401, NULL, "The name or password is not right.");
    snprintf(rq->set_cookie, sizeof rq->set_cookie,
             SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", secret,
             SESSION_MAX_SECONDS, req_is_tls(rq) ? "; Secure" : "");
    sodium_memzero(secret, sizeof secret);
    jw_obj(&rq->jw);
    jw_kstr(&rq->jw, "name", u.name);
    jw_kstr(&rq->jw, "role", u.role);
    jw_kstr(&rq->jw, "auth", "session");
    jw_obj_end(&rq->jw);
    return 201;
}

int session_get(sy_request *rq)
{
    jw_obj(&rq->jw);
    jw_kstr(&rq->jw, "name", rq->user_name);
    jw_kstr(&rq->jw, "role", role_name(rq->role));
    jw_kstr(&rq->jw, "auth", rq->via_cookie ? "session" : "token");
    jw_obj_end(&rq->jw);
    return 200;
}

int session_delete(sy_request *rq)
{
    store_err err;
    if (rq->via_cookie) {
        if (store_begin_write(rq->db, &err) != ST_OK)
            return problem_store(rq, &err);
        if (store_session_delete(rq->db, rq->session_hash, &err) != ST_OK ||
            audit_record(rq->db, rq->actor, "sign_out", "session", rq->user_id, NULL,
                         who_json(rq, rq->user_name), &err) != ST_OK ||
            store_commit(rq->db, &err) != ST_OK) {
            store_rollback(rq->db);
            return problem_store(rq, &err);
        }
    }
    snprintf(rq->set_cookie, sizeof rq->set_cookie,
             SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return 204;
}
