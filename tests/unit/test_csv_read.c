/* test_csv_read.c - the streaming CSV reader (core/csv_read.c): BOM, CRLF
 * and LF, quoted commas, doubled quotes and embedded newlines, empty lines
 * skipped; each malformed input refused with its line and field number;
 * a record over the limit refused; a file larger than the reader's chunk
 * read record by record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv_read.h"

typedef struct opened {
    FILE *f;
    csv_reader *r;
} opened;

static opened open_text(const char *text, size_t max)
{
    opened o;
    o.f = fmemopen((void *)text, strlen(text), "rb");
    assert_non_null(o.f);
    o.r = csv_reader_new(o.f, max);
    assert_non_null(o.r);
    return o;
}

static void close_text(opened *o)
{
    csv_reader_free(o->r);
    fclose(o->f);
}

static void expect_record(opened *o, long line, size_t n, const char *const *want)
{
    char **fields;
    size_t got;
    assert_int_equal(csv_read(o->r, &fields, &got), 1);
    assert_int_equal(csv_reader_line(o->r), line);
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(fields[i], want[i]);
}

static void real_world_details(void **state)
{
    (void)state;
    opened o = open_text("\xEF\xBB\xBFname,notes,users\r\n"
                         "\"Claims, EU\",\"said \"\"hi\"\"\",12\r\n"
                         "\r\n"
                         "\n"
                         "Two,\"line one\r\nline two\",\r\n"
                         "Last,\xC3\xA9t\xC3\xA9,\"\"",
                         0);
    expect_record(&o, 1, 3, (const char *const[]){"name", "notes", "users"});
    expect_record(&o, 2, 3, (const char *const[]){"Claims, EU", "said \"hi\"", "12"});
    expect_record(&o, 5, 3, (const char *const[]){"Two", "line one\r\nline two", ""});
    expect_record(&o, 7, 3, (const char *const[]){"Last", "\xC3\xA9t\xC3\xA9", ""});
    char **f;
    size_t n;
    assert_int_equal(csv_read(o.r, &f, &n), 0);
    assert_int_equal(csv_read(o.r, &f, &n), 0);
    close_text(&o);
}

static void lf_only_and_lone_quoted_empty(void **state)
{
    (void)state;
    opened o = open_text("a,b\n\"\"\nc,d\n", 0);
    expect_record(&o, 1, 2, (const char *const[]){"a", "b"});
    expect_record(&o, 2, 1, (const char *const[]){""});
    expect_record(&o, 3, 2, (const char *const[]){"c", "d"});
    close_text(&o);
}

static void expect_error(const char *text, size_t max, int good_records, long row, long column,
                         const char *reason_part)
{
    opened o = open_text(text, max);
    char **f;
    size_t n;
    for (int i = 0; i < good_records; i++)
        assert_int_equal(csv_read(o.r, &f, &n), 1);
    assert_int_equal(csv_read(o.r, &f, &n), -1);
    const csv_error *e = csv_reader_error(o.r);
    assert_int_equal(e->row, row);
    assert_int_equal(e->column, column);
    assert_non_null(strstr(e->reason, reason_part));
    /* It stays failed. */
    assert_int_equal(csv_read(o.r, &f, &n), -1);
    close_text(&o);
}

static void malformed_inputs_name_line_and_field(void **state)
{
    (void)state;
    expect_error("a,b\nc,d\"e,f\n", 0, 1, 2, 2, "quote inside an unquoted field");
    expect_error("a,b\n\"c\"x,d\n", 0, 1, 2, 1, "text follows the closing quote");
    expect_error("a,b\nc,\"d\ne\n", 0, 1, 4, 2, "not closed");
    expect_error("a,b\nc,d,\xFF\n", 0, 1, 2, 3, "UTF-8");
    expect_error("a,b\nc,\xC0\xAF\n", 0, 1, 2, 2, "UTF-8");     /* overlong */
    expect_error("a,b\nc,\xED\xA0\x80\n", 0, 1, 2, 2, "UTF-8"); /* surrogate */
    expect_error("a,b\n0123456789,0123456789\n", 16, 1, 2, 2, "longer than the limit");
}

static void nul_byte_is_refused(void **state)
{
    (void)state;
    static const char text[] = "a,b\nc,d\0e\n";
    FILE *f = fmemopen((void *)text, sizeof text - 1, "rb");
    assert_non_null(f);
    csv_reader *r = csv_reader_new(f, 0);
    char **fields;
    size_t n;
    assert_int_equal(csv_read(r, &fields, &n), 1);
    assert_int_equal(csv_read(r, &fields, &n), -1);
    assert_int_equal(csv_reader_error(r)->row, 2);
    assert_int_equal(csv_reader_error(r)->column, 2);
    assert_non_null(strstr(csv_reader_error(r)->reason, "NUL"));
    csv_reader_free(r);
    fclose(f);
}

/* 50,000 records (about 1.7 MB) through a 64 KiB chunk: every record
 * comes back, in order, with its line, and a quoted field that spans a
 * chunk boundary is whole. */
static void many_records_stream(void **state)
{
    (void)state;
    size_t cap = 4 * 1024 * 1024, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int i = 0; i < 50000; i++)
        len += (size_t)snprintf(text + len, cap - len, "w%d,\"x, %d\",%d\r\n", i, i, i * 3);
    FILE *f = fmemopen(text, len, "rb");
    csv_reader *r = csv_reader_new(f, 0);
    char **fields;
    size_t n;
    char want[32];
    for (int i = 0; i < 50000; i++) {
        assert_int_equal(csv_read(r, &fields, &n), 1);
        assert_int_equal(n, 3);
        assert_int_equal(csv_reader_line(r), i + 1);
        snprintf(want, sizeof want, "x, %d", i);
        assert_string_equal(fields[1], want);
    }
    assert_int_equal(csv_read(r, &fields, &n), 0);
    assert_int_equal(csv_reader_bytes(r), len);
    csv_reader_free(r);
    fclose(f);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_world_details),
        cmocka_unit_test(lf_only_and_lone_quoted_empty),
        cmocka_unit_test(malformed_inputs_name_line_and_field),
        cmocka_unit_test(nul_byte_is_refused),
        cmocka_unit_test(many_records_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
