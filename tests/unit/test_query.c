/* test_query.c - query-string parsing (http/query.c): query_next, query_get
 * and url_decode, including every malformed input that must be rejected
 * rather than truncated or passed through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "http/query.h"

/* ---- url_decode ----------------------------------------------------------- */

static int decode(const char *src, char *out, size_t size)
{
    return url_decode(src, strlen(src), out, size);
}

static void decode_plain_and_plus(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(decode("hello", out, sizeof out), 0);
    assert_string_equal(out, "hello");
    assert_int_equal(decode("a+b++c", out, sizeof out), 0);
    assert_string_equal(out, "a b  c");
    assert_int_equal(decode("", out, sizeof out), 0);
    assert_string_equal(out, "");
    /* Only n bytes are read, not up to the NUL. */
    assert_int_equal(url_decode("abcdef", 3, out, sizeof out), 0);
    assert_string_equal(out, "abc");
}

static void decode_percent_escapes(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(decode("%41%42%43", out, sizeof out), 0);
    assert_string_equal(out, "ABC");
    assert_int_equal(decode("%2f%2F", out, sizeof out), 0);   /* lower and upper hex */
    assert_string_equal(out, "//");
    assert_int_equal(decode("a%20b", out, sizeof out), 0);
    assert_string_equal(out, "a b");
    assert_int_equal(decode("%2B", out, sizeof out), 0);      /* an escaped plus stays a plus */
    assert_string_equal(out, "+");
    assert_int_equal(decode("%25", out, sizeof out), 0);
    assert_string_equal(out, "%");
    assert_int_equal(decode("%26%3D", out, sizeof out), 0);
    assert_string_equal(out, "&=");
    /* UTF-8 "é" = C3 A9, at the end of the input. */
    assert_int_equal(decode("caf%C3%a9", out, sizeof out), 0);
    assert_string_equal(out, "caf\xc3\xa9");
    assert_int_equal(decode("%ff", out, sizeof out), 0);
    assert_int_equal((unsigned char)out[0], 0xff);
    assert_int_equal(out[1], '\0');
}

static void decode_rejects_bad_escapes(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(decode("%G1", out, sizeof out), -1);
    assert_int_equal(decode("%1G", out, sizeof out), -1);
    assert_int_equal(decode("%g1", out, sizeof out), -1);
    assert_int_equal(decode("abc%", out, sizeof out), -1);    /* trailing % */
    assert_int_equal(decode("%2", out, sizeof out), -1);      /* one hex digit */
    assert_int_equal(decode("x%2", out, sizeof out), -1);
    assert_int_equal(decode("%", out, sizeof out), -1);
    assert_int_equal(decode("% 1", out, sizeof out), -1);
    assert_int_equal(decode("%-1", out, sizeof out), -1);
    /* The escape must lie within n, even if the bytes after n look valid. */
    assert_int_equal(url_decode("a%41", 3, out, sizeof out), -1);
}

static void decode_rejects_nul(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(decode("%00", out, sizeof out), -1);
    assert_int_equal(decode("abc%00def", out, sizeof out), -1);
    assert_int_equal(decode("%01", out, sizeof out), 0);      /* other bytes are fine */
    assert_int_equal(out[0], 1);
}

static void decode_rejects_what_does_not_fit(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'x', sizeof out);
    /* 3 characters + NUL fit in 4 bytes; 4 characters do not. */
    assert_int_equal(decode("abc", out, 4), 0);
    assert_string_equal(out, "abc");
    assert_int_equal(decode("abcd", out, 4), -1);
    /* The size counts decoded bytes: "%41%42%43" decodes to 3 bytes. */
    assert_int_equal(decode("%41%42%43", out, 4), 0);
    assert_string_equal(out, "ABC");
    assert_int_equal(decode("%41%42%43%44", out, 4), -1);
    assert_int_equal(decode("", out, 1), 0);
    assert_string_equal(out, "");
    assert_int_equal(decode("a", out, 1), -1);
    assert_int_equal(decode("", out, 0), -1);
}

/* ---- query_next ----------------------------------------------------------- */

static void next_walks_pairs(void **state)
{
    (void)state;
    char n[16], v[16];
    const char *c = "a=1&bb=two&c=";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "a");
    assert_string_equal(v, "1");
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "bb");
    assert_string_equal(v, "two");
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "c");
    assert_string_equal(v, "");                     /* empty value */
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 0);
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 0); /* stays at end */
}

static void next_name_without_equals(void **state)
{
    (void)state;
    char n[16], v[16];
    const char *c = "flag&x=1";
    memset(v, 'z', sizeof v);
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "flag");
    assert_string_equal(v, "");
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "x");
    assert_string_equal(v, "1");
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 0);
}

static void next_skips_repeated_ampersands(void **state)
{
    (void)state;
    char n[16], v[16];
    const char *c = "&&a=1&&&b=2&&";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "a");
    assert_string_equal(v, "1");
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "b");
    assert_string_equal(v, "2");
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 0);

    const char *only = "&&&";
    assert_int_equal(query_next(&only, n, sizeof n, v, sizeof v), 0);
    const char *empty = "";
    assert_int_equal(query_next(&empty, n, sizeof n, v, sizeof v), 0);
    const char *null = NULL;
    assert_int_equal(query_next(&null, n, sizeof n, v, sizeof v), 0);
}

static void next_decodes_names_and_values(void **state)
{
    (void)state;
    char n[16], v[32];
    const char *c = "q=hello+world%21&my%20key=a%3Db%26c&x=1=2";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "q");
    assert_string_equal(v, "hello world!");
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "my key");
    assert_string_equal(v, "a=b&c");
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "x");
    assert_string_equal(v, "1=2");                  /* only the first '=' splits */
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 0);
}

static void next_rejects_malformed_pairs(void **state)
{
    (void)state;
    char n[16], v[8];
    const char *c;

    c = "=value";                                   /* no name */
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    c = "=";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    c = "a=%G1";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    c = "a=%";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    c = "a=%2";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    c = "a=x%00y";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    c = "a%00=1";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    c = "%zz=1";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    /* v holds 7 characters; 8 is rejected, not truncated. */
    c = "a=1234567";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(v, "1234567");
    c = "a=12345678";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    /* Likewise for the name (n holds 15 characters). */
    c = "abcdefghijklmnop=1";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    /* A name without '=' needs room for the empty value too. */
    c = "flag";
    assert_int_equal(query_next(&c, n, sizeof n, v, 0), -1);
}

static void next_moves_past_a_malformed_pair(void **state)
{
    (void)state;
    char n[16], v[16];
    const char *c = "=x&b=2";
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), -1);
    assert_string_equal(c, "&b=2");
    assert_int_equal(query_next(&c, n, sizeof n, v, sizeof v), 1);
    assert_string_equal(n, "b");
    assert_string_equal(v, "2");
}

/* ---- query_get ------------------------------------------------------------ */

static void get_finds_first_value(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(query_get("a=1&b=2&a=3", "a", out, sizeof out), 1);
    assert_string_equal(out, "1");
    assert_int_equal(query_get("a=1&b=2&a=3", "b", out, sizeof out), 1);
    assert_string_equal(out, "2");
    assert_int_equal(query_get("a=1&b=2", "c", out, sizeof out), 0);
    assert_int_equal(query_get("", "a", out, sizeof out), 0);
    assert_int_equal(query_get("flag", "flag", out, sizeof out), 1);
    assert_string_equal(out, "");
    assert_int_equal(query_get("x=1&q=a+b%2Bc", "q", out, sizeof out), 1);
    assert_string_equal(out, "a b+c");
    /* Names match exactly after decoding, not by prefix. */
    assert_int_equal(query_get("ab=1&a%62=2", "a", out, sizeof out), 0);
    assert_int_equal(query_get("abc=1&a%62=2", "ab", out, sizeof out), 1);
    assert_string_equal(out, "2");
}

static void get_reports_malformed(void **state)
{
    (void)state;
    char out[4];
    assert_int_equal(query_get("=1&a=2", "a", out, sizeof out), -1);
    assert_int_equal(query_get("a=%G1", "a", out, sizeof out), -1);
    assert_int_equal(query_get("a=toolong", "a", out, sizeof out), -1);
    assert_int_equal(query_get("a=%00", "a", out, sizeof out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_plain_and_plus),
        cmocka_unit_test(decode_percent_escapes),
        cmocka_unit_test(decode_rejects_bad_escapes),
        cmocka_unit_test(decode_rejects_nul),
        cmocka_unit_test(decode_rejects_what_does_not_fit),
        cmocka_unit_test(next_walks_pairs),
        cmocka_unit_test(next_name_without_equals),
        cmocka_unit_test(next_skips_repeated_ampersands),
        cmocka_unit_test(next_decodes_names_and_values),
        cmocka_unit_test(next_rejects_malformed_pairs),
        cmocka_unit_test(next_moves_past_a_malformed_pair),
        cmocka_unit_test(get_finds_first_value),
        cmocka_unit_test(get_reports_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
