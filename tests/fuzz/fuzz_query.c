/* fuzz_query.c - the query-string parser (query_next, query_get,
 * url_decode).
 *
 * Input: the query string (NUL-terminated as CivetWeb hands it over).
 *
 * Properties: query_next always advances and stops within the string;
 * decoded names and values fit their buffers, are terminated and hold no
 * NUL; url_decode never writes more than the input length (a byte per
 * input byte at most) and agrees with a plain reference decoder; query_get
 * agrees with a walk of query_next; tiny buffers fail instead of
 * truncating. */
#include <stdint.h>

#include "fuzz.h"
#include "http/query.h"

static int hexv(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reference decoder without a size limit: -1 on bad escapes or NUL. */
static long ref_decode(const char *s, size_t n, char *out)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+')
            c = ' ';
        else if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hexv(s[i + 1]), lo = hexv(s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        out[j++] = c;
    }
    out[j] = '\0';
    return (long)j;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *qs = fuzz_cstr(data, size);
    size_t len = strlen(qs);

    /* url_decode over the whole input, against the reference. */
    char *ref = malloc(len + 1), *out = malloc(len + 2);
    FUZZ_CHECK(ref && out);
    long rn = ref_decode(qs, len, ref);
    int rc = url_decode(qs, len, out, len + 1);
    FUZZ_CHECK(rc == (rn < 0 ? -1 : 0));
    if (rc == 0) {
        FUZZ_CHECK((long)strlen(out) == rn);
        FUZZ_CHECK(memcmp(out, ref, (size_t)rn) == 0);
        /* One byte short of the room it needs: must fail, not truncate. */
        FUZZ_CHECK(url_decode(qs, len, out, (size_t)rn) == -1);
    }
    FUZZ_CHECK(url_decode(qs, len, out, 0) == -1);

    /* Walk every pair with the dispatcher's buffer sizes. */
    const char *cursor = qs;
    char name[64], value[512];
    int pairs = 0, r;
    while ((r = query_next(&cursor, name, sizeof name, value, sizeof value)) != 0) {
        FUZZ_CHECK(r == 1 || r == -1);
        FUZZ_CHECK(cursor >= qs && cursor <= qs + len);
        if (r == -1)
            break;
        FUZZ_CHECK(strlen(name) < sizeof name && strlen(value) < sizeof value);
        FUZZ_CHECK(name[0] != '\0');
        FUZZ_CHECK(++pairs <= (int)len + 1);
    }

    /* query_get agrees with the walk for a few names. */
    static const char *const names[] = {"limit", "offset", "sort", "q", "track", "id", ""};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char got[512];
        int g = query_get(qs, names[k], got, sizeof got);
        FUZZ_CHECK(g == 1 || g == 0 || g == -1);
        /* Expected by walking. */
        const char *c2 = qs;
        int expect = 0;
        char n2[64], v2[512];
        while ((r = query_next(&c2, n2, sizeof n2, v2, sizeof v2)) == 1)
            if (strcmp(n2, names[k]) == 0) {
                expect = 1;
                break;
            }
        if (r == -1)
            expect = -1;
        FUZZ_CHECK(g == expect);
        if (g == 1)
            FUZZ_CHECK(strcmp(got, v2) == 0);
    }
    free(ref);
    free(out);
    free(qs);
    return 0;
}
