/* test_pg_sql.c - the PostgreSQL parameter rewriter (store/pg_sql.c):
 * ?N becomes $N in SQL code and nowhere else (string literals with '' and
 * E'' escapes, quoted identifiers, line and nested block comments, dollar
 * quotes), ?10 is not ?1 followed by 0, the highest number and the numbers
 * used are reported, and malformed parameters are refused with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/pg_sql.h"

typedef struct rewrite {
    char out[512];
    unsigned char *used;
    const char *why;
    int top;
} rewrite;

/* Rewrites sql into r (used is freshly zeroed); returns r->top. */
static int run(rewrite *r, const char *sql)
{
    assert_true(strlen(sql) < sizeof r->out);
    free(r->used);
    r->used = calloc(PG_MAX_PARAMS, 1);
    assert_non_null(r->used);
    r->why = NULL;
    memset(r->out, 'X', sizeof r->out);
    r->top = pg_sql_rewrite(sql, r->out, r->used, &r->why);
    if (r->top >= 0) /* the rewrite never changes the length */
        assert_int_equal(strlen(r->out), strlen(sql));
    return r->top;
}

static int setup(void **state)
{
    rewrite *r = calloc(1, sizeof *r);
    *state = r;
    return r ? 0 : -1;
}

static int teardown(void **state)
{
    rewrite *r = *state;
    free(r->used);
    free(r);
    return 0;
}

static void plain_parameters(void **state)
{
    rewrite *r = *state;
    assert_int_equal(run(r, "SELECT a FROM t WHERE id = ?1 AND v = ?2"), 2);
    assert_string_equal(r->out, "SELECT a FROM t WHERE id = $1 AND v = $2");
    assert_true(r->used[0] && r->used[1]);
    assert_false(r->used[2]);
    assert_int_equal(run(r, ""), 0);
    assert_string_equal(r->out, "");
    assert_int_equal(run(r, "SELECT 1"), 0);
    assert_string_equal(r->out, "SELECT 1");
    /* Repeated and out of order. */
    assert_int_equal(run(r, "?3=?1 OR ?3=?1"), 3);
    assert_string_equal(r->out, "$3=$1 OR $3=$1");
    assert_true(r->used[0] && r->used[2]);
    assert_false(r->used[1]); /* a gap the caller declares TEXT */
}

static void multi_digit_numbers(void **state)
{
    rewrite *r = *state;
    assert_int_equal(run(r, "VALUES (?1, ?10, ?17)"), 17);
    assert_string_equal(r->out, "VALUES ($1, $10, $17)");
    assert_true(r->used[0] && r->used[9] && r->used[16]);
    assert_false(r->used[1]); /* ?10 is not ?1 then a 0 */
    assert_false(r->used[6]);
    assert_int_equal(run(r, "?10"), 10);
    assert_false(r->used[0]);
    assert_int_equal(run(r, "x=?65535"), PG_MAX_PARAMS);
    assert_string_equal(r->out, "x=$65535");
    /* Digits straight after a number belong to it; other characters end it. */
    assert_int_equal(run(r, "?2::int,?3)"), 3);
    assert_string_equal(r->out, "$2::int,$3)");
}

static void string_literals_are_left_alone(void **state)
{
    rewrite *r = *state;
    assert_int_equal(run(r, "SELECT '?1', ?2"), 2);
    assert_string_equal(r->out, "SELECT '?1', $2");
    assert_false(r->used[0]);
    /* '' is a quote inside the literal, not its end. */
    assert_int_equal(run(r, "SELECT 'it''s ?1', ?2"), 2);
    assert_string_equal(r->out, "SELECT 'it''s ?1', $2");
    assert_false(r->used[0]);
    /* A backslash escapes only in E'...'. */
    assert_int_equal(run(r, "SELECT E'\\' ?1', ?2"), 2);
    assert_string_equal(r->out, "SELECT E'\\' ?1', $2");
    assert_false(r->used[0]);
    assert_int_equal(run(r, "SELECT e'\\\\', ?1"), 1);
    assert_string_equal(r->out, "SELECT e'\\\\', $1");
    assert_int_equal(run(r, "SELECT '\\', ?1"), 1);
    assert_string_equal(r->out, "SELECT '\\', $1");
    /* ...E' that ends an identifier is no escape prefix. */
    assert_int_equal(run(r, "SELECT namE'\\', ?1"), 1);
    assert_string_equal(r->out, "SELECT namE'\\', $1");
    /* An unterminated literal runs to the end. */
    assert_int_equal(run(r, "SELECT '?1"), 0);
    assert_string_equal(r->out, "SELECT '?1");
    /* A ? inside a literal need not be numbered. */
    assert_int_equal(run(r, "SELECT 'why?', ?1"), 1);
    assert_string_equal(r->out, "SELECT 'why?', $1");
}

static void quoted_identifiers_are_left_alone(void **state)
{
    rewrite *r = *state;
    assert_int_equal(run(r, "SELECT \"a?1\", \"b\"\"?2\" FROM t WHERE x = ?3"), 3);
    assert_string_equal(r->out, "SELECT \"a?1\", \"b\"\"?2\" FROM t WHERE x = $3");
    assert_false(r->used[0] || r->used[1]);
}

static void comments_are_left_alone(void **state)
{
    rewrite *r = *state;
    assert_int_equal(run(r, "SELECT ?1 -- and ?2\n, ?3"), 3);
    assert_string_equal(r->out, "SELECT $1 -- and ?2\n, $3");
    assert_false(r->used[1]);
    assert_int_equal(run(r, "-- ?9 to the end"), 0);
    assert_string_equal(r->out, "-- ?9 to the end");
    /* Block comments nest in PostgreSQL. */
    assert_int_equal(run(r, "SELECT /* ?1 /* ?2 */ ?3 */ ?4"), 4);
    assert_string_equal(r->out, "SELECT /* ?1 /* ?2 */ ?3 */ $4");
    assert_false(r->used[0] || r->used[1] || r->used[2]);
    assert_int_equal(run(r, "SELECT /* ? unclosed"), 0);
    assert_string_equal(r->out, "SELECT /* ? unclosed");
    /* A lone - or / is an operator. */
    assert_int_equal(run(r, "?1-?2/?3"), 3);
    assert_string_equal(r->out, "$1-$2/$3");
}

static void dollar_quotes_are_left_alone(void **state)
{
    rewrite *r = *state;
    assert_int_equal(run(r, "SELECT $$ ?1 ' $$, ?2"), 2);
    assert_string_equal(r->out, "SELECT $$ ?1 ' $$, $2");
    assert_false(r->used[0]);
    assert_int_equal(run(r, "DO $body$ ?1 $x$ ?2 $body$; SELECT ?3"), 3);
    assert_string_equal(r->out, "DO $body$ ?1 $x$ ?2 $body$; SELECT $3");
    assert_false(r->used[0] || r->used[1]);
    assert_int_equal(run(r, "SELECT $q$ unclosed ?1"), 0);
    assert_string_equal(r->out, "SELECT $q$ unclosed ?1");
    /* $ inside an identifier is part of it, and a lone $ is copied. */
    assert_int_equal(run(r, "SELECT a$1, b$ FROM t WHERE c = ?1"), 1);
    assert_string_equal(r->out, "SELECT a$1, b$ FROM t WHERE c = $1");
    assert_int_equal(run(r, "SELECT $ + ?1"), 1);
    assert_string_equal(r->out, "SELECT $ + $1");
}

static void malformed_parameters_are_refused(void **state)
{
    rewrite *r = *state;
    static const char *const bad[] = {
        "SELECT ?",        "SELECT ? FROM t", "x = ?a",   "x = ?0",
        "x = ?00",         "x = ?65536",      "x = ?99999999999999999999",
        "x = $1",          "SELECT ?1, $2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(run(r, bad[i]), -1);
        assert_non_null(r->why);
    }
    run(r, "x = $1");
    assert_string_equal(r->why, "use ?N parameters, not $N");
    run(r, "x = ?");
    assert_string_equal(r->why, "parameters must be numbered (?1, ?2, ...)");
    run(r, "x = ?0");
    assert_string_equal(r->why, "parameters are numbered from ?1");
    run(r, "x = ?70000");
    assert_string_equal(r->why, "parameter number out of range");
}

static void identifier_characters(void **state)
{
    (void)state;
    assert_true(pg_sql_ident_char('a') && pg_sql_ident_char('Z') && pg_sql_ident_char('0'));
    assert_true(pg_sql_ident_char('_') && pg_sql_ident_char('$') && pg_sql_ident_char(0xc3));
    assert_false(pg_sql_ident_char(' ') || pg_sql_ident_char('\'') || pg_sql_ident_char('?'));
    assert_false(pg_sql_ident_char('(') || pg_sql_ident_char('\0'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(plain_parameters, setup, teardown),
        cmocka_unit_test_setup_teardown(multi_digit_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(string_literals_are_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(quoted_identifiers_are_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(comments_are_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(dollar_quotes_are_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_parameters_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(identifier_characters, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
