/* test_idtoken.c - ID token checks (sso/idtoken.c) with keys made here by
 * OpenSSL (RSA 2048, RSA 1024, EC P-256) and tokens signed here: good
 * RS256 and ES256 tokens; a bad signature, a changed payload, another key
 * under the same kid; wrong iss, aud, azp; exp, iat and nbf around the
 * leeway; wrong or missing nonce; unknown kid; alg none, HS256 and a
 * missing alg refused; a short RSA key refused. And the claims' meaning
 * (sso/claims.c): the role map, the highest mapped role, dotted claim
 * paths, the user name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "sso/claims.h"
#include "sso/idtoken.h"

#define NOW 1800000000LL
#define ISS "https://idp.example.com/realms/corp"
#define AUD "switchyard"
#define NONCE "n-0S6_WzA2Mj"

static EVP_PKEY *rsa, *rsa_other, *rsa_short, *ec;

static void b64(const unsigned char *bin, size_t n, char *out, size_t size)
{
    sodium_bin2base64(out, size, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void b64_text(const char *s, char *out, size_t size)
{
    b64((const unsigned char *)s, strlen(s), out, size);
}

static void bn_member(json_t *jwk, const char *name, EVP_PKEY *k, const char *param)
{
    BIGNUM *bn = NULL;
    assert_int_equal(EVP_PKEY_get_bn_param(k, param, &bn), 1);
    unsigned char bin[1024];
    char text[1400];
    int n = BN_bn2bin(bn, bin);
    b64(bin, (size_t)n, text, sizeof text);
    json_object_set_new(jwk, name, json_string(text));
    BN_free(bn);
}

/* The public JWK of a key made here. */
static json_t *jwk_of(EVP_PKEY *k, const char *kid)
{
    json_t *jwk = json_object();
    json_object_set_new(jwk, "kid", json_string(kid));
    json_object_set_new(jwk, "use", json_string("sig"));
    if (EVP_PKEY_is_a(k, "RSA")) {
        json_object_set_new(jwk, "kty", json_string("RSA"));
        bn_member(jwk, "n", k, OSSL_PKEY_PARAM_RSA_N);
        bn_member(jwk, "e", k, OSSL_PKEY_PARAM_RSA_E);
    } else {
        unsigned char point[65];
        size_t len = 0;
        char x[64], y[64];
        assert_int_equal(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, point,
                                                         sizeof point, &len), 1);
        assert_int_equal(len, 65);
        b64(point + 1, 32, x, sizeof x);
        b64(point + 33, 32, y, sizeof y);
        json_object_set_new(jwk, "kty", json_string("EC"));
        json_object_set_new(jwk, "crv", json_string("P-256"));
        json_object_set_new(jwk, "x", json_string(x));
        json_object_set_new(jwk, "y", json_string(y));
    }
    return jwk;
}

/* {"keys":[rsa as "r1", ec as "e1", rsa_short as "short"]} */
static json_t *key_set(void)
{
    json_t *keys = json_array();
    json_array_append_new(keys, jwk_of(rsa, "r1"));
    json_array_append_new(keys, jwk_of(ec, "e1"));
    json_array_append_new(keys, jwk_of(rsa_short, "short"));
    json_t *set = json_object();
    json_object_set_new(set, "keys", keys);
    return set;
}

/* A compact JWS of header and payload (JSON texts) signed with k (ES256
 * when k is EC); k NULL leaves the signature "AAAA". */
static char *sign(EVP_PKEY *k, const char *header, const char *payload)
{
    char h[1024], p[2048];
    b64_text(header, h, sizeof h);
    b64_text(payload, p, sizeof p);
    size_t n = strlen(h) + strlen(p) + 2;
    char *input = malloc(n);
    snprintf(input, n, "%s.%s", h, p);
    char sig[1024] = "AAAA";
    if (k) {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        unsigned char raw[1024];
        size_t len = sizeof raw;
        assert_int_equal(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k), 1);
        assert_int_equal(EVP_DigestSign(md, raw, &len, (unsigned char *)input, strlen(input)), 1);
        EVP_MD_CTX_free(md);
        if (EVP_PKEY_is_a(k, "EC")) {
            const unsigned char *der = raw;
            ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &der, (long)len);
            unsigned char rs[64];
            BN_bn2binpad(ECDSA_SIG_get0_r(es), rs, 32);
            BN_bn2binpad(ECDSA_SIG_get0_s(es), rs + 32, 32);
            ECDSA_SIG_free(es);
            b64(rs, 64, sig, sizeof sig);
        } else {
            b64(raw, len, sig, sizeof sig);
        }
    }
    size_t total = strlen(input) + strlen(sig) + 2;
    char *jwt = malloc(total);
    snprintf(jwt, total, "%s.%s", input, sig);
    free(input);
    return jwt;
}

/* Claims with the defaults, and `extra` members replacing or adding. */
static char *claims_text(const char *extra)
{
    json_t *c = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}", "iss", ISS, "sub", "248289761001",
                          "aud", AUD, "exp", (json_int_t)(NOW + 3600), "iat", (json_int_t)NOW,
                          "nonce", NONCE);
    if (extra) {
        json_t *e = json_loads(extra, 0, NULL);
        assert_non_null(e);
        json_object_update(c, e);
        json_decref(e);
    }
    char *text = json_dumps(c, JSON_COMPACT);
    json_decref(c);
    return text;
}

/* Verifies a token with `extra` claims, signed by k under header. */
static int check(EVP_PKEY *k, const char *header, const char *extra, char *why)
{
    char *payload = claims_text(extra);
    char *jwt = sign(k, header, payload);
    json_t *set = key_set(), *claims = NULL;
    idtoken_expect ex = {ISS, AUD, NONCE, NOW, 120};
    int rc = idtoken_verify(jwt, set, &ex, &claims, why, 256);
    if (rc == IDT_OK) {
        assert_string_equal(json_string_value(json_object_get(claims, "sub")), "248289761001");
        json_decref(claims);
    } else {
        assert_null(claims);
    }
    json_decref(set);
    free(jwt);
    free(payload);
    return rc;
}

#define RS "{\"alg\":\"RS256\",\"kid\":\"r1\",\"typ\":\"JWT\"}"
#define ES "{\"alg\":\"ES256\",\"kid\":\"e1\"}"

static int setup(void **state)
{
    (void)state;
    rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    rsa_other = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    rsa_short = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
    ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    return rsa && rsa_other && rsa_short && ec && sodium_init() >= 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(rsa_other);
    EVP_PKEY_free(rsa_short);
    EVP_PKEY_free(ec);
    return 0;
}

static void good_tokens_pass(void **state)
{
    (void)state;
    char why[256];
    assert_int_equal(check(rsa, RS, NULL, why), IDT_OK);
    assert_int_equal(check(ec, ES, NULL, why), IDT_OK);
    /* Several audiences with azp naming us; exp just inside the leeway. */
    assert_int_equal(check(rsa, RS, "{\"aud\":[\"other\",\"switchyard\"],\"azp\":\"switchyard\"}", why), IDT_OK);
    assert_int_equal(check(rsa, RS, "{\"exp\":1799999950}", why), IDT_OK);
    assert_int_equal(check(rsa, RS, "{\"iat\":1800000100,\"nbf\":1800000100}", why), IDT_OK);
    /* No kid: the only key of the algorithm's type fits. */
    assert_int_equal(check(ec, "{\"alg\":\"ES256\"}", NULL, why), IDT_OK);
}

static void bad_signatures_fail(void **state)
{
    (void)state;
    char why[256];
    /* Another key under the kid "r1". */
    assert_int_equal(check(rsa_other, RS, NULL, why), IDT_INVALID);
    assert_string_equal(why, "the ID token's signature does not verify");
    /* The EC key's signature under the RSA header. */
    assert_int_equal(check(ec, RS, NULL, why), IDT_INVALID);
    /* A 1024-bit RSA key is not accepted, even when the signature is right. */
    assert_int_equal(check(rsa_short, "{\"alg\":\"RS256\",\"kid\":\"short\"}", NULL, why), IDT_INVALID);
    /* A changed payload under a good signature. */
    char *payload = claims_text(NULL), *jwt = sign(rsa, RS, payload);
    char *other = claims_text("{\"sub\":\"admin\"}"), *forged = sign(rsa, RS, other);
    const char *sig = strrchr(jwt, '.');
    char *mixed = malloc(strlen(forged) + strlen(sig) + 1);
    size_t head = (size_t)(strrchr(forged, '.') - forged);
    memcpy(mixed, forged, head);
    memcpy(mixed + head, sig, strlen(sig) + 1);
    json_t *set = key_set(), *claims;
    idtoken_expect ex = {ISS, AUD, NONCE, NOW, 120};
    assert_int_equal(idtoken_verify(mixed, set, &ex, &claims, why, sizeof why), IDT_INVALID);
    assert_null(claims);
    assert_int_equal(idtoken_verify(jwt, set, &ex, &claims, why, sizeof why), IDT_OK);
    json_decref(claims);
    json_decref(set);
    free(payload), free(jwt), free(other), free(forged), free(mixed);
}

static void wrong_claims_fail(void **state)
{
    (void)state;
    char why[256];
    assert_int_equal(check(rsa, RS, "{\"iss\":\"https://evil.example.com\"}", why), IDT_INVALID);
    assert_string_equal(why, "the token's issuer is not the configured one");
    assert_int_equal(check(rsa, RS, "{\"aud\":\"another-client\"}", why), IDT_INVALID);
    assert_string_equal(why, "the token is not meant for this client (aud)");
    assert_int_equal(check(rsa, RS, "{\"aud\":[\"switchyard\",\"other\"]}", why), IDT_INVALID);
    assert_int_equal(check(rsa, RS, "{\"azp\":\"other\"}", why), IDT_INVALID);
    assert_int_equal(check(rsa, RS, "{\"exp\":1799999800}", why), IDT_INVALID);
    assert_string_equal(why, "the token has expired (exp)");
    assert_int_equal(check(rsa, RS, "{\"iat\":1800000500}", why), IDT_INVALID);
    assert_string_equal(why, "the token was issued in the future (iat)");
    assert_int_equal(check(rsa, RS, "{\"nbf\":1800000500}", why), IDT_INVALID);
    assert_int_equal(check(rsa, RS, "{\"exp\":\"tomorrow\"}", why), IDT_INVALID);
    assert_int_equal(check(rsa, RS, "{\"nonce\":\"replayed\"}", why), IDT_INVALID);
    assert_string_equal(why, "the token's nonce is not this sign-in's");
    assert_int_equal(check(rsa, RS, "{\"nonce\":null}", why), IDT_INVALID);
    assert_int_equal(check(rsa, RS, "{\"sub\":\"\"}", why), IDT_INVALID);
}

static void unknown_kid_asks_for_the_set_again(void **state)
{
    (void)state;
    char why[256];
    assert_int_equal(check(rsa, "{\"alg\":\"RS256\",\"kid\":\"rotated\"}", NULL, why), IDT_UNKNOWN_KID);
    /* Two RSA keys and no kid: which one is not guessed. */
    assert_int_equal(check(rsa, "{\"alg\":\"RS256\"}", NULL, why), IDT_UNKNOWN_KID);
}

static void other_algorithms_refused(void **state)
{
    (void)state;
    char why[256];
    assert_int_equal(check(NULL, "{\"alg\":\"none\",\"kid\":\"r1\"}", NULL, why), IDT_INVALID);
    assert_string_equal(why, "the token's algorithm none is not accepted (RS256, ES256)");
    assert_int_equal(check(NULL, "{\"alg\":\"HS256\",\"kid\":\"r1\"}", NULL, why), IDT_INVALID);
    assert_int_equal(check(rsa, "{\"kid\":\"r1\"}", NULL, why), IDT_INVALID);
    assert_int_equal(check(rsa, "{\"alg\":\"RS256\",\"kid\":\"r1\",\"crit\":[\"b64\"]}", NULL, why), IDT_INVALID);
    /* An unsigned token in the two-dot form with an empty signature. */
    char h[64], p[512];
    char *payload = claims_text(NULL);
    b64_text("{\"alg\":\"none\"}", h, sizeof h);
    b64_text(payload, p, sizeof p);
    char jwt[700];
    snprintf(jwt, sizeof jwt, "%s.%s.", h, p);
    json_t *set = key_set(), *claims;
    idtoken_expect ex = {ISS, AUD, NONCE, NOW, 120};
    assert_int_equal(idtoken_verify(jwt, set, &ex, &claims, why, sizeof why), IDT_INVALID);
    assert_int_equal(idtoken_verify("a.b", set, &ex, &claims, why, sizeof why), IDT_INVALID);
    assert_int_equal(idtoken_verify("", set, &ex, &claims, why, sizeof why), IDT_INVALID);
    assert_int_equal(idtoken_verify("!!.??.**", set, &ex, &claims, why, sizeof why), IDT_INVALID);
    json_decref(set);
    free(payload);
}

static void role_map_and_claims(void **state)
{
    (void)state;
    role_map m;
    char why[256];
    assert_int_equal(role_map_parse(" sy-admins=admin, sy-arch = architect,cn=Leads=leadership,,", &m, why, sizeof why), 0);
    assert_int_equal(m.n, 3);
    assert_string_equal(m.items[1].group, "sy-arch");
    assert_int_equal(m.items[1].role, ROLE_ARCHITECT);
    assert_string_equal(m.items[2].group, "cn=Leads");
    assert_int_equal(m.items[2].role, ROLE_LEADERSHIP);
    assert_int_equal(role_map_parse("sy-admins=root", &m, why, sizeof why), -1);
    assert_non_null(strstr(why, "root is not a role"));
    assert_int_equal(role_map_parse("just-a-group", &m, why, sizeof why), -1);
    assert_int_equal(role_map_parse("", &m, why, sizeof why), 0);
    assert_int_equal(m.n, 0);

    assert_int_equal(role_map_parse("v=viewer,a=architect,u=auditor,l=leadership,x=admin", &m, why, sizeof why), 0);
    json_t *c = json_loads("{\"groups\":[\"v\",\"a\",\"zzz\"],\"one\":\"u\",\"realm_access\":{\"roles\":[\"l\",\"v\"]},"
                           "\"preferred_username\":\"alice@corp.example\",\"email\":\"a@b.c\",\"bad\":\"a b\"}", 0, NULL);
    assert_int_equal(claims_role(&m, c, "groups", ROLE_UNSET), ROLE_ARCHITECT);
    assert_int_equal(claims_role(&m, c, "one", ROLE_UNSET), ROLE_AUDITOR);
    assert_int_equal(claims_role(&m, c, "realm_access.roles", ROLE_UNSET), ROLE_LEADERSHIP);
    assert_int_equal(claims_role(&m, c, "missing", ROLE_UNSET), ROLE_UNSET);
    assert_int_equal(claims_role(&m, c, "missing", ROLE_VIEWER), ROLE_VIEWER);
    assert_int_equal(claims_role(&m, c, "realm_access..roles", ROLE_UNSET), ROLE_UNSET);
    assert_string_equal(claims_user_name(c, "preferred_username"), "alice@corp.example");
    assert_string_equal(claims_user_name(c, "bad"), "alice@corp.example");
    assert_string_equal(claims_user_name(c, "email"), "a@b.c");
    json_decref(c);
    c = json_loads("{\"preferred_username\":\"has space\"}", 0, NULL);
    assert_null(claims_user_name(c, "preferred_username"));
    json_decref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_tokens_pass),
        cmocka_unit_test(bad_signatures_fail),
        cmocka_unit_test(wrong_claims_fail),
        cmocka_unit_test(unknown_kid_asks_for_the_set_again),
        cmocka_unit_test(other_algorithms_refused),
        cmocka_unit_test(role_map_and_claims),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
