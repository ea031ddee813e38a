/* sso.c - /api/v1/sso: single sign-on with OpenID Connect (sso/oidc.h).
 * GET /sso tells the sign-in page whether and how; GET /sso/login sends
 * the browser to the provider, binding the sign-in's state to it with a
 * short-lived cookie; GET /sso/callback checks that cookie against the
 * state, lets sso/ exchange the code and check the ID token, then finds or
 * provisions the user by the provider's subject, sets the role the groups
 * earn now (a demotion takes effect), refuses disabled users and users of
 * no mapped group (disabling the local user the provider no longer gives
 * a role: sessions end, tokens are revoked), and opens the same session a
 * password sign-in opens.
 * Every sign-in and every refusal is audited. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "api/tokens.h"
#include "common/text.h"
#include "core/report_html.h"
#include "http/auth.h"
#include "http/query.h"
#include "sso/oidc.h"

#define SSO_COOKIE "sy_sso"
#define CALLBACK_PATH "/api/v1/sso/callback"
/* Local users provisioned by sign-on get this: no password can match it. */
#define NO_PASSWORD "!sso"

int sso_info(sy_request *rq)
{
    const oidc_settings *s = oidc_get();
    jw_obj(&rq->jw);
    jw_kbool(&rq->jw, "enabled", s != NULL);
    if (s) {
        jw_kstr(&rq->jw, "provider", s->provider_name);
        jw_kstr(&rq->jw, "login", "/api/v1/sso/login");
    }
    jw_kstr(&rq->jw, "password_sign_in", s && s->password_admins_only ? "admins" : "all");
    jw_obj_end(&rq->jw);
    return 200;
}

/* 404 when there is no provider; 400 for HEAD, which must not act (start
 * or end a sign-in); else 0. */
static int unusable(sy_request *rq)
{
    if (!oidc_get())
        return problem(rq, 404, NULL, "Single sign-on is not configured on this server.");
    if (rq->head_only)
        return problem(rq, 400, NULL, "Single sign-on steps are GET requests of a browser.");
    return 0;
}

/* 1 if every character of s is one of ok (or alphanumeric). */
static int only(const char *s, const char *ok)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr(ok, *s)))
            return 0;
    return 1;
}

/* Where the provider sends the browser back: the configured base, else
 * this request's scheme and Host. 0, or -1 when Host is unusable. */
static int redirect_uri(sy_request *rq, const oidc_settings *s, char *out, size_t size)
{
    if (s->redirect_base) {
        size_t n = strlen(s->redirect_base);
        while (n && s->redirect_base[n - 1] == '/')
            n--;
        snprintf(out, size, "%.*s%s", (int)n, s->redirect_base, CALLBACK_PATH);
        return 0;
    }
    const char *host = req_header(rq, "Host");
    if (!host || !*host || strlen(host) > 255 || !only(host, ".-:[]"))
        return -1;
    snprintf(out, size, "%s://%s%s", auth_is_https(rq) ? "https" : "http", host, CALLBACK_PATH);
    return 0;
}

int sso_login(sy_request *rq)
{
    const oidc_settings *s = oidc_get();
    int status = unusable(rq);
    if (status)
        return status;
    char next[200] = "/", uri[512], why[256], state[64];
    int got = query_get(rq->query, "next", next, sizeof next);
    if (got < 0 || next[0] != '/' || next[1] == '/' || !only(next, "/-_.~?=&%"))
        return problem_param(rq, "next", "must be a path of this application, like /workloads");
    if (redirect_uri(rq, s, uri, sizeof uri) != 0)
        return problem(rq, 400, NULL, "The Host header is not usable; configure --oidc-redirect-base.");
    if (oidc_begin(uri, next, rq->location, sizeof rq->location, state, why, sizeof why) != OIDC_OK) {
        rq->location[0] = '\0';
        return problem(rq, 502, NULL, why);
    }
    snprintf(rq->set_cookie, sizeof rq->set_cookie,
             SSO_COOKIE "=%s; Path=/api/v1/sso; HttpOnly; SameSite=Lax; Max-Age=600%s", state,
             auth_is_https(rq) ? "; Secure" : "");
    sodium_memzero(state, sizeof state);
    return 302;
}

/* {"user":..,"address":..,"via":"sso","reason":..} for the audit trail. */
static const char *event(sy_request *rq, const char *name, const char *reason)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    jw_obj(&w);
    if (name)
        jw_kstr(&w, "user", name);
    jw_kstr(&w, "address", rq->address ? rq->address : "");
    jw_kstr(&w, "via", "sso");
    if (reason)
        jw_kstr(&w, "reason", reason);
    jw_obj_end(&w);
    const char *out = arena_strdup(&rq->arena, b.data ? b.data : "{}");
    buf_free(&b);
    return out;
}

/* Audits a refusal in a transaction of its own, then answers status. */
static int refuse(sy_request *rq, int status, const char *name, int64_t user_id, const char *why)
{
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (audit_record(rq->db, "anonymous", "sign_in_refused", "session", user_id, NULL,
                     event(rq, name, why), &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    return problem(rq, status, status == 403 ? "Sign-in refused" : NULL, why);
}

static const char *role_json(sy_request *rq, const user_rec *u)
{
    char text[320];
    snprintf(text, sizeof text, "{\"name\":\"%s\",\"role\":\"%s\",\"sso\":true}", u->name, u->role);
    return arena_strdup(&rq->arena, text); /* names are plain (user_name_valid) */
}

/* Inside the write transaction: the user of this subject, created or with
 * its role brought up to date. 0, an HTTP status for a refusal (why set),
 * or -1 on a store error. */
static int provision(sy_request *rq, const char *subject, const char *name, sy_role role,
                     user_rec *u, const char **why, store_err *err)
{
    int found = store_user_by_sso(rq->db, subject, &rq->arena, u, err);
    if (found == ST_OK) {
        if (u->disabled) {
            *why = "This user is disabled in Switchyard.";
            return 403;
        }
        if (strcmp(u->role, role_name(role)) == 0)
            return 0;
        const char *before = role_json(rq, u);
        u->role = role_name(role);
        u->password_hash = NULL;
        return store_user_update(rq->db, u, err) != ST_OK ||
                       tokens_revoke(rq->db, "system:sso", u->id, 0, "role changed", &rq->arena,
                                     NULL, err) != ST_OK ||
                       audit_record(rq->db, "system:sso", "update", "user", u->id, before,
                                    role_json(rq, u), err) != ST_OK
                   ? -1
                   : 0;
    }
    if (found != ST_NOT_FOUND)
        return -1;
    user_rec other;
    found = store_user_by_name(rq->db, name, &rq->arena, &other, err);
    if (found == ST_OK) {
        *why = "A local user already has this name; an administrator must rename or remove "
               "it before this person can sign in with single sign-on.";
        return 409;
    }
    if (found != ST_NOT_FOUND)
        return -1;
    memset(u, 0, sizeof *u);
    u->name = name;
    u->role = role_name(role);
    u->password_hash = NO_PASSWORD;
    return store_user_insert(rq->db, u, err) != ST_OK ||
                   store_user_set_sso(rq->db, u->id, subject, err) != ST_OK ||
                   audit_record(rq->db, "system:sso", "create", "user", u->id, NULL,
                                role_json(rq, u), err) != ST_OK
               ? -1
               : 0;
}

/* The provider no longer gives this person any mapped group: the local
 * user of this subject, if any and enabled, is disabled, its sessions
 * ended and its tokens revoked (audited as system:sso), so access already
 * granted ends with the provider's say, not at the next idle timeout. */
static int withdraw(sy_request *rq, const char *subject, store_err *err)
{
    user_rec u;
    int found = store_user_by_sso(rq->db, subject, &rq->arena, &u, err);
    if (found == ST_NOT_FOUND || (found == ST_OK && u.disabled))
        return ST_OK;
    if (found != ST_OK)
        return found;
    char before[320];
    snprintf(before, sizeof before, "{\"name\":\"%s\",\"role\":\"%s\",\"disabled\":false}",
             u.name, u.role);
    char after[320];
    snprintf(after, sizeof after, "{\"name\":\"%s\",\"role\":\"%s\",\"disabled\":true}",
             u.name, u.role);
    u.disabled = 1;
    u.password_hash = NULL;
    int code = store_user_update(rq->db, &u, err);
    if (code == ST_OK)
        code = store_session_delete_user(rq->db, u.id, err);
    if (code == ST_OK)
        code = tokens_revoke(rq->db, "system:sso", u.id, 0, "no group at the identity provider",
                             &rq->arena, NULL, err);
    if (code == ST_OK)
        code = audit_record(rq->db, "system:sso", "update", "user", u.id, before, after, err);
    return code;
}

/* Refuses a sign-in with no mapped group, disabling the subject's local
 * user in the same transaction as the refusal's audit event. */
static int refuse_unmapped(sy_request *rq, const char *subject, const char *name)
{
    static const char why[] = "None of your groups at the identity provider is given a role "
                              "in Switchyard; ask an administrator.";
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (withdraw(rq, subject, &err) != ST_OK ||
        audit_record(rq->db, "anonymous", "sign_in_refused", "session", 0, NULL,
                     event(rq, name, why), &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    return problem(rq, 403, "Sign-in refused", why);
}

/* The claims are good: the user, the session, the audit, the answer. */
static int sign_in(sy_request *rq, const oidc_settings *s, const json_t *claims, const char *next)
{
    const char *subject = json_string_value(json_object_get(claims, "sub"));
    const char *name = claims_user_name(claims, s->name_claim);
    if (!name)
        return refuse(rq, 403, NULL, 0, "The identity provider sent no usable user name "
                                        "(letters, digits and . _ - @, at most 64).");
    sy_role role = claims_role(&s->roles, claims, s->groups_claim, s->default_role);
    if (role == ROLE_UNSET)
        return refuse_unmapped(rq, subject, name);
    int64_t now = clock_now();
    store_err err;
    user_rec u;
    const char *why = NULL;
    char secret[128];
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    int code = provision(rq, subject, name, role, &u, &why, &err);
    if (code > 0) {
        store_rollback(rq->db);
        return refuse(rq, code == 409 ? 403 : code, name, 0, why);
    }
    char actor[160];
    snprintf(actor, sizeof actor, "user:%s", u.name);
    if (code != 0 || session_open(rq, u.id, now, secret, &err) != ST_OK ||
        audit_record(rq->db, actor, "sign_in", "session", u.id, NULL, event(rq, u.name, NULL),
                     &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    session_cookie(rq, secret);
    snprintf(rq->location, sizeof rq->location, "/#%s", next);
    jw_obj(&rq->jw);
    jw_kstr(&rq->jw, "name", u.name);
    jw_kstr(&rq->jw, "role", u.role);
    jw_kstr(&rq->jw, "auth", "session");
    jw_obj_end(&rq->jw);
    return 303;
}

/* A browser landing on a refusal gets a page saying it (the same title
 * and detail, escaped) with a way back; scripts get the problem. */
static int as_page(sy_request *rq, int status)
{
    const char *accept = req_header(rq, "Accept");
    if (status < 400 || !accept || !strstr(accept, "text/html"))
        return status;
    json_t *p = json_loadb(rq->out.data ? rq->out.data : "", rq->out.len, 0, NULL);
    buf_reset(&rq->out);
    buf_puts(&rq->out, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                       "<title>Not signed in - Switchyard</title>"
                       "<link rel=\"stylesheet\" href=\"/style.css\"></head>\n"
                       "<body><main class=\"sso-refused\"><h1>");
    html_escape(&rq->out, json_string_value(json_object_get(p, "title")));
    buf_puts(&rq->out, "</h1>\n<p>");
    html_escape(&rq->out, json_string_value(json_object_get(p, "detail")));
    buf_puts(&rq->out, "</p>\n<p><a href=\"/#/sign-in\">Back to sign-in</a></p></main></body></html>\n");
    json_decref(p);
    rq->content_type = "text/html; charset=utf-8";
    return status;
}

static int callback(sy_request *rq)
{
    const oidc_settings *s = oidc_get();
    int status = unusable(rq);
    if (status)
        return status;
    if (!rq->address)
        rq->address = "";
    char state[64], code[1024], error[64], cookie[64], next[256], why[256];
    if (query_get(rq->query, "error", error, sizeof error) == 1) {
        snprintf(why, sizeof why, "The identity provider did not sign you in (%s).",
                 only(error, "_-") ? error : "error");
        return refuse(rq, 403, NULL, 0, why);
    }
    if (query_get(rq->query, "state", state, sizeof state) != 1)
        return problem_param(rq, "state", "is missing or too long: start the sign-in again");
    if (query_get(rq->query, "code", code, sizeof code) != 1 || !code[0])
        return problem_param(rq, "code", "is missing or too long: start the sign-in again");
    const char *cookies = req_header(rq, "Cookie");
    if (!cookies || auth_cookie_value(cookies, SSO_COOKIE, cookie, sizeof cookie) != 0 ||
        strlen(cookie) != strlen(state) || sodium_memcmp(cookie, state, strlen(state)) != 0)
        return refuse(rq, 400, NULL, 0, "The sign-in state does not match this browser's; "
                                        "start the sign-in again.");
    json_t *claims = NULL;
    int rc = oidc_finish(state, code, clock_now(), &claims, next, sizeof next, why, sizeof why);
    if (rc != OIDC_OK) {
        return refuse(rq, rc == OIDC_BAD_STATE ? 400 : rc == OIDC_UPSTREAM ? 502 : 403, NULL, 0,
                      why);
    }
    status = sign_in(rq, s, claims, next);
    json_decref(claims);
    return status;
}

int sso_callback(sy_request *rq)
{
    return as_page(rq, callback(rq));
}
