/* auth.h - who is asking: the session cookie or an API token, checked
 * against the store; the CSRF rule for cookie-authenticated changes; and
 * the secrets (session ids, tokens, passwords) themselves. */
#ifndef SY_AUTH_H
#define SY_AUTH_H

#include "http/request.h"

#define SESSION_COOKIE "sy_session"
#define SESSION_IDLE_SECONDS (8 * 3600)
#define SESSION_MAX_SECONDS (7 * 24 * 3600)
#define CSRF_HEADER "X-Switchyard-CSRF"

/* Resolves rq->address behind trusted proxies, then fills rq->role, user and actor from a Bearer token or the session cookie.
 * Returns 0 (signed in or anonymous), or 401 with the problem written when
 * presented credentials are bad (an unknown, expired or revoked token). */
int auth_identify(sy_request *rq);
/* Writes the last-use times the credential cache has collected (tokens'
 * last_used_at, sessions' last_seen), in one bookkeeping transaction: at
 * most once a minute unless forced (before tokens are listed, at
 * shutdown). */
void auth_flush_uses(sy_db *db, int force);

/* Trusted reverse proxies (IP addresses and CIDR ranges, commas or
 * spaces): from these peers X-Forwarded-For / Forwarded name the client's
 * address and X-Forwarded-Proto its scheme. Call once before serving; 0, or
 * -1 with why. */
int auth_set_trusted_proxies(const char *list, char *why, size_t size);
/* 1 if the client reached us over https: TLS here, or a trusted proxy's
 * word (for the session cookie's Secure flag). */
int auth_is_https(const sy_request *rq);

/* For a state-changing request: a present Origin must match the Host, and a
 * cookie-authenticated request without Origin must carry the CSRF header.
 * Returns 0 or 403 with the problem written. */
int auth_check_csrf(sy_request *rq);

/* The value of cookie `name` in a Cookie header, into out: 0, or -1 when
 * absent or longer than size allows. */
int auth_cookie_value(const char *header, const char *name, char *out, size_t size);

/* A new random secret, base64url without padding (43 chars for 32 bytes),
 * with an optional prefix. out must hold prefix + 44 bytes. */
void auth_random_secret(const char *prefix, char *out, size_t size);

/* Argon2id hash of a password (crypto_pwhash_str); 0 or -1. */
int auth_hash_password(const char *password, char out[128]);
/* 1 if password matches hash. With hash NULL, burns the same time and
 * returns 0, so unknown names cannot be told from wrong passwords. */
int auth_verify_password(const char *password, const char *hash);

#endif
