/* fuzz_idtoken.c - single sign-on's parsers of untrusted text: the ID
 * token check (sso/idtoken.c) and the claims' meaning (sso/claims.c).
 *
 * Input: a mode byte, then text. Mode 0: the text is an ID token, checked
 * against a fixed JWK Set (one RSA and one P-256 key, public halves only).
 * Mode 1: the text is a role map. Mode 2: the text is a claims object.
 *
 * Properties: no input passes the check (nobody here holds the private
 * keys); a refusal leaves no claims and a terminated reason; a parsed role
 * map has at most ROLE_MAP_MAX entries, each with a non-empty group and a
 * user role; the role of any claims is a mapped role or the fallback; a
 * user name from any claims is a valid one. */
#include <stdint.h>

#include "fuzz.h"
#include "sso/claims.h"
#include "sso/idtoken.h"

static const char JWKS[] =
    "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"rb7P_3jaF898R3Fz8oFh90K4IDn6oleX5t"
    "wz0MED-rjqeqBZQAMsxLyhTj_ysqRqakHutiwQ7FO4vBV_skKggm44AwIofT2BjZSLllWz"
    "AYhAU2dQmsh1NZlaz9UEo902umKrK16oOI1tuahHflcOxbIKS2kARjn1ZiCKQjqGgSHppo"
    "jPdmM4so2Z5J5skE_MYFteSJ39nZ0xDaXNHf-Q5dKqECFhkR51b9Bm6epZnSNjgXBP3X_h"
    "RAGT_qzJILAQX6oPqqrKEZy0xuYnCiqgL0vTi-mof3pOhPETvkxSkPu7stmbLFBap4VG2Y"
    "6qt99igrbKailnEVSZG-_dWmPkYw\",\"e\":\"AQAB\",\"kid\":\"r1\"},{\"kty\""
    ":\"EC\",\"x\":\"4obiNt5KYtOPG5fF26fs57yIfl7EHIm7eJXkWqWmJg4\",\"y\":\""
    "_mhVwEMkPlPgS5xD7vTWjEdQir1cE0hs0IZ9Wfs-mss\",\"crv\":\"P-256\",\"kid"
    "\":\"e1\"}]}";

static json_t *keys;

static void check_token(const char *text)
{
    if (!keys)
        keys = json_loads(JWKS, 0, NULL);
    FUZZ_CHECK(keys != NULL);
    idtoken_expect ex = {"https://idp.example.com", "switchyard", "nonce", 1800000000, 120};
    json_t *claims = (json_t *)1;
    char why[256];
    why[0] = 'x';
    int rc = idtoken_verify(text, keys, &ex, &claims, why, sizeof why);
    FUZZ_CHECK(rc == IDT_INVALID || rc == IDT_UNKNOWN_KID);
    FUZZ_CHECK(claims == NULL);
    FUZZ_CHECK(memchr(why, '\0', sizeof why) != NULL && why[0] != '\0');
}

static void check_map(const char *text)
{
    role_map m;
    char why[256];
    if (role_map_parse(text, &m, why, sizeof why) != 0) {
        FUZZ_CHECK(memchr(why, '\0', sizeof why) != NULL);
        return;
    }
    FUZZ_CHECK(m.n >= 0 && m.n <= ROLE_MAP_MAX);
    for (int i = 0; i < m.n; i++) {
        FUZZ_CHECK(m.items[i].group[0] != '\0');
        FUZZ_CHECK(role_name(m.items[i].role) != NULL && m.items[i].role >= ROLE_VIEWER);
    }
}

static void check_claims(const char *text)
{
    json_t *c = json_loads(text, 0, NULL);
    if (!c)
        return;
    role_map m;
    char why[256];
    FUZZ_CHECK(role_map_parse("a=admin,b=viewer,c=auditor", &m, why, sizeof why) == 0);
    sy_role r = claims_role(&m, c, "groups", ROLE_UNSET);
    FUZZ_CHECK(r == ROLE_UNSET || r == ROLE_ADMIN || r == ROLE_VIEWER || r == ROLE_AUDITOR);
    FUZZ_CHECK(claims_role(&m, c, "a.b.c", ROLE_ARCHITECT) != ROLE_UNSET);
    const char *name = claims_user_name(c, "preferred_username");
    FUZZ_CHECK(name == NULL || user_name_valid(name));
    json_decref(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *text = fuzz_cstr(data + 1, size - 1);
    switch (data[0] % 3) {
    case 0: check_token(text); break;
    case 1: check_map(text); break;
    default: check_claims(text); break;
    }
    free(text);
    return 0;
}
