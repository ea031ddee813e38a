/* test_jw.c - the streaming JSON writer (common/jw.c): separators in nested
 * objects and arrays, string escaping, money and double formatting, null
 * for NULL strings, and that the output parses back with jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>

#include "common/buf.h"
#include "common/jw.h"

typedef struct fixture {
    buf b;
    jw w;
} fixture;

static int setup(void **state)
{
    static fixture f;
    buf_init(&f.b);
    jw_init(&f.w, &f.b);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    buf_free(&f->b);
    return 0;
}

/* The text written so far ("" if nothing). */
static const char *text(fixture *f)
{
    assert_false(buf_failed(&f->b));
    return f->b.data ? f->b.data : "";
}

static json_t *parse(fixture *f)
{
    json_error_t err;
    json_t *v = json_loads(text(f), JSON_DECODE_ANY, &err);
    if (!v)
        fail_msg("jansson rejects %s: %s", text(f), err.text);
    return v;
}

/* ---- structure ------------------------------------------------------------ */

static void empty_containers(void **state)
{
    fixture *f = *state;
    jw_obj(&f->w);
    jw_key(&f->w, "a");
    jw_arr(&f->w);
    jw_arr_end(&f->w);
    jw_key(&f->w, "b");
    jw_obj(&f->w);
    jw_obj_end(&f->w);
    jw_obj_end(&f->w);
    assert_string_equal(text(f), "{\"a\":[],\"b\":{}}");
}

static void nested_commas(void **state)
{
    fixture *f = *state;
    jw *w = &f->w;
    jw_obj(w);
    jw_kint(w, "id", 7);
    jw_kstr(w, "name", "x");
    jw_key(w, "list");
    jw_arr(w);
    jw_int(w, 1);
    jw_int(w, 2);
    jw_obj(w);
    jw_kbool(w, "t", 1);
    jw_kbool(w, "f", 0);
    jw_obj_end(w);
    jw_arr(w);
    jw_arr_end(w);
    jw_arr(w);
    jw_null(w);
    jw_arr_end(w);
    jw_arr_end(w);
    jw_key(w, "inner");
    jw_obj(w);
    jw_key(w, "deep");
    jw_obj(w);
    jw_kid(w, "none", 0);
    jw_kid(w, "some", 5);
    jw_obj_end(w);
    jw_obj_end(w);
    jw_kmoney(w, "m", 1050);
    jw_obj_end(w);
    assert_string_equal(text(f),
                        "{\"id\":7,\"name\":\"x\",\"list\":[1,2,{\"t\":true,\"f\":false},[],[null]],"
                        "\"inner\":{\"deep\":{\"none\":null,\"some\":5}},\"m\":10.5}");
    json_t *v = parse(f);
    assert_int_equal(json_integer_value(json_object_get(v, "id")), 7);
    json_t *list = json_object_get(v, "list");
    assert_int_equal(json_array_size(list), 5);
    assert_true(json_is_true(json_object_get(json_array_get(list, 2), "t")));
    assert_true(json_is_null(json_object_get(
        json_object_get(json_object_get(v, "inner"), "deep"), "none")));
    assert_true(fabs(json_number_value(json_object_get(v, "m")) - 10.5) < 1e-12);
    json_decref(v);
}

static void top_level_array_of_objects(void **state)
{
    fixture *f = *state;
    jw *w = &f->w;
    jw_arr(w);
    for (int i = 1; i <= 3; i++) {
        jw_obj(w);
        jw_kint(w, "i", i);
        jw_key(w, "tags");
        jw_arr(w);
        jw_str(w, "a");
        jw_str(w, "b");
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    assert_string_equal(text(f),
                        "[{\"i\":1,\"tags\":[\"a\",\"b\"]},{\"i\":2,\"tags\":[\"a\",\"b\"]},"
                        "{\"i\":3,\"tags\":[\"a\",\"b\"]}]");
    json_t *v = parse(f);
    assert_int_equal(json_array_size(v), 3);
    json_decref(v);
}

static void scalars_and_raw(void **state)
{
    fixture *f = *state;
    jw *w = &f->w;
    jw_arr(w);
    jw_int(w, INT64_MIN);
    jw_int(w, INT64_MAX);
    jw_int(w, 0);
    jw_raw(w, "{\"pre\":[1]}");
    jw_id_or_null(w, -3);
    jw_arr_end(w);
    assert_string_equal(text(f),
                        "[-9223372036854775808,9223372036854775807,0,{\"pre\":[1]},null]");
    json_t *v = parse(f);
    assert_int_equal(json_array_size(v), 5);
    json_decref(v);
}

/* ---- strings -------------------------------------------------------------- */

static void string_escaping(void **state)
{
    fixture *f = *state;
    jw *w = &f->w;
    jw_obj(w);
    jw_kstr(w, "q", "say \"hi\"");
    jw_kstr(w, "bs", "a\\b");
    jw_kstr(w, "ws", "l1\nl2\r\t\b\f");
    jw_kstr(w, "ctl", "\x01\x1f\x7f");
    jw_kstr(w, "utf8", "caf\xc3\xa9 \xe2\x82\xac");
    jw_kstr(w, "slash", "a/b");
    jw_kstr(w, "k\"ey", "v");
    jw_obj_end(w);
    assert_string_equal(text(f),
                        "{\"q\":\"say \\\"hi\\\"\","
                        "\"bs\":\"a\\\\b\","
                        "\"ws\":\"l1\\nl2\\r\\t\\b\\f\","
                        "\"ctl\":\"\\u0001\\u001f\\u007f\","
                        "\"utf8\":\"caf\xc3\xa9 \xe2\x82\xac\","
                        "\"slash\":\"a/b\","
                        "\"k\\\"ey\":\"v\"}");
    json_t *v = parse(f);
    assert_string_equal(json_string_value(json_object_get(v, "q")), "say \"hi\"");
    assert_string_equal(json_string_value(json_object_get(v, "bs")), "a\\b");
    assert_string_equal(json_string_value(json_object_get(v, "ws")), "l1\nl2\r\t\b\f");
    assert_string_equal(json_string_value(json_object_get(v, "ctl")), "\x01\x1f\x7f");
    assert_string_equal(json_string_value(json_object_get(v, "utf8")),
                        "caf\xc3\xa9 \xe2\x82\xac");
    assert_string_equal(json_string_value(json_object_get(v, "k\"ey")), "v");
    json_decref(v);
}

static void strn_and_embedded_nul(void **state)
{
    fixture *f = *state;
    jw *w = &f->w;
    jw_arr(w);
    jw_strn(w, "abcdef", 3);
    jw_strn(w, "a\0b", 3);
    jw_strn(w, "", 0);
    jw_arr_end(w);
    assert_string_equal(text(f), "[\"abc\",\"a\\u0000b\",\"\"]");
    json_t *v = json_loads(text(f), JSON_ALLOW_NUL, NULL);
    assert_non_null(v);
    assert_int_equal(json_string_length(json_array_get(v, 1)), 3);
    json_decref(v);
}

static void null_string_is_null(void **state)
{
    fixture *f = *state;
    jw *w = &f->w;
    jw_obj(w);
    jw_kstr(w, "a", NULL);
    jw_key(w, "b");
    jw_str(w, NULL);
    jw_kstr(w, "c", "");
    jw_obj_end(w);
    assert_string_equal(text(f), "{\"a\":null,\"b\":null,\"c\":\"\"}");
}

static void json_escape_direct(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    json_escape(&b, "x\"\x02y", 4);
    assert_string_equal(b.data, "x\\\"\\u0002y");
    buf_free(&b);
}

/* ---- numbers -------------------------------------------------------------- */

static void money_cases(void **state)
{
    fixture *f = *state;
    jw *w = &f->w;
    jw_arr(w);
    jw_money(w, 1234);
    jw_money(w, 1200);
    jw_money(w, 1250);
    jw_money(w, 5);
    jw_money(w, 0);
    jw_money(w, 50);
    jw_money(w, 100);
    jw_money(w, 101);
    jw_money(w, -5);
    jw_money(w, -1250);
    jw_money(w, -100);
    jw_money(w, 100000000000LL);
    jw_money(w, INT64_MAX);
    jw_money(w, INT64_MIN);
    jw_arr_end(w);
    assert_string_equal(text(f),
                        "[12.34,12,12.5,0.05,0,0.5,1,1.01,-0.05,-12.5,-1,1000000000,"
                        "92233720368547758.07,-92233720368547758.08]");
    json_t *v = parse(f);
    assert_int_equal(json_array_size(v), 14);
    json_decref(v);
}

static const char *double_text(fixture *f, double d)
{
    buf_reset(&f->b);
    jw_init(&f->w, &f->b);
    jw_double(&f->w, d);
    return text(f);
}

static void double_shortest(void **state)
{
    fixture *f = *state;
    assert_string_equal(double_text(f, 0.0), "0");
    assert_string_equal(double_text(f, 1.0), "1");
    assert_string_equal(double_text(f, 0.1), "0.1");
    assert_string_equal(double_text(f, 1.5), "1.5");
    assert_string_equal(double_text(f, -2.25), "-2.25");
    assert_string_equal(double_text(f, 0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(double_text(f, 2.0 / 3.0), "0.6666666666666666");
    assert_string_equal(double_text(f, 3.14159), "3.14159");
    assert_string_equal(double_text(f, 12.5), "12.5");
    assert_string_equal(double_text(f, 42.0), "42");
    /* Whole numbers print as integers, not as 1e+02: "100" is shorter. */
    assert_string_equal(double_text(f, 100.0), "100");
    assert_string_equal(double_text(f, 120.0), "120");
    assert_string_equal(double_text(f, 123456.0), "123456");
    assert_string_equal(double_text(f, 1e21), "1e+21");
    assert_string_equal(double_text(f, 1e-7), "1e-07");
    assert_string_equal(double_text(f, NAN), "null");
    assert_string_equal(double_text(f, INFINITY), "null");
    assert_string_equal(double_text(f, -INFINITY), "null");
}

static void doubles_round_trip(void **state)
{
    fixture *f = *state;
    static const double values[] = {0.1, 1.0 / 3.0, 2.5e-300, 1.7976931348623157e308,
                                    123.456, -98765.4321, 5e-324, 1e15, 0.07};
    jw *w = &f->w;
    jw_arr(w);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        jw_double(w, values[i]);
    jw_arr_end(w);
    json_t *v = parse(f);
    assert_int_equal(json_array_size(v), sizeof values / sizeof values[0]);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        assert_true(json_number_value(json_array_get(v, i)) == values[i]);
    json_decref(v);
}

static void array_of_mixed_in_object_round_trips(void **state)
{
    fixture *f = *state;
    jw *w = &f->w;
    jw_obj(w);
    jw_key(w, "rows");
    jw_arr(w);
    for (int i = 0; i < 100; i++) {
        jw_obj(w);
        jw_kint(w, "n", i);
        jw_kmoney(w, "spend", (int64_t)i * 101);
        jw_kstr(w, "s", i % 2 ? "odd\t" : NULL);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kint(w, "total", 100);
    jw_obj_end(w);
    json_t *v = parse(f);
    json_t *rows = json_object_get(v, "rows");
    assert_int_equal(json_array_size(rows), 100);
    for (size_t i = 0; i < 100; i++) {
        json_t *r = json_array_get(rows, i);
        assert_int_equal(json_integer_value(json_object_get(r, "n")), i);
        double spend = json_number_value(json_object_get(r, "spend"));
        assert_true(fabs(spend - (double)i * 1.01) < 1e-9);
        if (i % 2)
            assert_string_equal(json_string_value(json_object_get(r, "s")), "odd\t");
        else
            assert_true(json_is_null(json_object_get(r, "s")));
    }
    assert_int_equal(json_integer_value(json_object_get(v, "total")), 100);
    json_decref(v);
}

static void too_deep_nesting_fails_the_buffer(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < JW_MAX_DEPTH + 5; i++)
        jw_arr(&f->w);
    for (int i = 0; i < JW_MAX_DEPTH + 5; i++)
        jw_arr_end(&f->w);
    assert_true(buf_failed(&f->b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(empty_containers, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_commas, setup, teardown),
        cmocka_unit_test_setup_teardown(top_level_array_of_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(scalars_and_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(string_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(strn_and_embedded_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(null_string_is_null, setup, teardown),
        cmocka_unit_test(json_escape_direct),
        cmocka_unit_test_setup_teardown(money_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(double_shortest, setup, teardown),
        cmocka_unit_test_setup_teardown(doubles_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(array_of_mixed_in_object_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(too_deep_nesting_fails_the_buffer, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
