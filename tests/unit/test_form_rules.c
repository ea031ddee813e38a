/* test_form_rules.c - the workload form's pure rules: names compared
 * without case and extra spaces (core/casefold.c casefold_name_equal; the
 * fold's table itself is in test_casefold.c) and the
 * warnings about implausible values (core/form_rules.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/casefold.h"
#include "core/form_rules.h"

static void names(void **state)
{
    (void)state;
    assert_true(casefold_name_equal("Claims triage assistant", "claims triage assistant "));
    assert_true(casefold_name_equal("  Claims   triage\tassistant", "CLAIMS TRIAGE ASSISTANT"));
    assert_true(casefold_name_equal("", "   "));
    assert_false(casefold_name_equal("Claims triage", "Claims triage assistant"));
    assert_false(casefold_name_equal("Claimstriage", "Claims triage"));
    assert_false(casefold_name_equal("Claims triage x", "Claims triage"));
    assert_true(casefold_name_equal("Zürich claims", "zürich CLAIMS"));
    assert_true(casefold_name_equal("Zürich", "ZÜRICH"));     /* beyond ASCII too */
    assert_false(casefold_name_equal(NULL, "a"));
}

static workload base(void)
{
    workload w;
    memset(&w, 0, sizeof w);
    w.name = "W";
    w.status = "production";
    return w;
}

static void warnings(void **state)
{
    (void)state;
    int64_t today;
    assert_int_equal(date_parse("2026-12-05", &today), 0);
    sy_errors e;
    errors_init(&e);
    workload w = base();
    w.planned_end = "2026-12-04";
    assert_int_equal(workload_warnings(&w, today, &e), 1);
    assert_string_equal(e.items[0].pointer, "/planned_end");
    assert_string_equal(e.items[0].detail,
                        "Planned end 2026-12-04 is in the past (today is 2026-12-05) for a "
                        "workload in production: set a date ahead, or change its status to "
                        "retired.");
    errors_init(&e);
    w.planned_end = "2026-12-05"; /* today is not past */
    assert_int_equal(workload_warnings(&w, today, &e), 0);
    w.planned_end = NULL;
    assert_int_equal(workload_warnings(&w, today, &e), 0);
    w.planned_end = "2020-01-01";
    w.status = "pilot";
    assert_int_equal(workload_warnings(&w, today, &e), 0);
    assert_int_equal(e.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test(warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
