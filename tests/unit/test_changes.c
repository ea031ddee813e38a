/* test_changes.c - change detection between two scored portfolios
 * (core/changes.h), over the vendors and offerings of test_overview.c.
 * Day since: 2026-04-01, today 2026-05-01.
 *
 * Before: 1 "Active critical" (azure, critical; no swap layer: 75,
 * critical, P1) and 5 "Pilot high" (pilot, 75 critical, P1). After: 1 has
 * a swap layer (no_swap_layer 20 -> 0) but is now bound by the new
 * contract 7 (contract_lock 0 -> 15: no exit clause) whose notice deadline
 * (2026-08-01 - 30 days = 07-02) is 62 days ahead (horizon 0 -> 10): 80,
 * still critical and P1; 5 is retired, 4 "Pilot medium" is new, and
 * contract 7 is new and ending. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/changes.h"

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

static workload BEFORE[] = {
    WL(1, "Active critical", "azure", "production", "critical", 100000, D_AZURE),
    WL(5, "Pilot high", "azure", "pilot", "high", 60000, D_AZURE),
};

static workload WORKLOADS[] = {
    WL(1, "Active critical", "azure", "production", "critical", 100000, D_AZURE),
    WL(2, "Retired critical", "azure", "retired", "critical", 900000, D_AZURE),
    WL(3, "Proposed critical", "azure", "proposed", "high", 500000, D_AZURE),
    WL(4, "Pilot medium", "openai", "pilot", "medium", 40000, D_MIXED),
    WL(5, "Pilot high", "azure", "pilot", "high", 60000, D_AZURE),
};

/* A customer contract for Azure OpenAI (10): ends 2026-08-01, 30 days'
 * notice (deadline 2026-07-02), committed until 2026-06-30, with a
 * comma, a semicolon and a backslash in its name. */
static int64_t C_OFFERINGS[] = {10};
static contract CONTRACTS[] = {
    {.id = 7, .name = "EA, Azure; \\ part", .kind = "customer", .counterparty = 1,
     .offerings = C_OFFERINGS, .n_offerings = 1, .start_date = "2025-08-02",
     .end_date = "2026-08-01", .notice_days = 30, .currency = "EUR",
     .committed_until = "2026-06-30", .exit_clause = "none", .substitutability = "medium"},
};


static void score(portfolio *p, arena *a, const char *today, contract *c, size_t n_c,
                  workload *w, size_t n_w, risk_result *out)
{
    memset(p, 0, sizeof *p);
    assert_int_equal(date_parse(today, &p->today), 0);
    p->vendors = VENDORS;
    p->n_vendors = COUNT(VENDORS);
    p->offerings = OFFERINGS;
    p->n_offerings = COUNT(OFFERINGS);
    p->contracts = c;
    p->n_contracts = n_c;
    p->workloads = w;
    p->n_workloads = n_w;
    assert_int_equal(portfolio_index(p, a), 0);
    assert_int_equal(risk_prepare(p, a), 0);
    risk_weights wt;
    risk_default_weights(&wt);
    for (size_t i = 0; i < n_w; i++)
        risk_assess(p, &w[i], &wt, a, &out[i]);
}

static void detects_each_kind(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    portfolio before, after;
    risk_result rb[COUNT(BEFORE)], ra[COUNT(WORKLOADS)];
    score(&before, &a, "2026-04-01", NULL, 0, BEFORE, COUNT(BEFORE), rb);
    WORKLOADS[0].swap_layer = 1;                /* 1 gets a swap layer */
    WORKLOADS[4].status = "retired";            /* 5 retires */
    score(&after, &a, "2026-05-01", CONTRACTS, COUNT(CONTRACTS), WORKLOADS, COUNT(WORKLOADS), ra);
    assert_int_equal(rb[0].score, 75);
    assert_int_equal(ra[0].score, 80);

    change_set cs;
    assert_int_equal(changes_compute(&before, rb, &after, ra, "2026-04-01T00:00:00Z", &a, &cs), 0);
    assert_int_equal(cs.n_workloads, 3); /* 2 and 3 were never active: no change */
    const change_item *w = &cs.workloads[0];
    assert_string_equal(w->name, "Active critical");
    assert_int_equal(w->n_changes, 3); /* critical both times: no level change */
    static const char *const codes[] = {"no_swap_layer", "contract_lock", "horizon"};
    static const int from[] = {20, 0, 0}, to[] = {0, 15, 10};
    for (int i = 0; i < 3; i++) {
        assert_string_equal(w->changes[i].kind, "factor");
        assert_string_equal(w->changes[i].code, codes[i]);
        assert_int_equal(w->changes[i].points_from, from[i]);
        assert_int_equal(w->changes[i].points_to, to[i]);
    }
    assert_string_equal(cs.workloads[1].name, "Pilot high");
    assert_int_equal(cs.workloads[1].n_changes, 1);
    assert_string_equal(cs.workloads[1].changes[0].kind, "retired");
    assert_string_equal(cs.workloads[2].name, "Pilot medium");
    assert_string_equal(cs.workloads[2].changes[0].kind, "new");
    assert_string_equal(cs.workloads[2].track, "openai");

    assert_int_equal(cs.n_contracts, 1);
    const change_item *k = &cs.contracts[0];
    assert_int_equal(k->id, 7);
    assert_int_equal(k->n_changes, 2);
    assert_string_equal(k->changes[0].kind, "new");
    assert_string_equal(k->changes[1].kind, "ending");
    assert_string_equal(k->changes[1].code, "notice_deadline");
    assert_string_equal(k->changes[1].day, "2026-07-02");

    /* The same portfolio on both sides: nothing changed. */
    assert_int_equal(changes_compute(&after, ra, &after, ra, "2026-05-01T00:00:00Z", &a, &cs), 0);
    assert_int_equal(cs.n_workloads, 0);
    assert_int_equal(cs.n_contracts, 1); /* still ending, and only that */
    assert_int_equal(cs.contracts[0].n_changes, 1);
    assert_string_equal(cs.contracts[0].changes[0].kind, "ending");
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detects_each_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
