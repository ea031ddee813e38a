/* fuzz_pg_sql.c - the PostgreSQL parameter rewriter (store/pg_sql.c).
 *
 * Input: SQL text (up to the first NUL).
 *
 * Properties: the output has exactly the input's length and is terminated;
 * it differs from the input only where a ? became a $ followed by a digit;
 * the numbers after those $ are 1..PG_MAX_PARAMS, the highest is the
 * returned top and `used` marks exactly them; a refusal gives a reason.
 * Running twice gives the same answer (no hidden state). */
#include <stdint.h>

#include "fuzz.h"
#include "store/pg_sql.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *sql = fuzz_cstr(data, size);
    size_t len = strlen(sql);
    char *out = malloc(len + 1), *again = malloc(len + 1);
    unsigned char *used = calloc(PG_MAX_PARAMS, 1), *seen = calloc(PG_MAX_PARAMS, 1);
    unsigned char *used2 = calloc(PG_MAX_PARAMS, 1);
    FUZZ_CHECK(out && again && used && seen && used2);
    const char *why = NULL, *why2 = NULL;
    int top = pg_sql_rewrite(sql, out, used, &why);
    int top2 = pg_sql_rewrite(sql, again, used2, &why2);
    FUZZ_CHECK(top == top2);
    FUZZ_CHECK(top >= -1 && top <= PG_MAX_PARAMS);
    if (top < 0) {
        FUZZ_CHECK(why != NULL && why2 != NULL && strcmp(why, why2) == 0);
    } else {
        FUZZ_CHECK(out[len] == '\0' && strlen(out) == len);
        FUZZ_CHECK(memcmp(out, again, len) == 0);
        FUZZ_CHECK(memcmp(used, used2, PG_MAX_PARAMS) == 0);
        long highest = 0;
        for (size_t i = 0; i < len; i++) {
            if (out[i] == sql[i])
                continue;
            /* The only change: ?N -> $N. */
            FUZZ_CHECK(sql[i] == '?' && out[i] == '$');
            FUZZ_CHECK(i + 1 < len && is_digit(out[i + 1]));
            long n = 0;
            for (size_t k = i + 1; k < len && is_digit(out[k]); k++) {
                n = n * 10 + (out[k] - '0');
                FUZZ_CHECK(n <= PG_MAX_PARAMS);
            }
            FUZZ_CHECK(n >= 1);
            seen[n - 1] = 1;
            if (n > highest)
                highest = n;
        }
        FUZZ_CHECK(highest == top);
        FUZZ_CHECK(memcmp(used, seen, PG_MAX_PARAMS) == 0);
    }
    free(used2);
    free(seen);
    free(used);
    free(again);
    free(out);
    free(sql);
    return 0;
}
