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

/* ---- the main fixture -------------------------------------------------------
 * Vendors: 1 Microsoft, 2 OpenAI, 3 GitHub (parent Microsoft, group 1),
 *          4 Google, 5 Meta.
 * Offerings (provider/publisher/host, category, interface):
 *   10 Azure OpenAI     1/2/1  model_api   openai_compatible
 *   11 Azure Cosmos DB  1/-/1  data_store  proprietary
 *   12 OpenAI API       2/2/2  model_api   openai_compatible
 *   13 GitHub Copilot   3/2/1  assistant   proprietary
 *   14 Gemini API       4/4/4  model_api   proprietary
 *   15 Entra ID         1/-/1  identity    proprietary
 *   16 Llama on Azure   5/5/1  model_api   openai_compatible
 * Contracts (no lock terms, open-ended):
 *   20 Microsoft EA          customer  [10 11 15]  notice 90
 *   21 OpenAI Enterprise     customer  [12]        notice 60
 *   22 OpenAI-Microsoft      upstream  [10]        notice 365 (never counts)
 *   23 GitHub Enterprise     customer  [13]        notice 30
 * Workloads (spend in cents):
 *   100 Support chat  [10 model, 10 hosting]  400000 high      no swap
 *   101 Contract RAG  [10 model, 11 data]     300000 critical  no swap
 *   102 Dev assist    [13 assistant]          100000 medium    swap layer
 *   103 Research      [12 model]              200000 low       no swap
 *   104 Old bot       [10 model]  retired      50000 critical  no swap
 * Risk before (default weights; no contract lock, no horizon):
 *   100: one group 25 + no swap 20 + no second model 10            = 55 high
 *   101: 25 + 20 + proprietary data 15 + 10 + data gravity 5       = 75 critical
 *   102: 25 + proprietary assistant 15 + 10                        = 50 high
 *   103: 25 + 20 + 10                                              = 55 high
 * Spend by provider group: g1 = 4000+3000+1000, g2 = 2000 -> HHI 6400+400. */

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
             " {\"workloads\":[101,100],\"type\":\"add_swap_layer\"}]",
             &s);
    assert_int_equal(s.n_changes, 4);
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
    assert_string_equal(CHANGE_TYPES[CHANGE_ADD_SWAP_LAYER], "add_swap_layer");
    assert_null(CHANGE_TYPES[4]);
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
                 "must be one of exit_group, withdraw_offering, end_contract or add_swap_layer");
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
}

/* ---- evaluation ------------------------------------------------------------ */

/* Microsoft exits (named through its subsidiary GitHub: the group is what
 * exits). Unavailable: 10, 11, 13 (provider GitHub), 15, 16 (hosted on
 * Azure). Alternatives: 10 -> 12 (OpenAI API: model_api, group 2); 11, 13,
 * 15 -> none.
 *   100 lost [10] alt [12]           movable   45 (openai_compatible)
 *   101 lost [10, 11] alt [12, 0]    stranded  120 (Cosmos is proprietary)
 *   102 lost [13] alt [0], swap      movable   14
 *   103 unaffected; 104 retired.
 * Notice: EA 90, GitHub 30 (upstream 365 never counts) -> 90; exit 210.
 * After: 100 on [12, 12], 101 out, 102 with no dependency left, 103 on 12.
 *   provider: g2 = 4000 + 2000 (102 has no provider left) -> 10000
 *   risk: 100 55 high, 102 only "no second model" 10 low, 103 55 high. */
static void exit_group_strands_and_moves(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":3}]", &r);

    assert_int_equal(r.n_workloads, 5);
    assert_int_equal(r.n_unavailable, 5);
    int64_t unavailable[] = {10, 11, 13, 15, 16};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(r.unavailable[i], unavailable[i]);

    const scenario_workload *w = outcome_of(&r, 100);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->n_lost, 1);   /* 10 twice (model, hosting) counts once */
    assert_int_equal(w->lost[0], 10);
    assert_int_equal(w->alternatives[0], 12);
    assert_int_equal(w->migration_days, 45);

    w = outcome_of(&r, 101);
    assert_int_equal(w->outcome, OUTCOME_STRANDED);
    assert_int_equal(w->n_lost, 2);
    assert_int_equal(w->lost[0], 10);
    assert_int_equal(w->alternatives[0], 12);
    assert_int_equal(w->lost[1], 11);
    assert_int_equal(w->alternatives[1], 0);
    assert_int_equal(w->migration_days, 120);

    w = outcome_of(&r, 102);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);   /* swap layer alone */
    assert_int_equal(w->n_lost, 1);
    assert_int_equal(w->lost[0], 13);
    assert_int_equal(w->alternatives[0], 0);
    assert_int_equal(w->migration_days, 14);

    w = outcome_of(&r, 103);
    assert_int_equal(w->outcome, OUTCOME_UNAFFECTED);
    assert_int_equal(w->n_lost, 0);
    assert_int_equal(w->migration_days, 0);

    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 1);
    assert_int_equal(r.counts[OUTCOME_MOVABLE], 2);
    assert_int_equal(r.counts[OUTCOME_STRANDED], 1);
    assert_int_equal(r.spend_at_risk, 800000);
    assert_int_equal(r.spend_stranded, 300000);
    assert_int_equal(r.critical_at_risk, 1);
    assert_int_equal(r.notice_days, 90);
    assert_int_equal(r.migration_days, 120);
    assert_int_equal(r.exit_days, 210);

    assert_int_equal(r.before.monthly_spend, 1000000);
    assert_hhi(&r.before.spend, LAYER_PROVIDER, 6800);
    assert_hhi(&r.before.spend, LAYER_PUBLISHER, 10000);
    assert_hhi(&r.before.spend, LAYER_HOST, 6800);
    assert_levels(r.before.levels, 0, 0, 3, 1);

    assert_int_equal(r.after.monthly_spend, 700000);
    assert_hhi(&r.after.spend, LAYER_PROVIDER, 10000);
    assert_float_equal(r.after.spend.layers[LAYER_PROVIDER].total, 6000, 1e-9);
    assert_int_equal(r.after.spend.layers[LAYER_PROVIDER].n_shares, 1);
    assert_int_equal(r.after.spend.layers[LAYER_PROVIDER].shares[0].group, 2);
    assert_levels(r.after.levels, 1, 0, 2, 0);
}

/* OpenAI exits: its publisher role counts. Unavailable: 10 (publisher),
 * 12 (provider), 13 (publisher). Alternatives: 10 (group 1) -> 14 Gemini;
 * 12 (group 2) -> 14 (10 is gone, 16 is later); 13 -> none.
 * Every workload is movable; notice max(90, 60, 30) = 90; migration 45. */
static void exit_group_counts_publisher(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":2}]", &r);
    assert_int_equal(r.n_unavailable, 3);
    assert_int_equal(r.unavailable[0], 10);
    assert_int_equal(r.unavailable[1], 12);
    assert_int_equal(r.unavailable[2], 13);
    assert_int_equal(outcome_of(&r, 100)->alternatives[0], 14);
    assert_int_equal(outcome_of(&r, 101)->alternatives[0], 14);
    assert_int_equal(outcome_of(&r, 103)->alternatives[0], 14);
    assert_int_equal(outcome_of(&r, 103)->outcome, OUTCOME_MOVABLE);
    assert_int_equal(r.counts[OUTCOME_MOVABLE], 4);
    assert_int_equal(r.counts[OUTCOME_STRANDED], 0);
    assert_int_equal(r.spend_stranded, 0);
    assert_int_equal(r.spend_at_risk, 1000000);
    assert_int_equal(r.notice_days, 90);
    assert_int_equal(r.migration_days, 45);
    assert_int_equal(r.exit_days, 135);
}

/* Azure OpenAI withdrawn: 100 and 101 move to the OpenAI API only because
 * an alternative exists (neither has a swap layer). Notice 90 (EA; the
 * upstream agreement also covers 10 but never counts). 45 + 90 = 135. */
static void withdraw_moves_by_alternative_only(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"withdraw_offering\",\"offering\":10}]", &r);
    assert_int_equal(r.n_unavailable, 1);
    assert_int_equal(r.unavailable[0], 10);
    const scenario_workload *w = outcome_of(&r, 101);
    assert_false(w->w->swap_layer);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->n_lost, 1);
    assert_int_equal(w->alternatives[0], 12);
    assert_int_equal(w->migration_days, 45);
    assert_int_equal(outcome_of(&r, 100)->outcome, OUTCOME_MOVABLE);
    assert_int_equal(outcome_of(&r, 104)->outcome, OUTCOME_UNAFFECTED);   /* retired */
    assert_int_equal(outcome_of(&r, 104)->n_lost, 0);
    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 2);
    assert_int_equal(r.counts[OUTCOME_MOVABLE], 2);
    assert_int_equal(r.counts[OUTCOME_STRANDED], 0);
    assert_int_equal(r.spend_at_risk, 700000);
    assert_int_equal(r.critical_at_risk, 1);
    assert_int_equal(r.notice_days, 90);
    assert_int_equal(r.exit_days, 135);
    /* After: provider g1 = 3000 (101 keeps Cosmos), g2 = 3000 (101) + 4000 + 2000
     * with 101 split equally: g1 1500, g2 1500 + 4000 + 2000 + 0 (102 is g1 1000).
     * g1 = 1500 + 1000 = 2500, g2 = 7500 -> 625 + 5625 = 6250. */
    assert_hhi(&r.after.spend, LAYER_PROVIDER, 6250);
    /* Risk after: 100 on 12: 55 high; 101 on [12, 11]: two groups 12 + 20 +
     * 15 + 10 = 57 (data gravity gone: host group now 2) high; 102 50 high;
     * 103 55 high. */
    assert_levels(r.after.levels, 0, 0, 4, 0);
}

/* The OpenAI API withdrawn: its alternative is the smallest other-group
 * model API, Azure OpenAI (10). Notice 60 + 45. */
static void withdraw_picks_smallest_alternative(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"withdraw_offering\",\"offering\":12}]", &r);
    const scenario_workload *w = outcome_of(&r, 103);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->alternatives[0], 10);
    assert_int_equal(r.notice_days, 60);
    assert_int_equal(r.migration_days, 45);
    assert_int_equal(r.exit_days, 105);
    assert_int_equal(r.critical_at_risk, 0);
    assert_int_equal(r.spend_at_risk, 200000);
}

/* Microsoft exits, but Contract RAG is given a swap layer: it becomes movable
 * (Cosmos has no alternative and is dropped), and its lock-in falls from
 * 75 critical to one group 25 + no second model 10 = 35 medium. */
static void swap_layer_turns_stranded_movable(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":1},"
           " {\"type\":\"add_swap_layer\",\"workloads\":[101]}]", &r);
    const scenario_workload *w = outcome_of(&r, 101);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->n_lost, 2);
    assert_int_equal(w->alternatives[0], 12);
    assert_int_equal(w->alternatives[1], 0);
    assert_int_equal(w->migration_days, 14);
    assert_int_equal(r.counts[OUTCOME_STRANDED], 0);
    assert_int_equal(r.counts[OUTCOME_MOVABLE], 3);
    assert_int_equal(r.spend_stranded, 0);
    assert_int_equal(r.spend_at_risk, 800000);
    assert_int_equal(r.migration_days, 45);   /* 100 still has no swap layer */
    assert_int_equal(r.exit_days, 135);
    assert_levels(r.before.levels, 0, 0, 3, 1);
    assert_levels(r.after.levels, 1, 1, 2, 0);
    assert_int_equal(r.after.monthly_spend, 1000000);
    assert_hhi(&r.after.spend, LAYER_PROVIDER, 10000);
}

/* A swap layer on an unaffected workload: nothing is lost, risk falls:
 * 100 goes from 55 high to 35 medium. */
static void swap_layer_alone_lowers_risk(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"add_swap_layer\",\"workloads\":[100]}]", &r);
    assert_int_equal(r.n_unavailable, 0);
    assert_int_equal(r.counts[OUTCOME_UNAFFECTED], 4);
    assert_int_equal(r.spend_at_risk, 0);
    assert_int_equal(r.exit_days, 0);
    assert_int_equal(outcome_of(&r, 100)->outcome, OUTCOME_UNAFFECTED);
    assert_levels(r.before.levels, 0, 0, 3, 1);
    assert_levels(r.after.levels, 0, 1, 2, 1);
    assert_hhi(&r.after.spend, LAYER_PROVIDER, 6800);
    assert_int_equal(WORKLOADS[0].swap_layer, 0);   /* only the copy changed */
}

/* Ending the GitHub agreement: Copilot (13) unavailable; Dev assist has a
 * swap layer: 30 days' notice + 14. */
static void end_contract_swap_layer_14(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"end_contract\",\"contract\":23,\"on\":\"2026-09-30\"}]", &r);
    assert_int_equal(r.n_unavailable, 1);
    assert_int_equal(r.unavailable[0], 13);
    const scenario_workload *w = outcome_of(&r, 102);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->alternatives[0], 0);
    assert_int_equal(r.notice_days, 30);
    assert_int_equal(r.migration_days, 14);
    assert_int_equal(r.exit_days, 44);
}

/* Ending the Microsoft EA: 10, 11 and 15 unavailable; Support chat moves to
 * the OpenAI API (45), Contract RAG is stranded on Cosmos (120); the EA's
 * 90 days' notice: 210. */
static void end_contract_notice_from_covering_contract(void **state)
{
    fixture *f = *state;
    scenario_result r;
    run(f, "[{\"type\":\"end_contract\",\"contract\":20,\"on\":\"2026-12-31\"}]", &r);
    assert_int_equal(r.n_unavailable, 3);
    assert_int_equal(r.unavailable[0], 10);
    assert_int_equal(r.unavailable[1], 11);
    assert_int_equal(r.unavailable[2], 15);
    assert_int_equal(outcome_of(&r, 100)->outcome, OUTCOME_MOVABLE);
    assert_int_equal(outcome_of(&r, 100)->migration_days, 45);
    assert_int_equal(outcome_of(&r, 101)->outcome, OUTCOME_STRANDED);
    assert_int_equal(outcome_of(&r, 101)->migration_days, 120);
    assert_int_equal(outcome_of(&r, 102)->outcome, OUTCOME_UNAFFECTED);
    assert_int_equal(r.notice_days, 90);
    assert_int_equal(r.migration_days, 120);
    assert_int_equal(r.exit_days, 210);
    assert_int_equal(r.spend_stranded, 300000);
    assert_int_equal(r.critical_at_risk, 1);
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
    assert_int_equal(r.counts[0] + r.counts[1] + r.counts[2], 4);
    assert_int_equal(r.critical_at_risk, 1);
    assert_int_equal(r.spend_at_risk, 800000);
    assert_int_equal(r.before.monthly_spend, 1000000);
    int before = 0;
    for (int i = 0; i < 4; i++)
        before += r.before.levels[i];
    assert_int_equal(before, 4);
}

/* Deep snapshot of the fixture, compared after evaluation. */
static void input_portfolio_is_unchanged(void **state)
{
    fixture *f = *state;
    portfolio p_copy = f->p;
    workload w_copy[COUNT(WORKLOADS)];
    offering o_copy[COUNT(OFFERINGS)];
    contract c_copy[COUNT(CONTRACTS)];
    dependency d_copy[COUNT(WORKLOADS)][4];
    memcpy(w_copy, WORKLOADS, sizeof w_copy);
    memcpy(o_copy, OFFERINGS, sizeof o_copy);
    memcpy(c_copy, CONTRACTS, sizeof c_copy);
    for (size_t i = 0; i < COUNT(WORKLOADS); i++)
        memcpy(d_copy[i], WORKLOADS[i].dependencies,
               WORKLOADS[i].n_dependencies * sizeof(dependency));

    scenario_result r;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":1},"
           " {\"type\":\"withdraw_offering\",\"offering\":12},"
           " {\"type\":\"end_contract\",\"contract\":23,\"on\":\"2026-09-30\"},"
           " {\"type\":\"add_swap_layer\",\"workloads\":[100,101,103]}]", &r);
    assert_int_equal(r.counts[OUTCOME_MOVABLE], 4);

    assert_memory_equal(&p_copy, &f->p, sizeof p_copy);
    assert_memory_equal(w_copy, WORKLOADS, sizeof w_copy);
    assert_memory_equal(o_copy, OFFERINGS, sizeof o_copy);
    assert_memory_equal(c_copy, CONTRACTS, sizeof c_copy);
    for (size_t i = 0; i < COUNT(WORKLOADS); i++) {
        assert_memory_equal(d_copy[i], WORKLOADS[i].dependencies,
                            WORKLOADS[i].n_dependencies * sizeof(dependency));
        assert_string_equal(WORKLOADS[i].status, i == 4 ? "retired" : i == 3 ? "pilot" : "production");
    }
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
static dependency DA_DATA[] = {{11, "data"}};
static dependency DB[] = {{12, "model"}};

static void two_groups(fixture *f, workload *w)
{
    fill(f, TWO_VENDORS, COUNT(TWO_VENDORS), TWO_OFFERINGS, COUNT(TWO_OFFERINGS), NULL, 0, w, 2);
}

static void hhi_equal_groups_then_movable(void **state)
{
    (void)state;
    workload w[] = {WORKLOAD(1, "A", "production", "high", 100000, 0, DA_MODEL),
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
    assert_int_equal(r.workloads[0].alternatives[0], 12);
    assert_hhi(&r.after.spend, LAYER_PROVIDER, 10000);
    assert_hhi(&r.after.spend, LAYER_HOST, 10000);
    assert_float_equal(r.after.spend.layers[LAYER_PROVIDER].total, 2000, 1e-9);
    assert_int_equal(r.after.monthly_spend, 200000);
    /* Both 25 + 20 + 10 = 55 high before and after. */
    assert_levels(r.before.levels, 0, 0, 2, 0);
    assert_levels(r.after.levels, 0, 0, 2, 0);
    assert_int_equal(r.notice_days, 0);   /* no contracts */
    assert_int_equal(r.exit_days, 45);
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
    /* A: 25 + 20 + proprietary data 15 + 10 = 70 high (no host dependency,
     * so no data gravity); B 55 high. After: only B. */
    assert_levels(r.before.levels, 0, 0, 2, 0);
    assert_levels(r.after.levels, 0, 0, 1, 0);
    assert_int_equal(r.exit_days, 120);
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
        cmocka_unit_test_setup_teardown(exit_group_counts_publisher, setup_main, teardown),
        cmocka_unit_test_setup_teardown(withdraw_moves_by_alternative_only, setup_main, teardown),
        cmocka_unit_test_setup_teardown(withdraw_picks_smallest_alternative, setup_main, teardown),
        cmocka_unit_test_setup_teardown(swap_layer_turns_stranded_movable, setup_main, teardown),
        cmocka_unit_test_setup_teardown(swap_layer_alone_lowers_risk, setup_main, teardown),
        cmocka_unit_test_setup_teardown(end_contract_swap_layer_14, setup_main, teardown),
        cmocka_unit_test_setup_teardown(end_contract_notice_from_covering_contract, setup_main, teardown),
        cmocka_unit_test_setup_teardown(retired_workloads_are_ignored, setup_main, teardown),
        cmocka_unit_test_setup_teardown(input_portfolio_is_unchanged, setup_main, teardown),
        cmocka_unit_test(hhi_equal_groups_then_movable),
        cmocka_unit_test(hhi_equal_groups_then_stranded),
        cmocka_unit_test(evaluates_10000_workloads_quickly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
