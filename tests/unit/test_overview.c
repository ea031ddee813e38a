/* test_overview.c - the one active set and priority over a whole portfolio
 * (shared domain.md rev. 2 "The active set", "Priority", reference case 5;
 * core/overview.h, core/risk.h, core/concentration.h, core/findings.h).
 * Today is pinned to 2026-05-01; every expected figure is worked out next
 * to its assertion.
 *
 * Vendors (group): 1 Microsoft (1), 2 OpenAI (2), 4 Google (4).
 * Offerings (provider/publisher/host, interface):
 *   10 Azure OpenAI     1/2/1  openai_compatible
 *   11 Azure Cosmos DB  1/-/1  proprietary (data store)
 *   12 OpenAI API       2/2/2  openai_compatible
 *   17 Cloud Storage    4/-/4  open_standard (data store)
 *
 * Workloads (track, status, criticality, spend; deps):
 *   1 "Active critical"   azure  production critical 1000  10 model, 11 data
 *       one group 25, no swap 20, proprietary 15, no second model 10,
 *       gravity 5 = 75: critical x critical = P1, flagged
 *   2 "Retired critical"  azure  retired    critical 9000  same as 1
 *       75 critical, P1 by the matrix, but outside the active set:
 *       reference case 5, in no flagged, level, priority or HHI figure
 *   3 "Proposed critical" azure  proposed   high     5000  same as 1
 *       75 critical, P1, pipeline: counted as such only
 *   4 "Pilot medium"      openai pilot      medium    400  12 model, 17 data
 *       two groups 12, no swap 20, no second model 10 = 42 medium;
 *       medium x medium = P3
 *   5 "Pilot high"        azure  pilot      high      600  10 model, 11 data
 *       the same 75 as 1: critical x high = P1; exposure 75 x 3 = 225,
 *       below 1's 75 x 4 = 300 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/concentration.h"
#include "core/findings.h"
#include "core/overview.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

static vendor VENDORS[] = {
    {.id = 1, .name = "Microsoft", .group_id = 1},
    {.id = 2, .name = "OpenAI", .group_id = 2},
    {.id = 4, .name = "Google", .group_id = 4},
};

#define OFFER(i, n, pr, pu, ho, tr, cat, itf)                                               \
    {.id = i, .name = n, .provider = pr, .publisher = pu, .host = ho, .track = tr,          \
     .category = cat, .interface = itf}

static offering OFFERINGS[] = {
    OFFER(10, "Azure OpenAI", 1, 2, 1, "azure", "model_api", "openai_compatible"),
    OFFER(11, "Azure Cosmos DB", 1, 0, 1, "azure", "data_store", "proprietary"),
    OFFER(12, "OpenAI API", 2, 2, 2, "openai", "model_api", "openai_compatible"),
    OFFER(17, "Cloud Storage", 4, 0, 4, "other", "data_store", "open_standard"),
};

static dependency D_AZURE[] = {{10, "model"}, {11, "data"}};
static dependency D_MIXED[] = {{12, "model"}, {17, "data"}};

#define WL(i, n, tr, st, crit, spend, deps)                                                 \
    {.id = i, .name = n, .track = tr, .status = st, .criticality = crit,                   \
     .data_classification = "internal", .ai_act_tier = "minimal", .monthly_spend = spend,   \
     .dependencies = deps, .n_dependencies = COUNT(deps)}

static workload WORKLOADS[] = {
    WL(1, "Active critical", "azure", "production", "critical", 100000, D_AZURE),
    WL(2, "Retired critical", "azure", "retired", "critical", 900000, D_AZURE),
    WL(3, "Proposed critical", "azure", "proposed", "high", 500000, D_AZURE),
    WL(4, "Pilot medium", "openai", "pilot", "medium", 40000, D_MIXED),
    WL(5, "Pilot high", "azure", "pilot", "high", 60000, D_AZURE),
};

typedef struct fixture {
    arena a;
    portfolio p;
    risk_result risk[COUNT(WORKLOADS)];
} fixture;

static fixture F;

static int setup(void **state)
{
    arena_init(&F.a);
    memset(&F.p, 0, sizeof F.p);
    assert_int_equal(date_parse("2026-05-01", &F.p.today), 0);
    F.p.vendors = VENDORS;
    F.p.n_vendors = COUNT(VENDORS);
    F.p.offerings = OFFERINGS;
    F.p.n_offerings = COUNT(OFFERINGS);
    F.p.workloads = WORKLOADS;
    F.p.n_workloads = COUNT(WORKLOADS);
    assert_int_equal(portfolio_index(&F.p, &F.a), 0);
    assert_int_equal(risk_prepare(&F.p, &F.a), 0);
    risk_weights w;
    risk_default_weights(&w);
    for (size_t i = 0; i < COUNT(WORKLOADS); i++)
        risk_assess(&F.p, &WORKLOADS[i], &w, &F.a, &F.risk[i]);
    *state = &F;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    arena_free(&f->a);
    return 0;
}

static void scores_levels_and_priorities(void **state)
{
    fixture *f = *state;
    static const int score[] = {75, 75, 75, 42, 75};
    static const char *const priority[] = {"P1", "P1", "P1", "P3", "P1"};
    static const int flagged[] = {1, 0, 0, 0, 1};
    for (size_t i = 0; i < COUNT(WORKLOADS); i++) {
        assert_int_equal(f->risk[i].score, score[i]);
        assert_string_equal(RISK_PRIORITIES[f->risk[i].priority], priority[i]);
        assert_int_equal(f->risk[i].flagged, flagged[i]);
        assert_int_equal(f->risk[i].active, workload_active(&WORKLOADS[i]));
    }
    assert_string_equal(RISK_LEVELS[f->risk[1].level], "critical");
    assert_true(status_active("pilot"));
    assert_true(status_active("production"));
    assert_false(status_active("proposed"));
    assert_false(status_active("retired"));
    assert_false(status_active(NULL));
}

/* Reference case 5: the retired workload with critical lock-in (2) is in
 * no flagged list, no priority or level count and no concentration
 * figure; the proposed one (3) is pipeline only. */
static void reference_case_5_retired_excluded_everywhere(void **state)
{
    fixture *f = *state;
    ov_counts c;
    ov_count(&f->p, f->risk, NULL, &c);
    assert_int_equal(c.workloads, 5);
    assert_int_equal(c.active, 3);          /* 1, 4, 5 */
    assert_int_equal(c.pipeline, 1);        /* 3 */
    assert_int_equal(c.history, 1);         /* 2 */
    assert_int_equal(c.status[3], 1);
    assert_int_equal(c.flagged, 2);         /* 1 and 5 */
    assert_int_equal(c.priority[0], 2);     /* P1: 1 and 5, not 2 or 3 */
    assert_int_equal(c.priority[2], 1);     /* P3: 4 */
    assert_int_equal(c.level[3], 2);        /* critical: 1 and 5 */
    assert_int_equal(c.level[1], 1);        /* medium: 4 */
    assert_int_equal(c.track[1], 2);        /* azure: 1 and 5 */
    assert_int_equal(c.spend, 200000);      /* 1000 + 400 + 600 */
    assert_int_equal(c.production, 1);
    /* The flagged list: 1 (exposure 300) before 5 (225); never 2 or 3. */
    ov_item *items;
    size_t n, total;
    assert_int_equal(ov_flagged(&f->p, f->risk, NULL, 0, &f->a, &items, &n, &total), 0);
    assert_int_equal(n, 2);
    assert_int_equal(WORKLOADS[items[0].index].id, 1);
    assert_int_equal(items[0].exposure, 300);
    assert_int_equal(WORKLOADS[items[1].index].id, 5);
    assert_int_equal(items[1].exposure, 225);
    /* The azure view's rows: the active ones only. */
    assert_int_equal(ov_track_rows(&f->p, f->risk, "azure", 0, &f->a, &items, &n, &total), 0);
    assert_int_equal(n, 2);
    /* Concentration, provider layer by spend: Microsoft 1000 + 600 = 1600,
     * OpenAI 200, Google 200 (4 split over two groups) of 2000; without
     * 2's 9000 and 3's 5000. */
    concentration conc;
    assert_int_equal(concentration_compute(&f->p, 1, 0, NULL, NULL, &f->a, &conc), 0);
    assert_float_equal(conc.layers[LAYER_PROVIDER].total, 2000, 1e-9);
    assert_float_equal(conc.layers[LAYER_PROVIDER].shares[0].amount, 1600, 1e-9);
    /* Findings: the azure track's "flagged" finding names 1 and 5 only. */
    finding *fs;
    size_t nf;
    assert_int_equal(findings_for_track(&f->p, f->risk, "azure", &f->a, &fs, &nf), 0);
    int seen = 0;
    for (size_t i = 0; i < nf; i++) {
        for (size_t k = 0; k < fs[i].n_workloads; k++)
            assert_true(fs[i].workloads[k] != 2 && fs[i].workloads[k] != 3);
        if (strcmp(fs[i].code, "flagged") == 0) {
            assert_int_equal(fs[i].n_workloads, 2);
            seen = 1;
        }
    }
    assert_true(seen);
}

/* Per track: the counts of a track are the active workloads of it. */
static void counts_per_track(void **state)
{
    fixture *f = *state;
    ov_counts c;
    ov_count(&f->p, f->risk, "openai", &c);
    assert_int_equal(c.workloads, 1);
    assert_int_equal(c.active, 1);
    assert_int_equal(c.flagged, 0);
    assert_int_equal(c.priority[2], 1);
    assert_int_equal(c.without_swap_layer, 1);
    ov_count(&f->p, f->risk, "azure", &c);
    assert_int_equal(c.workloads, 4);
    assert_int_equal(c.active, 2);
    assert_int_equal(c.flagged, 2);
    assert_int_equal(c.spend, 160000);
}

/* Equal priority and exposure: by name, then id, so the order is stable. */
static void flagged_order_ties_by_name_then_id(void **state)
{
    fixture *f = *state;
    workload saved = WORKLOADS[4];
    WORKLOADS[4].criticality = "critical";   /* 5: exposure 300 too */
    WORKLOADS[4].name = "Active critical";   /* same name as 1 */
    risk_result r5 = f->risk[4];
    f->risk[4].priority = 0;
    ov_item *items;
    size_t n, total;
    assert_int_equal(ov_flagged(&f->p, f->risk, NULL, 0, &f->a, &items, &n, &total), 0);
    WORKLOADS[4] = saved;
    f->risk[4] = r5;
    assert_int_equal(n, 2);
    assert_int_equal(items[0].exposure, 300);
    assert_int_equal(items[1].exposure, 300);
    assert_int_equal(items[0].index, 0);     /* id 1 before id 5 */
    assert_int_equal(items[1].index, 4);
}

/* The deadline finding (rule "deadline_lock_in"): for each customer
 * contract that renews by itself, covers an offering of the track and
 * whose notice deadline falls within RISK_HORIZON_DAYS (90), the active
 * workloads at high or critical lock-in, of any track, that depend on an
 * offering it covers. Today 2026-05-01; every contract below ends on
 * 2026-06-30 with 30 days' notice: deadline 2026-05-31, in 30 days. */
static void deadline_finding_per_contract(void **state)
{
    fixture *f = *state;
    static int64_t OPENAI[] = {10}, COSMOS[] = {11}, STORAGE[] = {17}, UNKNOWN[] = {99, 11};
    static dependency D_ODD[] = {{99, "model"}}; /* an offering not in the catalogue */
#define CT(i, n, offs, renews)                                                               \
    {.id = i, .name = n, .kind = "customer", .counterparty = 1, .offerings = offs,             \
     .n_offerings = COUNT(offs), .start_date = "2025-07-01", .end_date = "2026-06-30",         \
     .notice_days = 30, .auto_renew = renews, .renewal_months = 12, .currency = "EUR"}
    contract contracts[] = {
        CT(40, "Azure OpenAI agreement", OPENAI, 1),  /* 1 (5 now depends on 99 alone) */
        CT(41, "Cosmos agreement", COSMOS, 1),        /* 1 */
        CT(42, "Storage agreement", STORAGE, 1),      /* no azure offering: not this view */
        CT(43, "Fixed-term agreement", OPENAI, 0),    /* does not renew by itself */
        CT(44, "Odd agreement", UNKNOWN, 1),          /* 5 through 99, 1 through 11 */
    };
#undef CT
    workload saved = WORKLOADS[4];
    WORKLOADS[4].dependencies = D_ODD;
    WORKLOADS[4].n_dependencies = 1;
    /* Workload 5 (index 4) keeps the critical level it was scored at. */
    f->p.contracts = contracts;
    f->p.n_contracts = COUNT(contracts);
    finding *fs;
    size_t nf;
    assert_int_equal(findings_for_track(&f->p, f->risk, "azure", &f->a, &fs, &nf), 0);
    static const char *const keys[] = {"deadline_lock_in.azure.c40", "deadline_lock_in.azure.c41",
                                       "deadline_lock_in.azure.c44"};
    static const int64_t want[][2] = {{1, 0}, {1, 0}, {1, 5}};
    static const size_t n_want[] = {1, 1, 2};
    size_t deadlines = 0;
    for (size_t i = 0; i < nf; i++) {
        if (strcmp(fs[i].code, "deadline_lock_in") != 0)
            continue;
        deadlines++;
        size_t k = 0;
        while (k < COUNT(keys) && strcmp(fs[i].key, keys[k]) != 0)
            k++;
        assert_true(k < COUNT(keys)); /* never 42 or 43 */
        assert_int_equal(fs[i].n_workloads, n_want[k]);
        for (size_t j = 0; j < n_want[k]; j++)
            assert_int_equal(fs[i].workloads[j], want[k][j]);
    }
    assert_int_equal(deadlines, 3);
    WORKLOADS[4] = saved;
    f->p.contracts = NULL;
    f->p.n_contracts = 0;
}

/* Declared only: active workloads with a swap layer or alternatives that
 * no import observed, by name. 1, 2, 3 and 4 say they have a swap layer,
 * 5 names an alternative; 4's swap layer was observed; 2 (retired) and 3
 * (proposed) are outside the active set. Left: 1 "Active critical" (swap
 * layer) and 5 "Pilot high" (alternatives), in that order. */
static void declared_only_by_name(void **state)
{
    fixture *f = *state;
    static alternative ALT[] = {{.dependency = 10, .offering = 12}};
    for (int i = 0; i < 4; i++)
        WORKLOADS[i].swap_layer = 1;
    WORKLOADS[4].alternatives = ALT;
    WORKLOADS[4].n_alternatives = 1;
    const int64_t observed_swap[] = {4};
    ov_declared *items;
    size_t n, total;
    assert_int_equal(ov_declared_only(&f->p, observed_swap, 1, NULL, 0, 0, &f->a, &items, &n,
                                      &total), 0);
    assert_int_equal(total, 2);
    assert_int_equal(n, 2);
    assert_int_equal(WORKLOADS[items[0].index].id, 1);
    assert_true(items[0].swap_layer && !items[0].alternatives);
    assert_int_equal(WORKLOADS[items[1].index].id, 5);
    assert_true(!items[1].swap_layer && items[1].alternatives);
    /* The first one only, still counting both; an observed alternative
     * takes 5 off the list. */
    assert_int_equal(ov_declared_only(&f->p, observed_swap, 1, NULL, 0, 1, &f->a, &items, &n,
                                      &total), 0);
    assert_int_equal(total, 2);
    assert_int_equal(n, 1);
    assert_int_equal(WORKLOADS[items[0].index].id, 1);
    const int64_t observed_alts[] = {5};
    assert_int_equal(ov_declared_only(&f->p, observed_swap, 1, observed_alts, 1, 0, &f->a,
                                      &items, &n, &total), 0);
    assert_int_equal(total, 1);
    for (int i = 0; i < 4; i++)
        WORKLOADS[i].swap_layer = 0;
    WORKLOADS[4].alternatives = NULL;
    WORKLOADS[4].n_alternatives = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(scores_levels_and_priorities, setup, teardown),
        cmocka_unit_test_setup_teardown(reference_case_5_retired_excluded_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(counts_per_track, setup, teardown),
        cmocka_unit_test_setup_teardown(flagged_order_ties_by_name_then_id, setup, teardown),
        cmocka_unit_test_setup_teardown(deadline_finding_per_contract, setup, teardown),
        cmocka_unit_test_setup_teardown(declared_only_by_name, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
