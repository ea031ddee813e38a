/* oidc.c - the authorization code flow with PKCE against the configured
 * provider (see oidc.h): discovery and JWK Set caching, sign-ins under
 * way, and the code exchange. HTTP through libcurl: no redirects followed,
 * 10 s limits, answers capped at 1 MiB. */
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "http/auth.h"
#include "sso/idtoken.h"
#include "sso/oidc.h"

#define MAX_ANSWER (1024 * 1024)
#define DISCOVERY_TTL_MS (3600.0 * 1000)
#define PENDING_MAX 512
#define PENDING_TTL_MS (600.0 * 1000)
#define LEEWAY_SECONDS 120
#define SECRET_LEN 64   /* auth_random_secret's 43 characters fit */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *discovery;     /* the provider's metadata, under lock */
static double discovery_at;
static json_t *jwks;          /* its keys, under lock */

typedef struct pending {
    char state[SECRET_LEN], nonce[SECRET_LEN], verifier[SECRET_LEN];
    char redirect_uri[512], next[256];
    double expires;           /* monotonic ms; 0: free */
} pending;
static pending waiting[PENDING_MAX];

/* ---- HTTP ------------------------------------------------------------------- */

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    buf *b = arg;
    if (b->len + size * n > MAX_ANSWER)
        return 0; /* too big: curl fails the transfer */
    buf_append(b, data, size * n);
    return size * n;
}

/* GET (form NULL) or POST form to url; the JSON object answered and the
 * HTTP status. 0, or -1 with why when nothing usable came back. */
static int http_json(const char *url, const char *form, const char *user, const char *password,
                     json_t **out, long *status, char *why, size_t size)
{
    *out = NULL;
    *status = 0;
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(why, size, "cannot start an HTTP client");
        return -1;
    }
    buf b;
    buf_init(&b);
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    if (form)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    if (user) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, password);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK || buf_failed(&b)) {
        snprintf(why, size, "cannot reach the identity provider (%s)", curl_easy_strerror(rc));
        buf_free(&b);
        return -1;
    }
    *out = json_loadb(b.data ? b.data : "", b.len, 0, NULL);
    buf_free(&b);
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        snprintf(why, size, "the identity provider answered %ld without a JSON object", *status);
        return -1;
    }
    return 0;
}

/* ---- discovery and keys --------------------------------------------------------- */

static const char *meta(const char *name)
{
    const char *v = json_string_value(json_object_get(discovery, name));
    return v && *v ? v : NULL;
}

static int fetch_jwks(char *why, size_t size)
{
    const char *uri = meta("jwks_uri");
    json_t *set;
    long status;
    if (!uri) {
        snprintf(why, size, "the provider's metadata names no jwks_uri");
        return -1;
    }
    if (http_json(uri, NULL, NULL, NULL, &set, &status, why, size) != 0)
        return -1;
    if (status != 200 || !json_is_array(json_object_get(set, "keys"))) {
        json_decref(set);
        snprintf(why, size, "the provider's key set (%ld) has no keys", status);
        return -1;
    }
    json_decref(jwks);
    jwks = set;
    return 0;
}

/* Under lock: the metadata, fetched when missing or older than an hour
 * (the old copy stays when the provider cannot be reached). */
static int ensure_discovery(char *why, size_t size)
{
    const oidc_settings *s = oidc_get();
    double now = clock_mono_ms();
    if (discovery && now - discovery_at < DISCOVERY_TTL_MS)
        return 0;
    char url[1024];
    size_t n = strlen(s->issuer);
    snprintf(url, sizeof url, "%.*s/.well-known/openid-configuration",
             (int)(n && s->issuer[n - 1] == '/' ? n - 1 : n), s->issuer);
    json_t *d;
    long status;
    if (http_json(url, NULL, NULL, NULL, &d, &status, why, size) != 0)
        return discovery ? 0 : -1;
    const char *iss = json_string_value(json_object_get(d, "issuer"));
    if (status != 200 || !iss || strcmp(iss, s->issuer) != 0) {
        json_decref(d);
        snprintf(why, size, "the provider's discovery document (%ld) is not for issuer %s",
                 status, s->issuer);
        return discovery ? 0 : -1;
    }
    json_decref(discovery);
    discovery = d;
    discovery_at = now;
    if (!meta("authorization_endpoint") || !meta("token_endpoint")) {
        snprintf(why, size, "the provider's metadata lacks its endpoints");
        return -1;
    }
    return jwks ? 0 : fetch_jwks(why, size);
}

/* ---- sign-ins under way ------------------------------------------------------------ */

/* Under lock: a free (or expired, or else the oldest) slot. */
static pending *slot_new(double now)
{
    pending *oldest = &waiting[0];
    for (int i = 0; i < PENDING_MAX; i++) {
        if (waiting[i].expires < now)
            return &waiting[i];
        if (waiting[i].expires < oldest->expires)
            oldest = &waiting[i];
    }
    return oldest;
}

/* Under lock: takes the sign-in of this state out (copied to out). */
static int slot_take(const char *state, pending *out)
{
    double now = clock_mono_ms();
    size_t n = strlen(state);
    if (n == 0 || n >= SECRET_LEN)
        return -1;
    for (int i = 0; i < PENDING_MAX; i++) {
        pending *p = &waiting[i];
        if (p->expires >= now && strlen(p->state) == n && sodium_memcmp(p->state, state, n) == 0) {
            *out = *p;
            sodium_memzero(p, sizeof *p);
            return 0;
        }
    }
    return -1;
}

static void append_param(buf *b, const char *name, const char *value)
{
    char *esc = curl_easy_escape(NULL, value, 0);
    buf_printf(b, "%s%s=%s", b->len ? "&" : "", name, esc ? esc : "");
    curl_free(esc);
}

int oidc_begin(const char *redirect_uri, const char *next, char *url, size_t url_size,
               char state[64], char *why, size_t size)
{
    const oidc_settings *s = oidc_get();
    pending p;
    memset(&p, 0, sizeof p);
    auth_random_secret(NULL, p.state, sizeof p.state);
    auth_random_secret(NULL, p.nonce, sizeof p.nonce);
    auth_random_secret(NULL, p.verifier, sizeof p.verifier);
    snprintf(p.redirect_uri, sizeof p.redirect_uri, "%s", redirect_uri);
    snprintf(p.next, sizeof p.next, "%s", next);
    unsigned char digest[crypto_hash_sha256_BYTES];
    char challenge[64];
    crypto_hash_sha256(digest, (const unsigned char *)p.verifier, strlen(p.verifier));
    sodium_bin2base64(challenge, sizeof challenge, digest, sizeof digest,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);

    pthread_mutex_lock(&lock);
    int code = ensure_discovery(why, size);
    buf q;
    buf_init(&q);
    if (code == 0) {
        append_param(&q, "response_type", "code");
        append_param(&q, "client_id", s->client_id);
        append_param(&q, "redirect_uri", redirect_uri);
        append_param(&q, "scope", s->scopes);
        append_param(&q, "state", p.state);
        append_param(&q, "nonce", p.nonce);
        append_param(&q, "code_challenge", challenge);
        append_param(&q, "code_challenge_method", "S256");
        const char *endpoint = meta("authorization_endpoint");
        int n = snprintf(url, url_size, "%s%c%s", endpoint, strchr(endpoint, '?') ? '&' : '?',
                         q.data ? q.data : "");
        if (buf_failed(&q) || n < 0 || (size_t)n >= url_size) {
            snprintf(why, size, "the authorization URL is too long");
            code = -1;
        }
    }
    if (code == 0) {
        double now = clock_mono_ms();
        p.expires = now + PENDING_TTL_MS;
        *slot_new(now) = p;
    }
    pthread_mutex_unlock(&lock);
    buf_free(&q);
    snprintf(state, 64, "%s", p.state);
    sodium_memzero(&p, sizeof p);
    return code == 0 ? OIDC_OK : OIDC_UPSTREAM;
}

/* Under lock: 1 when the provider takes the secret only in the form body
 * (it lists client_secret_post and not client_secret_basic; without the
 * list, basic is the default, OpenID Connect Discovery 1.0). */
static int secret_in_body(void)
{
    const json_t *methods = json_object_get(discovery, "token_endpoint_auth_methods_supported");
    int basic = 0, post = 0;
    size_t i;
    json_t *m;
    json_array_foreach(methods, i, m) {
        basic = basic || (json_is_string(m) && strcmp(json_string_value(m), "client_secret_basic") == 0);
        post = post || (json_is_string(m) && strcmp(json_string_value(m), "client_secret_post") == 0);
    }
    return post && !basic;
}

/* The code for the tokens; the ID token's text into a new string. */
static int exchange(const pending *p, const char *code, char **id_token, char *why, size_t size)
{
    const oidc_settings *s = oidc_get();
    pthread_mutex_lock(&lock);
    int ok = ensure_discovery(why, size) == 0;
    char endpoint[1024];
    const char *token_endpoint = ok ? meta("token_endpoint") : NULL;
    snprintf(endpoint, sizeof endpoint, "%s", token_endpoint ? token_endpoint : "");
    int in_body = ok && secret_in_body();
    pthread_mutex_unlock(&lock);
    if (!ok)
        return OIDC_UPSTREAM;
    buf form;
    buf_init(&form);
    append_param(&form, "grant_type", "authorization_code");
    append_param(&form, "code", code);
    append_param(&form, "redirect_uri", p->redirect_uri);
    append_param(&form, "code_verifier", p->verifier);
    char *user = NULL, *password = NULL;
    if (in_body) { /* client_secret_post */
        append_param(&form, "client_id", s->client_id);
        append_param(&form, "client_secret", s->client_secret);
    } else { /* client_secret_basic: both form-encoded first (RFC 6749 2.3.1) */
        user = curl_easy_escape(NULL, s->client_id, 0);
        password = curl_easy_escape(NULL, s->client_secret, 0);
    }
    json_t *answer = NULL;
    long status = 0;
    int rc = buf_failed(&form) || (!in_body && (!user || !password))
                 ? -1
                 : http_json(endpoint, form.data, user, password, &answer, &status, why, size);
    curl_free(user);
    curl_free(password);
    if (form.data)
        sodium_memzero(form.data, form.len); /* it may hold the secret */
    buf_free(&form);
    if (rc != 0)
        return OIDC_UPSTREAM;
    const char *text = json_string_value(json_object_get(answer, "id_token"));
    int result = OIDC_OK;
    if (status != 200) {
        const char *error = json_string_value(json_object_get(answer, "error"));
        snprintf(why, size, "the identity provider refused the sign-in code (%s)",
                 error && strlen(error) < 64 ? error : "no reason given");
        result = status >= 500 ? OIDC_UPSTREAM : OIDC_REFUSED;
    } else if (!text) {
        snprintf(why, size, "the identity provider sent no ID token");
        result = OIDC_UPSTREAM;
    } else if (!(*id_token = strdup(text))) {
        snprintf(why, size, "out of memory");
        result = OIDC_UPSTREAM;
    }
    json_decref(answer);
    return result;
}

/* Checks the token; fetches the key set again once when a key is unknown
 * (the provider rotated its keys). */
static int check_token(const char *token, const pending *p, int64_t now, json_t **claims,
                       char *why, size_t size)
{
    const oidc_settings *s = oidc_get();
    idtoken_expect ex = {s->issuer, s->client_id, p->nonce, now, LEEWAY_SECONDS};
    pthread_mutex_lock(&lock);
    int code = idtoken_verify(token, jwks, &ex, claims, why, size);
    if (code == IDT_UNKNOWN_KID) {
        char fetch_why[256];
        if (fetch_jwks(fetch_why, sizeof fetch_why) == 0)
            code = idtoken_verify(token, jwks, &ex, claims, why, size);
    }
    pthread_mutex_unlock(&lock);
    return code == IDT_OK ? OIDC_OK : OIDC_REFUSED;
}

int oidc_finish(const char *state, const char *code, int64_t now, json_t **claims,
                char *next, size_t next_size, char *why, size_t size)
{
    *claims = NULL;
    pending p;
    pthread_mutex_lock(&lock);
    int found = slot_take(state, &p) == 0;
    pthread_mutex_unlock(&lock);
    if (!found) {
        snprintf(why, size, "This sign-in is unknown, used or older than ten minutes; "
                            "start again.");
        return OIDC_BAD_STATE;
    }
    snprintf(next, next_size, "%s", p.next);
    char *token = NULL;
    int result = exchange(&p, code, &token, why, size);
    if (result == OIDC_OK)
        result = check_token(token, &p, now, claims, why, size);
    free(token);
    sodium_memzero(&p, sizeof p);
    return result;
}
