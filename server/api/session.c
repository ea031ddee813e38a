/* session.c - /api/v1/session: sign in (sets the session cookie), who am I,
 * sign out. Failures slow down one (name, address) pair with exponential
 * backoff (core/signin.h), never the name for everyone; a success from
 * the address, or an admin's password reset, clears them. The attempt is
 * recorded before the password is checked, in the transaction that checked
 * the limit, so a concurrent burst gets no extra guess. Failures and
 * successes are audited; passwords never are. With single sign-on and
 * --password-sign-in admins, only administrators may use a password. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/audit.h"
#include "common/text.h"
#include "core/signin.h"
#include "http/auth.h"
#include "sso/oidc.h"

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

/* Inside the caller's write transaction: 0 when the pair and the address
 * may try now (the attempt is then recorded as a failure), else the
 * seconds to wait. -1 on a store error (err set). */
static int64_t take_attempt(sy_request *rq, const char *name, int64_t now, store_err *err)
{
    failure_counts c;
    if (store_failure_count(rq->db, name, rq->address, now - SIGNIN_PAIR_WINDOW,
                            now - SIGNIN_ADDRESS_WINDOW, &c, err) != ST_OK)
        return -1;
    int64_t wait = 0;
    int64_t pair_wait = signin_backoff(c.pair);
    if (pair_wait > 0 && c.pair_last + pair_wait > now)
        wait = c.pair_last + pair_wait - now;
    if (c.address >= SIGNIN_ADDRESS_LIMIT && c.address_oldest + SIGNIN_ADDRESS_WINDOW - now > wait)
        wait = c.address_oldest + SIGNIN_ADDRESS_WINDOW - now;
    if (wait > 0)
        return wait;
    return store_failure_add(rq->db, name, rq->address, now, err) == ST_OK ? 0 : -1;
}

int session_open(sy_request *rq, int64_t user_id, int64_t now, char secret[128], store_err *err)
{
    char hash[AUDIT_HASH_HEX];
    auth_random_secret(NULL, secret, 128);
    sha256_hex(secret, strlen(secret), hash);
    return store_session_create(rq->db, hash, user_id, now, now + SESSION_MAX_SECONDS, err);
}

void session_cookie(sy_request *rq, char secret[128])
{
    snprintf(rq->set_cookie, sizeof rq->set_cookie,
             SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", secret,
             SESSION_MAX_SECONDS, auth_is_https(rq) ? "; Secure" : "");
    sodium_memzero(secret, 128);
}

int session_create(sy_request *rq)
{
    const char *name = NULL, *password = NULL;
    int status = parse_credentials(rq, &name, &password);
    if (status)
        return status;
    if (!rq->address)
        rq->address = "";
    int64_t now = clock_now();
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    store_mark_quiet(rq->db); /* bookkeeping: cached answers stay valid */
    int64_t wait = take_attempt(rq, name, now, &err);
    if (wait != 0 || store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        if (wait <= 0)
            return problem_store(rq, &err);
        rq->retry_after = wait > INT32_MAX ? INT32_MAX : (int)wait;
        return problem(rq, 429, NULL,
                       "Too many failed sign-ins for this name from this address; "
                       "try again after Retry-After seconds.");
    }

    user_rec u;
    memset(&u, 0, sizeof u);
    int found = store_user_by_name(rq->db, name, &rq->arena, &u, &err);
    if (found != ST_OK && found != ST_NOT_FOUND)
        return problem_store(rq, &err);
    /* The password check runs outside any transaction: Argon2id is slow. */
    int good = auth_verify_password(password, found == ST_OK ? u.password_hash : NULL);
    good = good && !u.disabled;

    /* With single sign-on and --password-sign-in admins, passwords are for
     * break-glass administrators only. */
    const oidc_settings *sso = oidc_get();
    int barred = good && sso && sso->password_admins_only && strcmp(u.role, "admin") != 0;
    good = good && !barred;
    char secret[128];
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int code;
    if (good) {
        char actor[160];
        snprintf(actor, sizeof actor, "user:%s", u.name);
        code = session_open(rq, u.id, now, secret, &err);
        if (code == ST_OK) /* the attempt, and this pair's earlier failures */
            code = store_failure_clear(rq->db, name, rq->address, &err);
        if (code == ST_OK)
            code = audit_record(rq->db, actor, "sign_in", "session", u.id, NULL,
                                who_json(rq, u.name), &err);
    } else {
        code = audit_record(rq->db, "anonymous", barred ? "sign_in_refused" : "sign_in_failed",
                            "session", 0, NULL, who_json(rq, name), &err);
    }
    if (code != ST_OK || store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    if (barred)
        return problem(rq, 403, "Sign-in refused",
                       "Passwords are for administrators only here; use single sign-on.");
    if (!good)
        return problem(rq, 401, NULL, "The name or password is not right.");
    session_cookie(rq, secret);
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
