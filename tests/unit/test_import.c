/* test_import.c - the pure parts of evidence imports: FOCUS rows
 * (core/focus.c: header mapping with the 1.0 and successor provider
 * names, exact decimal amounts, month, currency, the chosen tag, each bad
 * cell named by its column), workload cells both ways
 * (core/import_workloads.c: lists, dependencies and alternatives by name
 * or #ID, amounts, flags, unknown offerings) and the plan's counts and
 * listing limit (core/import_plan.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/focus.h"
#include "core/import_plan.h"
#include "core/import_workloads.h"
#include "core/lifecycle.h"

static void decimals_are_exact(void **state)
{
    (void)state;
    int64_t m;
    assert_int_equal(decimal_micros("12.34", &m), 0);
    assert_int_equal(m, 12340000);
    assert_int_equal(decimal_micros("-0.0000015", &m), 0);
    assert_int_equal(m, -2);
    assert_int_equal(decimal_micros("0.00000149", &m), 0);
    assert_int_equal(m, 1);
    assert_int_equal(decimal_micros("1.5E-3", &m), 0);
    assert_int_equal(m, 1500);
    assert_int_equal(decimal_micros("7", &m), 0);
    assert_int_equal(m, 7000000);
    assert_int_equal(decimal_micros("", &m), -1);
    assert_int_equal(decimal_micros("n/a", &m), -1);
    assert_int_equal(decimal_micros("1.2.3", &m), -1);
    assert_int_equal(micros_to_cents(12345000), 1235);
    assert_int_equal(micros_to_cents(-12345000), -1235);
    /* 200,000 rows of 0.000001 add up to exactly 0.20. */
    int64_t sum = 0;
    for (int i = 0; i < 200000; i++) {
        assert_int_equal(decimal_micros("0.000001", &m), 0);
        sum += m;
    }
    assert_int_equal(micros_to_cents(sum), 20);
}

static void focus_header_and_rows(void **state)
{
    (void)state;
    char *hdr[] = {"Tags", "BilledCost", "EffectiveCost", "BillingCurrency", "ChargePeriodStart",
                   "ServiceProviderName", "HostProviderName"};
    focus_cols c;
    char reason[160];
    assert_int_equal(focus_header(hdr, 7, &c, reason, sizeof reason), 0);
    assert_int_equal(c.tags, 0);
    assert_int_equal(c.provider, 5);
    assert_int_equal(c.publisher, 6);
    assert_int_equal(focus_header(hdr, 4, &c, reason, sizeof reason), -1);
    assert_string_equal(reason, "the FOCUS column ChargePeriodStart is missing from the header");

    char *row[] = {"{\"workload\": \"Claims, EU\", \"cc\":\"1\"}", "10.005", "9.5", "EUR",
                   "2026-11-30T23:00:00Z", "Microsoft", "Microsoft"};
    focus_row fr;
    int bad;
    assert_int_equal(focus_header(hdr, 7, &c, reason, sizeof reason), 0);
    assert_int_equal(focus_row_parse(&c, row, 7, "workload", &fr, &bad, reason, sizeof reason), 0);
    assert_string_equal(fr.month, "2026-11");
    assert_string_equal(fr.currency, "EUR");
    assert_string_equal(fr.tag, "Claims, EU");
    assert_int_equal(fr.tag_present, 1);
    assert_int_equal(fr.billed, 10005000);
    assert_int_equal(focus_row_parse(&c, row, 7, "team", &fr, &bad, reason, sizeof reason), 0);
    assert_int_equal(fr.tag_present, 0);

    /* Escapes and non-string values take the full JSON parser. */
    char *escaped[] = {"{\"n\": 3, \"workload\": \"Say \\\"hi\\\"\"}", "1", "1", "EUR",
                       "2026-11-01", "", ""};
    assert_int_equal(focus_row_parse(&c, escaped, 7, "workload", &fr, &bad, reason, sizeof reason), 0);
    assert_string_equal(fr.tag, "Say \"hi\"");
    char *empty_obj[] = {" { } ", "1", "1", "EUR", "2026-11-01", "", ""};
    assert_int_equal(focus_row_parse(&c, empty_obj, 7, "workload", &fr, &bad, reason, sizeof reason), 0);
    assert_int_equal(fr.tag_present, 0);
    char *trailing[] = {"{\"workload\":\"x\"} junk", "1", "1", "EUR", "2026-11-01", "", ""};
    assert_int_equal(focus_row_parse(&c, trailing, 7, "workload", &fr, &bad, reason, sizeof reason), -1);
    char *bad_cur[] = {"", "1", "1", "eur", "2026-11-01", "", ""};
    assert_int_equal(focus_row_parse(&c, bad_cur, 7, "workload", &fr, &bad, reason, sizeof reason), -1);
    assert_int_equal(bad, 3);
    char *bad_date[] = {"", "1", "1", "EUR", "11/01/2026", "", ""};
    assert_int_equal(focus_row_parse(&c, bad_date, 7, "workload", &fr, &bad, reason, sizeof reason), -1);
    assert_int_equal(bad, 4);
    char *bad_tags[] = {"workload=x", "1", "1", "EUR", "2026-11-01", "", ""};
    assert_int_equal(focus_row_parse(&c, bad_tags, 7, "workload", &fr, &bad, reason, sizeof reason), -1);
    assert_int_equal(bad, 0);
    char *bad_json[] = {"{\"workload\": ", "1", "1", "EUR", "2026-11-01", "", ""};
    assert_int_equal(focus_row_parse(&c, bad_json, 7, "workload", &fr, &bad, reason, sizeof reason), -1);
    char *short_row[] = {"", "1"};
    assert_int_equal(focus_row_parse(&c, short_row, 2, "workload", &fr, &bad, reason, sizeof reason), -1);
}

/* Offerings 3 "Azure OpenAI" and 7 "OpenAI API". */
static const char *name_of(void *ctx, int64_t id)
{
    (void)ctx;
    return id == 3 ? "Azure OpenAI" : id == 7 ? "OpenAI API" : NULL;
}

static int64_t id_of(void *ctx, const char *text)
{
    (void)ctx;
    return !strcmp(text, "Azure OpenAI") || !strcmp(text, "#3") ? 3
           : !strcmp(text, "OpenAI API") || !strcmp(text, "#7") ? 7
                                                               : 0;
}

static void workload_cells_both_ways(void **state)
{
    (void)state;
    wl_names names = {name_of, id_of, NULL};
    const field_desc *cols[40];
    size_t n = wl_columns(cols, 40);
    assert_int_equal(n, 32); /* 20, the DORA register's 5 and the AI Act register's 7 */
    assert_string_equal(cols[0]->key, "name");
    assert_null(wl_column("risk"));
    assert_null(wl_column("id"));

    char reason[200];
    int omit;
    json_t *v = wl_cell_json(wl_column("dependencies"), "Azure OpenAI (model); #7 (model)", &names,
                             reason, sizeof reason, &omit);
    assert_non_null(v);
    assert_int_equal(json_array_size(v), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 1), "offering")), 7);
    json_decref(v);
    v = wl_cell_json(wl_column("dependencies"), "Nope (model)", &names, reason, sizeof reason, &omit);
    assert_null(v);
    assert_string_equal(reason, "unknown offering \"Nope\"");
    v = wl_cell_json(wl_column("dependencies"), "Azure OpenAI", &names, reason, sizeof reason, &omit);
    assert_null(v);
    v = wl_cell_json(wl_column("alternatives"), "Azure OpenAI -> OpenAI API", &names, reason,
                     sizeof reason, &omit);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "dependency")), 3);
    json_decref(v);
    v = wl_cell_json(wl_column("monthly_spend"), "3200.5", &names, reason, sizeof reason, &omit);
    assert_true(json_is_real(v) && json_real_value(v) == 3200.5);
    json_decref(v);
    assert_null(wl_cell_json(wl_column("monthly_spend"), "3,200", &names, reason, sizeof reason, &omit));
    assert_null(wl_cell_json(wl_column("monthly_spend"), "1.234", &names, reason, sizeof reason, &omit));
    assert_null(wl_cell_json(wl_column("criticality"), "", &names, reason, sizeof reason, &omit));
    assert_int_equal(omit, 1);
    v = wl_cell_json(wl_column("swap_layer"), "yes", &names, reason, sizeof reason, &omit);
    assert_true(json_is_true(v));
    assert_null(wl_cell_json(wl_column("swap_layer"), "maybe", &names, reason, sizeof reason, &omit));
    v = wl_cell_json(wl_column("planned_end"), "", &names, reason, sizeof reason, &omit);
    assert_true(json_is_null(v));
    /* An empty users cell is not known (null), not 0 and not "keep". */
    v = wl_cell_json(wl_column("users"), "", &names, reason, sizeof reason, &omit);
    assert_true(json_is_null(v));
    assert_int_equal(omit, 0);
    v = wl_cell_json(wl_column("users"), "0", &names, reason, sizeof reason, &omit);
    assert_int_equal(json_integer_value(v), 0);
    json_decref(v);

    /* And back to cells. */
    dependency deps[] = {{3, "model"}, {9, "data"}};
    alternative alts[] = {{3, 7}};
    const char *regions[] = {"EU", "CH"};
    workload w = {.name = "W", .monthly_spend = 320050, .swap_layer = 1, .dependencies = deps,
                  .n_dependencies = 2, .alternatives = alts, .n_alternatives = 1,
                  .allowed_regions = regions, .n_allowed_regions = 2, .users = 12};
    arena a;
    arena_init(&a);
    assert_string_equal(wl_cell(wl_column("dependencies"), &w, &names, &a),
                        "Azure OpenAI (model); #9 (data)");
    assert_string_equal(wl_cell(wl_column("alternatives"), &w, &names, &a),
                        "Azure OpenAI -> OpenAI API");
    assert_string_equal(wl_cell(wl_column("monthly_spend"), &w, &names, &a), "3200.50");
    assert_string_equal(wl_cell(wl_column("allowed_regions"), &w, &names, &a), "EU; CH");
    assert_string_equal(wl_cell(wl_column("swap_layer"), &w, &names, &a), "true");
    assert_string_equal(wl_cell(wl_column("users"), &w, &names, &a), "12");
    w.users = SY_INT_NULL;
    assert_string_equal(wl_cell(wl_column("users"), &w, &names, &a), "");
    w.users = 0;
    assert_string_equal(wl_cell(wl_column("users"), &w, &names, &a), "0");
    assert_string_equal(wl_cell(wl_column("planned_end"), &w, &names, &a), "");
    arena_free(&a);
}

static void plan_counts_and_limit(void **state)
{
    (void)state;
    import_plan p;
    plan_init(&p, "focus");
    for (int i = 0; i < PLAN_MAX_REJECTED + 5; i++)
        assert_int_equal(plan_reject(&p, i + 2, 1, "BilledCost", "bad"), 0);
    plan_item *it = plan_add(&p, PA_CHANGE);
    assert_non_null(it);
    assert_int_equal(plan_change_add(&p, it, "owner", "A", "B"), 0);
    assert_int_equal(p.counts[PA_REJECTED], PLAN_MAX_REJECTED + 5);
    assert_int_equal(p.unlisted, 5);
    assert_int_equal(p.n, PLAN_MAX_REJECTED + 1);
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    plan_write_open(&w, &p);
    jw_obj_end(&w);
    json_t *doc = json_loads(b.data, 0, NULL);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "counts"), "rejected")),
                     PLAN_MAX_REJECTED + 5);
    assert_int_equal(json_integer_value(json_object_get(doc, "unlisted_rejected")), 5);
    json_decref(doc);
    buf_free(&b);
    plan_free(&p);
}

static void lifecycle_shapes(void **state)
{
    (void)state;
    lifecycle_format fmt;
    lifecycle_fact *f;
    size_t n;
    char reason[200];
    json_t *az = json_loads("{\"value\":[{\"model\":{\"name\":\"gpt-4o\",\"version\":\"2024-11-20\","
                            "\"deprecation\":{\"inference\":\"2026-11-20T00:00:00Z\"}}}]}", 0, NULL);
    assert_int_equal(lifecycle_facts(az, &fmt, &f, &n, reason, sizeof reason), 0);
    assert_int_equal(fmt, LC_AZURE);
    assert_string_equal(f[0].key, "gpt-4o 2024-11-20");
    assert_string_equal(f[0].retires, "2026-11-20");
    free(f);
    json_decref(az);
    json_t *br = json_loads("{\"modelSummaries\":[{\"modelId\":\"a.b-v1:0\",\"modelLifecycle\":{\"status\":\"LEGACY\"}}]}",
                            0, NULL);
    assert_int_equal(lifecycle_facts(br, &fmt, &f, &n, reason, sizeof reason), 0);
    assert_int_equal(fmt, LC_BEDROCK);
    assert_int_equal(f[0].legacy, 1);
    free(f);
    json_decref(br);
    json_t *md = json_loads("{\"openai\":{\"models\":{\"gpt-5\":{\"id\":\"gpt-5\",\"release_date\":\"2025-08-07\"}}}}",
                            0, NULL);
    assert_int_equal(lifecycle_facts(md, &fmt, &f, &n, reason, sizeof reason), 0);
    assert_int_equal(fmt, LC_MODELS_DEV);
    assert_string_equal(f[0].released, "2025-08-07");
    free(f);
    json_decref(md);
    json_t *none = json_loads("{\"x\":1}", 0, NULL);
    assert_int_equal(lifecycle_facts(none, &fmt, &f, &n, reason, sizeof reason), -1);
    json_decref(none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimals_are_exact),
        cmocka_unit_test(focus_header_and_rows),
        cmocka_unit_test(workload_cells_both_ways),
        cmocka_unit_test(plan_counts_and_limit),
        cmocka_unit_test(lifecycle_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
