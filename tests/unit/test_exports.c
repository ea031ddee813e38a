/* test_exports.c - the standard exports' pure writers: the CycloneDX
 * AI-BOM (core/cyclonedx.h) and the EU AI Act register (core/ai_act.h),
 * over a small portfolio.
 *
 * Vendors: 1 Microsoft (website), 2 OpenAI (a website that is no URL).
 * Offerings: 10 GPT model (model_api, provider 1, publisher 2, version
 * "gpt-x 2026-01-01"), 11 Search (data_store, provider 1).
 * Workloads: 100 "Claims" production, high-risk, depends on 10 twice
 * (model and hosting) and on 11; 101 "Pilot =x" pilot, minimal, on 10;
 * 102 "Old" retired, on 11. Drills of 100: failed on 2026-01-02, passed
 * on 2026-03-04 (the newest counts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/text.h"
#include "core/ai_act.h"
#include "core/cyclonedx.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

static vendor VENDORS[] = {
    {.id = 1, .name = "Microsoft", .website = "https://www.microsoft.com", .kind = "company"},
    {.id = 2, .name = "OpenAI", .website = "openai dot com", .kind = "company"},
};

static offering OFFERINGS[] = {
    {.id = 10, .name = "GPT model", .provider = 1, .publisher = 2, .host = 1, .track = "azure",
     .category = "model_api", .interface = "openai_compatible", .model_version = "gpt-x 2026-01-01",
     .url = "https://example.com/card", .source = "https://example.com/card"},
    {.id = 11, .name = "Search", .provider = 1, .host = 1, .track = "azure",
     .category = "data_store", .interface = "proprietary", .model_version = "",
     .url = "https://example.com/search"},
};

static dependency D100[] = {{10, "model"}, {10, "hosting"}, {11, "data"}};
static dependency D101[] = {{10, "model"}};
static dependency D102[] = {{11, "data"}};

static workload WORKLOADS[] = {
    {.id = 100, .name = "Claims", .purpose = "Triage \"claims\"", .owner = "Ann", .track = "azure",
     .status = "production", .criticality = "high", .data_classification = "internal",
     .ai_act_tier = "high", .oversight_owner = "Ann", .annex_iii_area = "essential_services",
     .ai_system_provider = 1, .intended_purpose = "Triage", .log_retention_months = 3,
     .fria_status = "done", .impact_assessment = "2026-01-01", .incident_contact = "",
     .dependencies = D100, .n_dependencies = 3},
    {.id = 101, .name = "Pilot =x", .owner = "@bob", .track = "azure", .status = "pilot",
     .criticality = "low", .data_classification = "internal", .ai_act_tier = "minimal",
     .oversight_owner = "", .intended_purpose = "=HYPERLINK(\"x\")", .incident_contact = "+desk",
     .dependencies = D101, .n_dependencies = 1},
    {.id = 102, .name = "Old", .track = "azure", .status = "retired", .criticality = "low",
     .data_classification = "internal", .ai_act_tier = "minimal", .oversight_owner = "",
     .intended_purpose = "", .incident_contact = "", .dependencies = D102, .n_dependencies = 1},
};

static exit_drill DRILLS[] = {
    {.id = 1, .workload = 100, .drilled_on = "2026-01-02", .result = "failed"},
    {.id = 2, .workload = 100, .drilled_on = "2026-03-04", .result = "passed"},
};

static risk_result RISK[3];
static portfolio P;
static arena A;

static int setup(void **state)
{
    (void)state;
    memset(&P, 0, sizeof P);
    arena_init(&A);
    assert_int_equal(date_parse("2026-05-04", &P.today), 0);
    P.vendors = VENDORS;
    P.n_vendors = COUNT(VENDORS);
    P.offerings = OFFERINGS;
    P.n_offerings = COUNT(OFFERINGS);
    P.workloads = WORKLOADS;
    P.n_workloads = COUNT(WORKLOADS);
    P.drills = DRILLS;
    P.n_drills = COUNT(DRILLS);
    assert_int_equal(portfolio_index(&P, &A), 0);
    RISK[0] = (risk_result){.score = 80, .level = 3, .priority = 0, .flagged = 1};
    RISK[1] = (risk_result){.score = 10, .level = 0, .priority = 3};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(&A);
    return 0;
}

static json_t *bom_of(int64_t only, const cdx_meta *m)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    assert_int_equal(cyclonedx_write(&w, &P, RISK, m, only), 0);
    json_error_t err;
    json_t *doc = json_loadb(b.data, b.len, 0, &err);
    buf_free(&b);
    assert_non_null(doc);
    return doc;
}

/* metadata.component's name. */
static const char *rh_name(const json_t *meta)
{
    return json_string_value(json_object_get(json_object_get(meta, "component"), "name"));
}

static const char *prop(const json_t *item, const char *name)
{
    const json_t *props = json_object_get(item, "properties");
    for (size_t i = 0; i < json_array_size(props); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(props, i), "name")), name) == 0)
            return json_string_value(json_object_get(json_array_get(props, i), "value"));
    return NULL;
}

static void bom_of_the_active_set(void **state)
{
    (void)state;
    cdx_meta m = {"urn:uuid:00000000-0000-4000-8000-000000000000", "2026-05-04T09:30:00Z",
                  "Northwind", "1.2.3"};
    json_t *doc = bom_of(0, &m);
    assert_string_equal(json_string_value(json_object_get(doc, "specVersion")), "1.6");
    const json_t *meta = json_object_get(doc, "metadata");
    assert_string_equal(json_string_value(json_object_get(meta, "timestamp")), m.timestamp);
    assert_string_equal(rh_name(meta), "Northwind AI portfolio");
    /* Active workloads (not the retired one) and the model; the data store
     * as a service; the retired workload's offering only through others. */
    const json_t *comps = json_object_get(doc, "components");
    assert_int_equal(json_array_size(comps), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(comps, 0), "bom-ref")),
                        "switchyard:workload:100");
    const json_t *claims = json_array_get(comps, 0);
    assert_string_equal(prop(claims, "switchyard:lock_in_score"), "80");
    assert_string_equal(prop(claims, "switchyard:lock_in_level"), "critical");
    assert_string_equal(prop(claims, "switchyard:priority"), "P1");
    assert_string_equal(prop(claims, "switchyard:flagged"), "true");
    assert_string_equal(prop(claims, "switchyard:last_drill_result"), "passed");
    assert_string_equal(prop(claims, "switchyard:last_drill_date"), "2026-03-04");
    assert_string_equal(json_string_value(json_object_get(claims, "description")),
                        "Triage \"claims\"");
    const json_t *pilot = json_array_get(comps, 1);
    assert_string_equal(prop(pilot, "switchyard:last_drill_result"), "none");
    assert_null(prop(pilot, "switchyard:last_drill_date"));
    const json_t *model = json_array_get(comps, 2);
    assert_string_equal(json_string_value(json_object_get(model, "type")), "machine-learning-model");
    assert_string_equal(json_string_value(json_object_get(model, "version")), "gpt-x 2026-01-01");
    assert_string_equal(json_string_value(json_object_get(model, "publisher")), "OpenAI");
    /* OpenAI's website is no URL: the organisation is named without one. */
    assert_null(json_object_get(json_object_get(model, "manufacturer"), "url"));
    assert_int_equal(json_array_size(json_object_get(json_object_get(model, "supplier"), "url")), 1);
    /* url and source are the same: one reference. */
    assert_int_equal(json_array_size(json_object_get(model, "externalReferences")), 1);
    const json_t *uses = json_object_get(
        json_object_get(json_object_get(model, "modelCard"), "considerations"), "useCases");
    assert_int_equal(json_array_size(uses), 2);
    const json_t *svcs = json_object_get(doc, "services");
    assert_int_equal(json_array_size(svcs), 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(svcs, 0),
                                                                          "provider"), "name")),
                        "Microsoft");
    /* portfolio -> 2 workloads; Claims -> 10 once (model and hosting), 11. */
    const json_t *deps = json_object_get(doc, "dependencies");
    assert_int_equal(json_array_size(deps), 5);
    assert_int_equal(json_array_size(json_object_get(json_array_get(deps, 0), "dependsOn")), 2);
    const json_t *on = json_object_get(json_array_get(deps, 1), "dependsOn");
    assert_int_equal(json_array_size(on), 2);
    assert_string_equal(json_string_value(json_array_get(on, 0)), "switchyard:offering:10");
    assert_string_equal(json_string_value(json_array_get(on, 1)), "switchyard:offering:11");
    json_decref(doc);
}

static void bom_of_one_workload_without_serial(void **state)
{
    (void)state;
    cdx_meta m = {NULL, NULL, NULL, "1.2.3"};
    json_t *doc = bom_of(102, &m);   /* retired: still its own BOM */
    assert_null(json_object_get(doc, "serialNumber"));
    const json_t *meta = json_object_get(doc, "metadata");
    assert_null(json_object_get(meta, "timestamp"));
    assert_null(json_object_get(meta, "manufacturer"));
    assert_string_equal(rh_name(meta), "AI portfolio");
    assert_int_equal(json_array_size(json_object_get(doc, "components")), 1);
    assert_int_equal(json_array_size(json_object_get(doc, "services")), 1);
    json_decref(doc);
}

/* Formula-like cells get a leading quote and are quoted (core/csv.h); the
 * retired workload has no row; gaps are the AI Act findings naming it. */
static void register_csv_guards_formulas(void **state)
{
    (void)state;
    compliance_finding *items;
    size_t n;
    assert_int_equal(compliance_findings(&P, SIZE_MAX, &A, &items, &n), 0);
    buf b;
    buf_init(&b);
    assert_int_equal(ai_act_csv(&P, items, n, &b), 0);
    assert_string_equal(
        b.data,
        "workload_id,workload,status,risk_tier,annex_iii_area,ai_system_provider,"
        "intended_purpose,oversight_owner,log_retention_months,fria_status,fria_date,"
        "affected_persons_informed,incident_contact,owner,gaps\r\n"
        "100,Claims,production,high,essential_services,Microsoft,Triage,Ann,3,done,2026-01-01,,,"
        "Ann,ai_act_log_retention; ai_act_incident_contact; ai_act_information\r\n"
        "101,Pilot =x,pilot,minimal,,,\"'=HYPERLINK(\"\"x\"\")\",,,,,,\"'+desk\",\"'@bob\",\r\n");
    buf_free(&b);
}

static void register_json_counts_gaps(void **state)
{
    (void)state;
    compliance_finding *items;
    size_t n;
    assert_int_equal(compliance_findings(&P, SIZE_MAX, &A, &items, &n), 0);
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    assert_int_equal(ai_act_json(&P, items, n, &w), 0);
    json_t *doc = json_loadb(b.data, b.len, 0, NULL);
    buf_free(&b);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "count")), 2);
    assert_int_equal(json_integer_value(json_object_get(doc, "with_gaps")), 1);
    const json_t *pilot = json_array_get(json_object_get(doc, "rows"), 1);
    assert_true(json_is_null(json_object_get(pilot, "log_retention_months")));
    assert_true(json_is_null(json_object_get(pilot, "ai_system_provider")));
    assert_string_equal(json_string_value(json_object_get(pilot, "intended_purpose")),
                        "=HYPERLINK(\"x\")");
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bom_of_the_active_set, setup, teardown),
        cmocka_unit_test_setup_teardown(bom_of_one_workload_without_serial, setup, teardown),
        cmocka_unit_test_setup_teardown(register_csv_guards_formulas, setup, teardown),
        cmocka_unit_test_setup_teardown(register_json_counts_gaps, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
