/* auth.c - request authentication and CSRF; see auth.h. */
#include "http/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <civetweb.h>

#include "common/log.h"
#include "common/text.h"
#include "core/audit.h"
#include "core/signin.h"

/* Reverse proxies whose forwarding headers are believed (set once at
 * start-up, before any request; read-only afterwards). */
static net_list trusted_proxies;

int auth_set_trusted_proxies(const char *list, char *why, size_t size)
{
    return net_list_parse(list, &trusted_proxies, why, size);
}

/* The client's address and scheme: the peer, or what a trusted proxy says. */
static void resolve_client(sy_request *rq)
{
    if (!rq->address || trusted_proxies.n == 0)
        return;
    char addr[64];
    int https = 0;
    signin_client(&trusted_proxies, rq->address, req_header(rq, "X-Forwarded-For"),
                  req_header(rq, "Forwarded"), req_header(rq, "X-Forwarded-Proto"), addr,
                  sizeof addr, &https);
    const char *copy = arena_strdup(&rq->arena, addr);
    if (copy)
        rq->address = copy;
    rq->forwarded_https = https;
}

int auth_is_https(const sy_request *rq)
{
    return req_is_tls(rq) || rq->forwarded_https;
}

void auth_random_secret(const char *prefix, char *out, size_t size)
{
    unsigned char raw[32];
    char b64[64];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, size, "%s%s", prefix ? prefix : "", b64);
    sodium_memzero(raw, sizeof raw);
}

/* Argon2id at OWASP's recommended cost (19 MiB, 2 passes): libsodium's
 * "interactive" level wants 64 MiB per hash, which alone would exceed the
 * server's memory budget. Hashes are computed one at a time, so a burst of
 * sign-ins costs time, not memory; hashes stored with other parameters
 * still verify (the parameters are part of the hash). */
#define SY_PWHASH_OPS 2
#define SY_PWHASH_MEM (19u * 1024 * 1024)
static pthread_mutex_t pwhash_lock = PTHREAD_MUTEX_INITIALIZER;

int auth_hash_password(const char *password, char out[128])
{
    pthread_mutex_lock(&pwhash_lock);
    int rc = crypto_pwhash_str(out, password, strlen(password), SY_PWHASH_OPS, SY_PWHASH_MEM);
    pthread_mutex_unlock(&pwhash_lock);
    return rc == 0 ? 0 : -1;
}

static int verify_hash(const char *hash, const char *password)
{
    pthread_mutex_lock(&pwhash_lock);
    int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
    pthread_mutex_unlock(&pwhash_lock);
    return rc == 0;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    if (auth_hash_password("switchyard-timing-equaliser", dummy_hash) != 0)
        dummy_hash[0] = '\0';
}

int auth_verify_password(const char *password, const char *hash)
{
    if (!hash) {
        /* Same work as a real check, against a hash made once. */
        pthread_once(&dummy_once, make_dummy);
        if (dummy_hash[0] && verify_hash(dummy_hash, password))
            return 0; /* cannot match: the dummy's password is not a user's */
        return 0;
    }
    return verify_hash(hash, password);
}

/* The value of one cookie from the Cookie header, into out. */
int auth_cookie_value(const char *header, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    for (const char *p = header; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            p += n + 1;
            size_t len = strcspn(p, ";");
            if (len >= size)
                return -1;
            memcpy(out, p, len);
            out[len] = '\0';
            return 0;
        }
        p = strchr(p, ';');
    }
    return -1;
}

static int unauthorized(sy_request *rq, const char *detail)
{
    return problem(rq, 401, NULL, detail);
}

/* Writes `ts` older than a minute? Throttles last-used/last-seen updates so
 * reads do not turn into writes on every request. */
static int minute_changed(const char *stamp, const char *now)
{
    return !stamp || strncmp(stamp, now, 16) != 0;
}

static int identify_token(sy_request *rq, const char *secret)
{
    char hash[AUDIT_HASH_HEX];
    sha256_hex(secret, strlen(secret), hash);
    token_rec t;
    user_rec owner;
    store_err err;
    int code = store_token_by_hash(rq->db, hash, &rq->arena, &t, &owner, &err);
    if (code == ST_NOT_FOUND)
        return unauthorized(rq, "The API token is not valid.");
    if (code != ST_OK)
        return problem_store(rq, &err);
    char now[21];
    clock_now_rfc3339(now);
    if (t.revoked_at)
        return unauthorized(rq, "The API token has been revoked.");
    if (strcmp(t.expires_at, now) < 0)
        return unauthorized(rq, "The API token has expired.");
    if (owner.disabled)
        return unauthorized(rq, "The token's user is disabled.");
    /* A token never carries more than its user holds today, nor a role of
     * another branch: an auditor token of a user made architect reads as a
     * viewer, not as an architect. */
    rq->role = role_meet(role_parse(t.role), role_parse(owner.role));
    if (rq->role == ROLE_UNSET)
        return unauthorized(rq, "The API token is not valid.");
    rq->token_may_create = t.may_create_tokens;
    rq->token_expires = t.expires_at;
    rq->user_id = owner.id;
    rq->user_name = owner.name;
    rq->token_id = t.id;
    char actor[200];
    snprintf(actor, sizeof actor, "token:%lld:%s", (long long)t.id, owner.name);
    rq->actor = arena_strdup(&rq->arena, actor);
    if (minute_changed(t.last_used_at, now) && store_begin_write(rq->db, &err) == ST_OK) {
        store_mark_quiet(rq->db);
        if (store_token_touch(rq->db, t.id, now, &err) != ST_OK ||
            store_commit(rq->db, &err) != ST_OK)
            store_rollback(rq->db);
    }
    return 0;
}

static int identify_session(sy_request *rq, const char *secret)
{
    char hash[AUDIT_HASH_HEX];
    sha256_hex(secret, strlen(secret), hash);
    user_rec u;
    int64_t last_seen, expires;
    store_err err;
    int code = store_session_lookup(rq->db, hash, &rq->arena, &u, &last_seen, &expires, &err);
    if (code == ST_NOT_FOUND)
        return 0; /* a stale cookie is simply no session */
    if (code != ST_OK)
        return problem_store(rq, &err);
    int64_t now = clock_now();
    if (u.disabled || now > expires || now - last_seen > SESSION_IDLE_SECONDS)
        return 0;
    rq->role = role_parse(u.role);
    rq->user_id = u.id;
    rq->user_name = u.name;
    rq->via_cookie = 1;
    copy_str(rq->session_hash, sizeof rq->session_hash, hash);
    char actor[160];
    snprintf(actor, sizeof actor, "user:%s", u.name);
    rq->actor = arena_strdup(&rq->arena, actor);
    if (now - last_seen >= 60 && store_begin_write(rq->db, &err) == ST_OK) {
        store_mark_quiet(rq->db);
        if (store_session_touch(rq->db, hash, now, &err) != ST_OK ||
            store_commit(rq->db, &err) != ST_OK)
            store_rollback(rq->db);
    }
    return 0;
}

int auth_identify(sy_request *rq)
{
    rq->role = ROLE_UNSET;
    rq->actor = "anonymous";
    resolve_client(rq);
    const char *authz = req_header(rq, "Authorization");
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0)
            return unauthorized(rq, "Use Authorization: Bearer <token>.");
        const char *secret = authz + 7;
        while (*secret == ' ')
            secret++;
        if (strlen(secret) > 200 || strncmp(secret, "sy_", 3) != 0)
            return unauthorized(rq, "The API token is not valid.");
        return identify_token(rq, secret);
    }
    const char *cookies = req_header(rq, "Cookie");
    char secret[128];
    if (cookies && auth_cookie_value(cookies, SESSION_COOKIE, secret, sizeof secret) == 0)
        return identify_session(rq, secret);
    return 0;
}

int auth_check_csrf(sy_request *rq)
{
    const char *origin = req_header(rq, "Origin");
    const char *host = req_header(rq, "Host");
    if (origin) {
        /* Origin is scheme://host[:port]; compare the part after "//". */
        const char *o = strstr(origin, "://");
        if (!host || !o || strcasecmp(o + 3, host) != 0)
            return problem(rq, 403, NULL,
                           "The request comes from another site (Origin does not match).");
        return 0;
    }
    if (rq->via_cookie && !req_header(rq, CSRF_HEADER))
        return problem(rq, 403, NULL,
                       "A signed-in browser request that changes data must carry an "
                       "Origin header or the " CSRF_HEADER " header.");
    return 0;
}
