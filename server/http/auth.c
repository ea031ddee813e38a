/* auth.c - request authentication and CSRF; see auth.h. */
#include "http/auth.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <civetweb.h>

#include "common/log.h"
#include "http/authcache.h"
#include "http/metrics.h"
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

/* Uses recorded by the credential cache reach the database at most once
 * a minute per process, in one bookkeeping transaction. */
#define FLUSH_SECONDS 60
static _Atomic int64_t last_flush;

void auth_flush_uses(sy_db *db, int force)
{
    int64_t now = clock_now();
    int64_t seen = last_flush;
    if (!force && now - seen < FLUSH_SECONDS)
        return;
    /* One flusher at a time; the others go on serving. */
    if (!atomic_compare_exchange_strong(&last_flush, &seen, now))
        return;
    ac_due due[64];
    size_t n;
    while ((n = authcache_take_due(due, sizeof due / sizeof due[0])) > 0) {
        store_err err;
        if (store_begin_write(db, &err) != ST_OK)
            return;
        store_mark_quiet(db);
        int code = ST_OK;
        for (size_t i = 0; code == ST_OK && i < n; i++) {
            if (due[i].kind == AC_TOKEN) {
                char at[21];
                instant_format(due[i].used, at);
                code = store_token_touch(db, due[i].token_id, at, &err);
            } else {
                code = store_session_touch(db, due[i].session_hash, due[i].used, &err);
            }
        }
        if (code != ST_OK || store_commit(db, &err) != ST_OK) {
            store_rollback(db);
            log_msg(LOG_WARN, "auth: last-use times not written: %s", err.detail);
            return;
        }
    }
}

/* Fills the request's identity from a verified credential. */
static void admit_token(sy_request *rq, const ac_cred *c)
{
    rq->role = c->role;
    rq->token_may_create = c->may_create;
    rq->token_expires = arena_strdup(&rq->arena, c->expires_at);
    rq->user_id = c->user_id;
    rq->user_name = arena_strdup(&rq->arena, c->user_name);
    rq->token_id = c->token_id;
    char actor[200];
    snprintf(actor, sizeof actor, "token:%lld:%s", (long long)c->token_id, c->user_name);
    rq->actor = arena_strdup(&rq->arena, actor);
}

static void admit_session(sy_request *rq, const ac_cred *c)
{
    rq->role = c->role;
    rq->user_id = c->user_id;
    rq->user_name = arena_strdup(&rq->arena, c->user_name);
    rq->via_cookie = 1;
    copy_str(rq->session_hash, sizeof rq->session_hash, c->session_hash);
    char actor[160];
    snprintf(actor, sizeof actor, "user:%s", c->user_name);
    rq->actor = arena_strdup(&rq->arena, actor);
}

/* The generation a credential is checked at, or 0 when the store cannot
 * tell every change (no caching then). Read before the database is, so
 * that a change committed in between makes the entry stale, never the
 * other way round. */
static uint64_t cache_generation(sy_request *rq)
{
    return store_sees_all_writes(rq->db) ? store_auth_generation(rq->db) : 0;
}

static int identify_token(sy_request *rq, const char *secret)
{
    uint64_t gen = cache_generation(rq);
    ac_cred c;
    int64_t now_s = clock_now();
    if (gen && authcache_get(AC_TOKEN, secret, gen, now_s, &c) && c.expires > now_s) {
        admit_token(rq, &c);
        auth_flush_uses(rq->db, 0);
        return 0;
    }
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
    memset(&c, 0, sizeof c);
    c.role = role_meet(role_parse(t.role), role_parse(owner.role));
    if (c.role == ROLE_UNSET)
        return unauthorized(rq, "The API token is not valid.");
    c.user_id = owner.id;
    c.token_id = t.id;
    c.may_create = t.may_create_tokens;
    copy_str(c.expires_at, sizeof c.expires_at, t.expires_at);
    copy_str(c.user_name, sizeof c.user_name, owner.name);
    int64_t expires = 0, used = 0;
    int exact = instant_parse(t.expires_at, &expires) == 0 &&
                strlen(owner.name) < sizeof c.user_name;
    c.expires = expires;
    admit_token(rq, &c);
    int touch = minute_changed(t.last_used_at, now);
    if (touch && store_begin_write(rq->db, &err) == ST_OK) {
        store_mark_quiet(rq->db);
        if (store_token_touch(rq->db, t.id, now, &err) != ST_OK ||
            store_commit(rq->db, &err) != ST_OK)
            store_rollback(rq->db);
    }
    if (touch || !t.last_used_at || instant_parse(t.last_used_at, &used) != 0)
        used = now_s;
    c.last_seen = used;
    if (gen && exact)
        authcache_put(AC_TOKEN, secret, gen, &c, used);
    return 0;
}

static int identify_session(sy_request *rq, const char *secret)
{
    uint64_t gen = cache_generation(rq);
    ac_cred c;
    int64_t now = clock_now();
    if (gen && authcache_get(AC_SESSION, secret, gen, now, &c) && now <= c.expires &&
        now - c.last_seen <= SESSION_IDLE_SECONDS) {
        admit_session(rq, &c);
        auth_flush_uses(rq->db, 0);
        return 0;
    }
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
    if (u.disabled || now > expires || now - last_seen > SESSION_IDLE_SECONDS)
        return 0;
    memset(&c, 0, sizeof c);
    c.role = role_parse(u.role);
    c.user_id = u.id;
    c.expires = expires;
    copy_str(c.user_name, sizeof c.user_name, u.name);
    copy_str(c.session_hash, sizeof c.session_hash, hash);
    admit_session(rq, &c);
    int touch = now - last_seen >= 60;
    if (touch && store_begin_write(rq->db, &err) == ST_OK) {
        store_mark_quiet(rq->db);
        if (store_session_touch(rq->db, hash, now, &err) != ST_OK ||
            store_commit(rq->db, &err) != ST_OK)
            store_rollback(rq->db);
    }
    c.last_seen = touch ? now : last_seen;
    if (gen && strlen(u.name) < sizeof c.user_name)
        authcache_put(AC_SESSION, secret, gen, &c, c.last_seen);
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
        if (metrics_is_scrape_token(secret)) {
            rq->scrape = 1; /* no role: good for RF_SCRAPE routes alone */
            return 0;
        }
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
