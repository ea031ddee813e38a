/* idtoken.c - ID token checks (see idtoken.h). The key is built from the
 * JWK with OpenSSL 3's EVP_PKEY_fromdata (RSA n/e, EC P-256 x/y), the
 * signature verified with EVP_DigestVerify over "header.payload"; an ES256
 * signature (raw r||s, RFC 7518 3.4) is turned into DER first. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sso/idtoken.h"

#define RSA_MIN_BITS 2048

static int fail(char *why, size_t size, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return code;
}

/* base64url without padding into a new buffer (NUL-terminated); NULL if
 * malformed. */
static unsigned char *b64url(const char *s, size_t n, size_t *out_len)
{
    unsigned char *bin = malloc(n + 1);
    if (!bin)
        return NULL;
    if (sodium_base642bin(bin, n, s, n, NULL, out_len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
        free(bin);
        return NULL;
    }
    bin[*out_len] = '\0';
    return bin;
}

static json_t *b64url_json(const char *s, size_t n)
{
    size_t len;
    unsigned char *bin = b64url(s, n, &len);
    if (!bin)
        return NULL;
    json_t *j = json_loadb((const char *)bin, len, JSON_REJECT_DUPLICATES, NULL);
    free(bin);
    if (j && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* A JWK member decoded from base64url into a big number. */
static BIGNUM *jwk_bn(const json_t *jwk, const char *name)
{
    const char *v = json_string_value(json_object_get(jwk, name));
    if (!v)
        return NULL;
    size_t len;
    unsigned char *bin = b64url(v, strlen(v), &len);
    if (!bin)
        return NULL;
    BIGNUM *bn = len ? BN_bin2bn(bin, (int)len, NULL) : NULL;
    free(bin);
    return bn;
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1)
        (void)EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *rsa_key(const json_t *jwk)
{
    BIGNUM *n = jwk_bn(jwk, "n"), *e = jwk_bn(jwk, "e");
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (n && e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1)
        pkey = from_params("RSA", bld);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    if (pkey && EVP_PKEY_get_bits(pkey) < RSA_MIN_BITS) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

/* P-256 only: the point 04 || x || y, each coordinate 32 bytes. */
static EVP_PKEY *ec_key(const json_t *jwk)
{
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    const char *x = json_string_value(json_object_get(jwk, "x"));
    const char *y = json_string_value(json_object_get(jwk, "y"));
    if (!crv || strcmp(crv, "P-256") != 0 || !x || !y)
        return NULL;
    size_t xl, yl;
    unsigned char *xb = b64url(x, strlen(x), &xl), *yb = b64url(y, strlen(y), &yl);
    EVP_PKEY *pkey = NULL;
    if (xb && yb && xl == 32 && yl == 32) {
        unsigned char point[65];
        point[0] = 0x04;
        memcpy(point + 1, xb, 32);
        memcpy(point + 33, yb, 32);
        OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        if (bld &&
            OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
            OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) == 1)
            pkey = from_params("EC", bld);
        OSSL_PARAM_BLD_free(bld);
    }
    free(xb);
    free(yb);
    return pkey;
}

/* The key of the set that fits alg and kid: kty must match the algorithm,
 * "use" (when present) be "sig", "alg" (when present) be alg. Without a
 * kid in the header, only a set with exactly one such key will do. */
static const json_t *find_key(const json_t *jwks, const char *alg, const char *kid)
{
    const char *kty = strcmp(alg, "RS256") == 0 ? "RSA" : "EC";
    const json_t *keys = json_object_get(jwks, "keys"), *found = NULL;
    size_t i, fits = 0;
    json_t *k;
    json_array_foreach(keys, i, k) {
        const char *t = json_string_value(json_object_get(k, "kty"));
        const char *use = json_string_value(json_object_get(k, "use"));
        const char *kalg = json_string_value(json_object_get(k, "alg"));
        const char *kkid = json_string_value(json_object_get(k, "kid"));
        if (!t || strcmp(t, kty) != 0 || (use && strcmp(use, "sig") != 0) ||
            (kalg && strcmp(kalg, alg) != 0))
            continue;
        if (kid) {
            if (kkid && strcmp(kkid, kid) == 0)
                return k;
        } else {
            found = k;
            fits++;
        }
    }
    return fits == 1 ? found : NULL;
}

/* ES256's raw r||s (64 bytes) as the DER ECDSA-Sig-Value OpenSSL checks. */
static unsigned char *es256_der(const unsigned char *raw, size_t len, size_t *der_len)
{
    if (len != 64)
        return NULL;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, 32, NULL), *s = BN_bin2bn(raw + 32, 32, NULL);
    unsigned char *der = NULL;
    if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
        r = s = NULL; /* owned by sig now */
        int n = i2d_ECDSA_SIG(sig, &der);
        *der_len = n > 0 ? (size_t)n : 0;
        if (n <= 0)
            der = NULL;
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return der;
}

/* 1 when sig verifies over input[0..n) with the key and algorithm. */
static int signature_ok(const char *alg, const json_t *jwk, const char *input, size_t n,
                        const unsigned char *sig, size_t sig_len)
{
    int es = strcmp(alg, "ES256") == 0;
    EVP_PKEY *pkey = es ? ec_key(jwk) : rsa_key(jwk);
    if (!pkey)
        return 0;
    unsigned char *der = NULL;
    if (es) {
        der = es256_der(sig, sig_len, &sig_len);
        sig = der;
    }
    int ok = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (sig && md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1)
        ok = EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)input, n) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    EVP_PKEY_free(pkey);
    return ok;
}

static int str_eq(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

/* 1 if the claim is a number; its value in *v. */
static int number(const json_t *c, const char *name, double *v)
{
    json_t *j = json_object_get(c, name);
    if (!json_is_number(j))
        return 0;
    *v = json_number_value(j);
    return 1;
}

static int check_claims(const json_t *c, const idtoken_expect *ex, char *why, size_t size)
{
    const char *iss = json_string_value(json_object_get(c, "iss"));
    if (!iss || strcmp(iss, ex->issuer) != 0)
        return fail(why, size, IDT_INVALID, "the token's issuer is not the configured one");
    const json_t *aud = json_object_get(c, "aud");
    int has_aud = 0;
    if (json_is_string(aud)) {
        has_aud = strcmp(json_string_value(aud), ex->client_id) == 0;
    } else if (json_is_array(aud)) {
        size_t i;
        json_t *a;
        json_array_foreach(aud, i, a)
            has_aud = has_aud || (json_is_string(a) && strcmp(json_string_value(a), ex->client_id) == 0);
        if (json_array_size(aud) > 1 && !json_object_get(c, "azp"))
            has_aud = 0; /* several audiences: azp must say it is ours */
    }
    const char *azp = json_string_value(json_object_get(c, "azp"));
    if (!has_aud || (json_object_get(c, "azp") && (!azp || strcmp(azp, ex->client_id) != 0)))
        return fail(why, size, IDT_INVALID, "the token is not meant for this client (aud)");
    double exp, iat, nbf;
    if (!number(c, "exp", &exp) || !number(c, "iat", &iat))
        return fail(why, size, IDT_INVALID, "the token lacks exp or iat");
    if ((double)ex->now >= exp + (double)ex->leeway)
        return fail(why, size, IDT_INVALID, "the token has expired (exp)");
    if (iat > (double)(ex->now + ex->leeway))
        return fail(why, size, IDT_INVALID, "the token was issued in the future (iat)");
    if (number(c, "nbf", &nbf) && nbf > (double)(ex->now + ex->leeway))
        return fail(why, size, IDT_INVALID, "the token is not valid yet (nbf)");
    const char *sub = json_string_value(json_object_get(c, "sub"));
    if (!sub || !*sub || strlen(sub) > 255)
        return fail(why, size, IDT_INVALID, "the token has no subject (sub)");
    const char *nonce = json_string_value(json_object_get(c, "nonce"));
    if (!ex->nonce || !nonce || !str_eq(nonce, ex->nonce))
        return fail(why, size, IDT_INVALID, "the token's nonce is not this sign-in's");
    return IDT_OK;
}

/* The header's algorithm and key: IDT_OK with *key set, or a refusal. */
static int pick_key(const json_t *header, const json_t *jwks, const char **alg,
                    const json_t **key, char *why, size_t size)
{
    *alg = json_string_value(json_object_get(header, "alg"));
    if (!*alg || (strcmp(*alg, "RS256") != 0 && strcmp(*alg, "ES256") != 0))
        return fail(why, size, IDT_INVALID, "the token's algorithm %s is not accepted (RS256, ES256)",
                    *alg ? (strlen(*alg) < 16 ? *alg : "(long)") : "(none)");
    if (json_object_get(header, "crit"))
        return fail(why, size, IDT_INVALID, "the token has critical header extensions");
    const json_t *kid = json_object_get(header, "kid");
    if (kid && !json_is_string(kid))
        return fail(why, size, IDT_INVALID, "the token's kid is not a string");
    *key = find_key(jwks, *alg, json_string_value(kid));
    if (!*key)
        return fail(why, size, IDT_UNKNOWN_KID, "no key of the provider's set fits the token's kid");
    return IDT_OK;
}

int idtoken_verify(const char *jwt, const json_t *jwks, const idtoken_expect *ex,
                   json_t **claims, char *why, size_t size)
{
    *claims = NULL;
    size_t n = jwt ? strlen(jwt) : 0;
    if (n == 0 || n > IDTOKEN_MAX)
        return fail(why, size, IDT_INVALID, "the ID token is missing or too long");
    const char *d1 = strchr(jwt, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || strchr(d2 + 1, '.') || d2[1] == '\0')
        return fail(why, size, IDT_INVALID, "the ID token is not a signed JWT (three parts)");
    json_t *header = b64url_json(jwt, (size_t)(d1 - jwt));
    json_t *payload = b64url_json(d1 + 1, (size_t)(d2 - d1 - 1));
    size_t sig_len = 0;
    unsigned char *sig = b64url(d2 + 1, strlen(d2 + 1), &sig_len);
    int code;
    const char *alg = NULL;
    const json_t *key = NULL;
    if (!header || !payload || !sig)
        code = fail(why, size, IDT_INVALID, "the ID token is not well-formed base64url JSON");
    else if ((code = pick_key(header, jwks, &alg, &key, why, size)) != IDT_OK) {
        /* why says which */
    } else if (!signature_ok(alg, key, jwt, (size_t)(d2 - jwt), sig, sig_len))
        code = fail(why, size, IDT_INVALID, "the ID token's signature does not verify");
    else
        code = check_claims(payload, ex, why, size);
    free(sig);
    json_decref(header);
    if (code == IDT_OK)
        *claims = payload;
    else
        json_decref(payload);
    return code;
}
