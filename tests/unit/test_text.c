/* test_text.c - checked conversions, dates and bounded strings
 * (common/text.c): parse_i64, date_parse/date_format/days_from_civil,
 * copy_str, utf8_valid, str_contains_ci, the SWITCHYARD_TODAY pin of
 * clock_today, instant_parse and the SWITCHYARD_NOW pin (or file) of
 * clock_now. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/text.h"

/* ---- parse_i64 ------------------------------------------------------------ */

static void parse_valid_numbers(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_int_equal(parse_i64("0", INT64_MIN, INT64_MAX, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(parse_i64("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(parse_i64("-17", -100, 100, &v), 0);
    assert_int_equal(v, -17);
    assert_int_equal(parse_i64("007", 0, 100, &v), 0);       /* base 10, not octal */
    assert_int_equal(v, 7);
    assert_int_equal(parse_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
    assert_true(v == INT64_MAX);
    assert_int_equal(parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
    assert_true(v == INT64_MIN);
}

static void parse_rejects_junk(void **state)
{
    (void)state;
    int64_t v = 12345;
    assert_int_equal(parse_i64("", 0, 100, &v), -1);
    assert_int_equal(parse_i64(NULL, 0, 100, &v), -1);
    assert_int_equal(parse_i64(" 5", 0, 100, &v), -1);       /* leading space */
    assert_int_equal(parse_i64("\t5", 0, 100, &v), -1);
    assert_int_equal(parse_i64("5 ", 0, 100, &v), -1);       /* trailing junk */
    assert_int_equal(parse_i64("5x", 0, 100, &v), -1);
    assert_int_equal(parse_i64("1.5", 0, 100, &v), -1);
    assert_int_equal(parse_i64("0x10", 0, 100, &v), -1);
    assert_int_equal(parse_i64("abc", 0, 100, &v), -1);
    assert_int_equal(parse_i64("-", 0, 100, &v), -1);
    assert_int_equal(parse_i64("1e3", 0, 10000, &v), -1);
    assert_int_equal(v, 12345);                               /* untouched on error */
}

static void parse_rejects_overflow_and_bounds(void **state)
{
    (void)state;
    int64_t v = 12345;
    assert_int_equal(parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v), -1);
    assert_int_equal(parse_i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), -1);
    assert_int_equal(parse_i64("99999999999999999999999", INT64_MIN, INT64_MAX, &v), -1);
    assert_int_equal(v, 12345);
    /* Inclusive bounds. */
    assert_int_equal(parse_i64("1", 1, 500, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(parse_i64("500", 1, 500, &v), 0);
    assert_int_equal(v, 500);
    assert_int_equal(parse_i64("0", 1, 500, &v), -1);
    assert_int_equal(parse_i64("501", 1, 500, &v), -1);
    assert_int_equal(parse_i64("-1", 0, 500, &v), -1);
    assert_int_equal(parse_i64("-5", -5, -1, &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(parse_i64("-6", -5, -1, &v), -1);
}

/* ---- dates ---------------------------------------------------------------- */

static void days_from_civil_known_values(void **state)
{
    (void)state;
    assert_int_equal(days_from_civil(1970, 1, 1), 0);
    assert_int_equal(days_from_civil(1970, 1, 2), 1);
    assert_int_equal(days_from_civil(1969, 12, 31), -1);
    /* 30 years with 7 leap days (1972..1996): 30*365 + 7. */
    assert_int_equal(days_from_civil(2000, 1, 1), 10957);
    /* + 31 (Jan) + 29 (Feb 2000 is a leap month). */
    assert_int_equal(days_from_civil(2000, 3, 1), 11017);
    /* 1704067200 s / 86400. */
    assert_int_equal(days_from_civil(2024, 1, 1), 19723);
    assert_int_equal(days_from_civil(2024, 2, 29), 19782);
    /* 70 years, 17 leap days (1904..1968; 1900 is not leap). */
    assert_int_equal(days_from_civil(1900, 1, 1), -25567);
    /* 63 years 1970..2032 with 16 leap days, minus one. */
    assert_int_equal(days_from_civil(2032, 12, 31), 23010);
}

static void date_parse_real_dates(void **state)
{
    (void)state;
    int64_t d = -1;
    assert_int_equal(date_parse("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(date_parse("2000-03-01", &d), 0);
    assert_int_equal(d, 11017);
    assert_int_equal(date_parse("2024-02-29", &d), 0);       /* leap year */
    assert_int_equal(d, 19782);
    assert_int_equal(date_parse("2000-02-29", &d), 0);       /* divisible by 400 */
    assert_int_equal(d, 11016);
    assert_int_equal(date_parse("1900-01-01", &d), 0);       /* lowest year */
    assert_int_equal(d, -25567);
    assert_int_equal(date_parse("2024-12-31", &d), 0);
    assert_int_equal(d, 19723 + 365);
    /* 2026-01-01 = 19723 + 366 + 365 = 20454; + 31 + 27 for Feb 28. */
    assert_int_equal(date_parse("2026-02-28", &d), 0);
    assert_int_equal(d, 20512);
    assert_int_equal(date_parse("9999-12-31", &d), 0);
}

static void date_parse_rejects(void **state)
{
    (void)state;
    int64_t d = 777;
    assert_int_equal(date_parse("2023-02-29", &d), -1);      /* not a leap year */
    assert_int_equal(date_parse("1900-02-29", &d), -1);      /* century, not /400 */
    assert_int_equal(date_parse("2026-02-30", &d), -1);
    assert_int_equal(date_parse("2026-04-31", &d), -1);
    assert_int_equal(date_parse("2026-13-01", &d), -1);      /* month 13 */
    assert_int_equal(date_parse("2026-00-10", &d), -1);
    assert_int_equal(date_parse("2026-01-00", &d), -1);
    assert_int_equal(date_parse("2026-01-32", &d), -1);
    assert_int_equal(date_parse("1899-12-31", &d), -1);      /* year < 1900 */
    assert_int_equal(date_parse("0000-01-01", &d), -1);
    assert_int_equal(date_parse("2026-1-01", &d), -1);       /* wrong formats */
    assert_int_equal(date_parse("2026/01/01", &d), -1);
    assert_int_equal(date_parse("20260101", &d), -1);
    assert_int_equal(date_parse("2026-01-01T00:00", &d), -1);
    assert_int_equal(date_parse("2026-01-1 ", &d), -1);
    assert_int_equal(date_parse(" 2026-01-1", &d), -1);
    assert_int_equal(date_parse("2026-0a-01", &d), -1);
    assert_int_equal(date_parse("+026-01-01", &d), -1);
    assert_int_equal(date_parse("2026-+1-01", &d), -1);
    assert_int_equal(date_parse("", &d), -1);
    assert_int_equal(date_parse(NULL, &d), -1);
    assert_int_equal(d, 777);
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Walks the calendar one day at a time with its own month lengths and
 * checks date_format and date_parse against it, 1900-01-01 .. 2100-12-31. */
static void date_format_round_trip(void **state)
{
    (void)state;
    static const int mlen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 1900, m = 1, d = 1;
    int64_t day = -25567;
    int seen_epoch = 0, seen_2032 = 0;
    while (y <= 2100) {
        char want[48], got[11];
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        date_format(day, got);
        assert_string_equal(got, want);
        int64_t back = 0;
        assert_int_equal(date_parse(got, &back), 0);
        assert_int_equal(back, day);
        assert_int_equal(days_from_civil(y, (unsigned)m, (unsigned)d), day);
        if (strcmp(want, "1970-01-01") == 0) {
            assert_int_equal(day, 0);
            seen_epoch = 1;
        }
        if (strcmp(want, "2032-12-31") == 0) {
            assert_int_equal(day, 23010);
            seen_2032 = 1;
        }
        int len = mlen[m - 1] + (m == 2 && is_leap(y));
        if (++d > len) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        day++;
    }
    assert_true(seen_epoch);
    assert_true(seen_2032);
    /* 2101-01-01 is 201 years after 1900-01-01, with 49 leap days
     * (1904..2096; 1900 and 2100 are not leap, 2000 is): 201*365 + 49. */
    assert_int_equal(day, -25567 + 73414);
}

static void date_format_fixed_points(void **state)
{
    (void)state;
    char out[11];
    date_format(0, out);
    assert_string_equal(out, "1970-01-01");
    date_format(-1, out);
    assert_string_equal(out, "1969-12-31");
    date_format(11017, out);
    assert_string_equal(out, "2000-03-01");
    date_format(23010, out);
    assert_string_equal(out, "2032-12-31");
    date_format(19782, out);
    assert_string_equal(out, "2024-02-29");
    /* 10000-01-01 does not fit in four digits. */
    date_format(days_from_civil(10000, 1, 1), out);
    assert_string_equal(out, "0000-00-00");
    date_format(days_from_civil(9999, 12, 31), out);
    assert_string_equal(out, "9999-12-31");
}

/* ---- strings -------------------------------------------------------------- */

static void copy_str_truncates_and_reports(void **state)
{
    (void)state;
    char dst[4];
    assert_int_equal(copy_str(dst, sizeof dst, "abc"), 0);
    assert_string_equal(dst, "abc");
    assert_int_equal(copy_str(dst, sizeof dst, "abcd"), -1);
    assert_string_equal(dst, "abc");
    assert_int_equal(copy_str(dst, sizeof dst, "hello world"), -1);
    assert_string_equal(dst, "hel");
    assert_int_equal(copy_str(dst, sizeof dst, ""), 0);
    assert_string_equal(dst, "");
    assert_int_equal(copy_str(dst, 1, "x"), -1);
    assert_string_equal(dst, "");
    assert_int_equal(copy_str(dst, 1, ""), 0);
    dst[0] = 'q';
    assert_int_equal(copy_str(dst, 0, "x"), -1);
    assert_int_equal(dst[0], 'q');                            /* size 0: untouched */
}

static void utf8_validity(void **state)
{
    (void)state;
    assert_true(utf8_valid(""));
    assert_true(utf8_valid("plain ASCII"));
    assert_true(utf8_valid("Z\xc3\xbcrich \xe6\x9d\xb1\xe4\xba\xac \xe2\x9c\x93 \xf0\x9f\x98\x80"));
    assert_false(utf8_valid("\xff"));
    assert_false(utf8_valid("\xc3"));             /* cut short */
    assert_false(utf8_valid("\xc3%"));            /* not a continuation */
    assert_false(utf8_valid("\xc0\xaf"));         /* overlong '/' */
    assert_false(utf8_valid("\xe0\x80\xaf"));     /* overlong, three bytes */
    assert_false(utf8_valid("\xed\xa0\x80"));     /* surrogate U+D800 */
    assert_false(utf8_valid("\xf4\x90\x80\x80")); /* above U+10FFFF */
}

static void contains_ci(void **state)
{
    (void)state;
    assert_true(str_contains_ci("Hello World", "world"));
    assert_true(str_contains_ci("Hello World", "WORLD"));
    assert_true(str_contains_ci("Hello World", "o w"));
    assert_true(str_contains_ci("Hello World", "hello world"));
    assert_true(str_contains_ci("Hello", ""));
    assert_true(str_contains_ci("", ""));
    assert_true(str_contains_ci("aaab", "AAB"));             /* overlapping restart */
    assert_false(str_contains_ci("Hello", "Help"));
    assert_false(str_contains_ci("Hello", "hello!"));         /* longer than hay */
    assert_false(str_contains_ci("", "a"));
    assert_false(str_contains_ci("abc", "abd"));
    assert_true(str_contains_ci("Open_AI 50%", "_ai 50%"));
}

/* ---- clock ---------------------------------------------------------------- */

static void clock_today_honours_pin(void **state)
{
    (void)state;
    assert_int_equal(setenv("SWITCHYARD_TODAY", "2026-03-15", 1), 0);
    /* 2026-01-01 = 20454, + 31 + 28 + 14. */
    assert_int_equal(clock_today(), 20527);
    assert_int_equal(setenv("SWITCHYARD_TODAY", "1970-01-01", 1), 0);
    assert_int_equal(clock_today(), 0);

    /* An unusable pin falls back to the real date. */
    assert_int_equal(setenv("SWITCHYARD_TODAY", "2026-02-30", 1), 0);
    int64_t before = (int64_t)(time(NULL) / 86400);
    int64_t today = clock_today();
    int64_t after = (int64_t)(time(NULL) / 86400);
    assert_true(today >= before && today <= after);
    assert_int_equal(unsetenv("SWITCHYARD_TODAY"), 0);
    before = (int64_t)(time(NULL) / 86400);
    today = clock_today();
    after = (int64_t)(time(NULL) / 86400);
    assert_true(today >= before && today <= after);
}

static void clock_now_shape(void **state)
{
    (void)state;
    char now[21];
    clock_now_rfc3339(now);
    assert_int_equal(strlen(now), 20);
    assert_int_equal(now[4], '-');
    assert_int_equal(now[10], 'T');
    assert_int_equal(now[19], 'Z');
    char day[11];
    memcpy(day, now, 10);
    day[10] = '\0';
    int64_t d;
    assert_int_equal(date_parse(day, &d), 0);
}

static void instant_parse_accepts_and_rejects(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(instant_parse("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 0);
    /* 2026-03-15 = day 20527. */
    assert_int_equal(instant_parse("2026-03-15T10:20:30Z", &t), 0);
    assert_int_equal(t, 20527LL * 86400 + 10 * 3600 + 20 * 60 + 30);
    static const char *const bad[] = {
        "", "2026-03-15", "2026-03-15T10:20:30", "2026-03-15 10:20:30Z",
        "2026-03-15T24:00:00Z", "2026-03-15T10:60:00Z", "2026-03-15T10:20:60Z",
        "2026-02-30T10:20:30Z", "2026-03-15T1a:20:30Z", "2026-03-15T10:20:30+00:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(instant_parse(bad[i], &t), -1);
    assert_int_equal(instant_parse(NULL, &t), -1);
}

static void clock_now_honours_pin_and_file(void **state)
{
    (void)state;
    char now[21];
    assert_int_equal(unsetenv("SWITCHYARD_TODAY"), 0);
    assert_int_equal(setenv("SWITCHYARD_NOW", "2026-03-15T23:59:59Z", 1), 0);
    assert_int_equal(clock_now(), 20527LL * 86400 + 86399);
    assert_int_equal(clock_today(), 20527); /* today follows the pinned clock */
    clock_now_rfc3339(now);
    assert_string_equal(now, "2026-03-15T23:59:59Z");

    /* @FILE: read at every call, so rewriting the file moves time on. */
    char path[64];
    snprintf(path, sizeof path, "/tmp/sy-clock-%ld", (long)getpid());
    char pin[80];
    snprintf(pin, sizeof pin, "@%s", path);
    assert_int_equal(setenv("SWITCHYARD_NOW", pin, 1), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs("2026-03-16T00:00:00Z\n", f) >= 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(clock_now(), 20528LL * 86400);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs("2026-03-16T00:00:01Z", f) >= 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(clock_now(), 20528LL * 86400 + 1);
    assert_int_equal(unlink(path), 0);

    /* A missing file or an unusable value falls back to the real clock. */
    int64_t before = (int64_t)time(NULL);
    int64_t t = clock_now();
    assert_true(t >= before && t <= (int64_t)time(NULL));
    assert_int_equal(setenv("SWITCHYARD_NOW", "tomorrow", 1), 0);
    before = (int64_t)time(NULL);
    t = clock_now();
    assert_true(t >= before && t <= (int64_t)time(NULL));
    assert_int_equal(unsetenv("SWITCHYARD_NOW"), 0);
    before = (int64_t)time(NULL);
    t = clock_now();
    assert_true(t >= before && t <= (int64_t)time(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_valid_numbers),
        cmocka_unit_test(parse_rejects_junk),
        cmocka_unit_test(parse_rejects_overflow_and_bounds),
        cmocka_unit_test(days_from_civil_known_values),
        cmocka_unit_test(date_parse_real_dates),
        cmocka_unit_test(date_parse_rejects),
        cmocka_unit_test(date_format_round_trip),
        cmocka_unit_test(date_format_fixed_points),
        cmocka_unit_test(copy_str_truncates_and_reports),
        cmocka_unit_test(utf8_validity),
        cmocka_unit_test(contains_ci),
        cmocka_unit_test(clock_today_honours_pin),
        cmocka_unit_test(clock_now_shape),
        cmocka_unit_test(instant_parse_accepts_and_rejects),
        cmocka_unit_test(clock_now_honours_pin_and_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
