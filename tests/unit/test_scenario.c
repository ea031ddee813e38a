/* test_scenario.c - what-if scenarios: parsing every change type and its
 * errors, references, and before/after concentration on two groups of
 * equal spend; the evaluation engine at 10,000 workloads. The outcomes,
 * reasons and time to exit over the main fixture are in
 * test_scenario_eval.c. Expectations are worked out by hand in the comments
 * next to each fixture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/scenario.h"

#include "scenario_test.h"

/* ---- parsing ------------------------------------------------------------- */

static void parses_every_change_type(void **state)
{
    fixture *f = *state;
    scenario s;
    parse_ok(f,
             "[{\"type\":\"exit_group\",\"vendor\":1},"
             " {\"type\":\"withdraw_offering\",\"offering\":12},"
             " {\"type\":\"end_contract\",\"contract\":20,\"on\":\"2026-12-31\"},"
             " {\"workloads\":[101,100],\"type\":\"add_swap_layer\"},"
             " {\"type\":\"drill_alternative\",\"workload\":100,\"dependency\":10,"
             "\"alternative\":12}]",
             &s);
    assert_int_equal(s.n_changes, 5);
    assert_int_equal(s.changes[0].type, CHANGE_EXIT_GROUP);
    assert_int_equal(s.changes[0].id, 1);
    assert_int_equal(s.changes[1].type, CHANGE_WITHDRAW_OFFERING);
    assert_int_equal(s.changes[1].id, 12);
    assert_int_equal(s.changes[2].type, CHANGE_END_CONTRACT);
    assert_int_equal(s.changes[2].id, 20);
    assert_string_equal(s.changes[2].on, "2026-12-31");   /* copied: the JSON is gone */
    assert_int_equal(s.changes[3].type, CHANGE_ADD_SWAP_LAYER);
    assert_int_equal(s.changes[3].n_workloads, 2);
    assert_int_equal(s.changes[3].workloads[0], 101);
    assert_int_equal(s.changes[3].workloads[1], 100);
    assert_int_equal(s.changes[4].type, CHANGE_DRILL_ALTERNATIVE);
    assert_int_equal(s.changes[4].id, 100);
    assert_int_equal(s.changes[4].dependency, 10);
    assert_int_equal(s.changes[4].alternative, 12);
    assert_string_equal(CHANGE_TYPES[CHANGE_ADD_SWAP_LAYER], "add_swap_layer");
    assert_string_equal(CHANGE_TYPES[CHANGE_DRILL_ALTERNATIVE], "drill_alternative");
    assert_null(CHANGE_TYPES[5]);
    assert_string_equal(OUTCOMES[OUTCOME_STRANDED], "stranded");
}

/* Parses text expecting failure; returns the errors. */
static void parse_errors_name_exact_pointers(void **state)
{
    fixture *f = *state;
    parse_bad(f, "[{\"type\":\"nope\"},"
                 " {\"type\":\"end_contract\",\"contract\":3,\"on\":\"2026-02-30\"},"
                 " {\"type\":\"add_swap_layer\",\"workloads\":[5,6,5]},"
                 " {\"type\":\"exit_group\",\"vendor\":1,\"colour\":\"red\"},"
                 " {\"type\":\"withdraw_offering\"},"
                 " {\"type\":\"exit_group\",\"vendor\":0},"
                 " {\"type\":\"add_swap_layer\",\"workloads\":[]},"
                 " 7]");
    assert_int_equal(f->e.count, 8);
    assert_error(&f->e, 0, "/changes/0/type",
                 "must be one of exit_group, withdraw_offering, end_contract, add_swap_layer or "
                 "drill_alternative");
    assert_error(&f->e, 1, "/changes/1/on", "must be a real date written YYYY-MM-DD");
    assert_error(&f->e, 2, "/changes/2/workloads/2", "names the same workload twice");
    assert_error(&f->e, 3, "/changes/3/colour", "is not a known field");
    assert_error(&f->e, 4, "/changes/4/offering", "is required");
    assert_error(&f->e, 5, "/changes/5/vendor", "must be the numeric ID of an existing vendor");
    assert_error(&f->e, 6, "/changes/6/workloads", NULL);
    assert_error(&f->e, 7, "/changes/7", "must be a JSON object");

    /* The brief's own example: a duplicate at index 1. */
    parse_bad(f, "[{\"type\":\"add_swap_layer\",\"workloads\":[4,4]}]");
    assert_int_equal(f->e.count, 1);
    assert_error(&f->e, 0, "/changes/0/workloads/1", "names the same workload twice");
}

static void parse_errors_for_wrong_types_and_members(void **state)
{
    fixture *f = *state;
    parse_bad(f, "[{\"vendor\":1}]");
    assert_int_equal(f->e.count, 1);
    assert_error(&f->e, 0, "/changes/0/type", "is required");

    parse_bad(f, "[{\"type\":5}]");
    assert_error(&f->e, 0, "/changes/0/type", NULL);

    parse_bad(f, "[{\"type\":\"exit_group\",\"vendor\":\"1\"}]");
    assert_int_equal(f->e.count, 1);
    assert_error(&f->e, 0, "/changes/0/vendor", "must be the numeric ID of an existing vendor");

    parse_bad(f, "[{\"type\":\"withdraw_offering\",\"offering\":1.5}]");
    assert_error(&f->e, 0, "/changes/0/offering", NULL);

    /* A member of another type is unknown here. */
    parse_bad(f, "[{\"type\":\"withdraw_offering\",\"offering\":3,\"vendor\":1}]");
    assert_int_equal(f->e.count, 1);
    assert_error(&f->e, 0, "/changes/0/vendor", "is not a known field");

    parse_bad(f, "[{\"type\":\"end_contract\",\"contract\":3}]");
    assert_int_equal(f->e.count, 1);
    assert_error(&f->e, 0, "/changes/0/on", "is required");

    parse_bad(f, "[{\"type\":\"end_contract\",\"contract\":3,\"on\":20261231}]");
    assert_error(&f->e, 0, "/changes/0/on", "must be a real date written YYYY-MM-DD");

    parse_bad(f, "[{\"type\":\"end_contract\",\"on\":\"2026-13-01\"}]");
    assert_int_equal(f->e.count, 2);
    assert_error(&f->e, 0, "/changes/0/contract", "is required");
    assert_error(&f->e, 1, "/changes/0/on", NULL);

    parse_bad(f, "[{\"type\":\"add_swap_layer\",\"workloads\":3}]");
    assert_error(&f->e, 0, "/changes/0/workloads", NULL);

    parse_bad(f, "[{\"type\":\"add_swap_layer\",\"workloads\":[1,\"x\",-2]}]");
    assert_int_equal(f->e.count, 2);
    assert_error(&f->e, 0, "/changes/0/workloads/1", "must be the numeric ID of an existing workload");
    assert_error(&f->e, 1, "/changes/0/workloads/2", NULL);

    parse_bad(f, "[{\"type\":\"add_swap_layer\"}]");
    assert_error(&f->e, 0, "/changes/0/workloads", "is required");

    /* Too many workloads. */
    char big[8000];
    size_t used = (size_t)snprintf(big, sizeof big, "[{\"type\":\"add_swap_layer\",\"workloads\":[1");
    for (int i = 2; i <= 1001; i++)
        used += (size_t)snprintf(big + used, sizeof big - used, ",%d", i);
    snprintf(big + used, sizeof big - used, "]}]");
    parse_bad(f, big);
    assert_int_equal(f->e.count, 1);
    assert_error(&f->e, 0, "/changes/0/workloads", "must have at most 1000 entries");
}

static void changes_must_be_an_array_of_1_to_50(void **state)
{
    fixture *f = *state;
    scenario s;
    errors_init(&f->e);
    assert_int_equal(scenario_from_json(NULL, &f->a, &s, &f->e), -1);
    assert_error(&f->e, 0, "/changes", "is required");

    parse_bad(f, "{\"type\":\"exit_group\",\"vendor\":1}");
    assert_int_equal(f->e.count, 1);
    assert_error(&f->e, 0, "/changes", NULL);

    parse_bad(f, "[]");
    assert_int_equal(f->e.count, 1);
    assert_error(&f->e, 0, "/changes", NULL);

    char text[4000];
    size_t used = (size_t)snprintf(text, sizeof text, "[");
    for (int i = 0; i < 51; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s{\"type\":\"exit_group\",\"vendor\":1}",
                                 i ? "," : "");
    snprintf(text + used, sizeof text - used, "]");
    parse_bad(f, text);
    assert_int_equal(f->e.count, 1);
    assert_error(&f->e, 0, "/changes", "must have at most 50 changes");

    /* Exactly 50 is fine. */
    used -= strlen(",{\"type\":\"exit_group\",\"vendor\":1}");
    snprintf(text + used, sizeof text - used, "]");
    parse_ok(f, text, &s);
    assert_int_equal(s.n_changes, 50);
}

/* ---- references ---------------------------------------------------------- */

static void check_refs_names_missing_records(void **state)
{
    fixture *f = *state;
    scenario s;
    parse_ok(f,
             "[{\"type\":\"exit_group\",\"vendor\":99},"
             " {\"type\":\"withdraw_offering\",\"offering\":98},"
             " {\"type\":\"end_contract\",\"contract\":97,\"on\":\"2026-06-30\"},"
             " {\"type\":\"add_swap_layer\",\"workloads\":[100,999,101,998]},"
             " {\"type\":\"exit_group\",\"vendor\":3}]",
             &s);
    errors_init(&f->e);
    assert_int_equal(scenario_check_refs(&s, &f->p, &f->e), -1);
    assert_int_equal(f->e.count, 5);
    assert_error(&f->e, 0, "/changes/0/vendor", "No vendor with this ID.");
    assert_error(&f->e, 1, "/changes/1/offering", "No offering with this ID.");
    assert_error(&f->e, 2, "/changes/2/contract", "No contract with this ID.");
    assert_error(&f->e, 3, "/changes/3/workloads/1", "No workload with this ID.");
    assert_error(&f->e, 4, "/changes/3/workloads/3", "No workload with this ID.");

    parse_ok(f,
             "[{\"type\":\"exit_group\",\"vendor\":3},"
             " {\"type\":\"withdraw_offering\",\"offering\":16},"
             " {\"type\":\"end_contract\",\"contract\":23,\"on\":\"2026-06-30\"},"
             " {\"type\":\"add_swap_layer\",\"workloads\":[104,100]}]",
             &s);
    assert_int_equal(scenario_check_refs(&s, &f->p, &f->e), 0);
    assert_int_equal(f->e.count, 0);

    /* A drilled alternative must be one the workload names for one of its
     * dependencies. */
    parse_ok(f,
             "[{\"type\":\"drill_alternative\",\"workload\":999,\"dependency\":10,"
             "\"alternative\":12},"
             " {\"type\":\"drill_alternative\",\"workload\":100,\"dependency\":11,"
             "\"alternative\":12},"
             " {\"type\":\"drill_alternative\",\"workload\":100,\"dependency\":10,"
             "\"alternative\":14},"
             " {\"type\":\"drill_alternative\",\"workload\":100,\"dependency\":10,"
             "\"alternative\":12}]",
             &s);
    assert_int_equal(scenario_check_refs(&s, &f->p, &f->e), -1);
    assert_int_equal(f->e.count, 3);
    assert_error(&f->e, 0, "/changes/0/workload", "No workload with this ID.");
    assert_error(&f->e, 1, "/changes/1/dependency", "is not one of the workload's dependencies");
    assert_error(&f->e, 2, "/changes/2/alternative",
                 "is not a named alternative of this dependency");
    parse_bad(f, "[{\"type\":\"drill_alternative\",\"workload\":100}]");
    assert_int_equal(f->e.count, 2);
    assert_error(&f->e, 0, "/changes/0/dependency", "is required");
    assert_error(&f->e, 1, "/changes/0/alternative", "is required");
}

/* ---- two groups with equal spend ------------------------------------------
 * 1 Microsoft, 2 OpenAI. 10 Azure OpenAI (1/2/1 model_api), 11 Cosmos
 * (1/-/1 data_store), 12 OpenAI API (2/2/2 model_api).
 * A: $1000 on one Microsoft offering; B: $1000 on 12. Before: provider
 * 50/50 -> 5000. Microsoft exits: A movable to 12 -> 10000; or A on Cosmos
 * stranded -> only B -> 10000. */

static vendor TWO_VENDORS[] = {
    {.id = 1, .name = "Microsoft", .group_id = 1},
    {.id = 2, .name = "OpenAI", .group_id = 2},
};
static offering TWO_OFFERINGS[] = {
    OFFER(10, "Azure OpenAI", 1, 2, 1, "model_api", "openai_compatible"),
    OFFER(11, "Azure Cosmos DB", 1, 0, 1, "data_store", "proprietary"),
    OFFER(12, "OpenAI API", 2, 2, 2, "model_api", "openai_compatible"),
};
static dependency DA_MODEL[] = {{10, "model"}};
static alternative A_TWO[] = {{10, 12}};
static dependency DA_DATA[] = {{11, "data"}};
static dependency DB[] = {{12, "model"}};

static void two_groups(fixture *f, workload *w)
{
    fill(f, TWO_VENDORS, COUNT(TWO_VENDORS), TWO_OFFERINGS, COUNT(TWO_OFFERINGS), NULL, 0, w, 2);
}

static void hhi_equal_groups_then_movable(void **state)
{
    (void)state;
    workload w[] = {WORKLOAD_ALT(1, "A", "production", "high", 100000, 0, DA_MODEL, 0, A_TWO),
                    WORKLOAD(2, "B", "production", "high", 100000, 0, DB)};
    fixture f;
    two_groups(&f, w);
    scenario_result r;
    run(&f, "[{\"type\":\"exit_group\",\"vendor\":1}]", &r);
    assert_hhi(&r.before.spend, LAYER_PROVIDER, 5000);
    assert_hhi(&r.before.spend, LAYER_HOST, 5000);
    assert_hhi(&r.before.spend, LAYER_PUBLISHER, 10000);
    assert_float_equal(r.before.spend.layers[LAYER_PROVIDER].effective, 2.0, 1e-9);
    assert_int_equal(r.workloads[0].outcome, OUTCOME_MOVABLE);
    assert_int_equal(r.workloads[0].lost[0].replacement, 12);
    assert_hhi(&r.after.spend, LAYER_PROVIDER, 10000);
    assert_hhi(&r.after.spend, LAYER_HOST, 10000);
    assert_float_equal(r.after.spend.layers[LAYER_PROVIDER].total, 2000, 1e-9);
    assert_int_equal(r.after.monthly_spend, 200000);
    /* A: 25 + 20 + an undrilled named alternative 5 = 50 high; B: 25 + 20
     * + 10 = 55 high. After, A on the OpenAI API (no alternative named for
     * it): 55 high. */
    assert_levels(r.before.levels, 0, 0, 2, 0);
    assert_levels(r.after.levels, 0, 0, 2, 0);
    assert_int_equal(r.exit.notice_days, 0);   /* no contracts */
    assert_int_equal(r.exit.days, 45);
    arena_free(&f.a);
}

static void hhi_equal_groups_then_stranded(void **state)
{
    (void)state;
    workload w[] = {WORKLOAD(1, "A", "production", "critical", 100000, 0, DA_DATA),
                    WORKLOAD(2, "B", "production", "high", 100000, 0, DB)};
    fixture f;
    two_groups(&f, w);
    scenario_result r;
    run(&f, "[{\"type\":\"exit_group\",\"vendor\":1}]", &r);
    assert_hhi(&r.before.spend, LAYER_PROVIDER, 5000);
    assert_int_equal(r.workloads[0].outcome, OUTCOME_STRANDED);
    assert_int_equal(r.spend_stranded, 100000);
    assert_int_equal(r.critical_at_risk, 1);
    assert_hhi(&r.after.spend, LAYER_PROVIDER, 10000);
    assert_int_equal(r.after.spend.layers[LAYER_PROVIDER].shares[0].group, 2);
    assert_int_equal(r.after.monthly_spend, 100000);
    /* A: 25 + 20 + proprietary data 15 = 60 high (no model or assistant,
     * so no no_proven_alternative; no host dependency, so no data
     * gravity); B 55 high. After: only B. */
    assert_levels(r.before.levels, 0, 0, 2, 0);
    assert_levels(r.after.levels, 0, 0, 1, 0);
    assert_int_equal(r.exit.days, 120);
    assert_int_equal(r.after.stranded_spend, 100000);
    arena_free(&f.a);
}

/* ---- scale ------------------------------------------------------------------
 * 10,000 workloads x 300 offerings: the engine must stay fast. */

#if defined(__SANITIZE_ADDRESS__)
#define SLOW_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOW_BUILD 1
#endif
#endif
#ifndef SLOW_BUILD
#define SLOW_BUILD 0
#endif

static void evaluates_10000_workloads_quickly(void **state)
{
    (void)state;
    enum { NV = 30, NO = 300, NC = 20, NW = 10000, ND = 4 };
    static vendor v[NV];
    static offering o[NO];
    static contract c[NC];
    static int64_t c_offs[NC][15];
    static workload w[NW];
    static dependency d[NW][ND];
    static const char *cats[] = {"model_api", "assistant", "platform", "data_store",
                                 "identity", "tooling"};
    static const char *itfs[] = {"openai_compatible", "open_standard", "proprietary"};
    static const char *roles[] = {"model", "hosting", "data", "identity"};
    static const char *crits[] = {"low", "medium", "high", "critical"};
    static char names[NV][16];
    for (int i = 0; i < NV; i++) {
        snprintf(names[i], sizeof names[i], "V%d", i + 1);
        v[i] = (vendor){.id = i + 1, .name = names[i], .parent = i % 3 ? i / 3 * 3 + 1 : 0,
                        .group_id = i / 3 * 3 + 1};
    }
    for (int i = 0; i < NO; i++)
        o[i] = (offering){.id = i + 1, .name = "O", .provider = i % NV + 1,
                          .publisher = i % 2 ? (i * 7) % NV + 1 : 0, .host = (i * 11) % NV + 1,
                          .track = "other", .category = cats[i % 6], .interface = itfs[i % 3]};
    for (int i = 0; i < NC; i++) {
        for (int k = 0; k < 15; k++)
            c_offs[i][k] = (i * 15 + k) % NO + 1;
        c[i] = (contract){.id = i + 1, .name = "C", .kind = i % 4 ? "customer" : "upstream",
                          .counterparty = i % NV + 1, .offerings = c_offs[i], .n_offerings = 15,
                          .start_date = "2025-01-01", .end_date = "2027-06-30",
                          .notice_days = 30 + i, .auto_renew = 1, .renewal_months = 12,
                          .currency = "USD", .committed_spend = i % 2 ? 100 : 0,
                          .exit_clause = i % 3 ? "full" : "none", .data_portability = 1,
                          .substitutability = "medium"};
    }
    for (int i = 0; i < NW; i++) {
        for (int k = 0; k < ND; k++)
            d[i][k] = (dependency){(int64_t)((i * 13 + k * 71) % NO + 1), roles[k]};
        w[i] = (workload){.id = i + 1, .name = "W", .track = "other",
                          .status = i % 10 == 0 ? "retired" : "production",
                          .criticality = crits[i % 4], .monthly_spend = 10000 + i,
                          .swap_layer = i % 5 == 0,
                          .dependencies = d[i], .n_dependencies = ND};
    }
    fixture f;
    fill(&f, v, NV, o, NO, c, NC, w, NW);
    scenario s;
    parse_ok(&f, "[{\"type\":\"exit_group\",\"vendor\":1},"
                 " {\"type\":\"withdraw_offering\",\"offering\":150},"
                 " {\"type\":\"end_contract\",\"contract\":5,\"on\":\"2026-12-31\"},"
                 " {\"type\":\"add_swap_layer\",\"workloads\":[2,3,4,5,6,7]}]", &s);
    scenario_result r;
    double t0 = clock_mono_ms();
    assert_int_equal(scenario_evaluate(&f.p, &f.wts, &s, &f.a, &r), 0);
    double ms = clock_mono_ms() - t0;
    print_message("10,000 workloads x 300 offerings: %.1f ms\n", ms);
    assert_int_equal(r.counts[0] + r.counts[1] + r.counts[2], 9000);
    assert_true(r.counts[OUTCOME_MOVABLE] + r.counts[OUTCOME_STRANDED] > 0);
    assert_true(ms < (SLOW_BUILD ? 2000.0 : 500.0));
    arena_free(&f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(parses_every_change_type, setup_main, teardown),
        cmocka_unit_test_setup_teardown(parse_errors_name_exact_pointers, setup_main, teardown),
        cmocka_unit_test_setup_teardown(parse_errors_for_wrong_types_and_members, setup_main,
                                        teardown),
        cmocka_unit_test_setup_teardown(changes_must_be_an_array_of_1_to_50, setup_main, teardown),
        cmocka_unit_test_setup_teardown(check_refs_names_missing_records, setup_main, teardown),
        cmocka_unit_test(hhi_equal_groups_then_movable),
        cmocka_unit_test(hhi_equal_groups_then_stranded),
        cmocka_unit_test(evaluates_10000_workloads_quickly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
