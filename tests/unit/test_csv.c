/* test_csv.c - RFC 4180 writing and formula neutralising (core/csv.c):
 * quoting only when needed, doubled quotes, CRLF record ends, UTF-8 passed
 * through, and each OWASP formula prefix (= + - @ | tab CR, their fullwidth
 * forms, and any of them after leading blanks) neutralised with a single
 * quote. Expected bytes are written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"

/* The bytes one field produces on its own. */
static void expect_field(const char *in, const char *want)
{
    buf b;
    buf_init(&b);
    csv_field(&b, in, 1);
    assert_false(buf_failed(&b));
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data ? b.data : "", want, b.len);
    buf_free(&b);
}

static void plain_fields_are_not_quoted(void **state)
{
    (void)state;
    expect_field("abc", "abc");
    expect_field("a=b", "a=b");            /* '=' only counts in front */
    expect_field("12.5", "12.5");
    expect_field("x-y", "x-y");
    expect_field("", "");
    expect_field(NULL, "");
}

static void separators_quotes_and_newlines_are_quoted(void **state)
{
    (void)state;
    expect_field("a,b", "\"a,b\"");
    expect_field("say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_field("\"", "\"\"\"\"");
    expect_field("line1\nline2", "\"line1\nline2\"");
    expect_field("line1\r\nline2", "\"line1\r\nline2\"");
    expect_field("tab\there", "tab\there");  /* a tab inside needs no quotes */
}

static void utf8_passes_through(void **state)
{
    (void)state;
    /* "Zürich ✓" and "東京, 日本" */
    expect_field("Z\xc3\xbcrich \xe2\x9c\x93", "Z\xc3\xbcrich \xe2\x9c\x93");
    expect_field("\xe6\x9d\xb1\xe4\xba\xac, \xe6\x97\xa5\xe6\x9c\xac",
                 "\"\xe6\x9d\xb1\xe4\xba\xac, \xe6\x97\xa5\xe6\x9c\xac\"");
}

static void every_formula_prefix_is_neutralised(void **state)
{
    (void)state;
    expect_field("=SUM(A1:A9)", "\"'=SUM(A1:A9)\"");
    expect_field("+1", "\"'+1\"");
    expect_field("-2", "\"'-2\"");
    expect_field("@cmd", "\"'@cmd\"");
    expect_field("\tx", "\"'\tx\"");
    expect_field("\rx", "\"'\rx\"");
    expect_field("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    expect_field("=a,b", "\"'=a,b\"");
    assert_true(csv_is_formula("=", 1));
    assert_false(csv_is_formula("'=", 2));
    assert_false(csv_is_formula("", 0));
    assert_false(csv_is_formula(NULL, 0));
}

/* Spreadsheets skip leading blanks and fold fullwidth forms to ASCII, so
 * " =1", "＝1" and "|cmd" start formulas too (issue 18). */
static void blanks_fullwidth_and_pipe_are_neutralised(void **state)
{
    (void)state;
    expect_field(" =1+1", "\"' =1+1\"");
    expect_field("   @SUM(A1)", "\"'   @SUM(A1)\"");
    expect_field(" \t-2", "\"' \t-2\"");
    expect_field("\n+3", "\"'\n+3\"");
    expect_field("|cmd", "\"'|cmd\"");
    expect_field("  |cmd", "\"'  |cmd\"");
    /* ＝ ＋ － ＠ ｜ (U+FF1D U+FF0B U+FF0D U+FF20 U+FF5C) */
    expect_field("\xef\xbc\x9d" "1+1", "\"'\xef\xbc\x9d" "1+1\"");
    expect_field("\xef\xbc\x8b" "1", "\"'\xef\xbc\x8b" "1\"");
    expect_field("\xef\xbc\x8d" "1", "\"'\xef\xbc\x8d" "1\"");
    expect_field("\xef\xbc\xa0" "x", "\"'\xef\xbc\xa0" "x\"");
    expect_field("\xef\xbd\x9c" "x", "\"'\xef\xbd\x9c" "x\"");
    /* after a no-break space (U+00A0) or an ideographic space (U+3000) */
    expect_field("\xc2\xa0=1", "\"'\xc2\xa0=1\"");
    expect_field("\xe3\x80\x80\xef\xbc\x9d" "1", "\"'\xe3\x80\x80\xef\xbc\x9d" "1\"");
    assert_true(csv_is_formula(" =1", 3));
    assert_true(csv_is_formula("|", 1));
    /* Not formulas: blanks alone, a formula character later on, other
     * fullwidth letters, a truncated fullwidth sequence. */
    expect_field("   ", "   ");
    expect_field(" a=1", " a=1");
    expect_field("a|b", "a|b");
    expect_field("\xef\xbc\xa1" "BC", "\xef\xbc\xa1" "BC"); /* fullwidth A */
    assert_false(csv_is_formula("\xef\xbc", 2));
    assert_false(csv_is_formula(" ", 1));
    assert_false(csv_is_formula("\xc2\xa0", 2));
}

static void records_end_in_crlf(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    const char *header[] = {"id", "name", "note"};
    const char *row[] = {"7", "Claims, \"triage\"", NULL};
    const char *row2[] = {"-1", "=1+1", "multi\nline"};
    csv_record(&b, header, 3);
    csv_record(&b, row, 3);
    csv_record(&b, row2, 3);
    static const char want[] = "id,name,note\r\n"
                               "7,\"Claims, \"\"triage\"\"\",\r\n"
                               "\"'-1\",\"'=1+1\",\"multi\nline\"\r\n";
    assert_int_equal(b.len, sizeof want - 1);
    assert_memory_equal(b.data, want, b.len);
    buf_free(&b);
}

static void fieldn_writes_exactly_n_bytes(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    csv_fieldn(&b, "abc,def", 3, 1);      /* only "abc": nothing to quote */
    csv_fieldn(&b, "a\0b", 3, 0);         /* an embedded NUL is data */
    csv_end(&b);
    static const char want[] = "abc,a\0b\r\n";
    assert_int_equal(b.len, sizeof want - 1);
    assert_memory_equal(b.data, want, b.len);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_fields_are_not_quoted),
        cmocka_unit_test(separators_quotes_and_newlines_are_quoted),
        cmocka_unit_test(utf8_passes_through),
        cmocka_unit_test(every_formula_prefix_is_neutralised),
        cmocka_unit_test(blanks_fullwidth_and_pipe_are_neutralised),
        cmocka_unit_test(records_end_in_crlf),
        cmocka_unit_test(fieldn_writes_exactly_n_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
