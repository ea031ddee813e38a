/* idtoken.h - checks an OpenID Connect ID token (a compact JWS): its
 * signature against the provider's JWK Set (RS256 or ES256 only; "none",
 * HMAC and every other algorithm are refused), then iss, aud (and azp),
 * exp, iat, nbf with a small leeway, sub and nonce (OpenID Connect Core
 * 1.0, 3.1.3.7). Pure: the keys, the expectations and "now" are
 * arguments, so unit tests drive it with keys they make. Signatures are
 * checked by OpenSSL, JSON read by jansson, base64url by libsodium. */
#ifndef SY_IDTOKEN_H
#define SY_IDTOKEN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct idtoken_expect {
    const char *issuer;        /* iss must be exactly this */
    const char *client_id;     /* aud must hold it (and azp, when present, be it) */
    const char *nonce;         /* nonce must be exactly this */
    int64_t now;               /* seconds since 1970 (the server's clock) */
    int64_t leeway;            /* clock skew allowed on exp, iat, nbf, seconds */
} idtoken_expect;

enum {
    IDT_OK = 0,
    IDT_UNKNOWN_KID = 1,       /* no key in the set fits: refetch the set, try again */
    IDT_INVALID = 2            /* refused; why says what */
};

/* The largest token accepted, in characters. */
#define IDTOKEN_MAX 16384

/* Checks jwt against jwks ({"keys": [...]}) and ex. IDT_OK with *claims
 * set to the payload (a new reference the caller frees), or another code
 * with why filled and *claims NULL. */
int idtoken_verify(const char *jwt, const json_t *jwks, const idtoken_expect *ex,
                   json_t **claims, char *why, size_t size);

#endif
