/* test_scenario_eval.c - what-if scenarios over the main fixture (domain.md
 * "What-if scenarios", core/scenario.h): what each change withdraws, each
 * affected workload's outcome, replacements, migration path and reason,
 * the totals, the time to exit and its parts, and the after figures; the
 * input portfolio is never written. Expectations are worked out by hand in
 * the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/scenario.h"

#include "scenario_test.h"

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
/* A workload whose users are not known (null) is not counted as 0 users:
 * the users at risk leave it out and users_unknown counts it. */
static void unknown_users_are_counted_apart(void **state)
{
    fixture *f = *state;
    scenario_result r;
    int64_t kept = WORKLOADS[1].users; /* 101, stranded, 200 users */
    WORKLOADS[1].users = SY_INT_NULL;
    run(f, "[{\"type\":\"exit_group\",\"vendor\":3}]", &r);
    WORKLOADS[1].users = kept;
    assert_int_equal(r.users_at_risk, 1950 - 200);
    assert_int_equal(r.users_unknown, 1);
    run(f, "[{\"type\":\"exit_group\",\"vendor\":3}]", &r);
    assert_int_equal(r.users_at_risk, 1950);
    assert_int_equal(r.users_unknown, 0);
}

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
    assert_int_equal(w->features, 1);
    assert_int_equal(r.exit.migration_days, 180);

    /* Features go with the model, hosting, assistant or data moves: when
     * only Entra ID is withdrawn, Claims gateway's identity moves to Okta
     * (14, its swap layer) and its features add nothing. */
    WORKLOADS[5].features = features;                    /* 105 Claims gateway */
    WORKLOADS[5].n_features = 2;
    run(f, "[{\"type\":\"withdraw_offering\",\"offering\":15}]", &r);
    WORKLOADS[5].features = NULL;
    WORKLOADS[5].n_features = 0;
    w = outcome_of(&r, 105);
    assert_int_equal(w->outcome, OUTCOME_MOVABLE);
    assert_int_equal(w->features, 0);
    assert_int_equal(w->migration_days, 14);
    assert_string_equal(w->reason, "Movable in 14 days: Entra ID moves to Okta (same category, same "
                                   "open standard).");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
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
        cmocka_unit_test_setup_teardown(end_contract_withdraws_covered_offerings, setup_main,
                                        teardown),
        cmocka_unit_test_setup_teardown(retired_workloads_are_ignored, setup_main, teardown),
        cmocka_unit_test_setup_teardown(unknown_users_are_counted_apart, setup_main, teardown),
        cmocka_unit_test_setup_teardown(input_portfolio_is_unchanged, setup_main, teardown),
        cmocka_unit_test(time_to_exit_takes_latest_binding_date),
        cmocka_unit_test(time_to_exit_of_an_ended_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
