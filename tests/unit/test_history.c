/* test_history.c - the daily figures of the portfolio history and the
 * calendar feed's events and text (core/history.h, core/calendar.h), over
 * the portfolio of test_overview.c plus one contract. Today is 2026-05-01;
 * every expected figure is worked out next to its assertion.
 *
 * Active set: 1 "Active critical" (azure, critical, 1,000.00: 10 model +
 * 11 data, both Microsoft-provided and hosted, 10 published by OpenAI; 75
 * critical, P1, flagged), 4 "Pilot medium" (openai, medium, 400.00: 12
 * OpenAI + 17 Google; 42 medium, P3), 5 "Pilot high" (azure, high,
 * 600.00: as 1; 75 critical, P1, flagged). 2 (retired) and 3 (proposed)
 * count nowhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/calendar.h"
#include "core/compliance.h"
#include "core/history.h"

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
    F.p.contracts = CONTRACTS;
    F.p.n_contracts = COUNT(CONTRACTS);
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

static const history_figures *scope(const history_figures *all, const char *name)
{
    for (int i = 0; i < HISTORY_SCOPES; i++)
        if (strcmp(HISTORY_SCOPE_NAMES[i], name) == 0)
            return &all[i];
    fail();
    return NULL;
}

/* Counts, spend and HHI of each scope.
 * Spend basis, provider: Microsoft 1,000 (1) + 600 (5), OpenAI 200 and
 * Google 200 (4's spend split over its two deps) = 80/10/10 %: HHI 6,600;
 * publisher: OpenAI alone (10 and 12; 11 and 17 have none) = 10,000; host
 * as provider = 6,600. Workload basis (critical 4, high 3, medium 2):
 * Microsoft 7, OpenAI 1, Google 1 of 9: 10,000 x 51/81 = 6,296.3. */
static void figures_per_scope(void **state)
{
    fixture *f = *state;
    history_figures all[HISTORY_SCOPES];
    assert_int_equal(history_compute_all(&f->p, f->risk, &f->a, all), 0);
    const history_figures *a = scope(all, "all");
    assert_int_equal(a->active, 3);
    assert_int_equal(a->spend, 200000);
    static const int levels[4] = {0, 1, 0, 2}, prio[4] = {2, 0, 1, 0};
    assert_memory_equal(a->level, levels, sizeof levels);
    assert_memory_equal(a->priority, prio, sizeof prio);
    assert_int_equal(a->flagged, 2);
    assert_int_equal(a->accepted, 0);
    assert_float_equal(a->hhi_spend[LAYER_PROVIDER], 6600.0, 0.01);
    assert_float_equal(a->hhi_spend[LAYER_PUBLISHER], 10000.0, 0.01);
    assert_float_equal(a->hhi_spend[LAYER_HOST], 6600.0, 0.01);
    assert_float_equal(a->hhi_workloads[LAYER_PROVIDER], 10000.0 * 51 / 81, 0.01);

    /* azure: 1 and 5, all Microsoft-provided, OpenAI-published. */
    const history_figures *az = scope(all, "azure");
    assert_int_equal(az->active, 2);
    assert_int_equal(az->spend, 160000);
    assert_int_equal(az->priority[0], 2);
    assert_int_equal(az->flagged, 2);
    assert_float_equal(az->hhi_spend[LAYER_PROVIDER], 10000.0, 0.01);
    /* openai: 4 alone, OpenAI and Google halves: 5,000. */
    const history_figures *oa = scope(all, "openai");
    assert_int_equal(oa->active, 1);
    assert_int_equal(oa->priority[2], 1);
    assert_int_equal(oa->flagged, 0);
    assert_float_equal(oa->hhi_spend[LAYER_PROVIDER], 5000.0, 0.01);
    assert_float_equal(oa->hhi_spend[LAYER_PUBLISHER], 10000.0, 0.01);
    /* copilot: nothing, every HHI 0. */
    const history_figures *co = scope(all, "copilot");
    assert_int_equal(co->active, 0);
    assert_float_equal(co->hhi_spend[LAYER_PROVIDER], 0.0, 0.001);

    /* One scope alone equals its part of the whole computation. */
    history_figures one;
    assert_int_equal(history_compute(&f->p, f->risk, "azure", &f->a, &one), 0);
    assert_memory_equal(&one, az, sizeof one);
    assert_true(history_scope_valid("all") && history_scope_valid("other"));
    assert_false(history_scope_valid("mars") || history_scope_valid(NULL));
}

/* Findings per severity equal core/compliance's own list. */
static void findings_by_severity(void **state)
{
    fixture *f = *state;
    compliance_finding *items;
    size_t n;
    assert_int_equal(compliance_findings(&f->p, SIZE_MAX, &f->a, &items, &n), 0);
    int by[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        by[strcmp(items[i].severity, "high") == 0 ? 0 : strcmp(items[i].severity, "medium") == 0 ? 1 : 2]++;
    history_figures all[HISTORY_SCOPES];
    assert_int_equal(history_compute_all(&f->p, f->risk, &f->a, all), 0);
    assert_memory_equal(all[0].findings, by, sizeof by);
}

static void compact_json(void **state)
{
    fixture *f = *state;
    history_figures all[HISTORY_SCOPES];
    assert_int_equal(history_compute_all(&f->p, f->risk, &f->a, all), 0);
    buf b;
    buf_init(&b);
    history_figures_json(&b, &all[0]);
    char want[320];
    snprintf(want, sizeof want,
             "{\"active\":3,\"spend\":2000,\"levels\":[0,1,0,2],\"priority\":[2,0,1,0],"
             "\"flagged\":2,\"accepted\":0,\"hhi\":{\"spend\":[6600,10000,6600],"
             "\"workloads\":[6296.3,10000,6296.3]},\"findings\":[%d,%d,%d]}",
             all[0].findings[0], all[0].findings[1], all[0].findings[2]);
    assert_string_equal(b.data, want);
    assert_true(b.len < 200); /* ten years x 5 scopes stay small */
    buf_free(&b);
}

/* The contract gives a notice deadline (2026-08-01 - 30 days = 07-02), an
 * end and a commitment end, each concerning 1 and 5 (azure, bound through
 * offering 10); nothing for the openai track. */
static void calendar_events_of_a_contract(void **state)
{
    fixture *f = *state;
    cal_event *ev;
    size_t n;
    assert_int_equal(calendar_events(&f->p, NULL, &f->a, &ev, &n), 0);
    assert_int_equal(n, 3);
    char day[11];
    date_format(ev[0].day, day);
    assert_string_equal(day, "2026-06-30");
    assert_string_equal(ev[0].kind, "committed");
    date_format(ev[1].day, day);
    assert_string_equal(day, "2026-07-02");
    assert_string_equal(ev[1].kind, "notice");
    assert_string_equal(ev[1].uid, "notice-contract-7-2026-07-02@switchyard");
    assert_string_equal(ev[1].path, "#/contracts/7");
    assert_non_null(strstr(ev[1].description, "Workloads concerned: Active critical, Pilot high"));
    assert_string_equal(ev[2].kind, "end");
    assert_int_equal(calendar_events(&f->p, "azure", &f->a, &ev, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(calendar_events(&f->p, "openai", &f->a, &ev, &n), 0);
    assert_int_equal(n, 0);
}

static void ical_escaping_and_folding(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    ical_escape(&b, "a,b;c\\d\ne\r\n");
    assert_string_equal(b.data, "a\\,b\\;c\\\\d\\ne\\n");
    buf_reset(&b);
    /* 80 ASCII octets: 75, then a space and the last 5. */
    char line[81];
    memset(line, 'x', 80);
    line[80] = '\0';
    ical_line(&b, line, 80);
    assert_int_equal(b.len, 75 + 2 + 1 + 5 + 2);
    assert_memory_equal(b.data + 75, "\r\n xxxxx\r\n", 10);
    buf_reset(&b);
    /* "S:" + 40 two-octet letters: a fold never splits one. */
    char u[2 + 80 + 1] = "S:";
    for (int i = 0; i < 40; i++)
        memcpy(u + 2 + 2 * i, "\xc3\xa9", 2);
    ical_line(&b, u, 82);
    const char *cut = strstr(b.data, "\r\n ");
    assert_non_null(cut);
    assert_int_equal(cut - b.data, 75 - 1); /* 2 + 36 x 2 = 74: the next would pass 75 */
    assert_int_equal((unsigned char)cut[3], 0xc3);
    buf_reset(&b);
    /* A whole feed: every line within 75 octets, the name escaped. */
    fixture *f = &F;
    cal_event *ev;
    size_t n;
    assert_int_equal(calendar_events(&f->p, NULL, &f->a, &ev, &n), 0);
    calendar_write(&b, ev, n, "Deadlines", "20260501T080000Z", "https://sy.example");
    assert_non_null(strstr(b.data, "SUMMARY:Notice deadline: EA\\, Azure\\; \\\\ part\r\n"));
    assert_non_null(strstr(b.data, "DTSTART;VALUE=DATE:20260702\r\nDTEND;VALUE=DATE:20260703\r\n"));
    assert_non_null(strstr(b.data, "URL:https://sy.example/#/contracts/7\r\n"));
    assert_non_null(strstr(b.data, "DTSTAMP:20260501T080000Z\r\n"));
    for (const char *p = b.data; *p;) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        assert_true(eol - p <= 75);
        p = eol + 2;
    }
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figures_per_scope),
        cmocka_unit_test(findings_by_severity),
        cmocka_unit_test(compact_json),
        cmocka_unit_test(calendar_events_of_a_contract),
        cmocka_unit_test(ical_escaping_and_folding),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
