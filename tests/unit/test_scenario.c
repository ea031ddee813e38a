/* test_scenario.c - what-if scenarios: parsing, references, outcomes, time
 * to exit, before/after concentration and lock-in. Expectations are worked
 * out by hand in the comments next to each fixture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/scenario.h"

/* ---- the main fixture (scenario_fixture.h) -----------------------------------
 * Vendors: 1 Microsoft, 2 OpenAI, 3 GitHub (parent Microsoft, group 1),
 *          4 Google, 5 Meta, 6 Amazon, 7 Northwind (the organisation), 8 Okta.
 * Offerings (provider/publisher/host, category, interface):
 *   10 Azure OpenAI       1/2/1  model_api   openai_compatible
 *   11 Azure Cosmos DB    1/-/1  data_store  proprietary
 *   12 OpenAI API         2/2/2  model_api   openai_compatible
 *   13 GitHub Copilot     3/2/1  assistant   proprietary
 *   14 Gemini API         4/4/4  model_api   proprietary
 *   15 Entra ID           1/-/1  identity    open_standard
 *   16 Llama on Azure     5/5/1  model_api   openai_compatible  open weight
 *   17 Llama self-hosted  7/5/6  model_api   openai_compatible  open weight
 *   18 Amazon OpenSearch  6/-/6  data_store  open_standard
 *   19 Okta               8/-/8  identity    open_standard
 * Contracts (none locks):
 *   20 Microsoft EA             customer  [10 11 15]  notice 90, open-ended
 *   21 OpenAI Enterprise        customer  [12]        notice 60, open-ended
 *   22 OpenAI-Microsoft         upstream  [10]        (never binds an exit)
 *   23 GitHub Enterprise        customer  [13]        notice 30, open-ended
 *   24 GitHub Copilot Business  customer  [13]        ends 2026-10-31, notice 30:
 *                                                     deadline 2026-10-01
 * Workloads (spend in cents, users), named alternatives and drills:
 *   100 Support chat    [10 model, 10 hosting]  400000 1000 high      no swap
 *                       alternative 10 -> 12, never drilled
 *   101 Contract RAG    [10 model, 11 data]     300000  200 critical  no swap
 *   102 Dev assist      [13 assistant]          100000   50 medium    swap layer
 *   103 Research        [12 model]  pilot       200000   10 low       no swap
 *   104 Old bot         [10 model]  retired      50000    0 critical  no swap
 *   105 Claims gateway  [10 model, 11 data, 15 identity]
 *                                               250000  300 critical  swap layer
 *                       10 -> 12 passed 2026-04-01, 11 -> 18 passed 2026-04-05
 *   106 Redaction       [17 model]              50000    20 medium    swap layer
 *   107 Chat gateway    [10 model]              80000   400 high      swap layer
 * Risk before (default weights; no contract locks, no horizon):
 *   100: one group 25 + no swap 20 + alternative named, undrilled 5 = 50 high
 *   101: 25 + 20 + proprietary data 15 + no alternative 10 + gravity 5 = 75 critical
 *   102: 25 + proprietary assistant 15 + 10                         = 50 high
 *   103: 25 + 20 + 10                                               = 55 high
 *   105: both 10 and 11 portable, Entra ID carries no weight        =  0 low
 *   106: one group (Northwind) 25 + 10                              = 35 medium
 *   107: 25 + 10                                                    = 35 medium
 * Spend by provider group: g1 = 4000 + 3000 + 1000 + 2500 + 800 = 11300,
 *   g2 = 2000, g7 = 500 (total 13800). */

#include "scenario_fixture.h"

typedef struct fixture {
    arena a;
    portfolio p;
    risk_weights wts;
    sy_errors e;
} fixture;

static void fill(fixture *f, vendor *v, size_t nv, offering *o, size_t no, contract *c,
                 size_t nc, workload *w, size_t nw)
{
    arena_init(&f->a);
    memset(&f->p, 0, sizeof f->p);
    assert_int_equal(date_parse("2026-05-01", &f->p.today), 0);
    f->p.vendors = v;
    f->p.n_vendors = nv;
    f->p.offerings = o;
    f->p.n_offerings = no;
    f->p.contracts = c;
    f->p.n_contracts = nc;
    f->p.workloads = w;
    f->p.n_workloads = nw;
    f->p.drills = DRILLS;        /* only workload 105 has any */
    f->p.n_drills = COUNT(DRILLS);
    assert_int_equal(portfolio_index(&f->p, &f->a), 0);
    risk_default_weights(&f->wts);
    errors_init(&f->e);
}

static int setup_main(void **state)
{
    static fixture f;
    fill(&f, VENDORS, COUNT(VENDORS), OFFERINGS, COUNT(OFFERINGS), CONTRACTS,
         COUNT(CONTRACTS), WORKLOADS, COUNT(WORKLOADS));
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    arena_free(&f->a);
    return 0;
}

/* Parses a JSON text of changes, expecting success. */
static void parse_ok(fixture *f, const char *text, scenario *s)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    assert_non_null(j);
    errors_init(&f->e);
    int rc = scenario_from_json(j, &f->a, s, &f->e);
    if (rc != 0)
        fprintf(stderr, "unexpected: %s %s\n", f->e.items[0].pointer, f->e.items[0].detail);
    assert_int_equal(rc, 0);
    assert_int_equal(f->e.count, 0);
    json_decref(j);   /* the parsed scenario must not point into it */
}

static void run(fixture *f, const char *changes, scenario_result *r)
{
    scenario s;
    parse_ok(f, changes, &s);
    assert_int_equal(scenario_check_refs(&s, &f->p, &f->e), 0);
    assert_int_equal(scenario_evaluate(&f->p, &f->wts, &s, &f->a, r), 0);
}

static const scenario_workload *outcome_of(const scenario_result *r, int64_t id)
{
    for (size_t i = 0; i < r->n_workloads; i++)
        if (r->workloads[i].w->id == id)
            return &r->workloads[i];
    fail_msg("workload %lld not in the result", (long long)id);
    return NULL;
}

static void assert_levels(const int levels[4], int low, int medium, int high, int critical)
{
    assert_int_equal(levels[0], low);
    assert_int_equal(levels[1], medium);
    assert_int_equal(levels[2], high);
    assert_int_equal(levels[3], critical);
}

static void assert_hhi(const concentration *c, int layer, double hhi)
{
    assert_true(c->basis_spend);
    assert_false(c->connected);
    assert_float_equal(c->layers[layer].hhi, hhi, 1e-6);
}

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
static void parse_bad(fixture *f, const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &err);
    assert_non_null(j);
    scenario s;
    errors_init(&f->e);
    assert_int_equal(scenario_from_json(j, &f->a, &s, &f->e), -1);
    assert_true(f->e.count > 0);
    json_decref(j);
}

static void assert_error(const sy_errors *e, int i, const char *pointer, const char *detail)
{
    assert_true(i < e->count);
    assert_string_equal(e->items[i].pointer, pointer);
    if (detail)
        assert_string_equal(e->items[i].detail, detail);
}

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

/* ---- evaluation ------------------------------------------------------------ */

static void assert_loss(const scenario_workload *w, size_t k, int64_t lost,
                        int64_t replacement, int path)
{
    assert_true(k < w->n_lost);
    assert_int_equal(w->lost[k].offering, lost);
    assert_int_equal(w->lost[k].replacement, replacement);
    assert_int_equal(w->lost[k].path, path);
}

static void assert_unavailable(const scenario_result *r, const int64_t *ids, size_t n)
{
    assert_int_equal(r->n_unavailable, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(r->unavailable[i], ids[i]);
}

/* Microsoft exits (named through its subsidiary GitHub: the group is what
 * exits). Withdrawn: what it provides (10, 11, 13 through GitHub, 15) or
 * hosts (16, Meta's open-weight Llama on Azure); 17 (the organisation's own
 * Llama on Amazon) stays.
 *   100 lost [10]: its named alternative OpenAI API, undrilled, no swap
 *       layer, openai_compatible both ways -> movable, 45 days
 *   101 lost [10, 11]: no alternative, no swap layer -> stranded, 120
 *   102 lost [13]: a proprietary assistant with no named alternative ->
 *       stranded even with a swap layer, 120
 *   105 lost [10, 11, 15]: 10 -> 12 and 11 -> 18 drilled (7 each), Entra ID
 *       -> Okta (identity, same open standard; the workload has a swap
 *       layer, 14) -> movable, 14
 *   107 lost [10]: swap layer, no alternative: the first compatible
 *       model_api available, OpenAI API (12) -> movable, 14
 *   103, 106 unaffected; 104 retired.
 * Time to exit: the customer contracts covering 10, 11, 13, 15: EA and
 * GitHub Enterprise are open-ended, GitHub Copilot Business's notice
 * deadline is 2026-10-01 -> binding until 2026-10-01, + 120 (the stranded
 * rebuilds) = 2027-01-29, 273 days. Longest notice 90.
 * After: 100 on [12, 12], 101 and 102 out, 105 on [12, 18, 19], 107 on [12].
 *   provider: g2 = 4000 + 2000 + 1250 + 800 = 8050, g6 = 1250, g7 = 500
 *   risk: 100 on 12 (no alternative named for it): 25 + 20 + 10 = 55 high;
 *   103 55 high; 105: OpenAI + Amazon 12 + no alternative for 12 10 = 22
 *   low; 106 35 medium; 107 35 medium. */
static void exit_group_strands_and_moves(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":3}]", &r);

    assert_int_equal(r.n_workloads, 8);
    static const int64_t gone[] = {10, 11, 13, 15, 16};
    assert_unavailable(&r, gone, COUNT(gone));

    const scenario_workload *w = outcome_of(&r, 100);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->n_lost, 1);   /* 10 twice (model, hosting) counts once */
    assert_loss(w, 0, 10, 12, PATH_OPENAI_COMPATIBLE);
    assert_string_equal(w->lost[0].role, "model");
    assert_int_equal(w->migration_days, 45);
    assert_string_equal(w->reason, "Movable in 45 days: Azure OpenAI moves to OpenAI API, its "
                                   "named alternative (no exit drill proves it).");

    w = outcome_of(&r, 101);
    assert_int_equal(w->outcome, OUTCOME_STRANDED);
    assert_int_equal(w->n_lost, 2);
    assert_loss(w, 0, 10, 0, PATH_PROPRIETARY);
    assert_loss(w, 1, 11, 0, PATH_PROPRIETARY);
    assert_int_equal(w->migration_days, 120);
    assert_string_equal(w->reason,
                        "Stranded: Azure OpenAI has no reachable replacement: no named "
                        "alternative and no swap layer; Azure Cosmos DB has no reachable "
                        "replacement: no named alternative and no swap layer.");

    w = outcome_of(&r, 102);
    assert_int_equal(w->outcome, OUTCOME_STRANDED);
    assert_loss(w, 0, 13, 0, PATH_PROPRIETARY);
    assert_int_equal(w->migration_days, 120);
    assert_string_equal(w->reason,
                        "Stranded: GitHub Copilot has no reachable replacement: no named "
                        "alternative, and nothing is compatible with its proprietary interface.");

    w = outcome_of(&r, 105);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->n_lost, 3);
    assert_loss(w, 0, 10, 12, PATH_DRILLED);
    assert_loss(w, 1, 11, 18, PATH_DRILLED);
    assert_loss(w, 2, 15, 19, PATH_SWAP_LAYER);
    assert_string_equal(w->lost[0].drilled_on, "2026-04-01");
    assert_int_equal(w->migration_days, 14);
    assert_string_equal(w->reason,
                        "Movable in 14 days: Azure OpenAI moves to OpenAI API, its named "
                        "alternative (exit drill passed on 2026-04-01); Azure Cosmos DB moves to "
                        "Amazon OpenSearch, its named alternative (exit drill passed on "
                        "2026-04-05); Entra ID moves to Okta (same category, same open "
                        "standard).");

    w = outcome_of(&r, 107);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_loss(w, 0, 10, 12, PATH_SWAP_LAYER);
    assert_int_equal(w->migration_days, 14);
    assert_string_equal(w->reason, "Movable in 14 days: Azure OpenAI moves to OpenAI API through "
                                   "the swap layer (same category, compatible interface).");

    for (int64_t id = 103; id <= 106; id += 3) {
        w = outcome_of(&r, id);
        assert_int_equal(w->outcome, OUTCOME_UNAFFECTED);
        assert_int_equal(w->n_lost, 0);
        assert_int_equal(w->migration_days, 0);
        assert_null(w->reason);
    }

    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 2);
    assert_int_equal(r.counts[OUTCOME_MOVABLE], 3);
    assert_int_equal(r.counts[OUTCOME_STRANDED], 2);
    assert_int_equal(r.spend_at_risk, 1130000);
    assert_int_equal(r.spend_stranded, 400000);
    assert_int_equal(r.users_at_risk, 1950);
    assert_int_equal(r.critical_at_risk, 2);
    assert_int_equal(r.critical_stranded, 1);

    int64_t day;
    assert_int_equal(r.exit.notice_deadline, (date_parse("2026-10-01", &day), day));
    assert_int_equal(r.exit.exclusivity_end, -1);
    assert_int_equal(r.exit.commitment_end, -1);
    assert_int_equal(r.exit.contract_end, -1);
    assert_int_equal(r.exit.binding_until, day);
    assert_int_equal(r.exit.migration_days, 120);
    assert_int_equal(r.exit.exit_on, (date_parse("2027-01-29", &day), day));
    assert_int_equal(r.exit.days, 273);
    assert_int_equal(r.exit.notice_days, 90);

    assert_int_equal(r.before.monthly_spend, 1380000);
    assert_hhi(&r.before.spend, LAYER_PROVIDER,
               (11300.0 * 11300 + 2000.0 * 2000 + 500.0 * 500) * 10000 / (13800.0 * 13800));
    assert_levels(r.before.levels, 1, 2, 3, 1);
    assert_int_equal(r.before.stranded_spend, 0);

    assert_int_equal(r.after.monthly_spend, 980000);
    assert_int_equal(r.after.stranded_spend, 400000);
    assert_float_equal(r.after.spend.layers[LAYER_PROVIDER].total, 9800, 1e-9);
    assert_hhi(&r.after.spend, LAYER_PROVIDER,
               (8050.0 * 8050 + 1250.0 * 1250 + 500.0 * 500) * 10000 / (9800.0 * 9800));
    assert_int_equal(r.after.spend.layers[LAYER_PROVIDER].shares[0].group, 2);
    assert_levels(r.after.levels, 1, 2, 2, 0);
}

/* OpenAI exits: what it provides (12) and the closed models it publishes
 * wherever hosted (10 on Azure, 13 GitHub Copilot). Meta's open-weight
 * models are untouched.
 *   100: its named alternative (12) is withdrawn too, no swap layer -> stranded
 *   101, 103: no alternative, no swap layer -> stranded; 102 stranded (13)
 *   105: 10's named alternative is gone; the swap layer reaches the first
 *        compatible model_api available, Llama on Azure (16) -> movable 14
 *   107: the same -> movable 14. */
static void exit_group_withdraws_closed_models_it_publishes(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":2}]", &r);
    static const int64_t gone[] = {10, 12, 13};
    assert_unavailable(&r, gone, COUNT(gone));
    const scenario_workload *w = outcome_of(&r, 100);
    assert_int_equal(w->outcome, OUTCOME_STRANDED);
    assert_string_equal(w->reason, "Stranded: Azure OpenAI has no reachable replacement: its "
                                   "named alternative OpenAI API is withdrawn too.");
    assert_int_equal(outcome_of(&r, 101)->outcome, OUTCOME_STRANDED);
    assert_int_equal(outcome_of(&r, 102)->outcome, OUTCOME_STRANDED);
    assert_int_equal(outcome_of(&r, 103)->outcome, OUTCOME_STRANDED);
    w = outcome_of(&r, 105);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->n_lost, 1);
    assert_loss(w, 0, 10, 16, PATH_SWAP_LAYER);
    assert_loss(outcome_of(&r, 107), 0, 10, 16, PATH_SWAP_LAYER);
    assert_int_equal(outcome_of(&r, 106)->outcome, OUTCOME_UNAFFECTED);
    assert_int_equal(r.counts[OUTCOME_MOVABLE], 2);
    assert_int_equal(r.counts[OUTCOME_STRANDED], 4);
    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 1);
    assert_int_equal(r.spend_stranded, 1000000);
    assert_int_equal(r.exit.notice_days, 90);   /* EA (10), OpenAI 60, GitHub 30 */
    assert_int_equal(r.exit.days, 273);         /* 2026-10-01 + 120 */
}

/* Meta exits: it provides Llama on Azure (16), so that goes; the
 * organisation's own copy of the open-weight Llama on Amazon (17) stays:
 * Redaction is unaffected, nothing else uses 16. */
static void exit_group_leaves_open_weight_hosted_by_others(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":5}]", &r);
    static const int64_t gone[] = {16};
    assert_unavailable(&r, gone, COUNT(gone));
    assert_int_equal(outcome_of(&r, 106)->outcome, OUTCOME_UNAFFECTED);
    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 7);
    assert_int_equal(r.exit.days, 0);
    int64_t today;
    assert_int_equal(date_parse("2026-05-01", &today), 0);
    assert_int_equal(r.exit.binding_until, today);
    assert_int_equal(r.exit.exit_on, today);
}

/* Azure OpenAI withdrawn: 100 moves to its named alternative (45), 105 to
 * its drilled one (7), 107 through its swap layer (14); 101 is stranded
 * (120). Spend after: 101 keeps only Cosmos and is out. */
static void withdraw_offering_each_path(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"withdraw_offering\",\"offering\":10}]", &r);
    static const int64_t gone[] = {10};
    assert_unavailable(&r, gone, COUNT(gone));
    assert_int_equal(outcome_of(&r, 100)->migration_days, 45);
    assert_int_equal(outcome_of(&r, 105)->migration_days, 7);
    assert_loss(outcome_of(&r, 105), 0, 10, 12, PATH_DRILLED);
    assert_int_equal(outcome_of(&r, 107)->migration_days, 14);
    assert_int_equal(outcome_of(&r, 101)->outcome, OUTCOME_STRANDED);
    assert_int_equal(outcome_of(&r, 104)->outcome, OUTCOME_UNAFFECTED);   /* retired */
    assert_int_equal(outcome_of(&r, 104)->n_lost, 0);
    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 3);
    assert_int_equal(r.counts[OUTCOME_MOVABLE], 3);
    assert_int_equal(r.counts[OUTCOME_STRANDED], 1);
    assert_int_equal(r.spend_at_risk, 1030000);
    assert_int_equal(r.critical_at_risk, 2);
    /* The EA (open-ended) binds nothing by date: today + 120. */
    assert_int_equal(r.exit.notice_deadline, -1);
    assert_int_equal(r.exit.notice_days, 90);
    assert_int_equal(r.exit.days, 120);
}

/* Relying on a proprietary feature closes the swap-layer route (no
 * offering is known to keep it); a named alternative still works, and each
 * feature adds 30 days. */
static void proprietary_features_close_the_swap_route(void **state)
{
    fixture *f = *state;
    static const char *features[] = {"Assistants API", "Realtime API"};
    WORKLOADS[7].features = features;                    /* 107 Chat gateway */
    WORKLOADS[7].n_features = 2;
    WORKLOADS[0].features = features;                    /* 100 Support chat */
    WORKLOADS[0].n_features = 1;
    scenario_result r;
    run(f, "[{\"type\":\"withdraw_offering\",\"offering\":10}]", &r);
    WORKLOADS[7].features = NULL;
    WORKLOADS[7].n_features = 0;
    WORKLOADS[0].features = NULL;
    WORKLOADS[0].n_features = 0;
    const scenario_workload *w = outcome_of(&r, 107);
    assert_int_equal(w->outcome, OUTCOME_STRANDED);
    assert_int_equal(w->migration_days, 180);            /* 120 + 2 x 30 */
    assert_string_equal(w->reason,
                        "Stranded: Azure OpenAI has no reachable replacement: no named "
                        "alternative, and the workload relies on proprietary features "
                        "(Assistants API, Realtime API); 2 proprietary features add 60 days.");
    w = outcome_of(&r, 100);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->migration_days, 75);             /* 45 + 30 */
    assert_int_equal(r.exit.migration_days, 180);
}

/* A swap layer added to Contract RAG in a Microsoft exit reaches a model
 * for Azure OpenAI, but nothing is compatible with Cosmos DB's proprietary
 * interface: still stranded. Added to Support chat, its undrilled named
 * alternative becomes the swap-layer path (14). */
static void swap_layer_does_not_save_a_proprietary_store(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":1},"
           " {\"type\":\"add_swap_layer\",\"workloads\":[101,100]}]", &r);
    const scenario_workload *w = outcome_of(&r, 101);
    assert_int_equal(w->outcome, OUTCOME_STRANDED);
    assert_loss(w, 0, 10, 12, PATH_SWAP_LAYER);
    assert_loss(w, 1, 11, 0, PATH_PROPRIETARY);
    assert_string_equal(w->reason,
                        "Stranded: Azure OpenAI moves to OpenAI API through the swap layer "
                        "(same category, compatible interface); Azure Cosmos DB has no reachable "
                        "replacement: no named alternative, and nothing is compatible with its "
                        "proprietary interface.");
    assert_loss(outcome_of(&r, 100), 0, 10, 12, PATH_SWAP_LAYER);
    assert_int_equal(outcome_of(&r, 100)->migration_days, 14);
    assert_int_equal(r.counts[OUTCOME_STRANDED], 2);
}

/* A swap layer on an unaffected workload: nothing is lost, risk falls:
 * 100 goes from 50 high to 30 medium. */
static void swap_layer_alone_lowers_risk(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"add_swap_layer\",\"workloads\":[100]}]", &r);
    assert_int_equal(r.n_unavailable, 0);
    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 7);
    assert_int_equal(r.spend_at_risk, 0);
    assert_int_equal(r.exit.days, 0);
    assert_int_equal(outcome_of(&r, 100)->outcome, OUTCOME_UNAFFECTED);
    assert_levels(r.before.levels, 1, 2, 3, 1);
    assert_levels(r.after.levels, 1, 3, 2, 1);
    assert_int_equal(WORKLOADS[0].swap_layer, 0);   /* only the copy changed */
}

/* Drilling Support chat's named alternative (a passed drill today): in a
 * Microsoft exit its path becomes the drilled one (7). Without an exit,
 * the drill makes Azure OpenAI portable (OpenAI API is of another group):
 * 100 falls from 50 high to no_swap_layer 20 alone, low. */
static void drill_alternative_proves_the_exit(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":1},"
           " {\"type\":\"drill_alternative\",\"workload\":100,\"dependency\":10,"
           "\"alternative\":12}]", &r);
    const scenario_workload *w = outcome_of(&r, 100);
    assert_loss(w, 0, 10, 12, PATH_DRILLED);
    assert_int_equal(w->migration_days, 7);
    assert_string_equal(w->reason, "Movable in 7 days: Azure OpenAI moves to OpenAI API, its "
                                   "named alternative (exit drill passed on 2026-05-01).");
    run(f, "[{\"type\":\"drill_alternative\",\"workload\":100,\"dependency\":10,"
           "\"alternative\":12}]", &r);
    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 7);
    assert_levels(r.before.levels, 1, 2, 3, 1);
    assert_levels(r.after.levels, 2, 2, 2, 1);
    assert_int_equal(f->p.n_drills, COUNT(DRILLS));   /* only the copy has it */
}

/* Ending GitHub Enterprise: GitHub Copilot Business also covers Copilot
 * and is in force on 2026-09-30 (it ends 2026-10-31), so nothing is
 * withdrawn; ended on 2026-12-31, Copilot Business has ended by then and
 * Copilot is withdrawn. */
static void end_contract_other_covering_contract_keeps_offering(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"end_contract\",\"contract\":23,\"on\":\"2026-09-30\"}]", &r);
    assert_int_equal(r.n_unavailable, 0);
    assert_int_equal(outcome_of(&r, 102)->outcome, OUTCOME_UNAFFECTED);
    assert_int_equal(r.exit.days, 0);

    run(f, "[{\"type\":\"end_contract\",\"contract\":23,\"on\":\"2026-12-31\"}]", &r);
    static const int64_t gone[] = {13};
    assert_unavailable(&r, gone, COUNT(gone));
    assert_int_equal(outcome_of(&r, 102)->outcome, OUTCOME_STRANDED);
    /* Binding: GitHub Enterprise ends 2026-12-31 by the scenario, Copilot
     * Business's deadline is 2026-10-01: until 2026-12-31, + 120. */
    int64_t day;
    assert_int_equal(r.exit.contract_end, (date_parse("2026-12-31", &day), day));
    assert_int_equal(r.exit.binding_until, day);
    assert_int_equal(r.exit.days, 244 + 120);
    /* Both ended (Copilot Business on 2026-06-30): withdrawn on either date. */
    run(f, "[{\"type\":\"end_contract\",\"contract\":24,\"on\":\"2026-06-30\"},"
           " {\"type\":\"end_contract\",\"contract\":23,\"on\":\"2026-09-30\"}]", &r);
    assert_unavailable(&r, gone, COUNT(gone));
}

/* Ending the Microsoft EA on 2026-12-31: 10, 11 and 15 are withdrawn (the
 * upstream agreement also covers 10 but is no customer contract). */
static void end_contract_withdraws_covered_offerings(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"end_contract\",\"contract\":20,\"on\":\"2026-12-31\"}]", &r);
    static const int64_t gone[] = {10, 11, 15};
    assert_unavailable(&r, gone, COUNT(gone));
    assert_int_equal(outcome_of(&r, 100)->outcome, OUTCOME_MOVABLE);
    assert_int_equal(outcome_of(&r, 101)->outcome, OUTCOME_STRANDED);
    assert_int_equal(outcome_of(&r, 105)->outcome, OUTCOME_MOVABLE);
    assert_int_equal(outcome_of(&r, 102)->outcome, OUTCOME_UNAFFECTED);
    /* 2026-12-31 is 244 days away; + 120. */
    assert_int_equal(r.exit.days, 364);
    assert_int_equal(r.spend_stranded, 300000);
}

/* The retired Old bot (critical, on Azure OpenAI) never counts. */
static void retired_workloads_are_ignored(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":1}]", &r);
    const scenario_workload *w = outcome_of(&r, 104);
    assert_int_equal(w->outcome, OUTCOME_UNAFFECTED);
    assert_int_equal(w->n_lost, 0);
    assert_null(w->lost);
    assert_int_equal(w->migration_days, 0);
    assert_int_equal(r.counts[0] + r.counts[1] + r.counts[2], 7);
    assert_int_equal(r.critical_at_risk, 2);
    int before = 0;
    for (int i = 0; i < 4; i++)
        before += r.before.levels[i];
    assert_int_equal(before, 7);
}

/* ---- time to exit -------------------------------------------------------------
 * One Azure OpenAI workload with a swap layer (14 days to OpenAI API) and
 * two customer contracts over Azure OpenAI:
 *   "MACC": ends 2027-06-30, notice 60 (deadline 2027-05-01), commits spend
 *           until 2027-12-31, exclusive until 2026-12-31;
 *   "PTU":  ends 2026-08-30, notice 30 (deadline 2026-07-31), exclusive
 *           with no end date (so until its end, 2026-08-30). */

static int64_t TTE_OFFS[] = {10};
static contract TTE_CONTRACTS[] = {
    {.id = 30, .name = "MACC", .kind = "customer", .counterparty = 1, .offerings = TTE_OFFS,
     .n_offerings = 1, .start_date = "2025-07-01", .end_date = "2027-06-30", .notice_days = 60,
     .currency = "USD", .committed_spend = 100000000, .committed_until = "2027-12-31",
     .exclusive = 1, .exclusive_until = "2026-12-31", .exit_clause = "full",
     .data_portability = 1, .substitutability = "easy"},
    {.id = 31, .name = "PTU", .kind = "customer", .counterparty = 1, .offerings = TTE_OFFS,
     .n_offerings = 1, .start_date = "2025-08-31", .end_date = "2026-08-30", .notice_days = 30,
     .currency = "USD", .exclusive = 1, .exit_clause = "full", .data_portability = 1,
     .substitutability = "easy"},
};
static dependency TTE_DEPS[] = {{10, "model"}};

static void tte_run(fixture *f, workload *w, const char *changes, scenario_result *r)
{
    fill(f, VENDORS, COUNT(VENDORS), OFFERINGS, COUNT(OFFERINGS), TTE_CONTRACTS,
         COUNT(TTE_CONTRACTS), w, 1);
    run(f, changes, r);
}

static int64_t day_of(const char *text)
{
    int64_t day;
    assert_int_equal(date_parse(text, &day), 0);
    return day;
}

static void time_to_exit_takes_latest_binding_date(void **state)
{
    (void)state;
    workload w[] = {WORKLOAD(1, "Gateway app", "production", "high", 100000, 1, TTE_DEPS)};
    fixture f;
    scenario_result r;
    /* Latest: the commitment, 2027-12-31; + 14 = 2028-01-14, 609 + 14 days. */
    tte_run(&f, w, "[{\"type\":\"withdraw_offering\",\"offering\":10}]", &r);
    assert_int_equal(r.exit.notice_deadline, day_of("2027-05-01"));
    assert_int_equal(r.exit.exclusivity_end, day_of("2026-12-31"));
    assert_int_equal(r.exit.commitment_end, day_of("2027-12-31"));
    assert_int_equal(r.exit.contract_end, -1);
    assert_int_equal(r.exit.binding_until, day_of("2027-12-31"));
    assert_int_equal(r.exit.migration_days, 14);
    assert_int_equal(r.exit.exit_on, day_of("2028-01-14"));
    assert_int_equal(r.exit.days, 623);
    assert_int_equal(r.exit.notice_days, 60);
    arena_free(&f.a);
    /* The commitment with no end date runs to the contract's end,
     * 2027-06-30: 425 + 14. */
    TTE_CONTRACTS[0].committed_until = NULL;
    tte_run(&f, w, "[{\"type\":\"withdraw_offering\",\"offering\":10}]", &r);
    assert_int_equal(r.exit.commitment_end, day_of("2027-06-30"));
    assert_int_equal(r.exit.days, 439);
    arena_free(&f.a);
    /* No commitment: the notice deadline 2027-05-01 is the latest. */
    TTE_CONTRACTS[0].committed_spend = 0;
    tte_run(&f, w, "[{\"type\":\"withdraw_offering\",\"offering\":10}]", &r);
    assert_int_equal(r.exit.commitment_end, -1);
    assert_int_equal(r.exit.binding_until, day_of("2027-05-01"));
    arena_free(&f.a);
    /* Exclusive until 2028-03-31: exclusivity is the latest. */
    TTE_CONTRACTS[0].exclusive_until = "2028-03-31";
    tte_run(&f, w, "[{\"type\":\"withdraw_offering\",\"offering\":10}]", &r);
    assert_int_equal(r.exit.binding_until, day_of("2028-03-31"));
    arena_free(&f.a);
    TTE_CONTRACTS[0].exclusive_until = "2026-12-31";
    TTE_CONTRACTS[0].committed_spend = 100000000;
    TTE_CONTRACTS[0].committed_until = "2027-12-31";
}

static void time_to_exit_of_an_ended_contract(void **state)
{
    (void)state;
    workload w[] = {WORKLOAD(1, "Gateway app", "production", "high", 100000, 1, TTE_DEPS)};
    fixture f;
    scenario_result r;
    /* MACC ends on 2026-09-30; PTU has ended by then (2026-08-30): Azure
     * OpenAI is withdrawn. MACC binds no later than 2026-09-30; PTU's dates
     * are earlier: 2026-09-30 + 14 = 2026-10-14, 152 + 14 days. */
    tte_run(&f, w, "[{\"type\":\"end_contract\",\"contract\":30,\"on\":\"2026-09-30\"}]", &r);
    assert_int_equal(r.n_unavailable, 1);
    assert_int_equal(r.exit.contract_end, day_of("2026-09-30"));
    assert_int_equal(r.exit.notice_deadline, day_of("2026-09-30"));
    assert_int_equal(r.exit.exclusivity_end, day_of("2026-09-30"));
    assert_int_equal(r.exit.commitment_end, day_of("2026-09-30"));
    assert_int_equal(r.exit.exit_on, day_of("2026-10-14"));
    assert_int_equal(r.exit.days, 166);
    arena_free(&f.a);
    /* MACC ends on 2026-08-15: PTU is in force that day and covers Azure
     * OpenAI, so nothing is withdrawn and nothing binds an exit. */
    tte_run(&f, w, "[{\"type\":\"end_contract\",\"contract\":30,\"on\":\"2026-08-15\"}]", &r);
    assert_int_equal(r.n_unavailable, 0);
    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 1);
    assert_int_equal(r.exit.days, 0);
    arena_free(&f.a);
    /* A contract that starts after the date is not in force on it: PTU
     * moved to start on 2026-09-01 no longer keeps Azure OpenAI on
     * 2026-08-15. */
    TTE_CONTRACTS[1].start_date = "2026-09-01";
    tte_run(&f, w, "[{\"type\":\"end_contract\",\"contract\":30,\"on\":\"2026-08-15\"}]", &r);
    assert_int_equal(r.n_unavailable, 1);
    TTE_CONTRACTS[1].start_date = "2025-08-31";
    arena_free(&f.a);
}

/* Deep snapshot of the fixture, compared after evaluation. */
static void input_portfolio_is_unchanged(void **state)
{
    fixture *f = *state;
    portfolio p_copy = f->p;
    workload w_copy[COUNT(WORKLOADS)];
    offering o_copy[COUNT(OFFERINGS)];
    contract c_copy[COUNT(CONTRACTS)];
    exit_drill dr_copy[COUNT(DRILLS)];
    dependency d_copy[COUNT(WORKLOADS)][FIXTURE_MAX_DEPS];
    memcpy(w_copy, WORKLOADS, sizeof w_copy);
    memcpy(o_copy, OFFERINGS, sizeof o_copy);
    memcpy(c_copy, CONTRACTS, sizeof c_copy);
    memcpy(dr_copy, DRILLS, sizeof dr_copy);
    for (size_t i = 0; i < COUNT(WORKLOADS); i++)
        memcpy(d_copy[i], WORKLOADS[i].dependencies,
               WORKLOADS[i].n_dependencies * sizeof(dependency));

    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":1},"
           " {\"type\":\"withdraw_offering\",\"offering\":12},"
           " {\"type\":\"end_contract\",\"contract\":23,\"on\":\"2026-09-30\"},"
           " {\"type\":\"add_swap_layer\",\"workloads\":[100,101,103]},"
           " {\"type\":\"drill_alternative\",\"workload\":105,\"dependency\":11,"
           "\"alternative\":18}]", &r);
    /* 12 is withdrawn too, so 105's named alternative for Azure OpenAI is
     * gone; through its swap layer it reaches the only compatible model
     * left, the self-hosted Llama (17). */
    assert_int_equal(outcome_of(&r, 105)->outcome, OUTCOME_MOVABLE);
    assert_loss(outcome_of(&r, 105), 0, 10, 17, PATH_SWAP_LAYER);

    assert_memory_equal(&p_copy, &f->p, sizeof p_copy);
    assert_memory_equal(w_copy, WORKLOADS, sizeof w_copy);
    assert_memory_equal(o_copy, OFFERINGS, sizeof o_copy);
    assert_memory_equal(c_copy, CONTRACTS, sizeof c_copy);
    assert_memory_equal(dr_copy, DRILLS, sizeof dr_copy);
    for (size_t i = 0; i < COUNT(WORKLOADS); i++)
        assert_memory_equal(d_copy[i], WORKLOADS[i].dependencies,
                            WORKLOADS[i].n_dependencies * sizeof(dependency));
    /* The result points at the originals. */
    assert_ptr_equal(outcome_of(&r, 101)->w, &WORKLOADS[1]);
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
        cmocka_unit_test_setup_teardown(parse_errors_for_wrong_types_and_members, setup_main, teardown),
        cmocka_unit_test_setup_teardown(changes_must_be_an_array_of_1_to_50, setup_main, teardown),
        cmocka_unit_test_setup_teardown(check_refs_names_missing_records, setup_main, teardown),
        cmocka_unit_test_setup_teardown(exit_group_strands_and_moves, setup_main, teardown),
        cmocka_unit_test_setup_teardown(exit_group_withdraws_closed_models_it_publishes, setup_main,
                                        teardown),
        cmocka_unit_test_setup_teardown(exit_group_leaves_open_weight_hosted_by_others, setup_main,
                                        teardown),
        cmocka_unit_test_setup_teardown(withdraw_offering_each_path, setup_main, teardown),
        cmocka_unit_test_setup_teardown(proprietary_features_close_the_swap_route, setup_main,
                                        teardown),
        cmocka_unit_test_setup_teardown(swap_layer_does_not_save_a_proprietary_store, setup_main,
                                        teardown),
        cmocka_unit_test_setup_teardown(swap_layer_alone_lowers_risk, setup_main, teardown),
        cmocka_unit_test_setup_teardown(drill_alternative_proves_the_exit, setup_main, teardown),
        cmocka_unit_test_setup_teardown(end_contract_other_covering_contract_keeps_offering, setup_main,
                                        teardown),
        cmocka_unit_test_setup_teardown(end_contract_withdraws_covered_offerings, setup_main, teardown),
        cmocka_unit_test_setup_teardown(retired_workloads_are_ignored, setup_main, teardown),
        cmocka_unit_test_setup_teardown(input_portfolio_is_unchanged, setup_main, teardown),
        cmocka_unit_test(time_to_exit_takes_latest_binding_date),
        cmocka_unit_test(time_to_exit_of_an_ended_contract),
        cmocka_unit_test(hhi_equal_groups_then_movable),
        cmocka_unit_test(hhi_equal_groups_then_stranded),
        cmocka_unit_test(evaluates_10000_workloads_quickly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
