/* test_finding_action.c - a finding's owner, due date, status and note
 * (core/finding_action.c): the key's shape, each field's check and its
 * words, null clearing, the won't-do reason, and the severity order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/finding_action.h"

static int patch(finding_action *fa, const char *json, arena *a, sy_errors *e)
{
    json_error_t jerr;
    json_t *body = json_loads(json, 0, &jerr);
    assert_non_null(body);
    errors_init(e);
    int rc = finding_action_patch(fa, body, a, e);
    json_decref(body);
    return rc;
}

static finding_action fresh(void)
{
    return (finding_action){0, "no_swap_layer.azure", NULL, NULL, "open", NULL, NULL, NULL, 0};
}

static void keys(void **state)
{
    (void)state;
    assert_true(finding_key_valid("no_swap_layer.azure"));
    assert_true(finding_key_valid("residency.w12.o7"));
    assert_true(finding_key_valid("deadline_lock_in.azure.c4"));
    assert_false(finding_key_valid(NULL));
    assert_false(finding_key_valid("ab"));
    assert_false(finding_key_valid("No_swap"));
    assert_false(finding_key_valid("1abc"));
    assert_false(finding_key_valid("a/b/c"));
    assert_false(finding_key_valid("a%2e.b"));
    char long_key[FINDING_KEY_MAX + 2];
    memset(long_key, 'a', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    assert_false(finding_key_valid(long_key));
    long_key[FINDING_KEY_MAX] = '\0';
    assert_true(finding_key_valid(long_key));
}

static void sets_and_clears(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    sy_errors e;
    finding_action fa = fresh();
    assert_int_equal(patch(&fa, "{\"owner\":\"  CIO \",\"due\":\"2027-02-28\",\"status\":"
                                "\"in_progress\"}", &a, &e), 0);
    assert_string_equal(fa.owner, "CIO");          /* trimmed */
    assert_string_equal(fa.due, "2027-02-28");
    assert_string_equal(fa.status, "in_progress");
    assert_null(fa.note);
    /* Only what is sent changes; null clears. */
    assert_int_equal(patch(&fa, "{\"due\":null}", &a, &e), 0);
    assert_null(fa.due);
    assert_string_equal(fa.owner, "CIO");
    assert_string_equal(fa.status, "in_progress");
    /* The read-only fields of a GET are ignored. */
    assert_int_equal(patch(&fa, "{\"key\":\"x\",\"updated_by\":\"y\",\"status\":\"done\"}", &a,
                           &e), 0);
    assert_string_equal(fa.status, "done");
    assert_string_equal(fa.key, "no_swap_layer.azure");
    arena_free(&a);
}

static void refuses_in_words(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    sy_errors e;
    finding_action fa = fresh();
    assert_int_equal(patch(&fa, "{\"due\":\"2027-02-30\",\"status\":\"closed\",\"owner\":\"\","
                                "\"colour\":1,\"note\":5}", &a, &e), -1);
    assert_int_equal(e.count, 5);
    const char *want[][2] = {
        {"/due", "Due date must be a real date, for example 2027-02-28."},
        {"/status", "Status must be open, in_progress, done or wont_do."},
        {"/owner", "Owner must be 1 to 120 characters (or null to clear it)."},
        {"/colour", "colour is not a field of a finding's action."},
        {"/note", "Note must be text or null."},
    };
    for (size_t i = 0; i < 5; i++) {
        int found = 0;
        for (int k = 0; k < e.count; k++)
            if (strcmp(e.items[k].pointer, want[i][0]) == 0) {
                assert_string_equal(e.items[k].detail, want[i][1]);
                found = 1;
            }
        assert_true(found);
    }
    assert_int_equal(patch(&fa, "[1]", &a, &e), -1);
    assert_string_equal(e.items[0].pointer, "");
    arena_free(&a);
}

static void wont_do_needs_a_reason(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    sy_errors e;
    finding_action fa = fresh();
    assert_int_equal(patch(&fa, "{\"status\":\"wont_do\"}", &a, &e), -1);
    assert_int_equal(e.count, 1);
    assert_string_equal(e.items[0].pointer, "/note");
    assert_string_equal(e.items[0].detail,
                        "A reason is required when a finding is marked won't do.");
    fa = fresh();
    assert_int_equal(patch(&fa, "{\"status\":\"wont_do\",\"note\":\"Retiring in March\"}", &a,
                           &e), 0);
    assert_string_equal(fa.note, "Retiring in March");
    /* Clearing the reason of a won't-do is refused too. */
    assert_int_equal(patch(&fa, "{\"note\":null}", &a, &e), -1);
    assert_string_equal(e.items[0].pointer, "/note");
    arena_free(&a);
}

static void severity_order(void **state)
{
    (void)state;
    assert_int_equal(finding_severity_rank("high"), 0);
    assert_int_equal(finding_severity_rank("medium"), 1);
    assert_int_equal(finding_severity_rank("low"), 2);
    assert_int_equal(finding_severity_rank("info"), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys),
        cmocka_unit_test(sets_and_clears),
        cmocka_unit_test(refuses_in_words),
        cmocka_unit_test(wont_do_needs_a_reason),
        cmocka_unit_test(severity_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
