/* test_compliance.c - compliance findings (core/compliance.h, domain.md
 * "Compliance checks"): each rule on its own, the region vocabulary, the
 * grouping of findings, the active set only and the order. Today is pinned
 * to 2026-12-05; every expectation is worked out next to its assertion.
 *
 * Vendors: 1 Microsoft (US), 2 OpenAI (US), 3 Mistral AI (FR), 4 DeepSeek (CN).
 * Offerings (provider, regions):
 *   10 Azure OpenAI EU data zone  1  EU
 *   11 OpenAI API                 2  US
 *   12 Mistral API                3  EU
 *   13 DeepSeek API               4  CN
 *   14 Cosmos DB                  1  (none recorded)
 *   20 Old model                  1  EU, retired 2026-10-01, successor 21
 *   21 New model                  1  EU, retires 2027-05-15 (163 days), none named
 *   22 Soon model                 2  US, retires 2027-01-20 (46 days), none named
 *   23 Planned model              2  US, retires 2027-01-20, successor 21 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/compliance.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

static vendor VENDORS[] = {
    {.id = 1, .name = "Microsoft", .country = "US", .kind = "company", .group_id = 1},
    {.id = 2, .name = "OpenAI", .country = "US", .kind = "company", .group_id = 2},
    {.id = 3, .name = "Mistral AI", .country = "FR", .kind = "company", .group_id = 3},
    {.id = 4, .name = "DeepSeek", .country = "CN", .kind = "company", .group_id = 4},
};

static const char *EU[] = {"EU"};
static const char *US[] = {"US"};
static const char *CN[] = {"China"};

#define OFFER(i, n, pr, reg, nreg)                                                          \
    {.id = i, .name = n, .provider = pr, .publisher = pr, .host = pr, .track = "other",      \
     .category = "model_api", .interface = "openai_compatible", .regions = reg,              \
     .n_regions = nreg}

static offering OFFERINGS[] = {
    OFFER(10, "Azure OpenAI EU data zone", 1, EU, 1),
    OFFER(11, "OpenAI API", 2, US, 1),
    OFFER(12, "Mistral API", 3, EU, 1),
    OFFER(13, "DeepSeek API", 4, CN, 1),
    OFFER(14, "Cosmos DB", 1, NULL, 0),
    {.id = 20, .name = "Old model", .provider = 1, .publisher = 1, .host = 1, .track = "azure",
     .category = "model_api", .interface = "openai_compatible", .regions = EU, .n_regions = 1,
     .retires = "2026-10-01", .successor = 21},
    {.id = 21, .name = "New model", .provider = 1, .publisher = 1, .host = 1, .track = "azure",
     .category = "model_api", .interface = "openai_compatible", .regions = EU, .n_regions = 1,
     .retires = "2027-05-15"},
    {.id = 22, .name = "Soon model", .provider = 2, .publisher = 2, .host = 2, .track = "openai",
     .category = "model_api", .interface = "openai_compatible", .regions = US, .n_regions = 1,
     .retires = "2027-01-20"},
    {.id = 23, .name = "Planned model", .provider = 2, .publisher = 2, .host = 2,
     .track = "openai", .category = "model_api", .interface = "openai_compatible",
     .regions = US, .n_regions = 1, .retires = "2027-01-20", .successor = 21},
};

static int64_t K_OFFS[] = {10, 14};

static contract CONTRACTS[] = {
    {.id = 30, .name = "Azure commitment", .kind = "customer", .counterparty = 1,
     .offerings = K_OFFS, .n_offerings = COUNT(K_OFFS), .start_date = "2025-01-01",
     .end_date = "2028-12-31", .currency = "EUR", .exit_clause = "full",
     .substitutability = "medium", .exit_plan = "Move to Mistral."},
};

typedef struct fixture {
    arena a;
    portfolio p;
    workload w[8];
    dependency d[8][3];
} fixture;

static fixture F;

/* Workload i (id 100 + i): active production, one model dependency. */
static workload *wl(fixture *f, size_t i, const char *cls, int64_t model, const char **regions,
                    size_t n_regions)
{
    workload *w = &f->w[i];
    memset(w, 0, sizeof *w);
    w->id = 100 + (int64_t)i;
    char name[32];
    snprintf(name, sizeof name, "Workload %c", (char)('A' + i));
    w->name = arena_strdup(&f->a, name);
    w->track = "other";
    w->status = "production";
    w->criticality = "medium";
    w->data_classification = cls;
    w->ai_act_tier = "minimal";
    w->oversight_owner = "";
    f->d[i][0] = (dependency){model, "model"};
    w->dependencies = f->d[i];
    w->n_dependencies = 1;
    w->allowed_regions = regions;
    w->n_allowed_regions = n_regions;
    return w;
}

static void use(fixture *f, size_t n)
{
    f->p.workloads = f->w;
    f->p.n_workloads = n;
    assert_int_equal(portfolio_index(&f->p, &f->a), 0);
}

static int setup(void **state)
{
    memset(&F, 0, sizeof F);
    arena_init(&F.a);
    assert_int_equal(date_parse("2026-12-05", &F.p.today), 0);
    F.p.vendors = VENDORS;
    F.p.n_vendors = COUNT(VENDORS);
    F.p.offerings = OFFERINGS;
    F.p.n_offerings = COUNT(OFFERINGS);
    F.p.contracts = CONTRACTS;
    F.p.n_contracts = COUNT(CONTRACTS);
    *state = &F;
    return 0;
}

static int teardown(void **state)
{
    arena_free(&((fixture *)*state)->a);
    return 0;
}

static size_t findings(fixture *f, compliance_finding **out)
{
    size_t n;
    assert_int_equal(compliance_findings(&f->p, SIZE_MAX, &f->a, out, &n), 0);
    return n;
}

static const compliance_finding *only(compliance_finding *items, size_t n, const char *code,
                                      size_t *count)
{
    const compliance_finding *hit = NULL;
    *count = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].code, code) == 0) {
            hit = &items[i];
            ++*count;
        }
    return hit;
}

static void regions_compare_without_case_and_eu_admits_members(void **state)
{
    (void)state;
    const char *eu[] = {"EU"}, *eea[] = {"eea"}, *de[] = {"DE", "ch"};
    assert_true(region_allowed("eu", eu, 1));
    assert_true(region_allowed("FR", eu, 1));
    assert_true(region_allowed("de", eu, 1));
    assert_false(region_allowed("NO", eu, 1));
    assert_false(region_allowed("US", eu, 1));
    assert_false(region_allowed("Global", eu, 1));
    assert_true(region_allowed("NO", eea, 1));
    assert_true(region_allowed("EU", eea, 1));
    assert_true(region_allowed("IT", eea, 1));
    assert_true(region_allowed("CH", de, 2));
    assert_false(region_allowed("FR", de, 2));
    assert_false(region_allowed("EU", NULL, 0));
}

static void residency_by_classification(void **state)
{
    fixture *f = *state;
    /* A: restricted to DeepSeek (China only) -> high, and DeepSeek is
     * headquartered in CN -> a medium provider finding.
     * B: confidential to the OpenAI API (US only) -> medium; no provider
     * finding (that one is for restricted data only).
     * C: restricted on Mistral (EU, FR): nothing.
     * D: internal data to the OpenAI API: nothing (not guarded).
     * E: confidential with no allowed regions: nothing (anywhere). */
    wl(f, 0, "restricted", 13, EU, 1);
    wl(f, 1, "confidential", 11, EU, 1);
    wl(f, 2, "restricted", 12, EU, 1);
    wl(f, 3, "internal", 11, EU, 1);
    wl(f, 4, "confidential", 11, NULL, 0);
    use(f, 5);
    compliance_finding *items;
    size_t n = findings(f, &items), count;
    only(items, n, "residency", &count);
    assert_int_equal(count, 3);
    /* Order: high first. */
    assert_string_equal(items[0].code, "residency");
    assert_string_equal(items[0].severity, "high");
    assert_int_equal(items[0].workloads[0], 100);
    /* A stable key: the rule, the workload and the offering. */
    assert_int_equal(strncmp(items[0].key, "residency.w100.o", 16), 0);
    assert_string_equal(items[0].detail,
                        "\"Workload A\" sends restricted data to DeepSeek API, which processes it "
                        "only in China, outside its allowed regions (EU).");
    int medium_region = 0, provider = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(items[i].code, "residency") != 0 || strcmp(items[i].severity, "medium") != 0)
            continue;
        if (strstr(items[i].detail, "headquartered in CN")) {
            provider++;
            assert_int_equal(strncmp(items[i].key, "residency_hq.v", 14), 0);
            assert_int_equal(items[i].n_workloads, 1);
            assert_int_equal(items[i].workloads[0], 100);
        } else {
            medium_region++;
            assert_int_equal(items[i].workloads[0], 101);
            assert_non_null(strstr(items[i].detail, "confidential data to OpenAI API"));
        }
    }
    assert_int_equal(medium_region, 1);
    assert_int_equal(provider, 1);
}

static void unknown_regions_and_foreign_providers_are_grouped(void **state)
{
    fixture *f = *state;
    /* Three restricted EU workloads on Cosmos DB (no regions recorded):
     * one low residency_unknown naming all three; Microsoft (US) provides
     * it: one medium provider finding naming all three, by name. */
    for (size_t i = 0; i < 3; i++)
        wl(f, i, "restricted", 14, EU, 1);
    use(f, 3);
    compliance_finding *items;
    size_t n = findings(f, &items), count;
    const compliance_finding *u = only(items, n, "residency_unknown", &count);
    assert_int_equal(count, 1);
    assert_string_equal(u->severity, "low");
    assert_int_equal(u->n_workloads, 3);
    assert_int_equal(u->workloads[0], 100);
    assert_int_equal(u->workloads[2], 102);
    assert_non_null(strstr(u->detail, "3 workloads"));
    const compliance_finding *r = only(items, n, "residency", &count);
    assert_int_equal(count, 1);
    assert_string_equal(r->severity, "medium");
    assert_int_equal(r->n_workloads, 3);
    assert_non_null(strstr(r->detail, "offerings of Microsoft, headquartered in US"));
}

static void retired_and_retiring_models(void **state)
{
    fixture *f = *state;
    /* A on the old model (retired 2026-10-01, successor New model): high,
     * naming the successor. B on Soon model (46 days, no successor):
     * medium. C on Planned model (46 days, successor named): nothing.
     * D on New model (163 days): nothing yet. E retired workload on the old
     * model: not counted. */
    wl(f, 0, "internal", 20, NULL, 0);
    wl(f, 1, "internal", 22, NULL, 0);
    wl(f, 2, "internal", 23, NULL, 0);
    wl(f, 3, "internal", 21, NULL, 0);
    wl(f, 4, "internal", 20, NULL, 0)->status = "retired";
    use(f, 5);
    compliance_finding *items;
    size_t n = findings(f, &items), count;
    const compliance_finding *gone = only(items, n, "model_retired", &count);
    assert_int_equal(count, 1);
    assert_string_equal(gone->severity, "high");
    assert_int_equal(gone->n_workloads, 1);
    assert_int_equal(gone->workloads[0], 100);
    assert_string_equal(gone->action, "Move it to New model now.");
    const compliance_finding *soon = only(items, n, "model_retiring", &count);
    assert_int_equal(count, 1);
    assert_string_equal(soon->severity, "medium");
    assert_int_equal(soon->workloads[0], 101);
    assert_non_null(strstr(soon->detail, "retires on 2027-01-20, in 46 days"));
}

static void ai_act_oversight_and_untested_exit_plans(void **state)
{
    fixture *f = *state;
    /* A high-risk with neither owner nor assessment; B high-risk with both;
     * C high-risk with an owner only. D and E critical on the Azure
     * commitment (never tested): one finding naming both. */
    workload *a = wl(f, 0, "internal", 12, NULL, 0);
    a->ai_act_tier = "high";
    workload *b = wl(f, 1, "internal", 12, NULL, 0);
    b->ai_act_tier = "high";
    b->oversight_owner = "Ann";
    b->impact_assessment = "2026-06-01";
    workload *c = wl(f, 2, "internal", 12, NULL, 0);
    c->ai_act_tier = "high";
    c->oversight_owner = "Ann";
    wl(f, 3, "internal", 10, NULL, 0)->criticality = "critical";
    wl(f, 4, "internal", 10, NULL, 0)->criticality = "critical";
    use(f, 5);
    compliance_finding *items;
    size_t n = findings(f, &items), count;
    only(items, n, "ai_act_oversight", &count);
    assert_int_equal(count, 2);
    assert_string_equal(items[0].code, "ai_act_oversight");
    assert_string_equal(items[0].key, "ai_act_oversight.w100");
    assert_string_equal(items[0].detail,
                        "\"Workload A\" is a high-risk AI system under the EU AI Act and has no "
                        "human-oversight owner and no fundamental-rights impact assessment on "
                        "file.");
    assert_string_equal(items[1].detail,
                        "\"Workload C\" is a high-risk AI system under the EU AI Act and has no "
                        "fundamental-rights impact assessment on file.");
    const compliance_finding *x = only(items, n, "exit_plan_untested", &count);
    assert_int_equal(count, 1);
    assert_int_equal(x->n_workloads, 2);
    assert_non_null(strstr(x->detail, "covers 2 critical workloads"));
    assert_non_null(strstr(x->detail, "never been tested"));
    /* Once tested, it goes. */
    CONTRACTS[0].exit_plan_tested = "2026-09-01";
    n = findings(f, &items);
    only(items, n, "exit_plan_untested", &count);
    CONTRACTS[0].exit_plan_tested = NULL;
    assert_int_equal(count, 0);
}

/* A high-risk workload with a complete register raises nothing; each gap
 * of the register raises its own finding, naming the workload. */
static workload *registered(fixture *f, size_t i)
{
    workload *w = wl(f, i, "internal", 12, NULL, 0);
    w->ai_act_tier = "high";
    w->oversight_owner = "Ann";
    w->impact_assessment = "2026-06-01";
    w->annex_iii_area = "essential_services";
    w->log_retention_months = 6;
    w->fria_status = "done";
    w->persons_informed = "2026-06-02";
    w->incident_contact = "AI desk";
    return w;
}

static void ai_act_register_gaps(void **state)
{
    fixture *f = *state;
    registered(f, 0);                                   /* A: complete */
    registered(f, 1)->annex_iii_area = NULL;            /* B */
    registered(f, 2)->log_retention_months = 5;         /* C: under six months */
    registered(f, 3)->log_retention_months = 0;         /* D: none recorded */
    workload *e = registered(f, 4);                     /* E: FRIA planned */
    e->fria_status = "planned";
    e->impact_assessment = NULL;
    registered(f, 5)->incident_contact = "";            /* F */
    registered(f, 6)->persons_informed = NULL;          /* G */
    workload *h = registered(f, 7);                     /* H: not high-risk: no gaps count */
    h->ai_act_tier = "limited";
    h->annex_iii_area = NULL;
    h->log_retention_months = 0;
    h->incident_contact = "";
    use(f, 8);
    compliance_finding *items;
    size_t n = findings(f, &items), count;
    const compliance_finding *x = only(items, n, "ai_act_annex_iii", &count);
    assert_int_equal(count, 1);
    assert_int_equal(x->workloads[0], 101);
    assert_string_equal(x->severity, "high");
    x = only(items, n, "ai_act_log_retention", &count);
    assert_int_equal(count, 2);
    const compliance_finding *c = NULL, *d = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].code, "ai_act_log_retention") == 0)
            *(items[i].workloads[0] == 102 ? &c : &d) = &items[i];
    assert_non_null(c);
    assert_non_null(d);
    assert_int_equal(d->workloads[0], 103);
    assert_string_equal(c->detail, "\"Workload C\" keeps its logs for 5 months; a deployer of a "
                                   "high-risk AI system keeps them for at least 6 months (AI Act "
                                   "Art. 26(6)).");
    assert_non_null(strstr(d->detail, "has no log retention period recorded"));
    x = only(items, n, "ai_act_fria", &count);
    assert_int_equal(count, 1);
    assert_int_equal(x->workloads[0], 104);
    assert_string_equal(x->severity, "medium");
    /* E's FRIA is planned, so it has none on file either. */
    x = only(items, n, "ai_act_oversight", &count);
    assert_int_equal(count, 1);
    assert_int_equal(x->workloads[0], 104);
    x = only(items, n, "ai_act_incident_contact", &count);
    assert_int_equal(count, 1);
    assert_int_equal(x->workloads[0], 105);
    x = only(items, n, "ai_act_information", &count);
    assert_int_equal(count, 1);
    assert_int_equal(x->workloads[0], 106);
    assert_string_equal(x->severity, "low");
    assert_int_equal(n, 7);
    /* A FRIA found not required counts as on file. */
    e->fria_status = "not_required";
    n = findings(f, &items);
    only(items, n, "ai_act_oversight", &count);
    assert_int_equal(count, 0);
    only(items, n, "ai_act_fria", &count);
    assert_int_equal(count, 0);
}

/* Findings asked to keep k of their workloads list a prefix of the full
 * list, with the same count, and name the tracks of all of them.
 * A copilot, B azure, C openai: restricted EU data on Cosmos DB (grouped
 * residency_unknown and Microsoft-headquarters findings naming all three);
 * D azure and E other: critical on the untested Azure commitment; F azure
 * on the retired Old model. */
static void kept_lists_are_prefixes_with_every_track(void **state)
{
    fixture *f = *state;
    const char *tracks[] = {"copilot", "azure", "openai"};
    for (size_t i = 0; i < 3; i++)
        wl(f, i, "restricted", 14, EU, 1)->track = tracks[i];
    workload *d = wl(f, 3, "internal", 10, NULL, 0);
    d->criticality = "critical";
    d->track = "azure";
    wl(f, 4, "internal", 10, NULL, 0)->criticality = "critical";
    wl(f, 5, "internal", 20, NULL, 0)->track = "azure";
    use(f, 6);
    compliance_finding *all, *one;
    size_t n, n_one;
    assert_int_equal(compliance_findings(&f->p, SIZE_MAX, &f->a, &all, &n), 0);
    assert_int_equal(compliance_findings(&f->p, 1, &f->a, &one, &n_one), 0);
    assert_int_equal(n, 4); /* residency_unknown, residency (HQ), exit plan, retired */
    assert_int_equal(n_one, n);
    size_t c;
    assert_int_equal(only(all, n, "residency_unknown", &c)->tracks, 1u | 2u | 4u);
    assert_int_equal(only(all, n, "residency", &c)->tracks, 1u | 2u | 4u);
    assert_int_equal(only(all, n, "exit_plan_untested", &c)->tracks, 2u | 8u);
    assert_int_equal(only(all, n, "model_retired", &c)->tracks, 2u);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(one[i].key, all[i].key);
        assert_int_equal(all[i].n_listed, all[i].n_workloads);
        assert_int_equal(one[i].n_workloads, all[i].n_workloads);
        assert_int_equal(one[i].n_listed, 1);
        assert_int_equal(one[i].workloads[0], all[i].workloads[0]);
        assert_int_equal(one[i].tracks, all[i].tracks);
        assert_string_equal(one[i].detail, all[i].detail);
    }
    /* Nothing kept: the counts and tracks alone (history counts by track). */
    assert_int_equal(compliance_findings(&f->p, 0, &f->a, &one, &n_one), 0);
    assert_int_equal(n_one, n);
    size_t listed = 0, total = 0, total_all = 0;
    for (size_t i = 0; i < n; i++) {
        listed += one[i].n_listed;
        total += one[i].n_workloads;
        total_all += all[i].n_workloads;
    }
    assert_int_equal(listed, 0);
    assert_int_equal(total, total_all);
    assert_int_equal(total_all, 3 + 3 + 2 + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regions_compare_without_case_and_eu_admits_members),
        cmocka_unit_test_setup_teardown(residency_by_classification, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_regions_and_foreign_providers_are_grouped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(retired_and_retiring_models, setup, teardown),
        cmocka_unit_test_setup_teardown(ai_act_oversight_and_untested_exit_plans, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(ai_act_register_gaps, setup, teardown),
        cmocka_unit_test_setup_teardown(kept_lists_are_prefixes_with_every_track, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
