/* test_risk.c - the lock-in risk engine (shared domain.md revision 2,
 * core/risk.h): every factor on its own, each level boundary, the flagged
 * rule and the priority matrix, custom weights, the cap at 100 and the
 * reasons. The portfolio is risk_fixture.h's (described there); every
 * expected figure is worked out in the comment next to its assertion.
 * Portability, proven alternatives, scoped terms, model retirement, risk
 * acceptance and identity-only contracts are in test_risk_rev2.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/risk.h"

#include "risk_fixture.h"

/* ---- tables and the neutral baseline ----------------------------------------- */

static void tables_and_defaults(void **state)
{
    (void)state;
    static const char *const codes[] = {"single_group_stack", "no_swap_layer",
                                        "proprietary_interface", "contract_lock",
                                        "no_proven_alternative", "horizon", "data_gravity"};
    static const int points[] = {25, 20, 15, 15, 10, 10, 5};
    risk_weights w;
    risk_default_weights(&w);
    for (int i = 0; i < RISK_FACTORS; i++) {
        assert_string_equal(RISK_CODES[i], codes[i]);
        assert_int_equal(RISK_DEFAULT_WEIGHTS[i], points[i]);
        assert_int_equal(w.points[i], points[i]);
        assert_non_null(RISK_RULES[i]);
    }
    assert_null(RISK_CODES[RISK_FACTORS]);
    assert_string_equal(RISK_LEVELS[0], "low");
    assert_string_equal(RISK_LEVELS[1], "medium");
    assert_string_equal(RISK_LEVELS[2], "high");
    assert_string_equal(RISK_LEVELS[3], "critical");
    assert_int_equal(RISK_HORIZON_DAYS, 90);
}

static void neutral_workload_scores_zero(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
    assert_int_equal(r.score, 0);
    assert_int_equal(r.level, 0);
    assert_false(r.flagged);
    assert_null(risk_top_factor(&r));
}

/* ---- single_group_stack ---------------------------------------------------------- */

static void single_group_one_group_full_points(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Azure Container Apps (hosting) and Azure Blob Storage (data), both
     * sold by Microsoft, and Entra ID (identity: carries no weight, domain.md
     * rev. 2): one provider group, Microsoft -> 25; nothing else applies
     * (hosting is no interface role; the store is open). Offerings are named
     * by name, each with its roles; Entra ID is not named. */
    static dependency d[] = {{18, "hosting"}, {20, "data"}, {15, "identity"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    assert_int_equal(r.score, 25);
    assert_reason_is(&r, RISK_SINGLE_GROUP,
                     "Every model, hosting, assistant and data dependency is sold by the "
                     "Microsoft group: Azure Blob Storage for data; Azure Container Apps for "
                     "hosting.");
}

/* identity and tooling carry no weight (domain.md factor table): they
 * neither make nor break a single group. */
static void single_group_ignores_identity_and_tooling(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    risk_result r;
    /* Cloud Storage (Google) + Entra ID (Microsoft, identity) + Azure
     * Container Apps (Microsoft, tooling): one weighted group, Google -> 25
     * (it would be two groups, 12, if identity or tooling counted). */
    static dependency d1[] = {{17, "data"}, {15, "identity"}, {18, "tooling"}};
    workload w1 = NEUTRAL(100, d1);
    assess(f, &w1, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    assert_reason_is(&r, RISK_SINGLE_GROUP,
                     "Every model, hosting, assistant and data dependency is sold by the "
                     "Google group: Cloud Storage for data.");
    /* Azure Blob Storage (Microsoft) + Gemini (Google, tooling) + Compute
     * Engine (Google, identity): still one weighted group, Microsoft -> 25. */
    static dependency d2[] = {{20, "data"}, {14, "tooling"}, {21, "identity"}};
    workload w2 = NEUTRAL(101, d2);
    assess(f, &w2, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    /* A workload whose only dependencies are identity and tooling has no
     * weighted group: no factor. */
    static dependency d3[] = {{15, "identity"}, {18, "tooling"}};
    workload w3 = NEUTRAL(102, d3);
    assess(f, &w3, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
}

static void single_group_subsidiary_is_same_group(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* GitHub Copilot (GitHub, parent Microsoft) + Azure Blob Storage: one
     * group -> 25; the assistant's proprietary interface -> 15; the
     * assistant has no named alternative -> no_proven_alternative 10. 50. */
    static dependency d[] = {{13, "assistant"}, {20, "data"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 10);
    assert_int_equal(r.n_factors, 3);
    assert_int_equal(r.score, 50);
    assert_reason_is(&r, RISK_SINGLE_GROUP,
                     "Every model, hosting, assistant and data dependency is sold by the "
                     "Microsoft group: Azure Blob Storage for data; GitHub Copilot for "
                     "assistant.");
}

static void single_group_two_groups_half_rounded_down(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Azure Blob Storage (Microsoft) + Cloud Storage (Google): two groups ->
     * 25 / 2 = 12; the groups are named by name. */
    static dependency d[] = {{20, "data"}, {17, "data"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_SINGLE_GROUP, 12);
    assert_int_equal(r.score, 12);
    assert_reason_is(&r, RISK_SINGLE_GROUP,
                     "Its model, hosting, assistant and data dependencies are sold by only two "
                     "vendor groups, Google (Cloud Storage for data) and Microsoft (Azure Blob "
                     "Storage for data).");
    /* Weight 7: 7 / 2 = 3. Weight 1: 1 / 2 = 0, so the factor is absent. */
    risk_weights w7 = only(RISK_SINGLE_GROUP, 7), w1 = only(RISK_SINGLE_GROUP, 1);
    assess(f, &w, &w7, &r);
    assert_factor(&r, RISK_SINGLE_GROUP, 3);
    assert_int_equal(r.score, 3);
    assess(f, &w, &w1, &r);
    assert_int_equal(r.n_factors, 0);
    assert_int_equal(r.score, 0);
}

static void single_group_three_groups_none(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Google, Microsoft, Amazon data stores: three groups -> nothing (the
     * neutral one). */
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_no_factor(&r, RISK_SINGLE_GROUP);
    /* Adding a fourth group (Meta's Llama, with no named alternative)
     * changes nothing for single_group_stack; the new model has no proven
     * alternative -> 10. */
    static dependency d[] = {{10, "model"}, {12, "model"}, {17, "data"}, {20, "data"},
                             {22, "data"}, {16, "model"}};
    workload w4 = NEUTRAL(101, d);
    assess(f, &w4, &f->wts, &r);
    assert_no_factor(&r, RISK_SINGLE_GROUP);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 10);
    assert_int_equal(r.score, 10);
}

/* ---- no_swap_layer and no_validated_alternative ------------------------------- */

static void no_swap_layer_20(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    workload w = NEUTRAL(100, D_NEUTRAL);
    w.swap_layer = 0;
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_NO_SWAP, 20);
    assert_int_equal(r.score, 20);
    assert_int_equal(r.level, 0);
}

/* ---- proprietary_interface ------------------------------------------------------ */

static void proprietary_via_model_interface(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Neutral + Gemini API as a model: proprietary -> 15; Gemini has no
     * named alternative -> no_proven_alternative 10 (four groups). 25. */
    static dependency d[] = {{10, "model"}, {12, "model"}, {17, "data"}, {20, "data"},
                             {22, "data"}, {14, "model"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 2);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 10);
    assert_int_equal(r.score, 25);
    assert_reason_is(&r, RISK_PROPRIETARY, "Gemini API (Google) has a proprietary interface.");
    assert_reason_is(&r, RISK_NO_ALTERNATIVE,
                     "No exit is proven for its model and assistant dependencies: Gemini API has "
                     "no named alternative.");
}

static void proprietary_via_data_and_assistant(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Vertex AI Search as a data store, beside Azure Blob Storage and
     * Amazon S3 (three groups): proprietary -> 15. The model deps are
     * Microsoft's and OpenAI's, not Google's: no data gravity. */
    static dependency d1[] = {{10, "model"}, {12, "model"}, {19, "data"}, {20, "data"},
                              {22, "data"}};
    workload w1 = NEUTRAL(100, d1);
    risk_result r;
    assess(f, &w1, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_reason_is(&r, RISK_PROPRIETARY,
                     "Vertex AI Search (Google) has a proprietary interface.");
    /* GitHub Copilot as an assistant, with OpenAI API (portable), Cloud
     * Storage and Amazon S3 (groups Microsoft, Google, Amazon): proprietary
     * 15 + the assistant's missing alternative 10 = 25. */
    static dependency d2[] = {{13, "assistant"}, {12, "model"}, {17, "data"}, {22, "data"}};
    workload w2 = NEUTRAL(101, d2);
    assess(f, &w2, &f->wts, &r);
    assert_int_equal(r.n_factors, 2);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 10);
    assert_reason_is(&r, RISK_PROPRIETARY, "GitHub Copilot (GitHub) has a proprietary interface.");
}

static void proprietary_ignores_identity_and_hosting(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Entra ID (identity) and Azure Container Apps (hosting) are
     * proprietary but in roles that do not count: 0. Azure Container Apps
     * makes Microsoft a host; the data stores are open: no gravity. */
    static dependency d[] = {{10, "model"}, {12, "model"}, {17, "data"}, {20, "data"},
                             {22, "data"}, {15, "identity"}, {18, "hosting"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
    assert_int_equal(r.score, 0);
    /* The same proprietary store as "tooling" does not count either. */
    static dependency d2[] = {{10, "model"}, {12, "model"}, {17, "data"}, {20, "data"},
                              {22, "data"}, {11, "tooling"}};
    workload w2 = NEUTRAL(101, d2);
    assess(f, &w2, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
}

static void proprietary_via_features(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    static const char *features[] = {"Realtime API", "Batch API"};
    workload w = NEUTRAL(100, D_NEUTRAL);
    w.features = features;
    w.n_features = 2;
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_int_equal(r.score, 15);
    assert_reason_is(&r, RISK_PROPRIETARY,
                     "It relies on proprietary features: Realtime API, Batch API.");
    /* Interface and features together still count once: 15 (+ Gemini's
     * missing alternative 10). */
    static dependency d[] = {{10, "model"}, {12, "model"}, {17, "data"}, {20, "data"},
                             {22, "data"}, {14, "model"}};
    workload w2 = NEUTRAL(101, d);
    w2.features = features;
    w2.n_features = 1;
    assess(f, &w2, &f->wts, &r);
    assert_int_equal(r.n_factors, 2);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_reason_is(&r, RISK_PROPRIETARY,
                     "Gemini API (Google) has a proprietary interface; it relies on proprietary "
                     "features: Realtime API.");
}

/* ---- contract_lock ----------------------------------------------------------- */

/* The neutral workload depends on the OpenAI API, which the contract covers. */
static void expect_lock(fixture *f, contract *k, const char *why)
{
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    use_contracts(f, k, 1);
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_CONTRACT_LOCK, 15);
    assert_int_equal(r.score, 15);
    assert_reason_has(&r, RISK_CONTRACT_LOCK, k->name);
    assert_reason_has(&r, RISK_CONTRACT_LOCK, "with OpenAI,");   /* the counterparty */
    assert_reason_has(&r, RISK_CONTRACT_LOCK, why);
}

static void expect_no_lock(fixture *f, contract *k)
{
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    use_contracts(f, k, 1);
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
    assert_int_equal(r.score, 0);
}

static void contract_lock_each_condition(void **state)
{
    fixture *f = *state;
    contract k = CLEAN_CONTRACT(30, "OpenAI Enterprise Agreement", 2, K_OPENAI_OFFERINGS);
    expect_no_lock(f, &k);   /* clean: nothing */

    contract x = k;
    x.exclusive = 1;
    expect_lock(f, &x, "is exclusive");
    x = k;
    x.committed_spend = 12000000;
    expect_lock(f, &x, "commits spend");
    x = k;
    x.exit_clause = "none";
    expect_lock(f, &x, "has no exit clause");
    x = k;
    x.data_portability = 0;
    expect_lock(f, &x, "lacks data portability");
    x = k;
    x.substitutability = "hard";
    expect_lock(f, &x, "rates substitutability hard");
    x = k;
    x.substitutability = "none";
    expect_lock(f, &x, "rates substitutability none");
}

static void contract_lock_not_for_clean_other_or_ended(void **state)
{
    fixture *f = *state;
    contract k = CLEAN_CONTRACT(30, "OpenAI Enterprise Agreement", 2, K_OPENAI_OFFERINGS);
    /* A partial exit clause and medium substitutability are not a lock. */
    k.exit_clause = "partial";
    k.substitutability = "medium";
    expect_no_lock(f, &k);
    /* Exclusive, but covering an offering the workload does not use. */
    static int64_t gemini[] = {14};
    contract other = CLEAN_CONTRACT(31, "Google Cloud Agreement", 4, gemini);
    other.exclusive = 1;
    expect_no_lock(f, &other);
    /* Exclusive, but it ended yesterday (no auto-renewal). */
    contract ended = CLEAN_CONTRACT(32, "Old OpenAI Agreement", 2, K_OPENAI_OFFERINGS);
    ended.exclusive = 1;
    ended.end_date = "2026-04-30";
    expect_no_lock(f, &ended);
    /* Ending today still binds. */
    ended.end_date = "2026-05-01";
    ended.notice_days = 0;   /* deadline today: horizon too */
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    use_contracts(f, &ended, 1);
    assess(f, &w, &f->wts, &r);
    assert_factor(&r, RISK_CONTRACT_LOCK, 15);
    /* An upstream agreement with no exit clause or portability is not the
     * organisation's contract: no lock. */
    contract up = CLEAN_CONTRACT(33, "Upstream", 2, K_OPENAI_OFFERINGS);
    up.kind = "upstream";
    up.other_party = 1;
    up.exit_clause = "none";
    up.data_portability = 0;
    up.exclusive = 1;
    expect_no_lock(f, &up);
}

static void contract_lock_and_horizon_see_every_covering_contract(void **state)
{
    fixture *f = *state;
    /* 300 clean contracts over the OpenAI API (deadlines far away), then one
     * that is exclusive and one whose notice deadline is in 15 days: "a
     * covering customer contract" means any of them, however many. Expected:
     * contract_lock 15 naming "Exclusive deal", horizon 10 naming "Due soon". */
    enum { N = 302 };
    static contract k[N];
    static char names[N][24];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "Contract %03d", i + 1);
        k[i] = (contract)CLEAN_CONTRACT(i + 1, names[i], 2, K_OPENAI_OFFERINGS);
    }
    k[N - 2].name = "Exclusive deal";
    k[N - 2].exclusive = 1;
    k[N - 1].name = "Due soon";
    k[N - 1].end_date = "2026-06-15";   /* notice 30: deadline 2026-05-16, today + 15 */
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    use_contracts(f, k, N);
    assess(f, &w, &f->wts, &r);
    assert_factor(&r, RISK_CONTRACT_LOCK, 15);
    assert_reason_has(&r, RISK_CONTRACT_LOCK, "Exclusive deal");
    assert_factor(&r, RISK_HORIZON, 10);
    assert_reason_has(&r, RISK_HORIZON, "Due soon");
    assert_int_equal(r.score, 25);
}

/* ---- reasons name every cause (issue 15 item 3) ------------------------------------ */

/* The position of needle in the factor's reason; fails when absent. */
static size_t at(const risk_result *r, int code, const char *needle)
{
    const risk_factor *f = factor(r, code);
    assert_non_null(f);
    const char *hit = strstr(f->reason, needle);
    if (!hit)
        fail_msg("reason of %s lacks \"%s\": %s", RISK_CODES[code], needle, f->reason);
    return (size_t)(hit - f->reason);
}

static void reasons_name_two_locking_contracts_by_name(void **state)
{
    fixture *f = *state;
    /* Three contracts over the OpenAI API: "Zeta commit" (id 31, commits
     * spend), "Clean" (id 32, locks nothing) and "Alpha exclusive" (id 33,
     * exclusive). The factor counts once (15) and names both locking
     * contracts, Alpha before Zeta (by name), with what each does, and not
     * the clean one. The order does not depend on the contracts' order. */
    contract k[3] = {CLEAN_CONTRACT(31, "Zeta commit", 2, K_OPENAI_OFFERINGS),
                     CLEAN_CONTRACT(32, "Clean", 2, K_OPENAI_OFFERINGS),
                     CLEAN_CONTRACT(33, "Alpha exclusive", 2, K_OPENAI_OFFERINGS)};
    k[0].committed_spend = 5000000;
    k[2].exclusive = 1;
    use_contracts(f, k, 3);
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_CONTRACT_LOCK, 15);
    assert_true(at(&r, RISK_CONTRACT_LOCK, "\"Alpha exclusive\"") <
                at(&r, RISK_CONTRACT_LOCK, "\"Zeta commit\""));
    assert_true(at(&r, RISK_CONTRACT_LOCK, "is exclusive") <
                at(&r, RISK_CONTRACT_LOCK, "commits spend"));
    assert_null(strstr(factor(&r, RISK_CONTRACT_LOCK)->reason, "\"Clean\""));
    assert_reason_has(&r, RISK_CONTRACT_LOCK, "Covered by the contracts ");
    /* With the prepared texts (risk_prepare, as the snapshot does) the
     * sentence is the same. */
    char first[600];
    snprintf(first, sizeof first, "%s", factor(&r, RISK_CONTRACT_LOCK)->reason);
    assert_int_equal(risk_prepare(&f->p, &f->a), 0);
    assess(f, &w, &f->wts, &r);
    assert_string_equal(factor(&r, RISK_CONTRACT_LOCK)->reason, first);
    /* One contract: the singular. */
    use_contracts(f, &k[2], 1);
    assess(f, &w, &f->wts, &r);
    assert_reason_has(&r, RISK_CONTRACT_LOCK, "Covered by the contract \"Alpha exclusive\"");
}

static void reasons_name_every_deadline_soonest_first(void **state)
{
    fixture *f = *state;
    /* Two notice deadlines in the window: "Later" ends 2026-07-31 (deadline
     * 2026-07-01, in 61 days), "Sooner" ends 2026-06-15 (deadline
     * 2026-05-16, in 15 days); "Far" is outside. 10 points once, both
     * named, Sooner first. */
    contract k[3] = {CLEAN_CONTRACT(31, "Later", 2, K_OPENAI_OFFERINGS),
                     CLEAN_CONTRACT(32, "Sooner", 2, K_OPENAI_OFFERINGS),
                     CLEAN_CONTRACT(33, "Far", 2, K_OPENAI_OFFERINGS)};
    k[0].end_date = "2026-07-31";
    k[1].end_date = "2026-06-15";
    use_contracts(f, k, 3);
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_HORIZON, 10);
    assert_true(at(&r, RISK_HORIZON, "\"Sooner\" is 2026-05-16, in 15 days") <
                at(&r, RISK_HORIZON, "\"Later\" is 2026-07-01, in 61 days"));
    assert_null(strstr(factor(&r, RISK_HORIZON)->reason, "Far"));
}

static void reasons_name_every_proprietary_offering_by_name(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Vertex AI Search (19) and Azure Cosmos DB (11), both proprietary
     * stores, and Gemini (14), a proprietary model: 15 once, all three
     * named by name: Azure Cosmos DB, Gemini API, Vertex AI Search. */
    static dependency d[] = {{19, "data"}, {14, "model"}, {11, "data"}, {12, "model"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_true(at(&r, RISK_PROPRIETARY, "Azure Cosmos DB") < at(&r, RISK_PROPRIETARY, "Gemini API"));
    assert_true(at(&r, RISK_PROPRIETARY, "Gemini API") < at(&r, RISK_PROPRIETARY, "Vertex AI Search"));
}

/* ---- horizon: notice deadlines ------------------------------------------------------ */

static int horizon_points(fixture *f, contract *k, risk_result *r)
{
    workload w = NEUTRAL(100, D_NEUTRAL);
    use_contracts(f, k, 1);
    assess(f, &w, &f->wts, r);
    const risk_factor *h = factor(r, RISK_HORIZON);
    assert_int_equal(r->n_factors, h ? 1 : 0);   /* clean contract: nothing else */
    return h ? h->points : 0;
}

static void horizon_notice_deadline_window(void **state)
{
    fixture *f = *state;
    risk_result r;
    contract k = CLEAN_CONTRACT(30, "OpenAI Enterprise Agreement", 2, K_OPENAI_OFFERINGS);
    /* End 2026-08-29, notice 30: deadline 2026-07-30 = today + 90 -> counts. */
    k.end_date = "2026-08-29";
    assert_int_equal(horizon_points(f, &k, &r), 10);
    assert_int_equal(r.score, 10);
    assert_reason_has(&r, RISK_HORIZON, "OpenAI Enterprise Agreement");
    assert_reason_has(&r, RISK_HORIZON, "2026-07-30");
    assert_reason_has(&r, RISK_HORIZON, "in 90 days");
    /* End 2026-08-30: deadline 2026-07-31 = today + 91 -> does not. */
    k.end_date = "2026-08-30";
    assert_int_equal(horizon_points(f, &k, &r), 0);
    /* End 2026-05-31: deadline 2026-05-01 = today -> counts. */
    k.end_date = "2026-05-31";
    assert_int_equal(horizon_points(f, &k, &r), 10);
    assert_reason_has(&r, RISK_HORIZON, "2026-05-01");
    assert_reason_has(&r, RISK_HORIZON, "in 0 days");
    /* End 2026-05-30: deadline 2026-04-30, yesterday: passed -> does not
     * (the contract itself still runs). */
    k.end_date = "2026-05-30";
    assert_int_equal(horizon_points(f, &k, &r), 0);
    /* Open-ended: no deadline. */
    k.end_date = NULL;
    assert_int_equal(horizon_points(f, &k, &r), 0);
}

static void horizon_auto_renewal_rolls_forward(void **state)
{
    fixture *f = *state;
    risk_result r;
    contract k = CLEAN_CONTRACT(30, "OpenAI API reservation", 2, K_OPENAI_OFFERINGS);
    /* Ended 2024-06-15, renews for 12 months: 2025-06-15, then 2026-06-15;
     * notice 30 -> deadline 2026-05-16 = today + 15 -> counts. */
    k.end_date = "2024-06-15";
    k.auto_renew = 1;
    k.renewal_months = 12;
    assert_int_equal(horizon_points(f, &k, &r), 10);
    assert_reason_has(&r, RISK_HORIZON, "2026-05-16");
    assert_reason_has(&r, RISK_HORIZON, "in 15 days");
    assert_reason_has(&r, RISK_HORIZON, "renews automatically");
    /* The same contract without auto-renewal has ended: nothing. */
    k.auto_renew = 0;
    assert_int_equal(horizon_points(f, &k, &r), 0);
    /* Rolled forward by 6 months from 2025-12-15: 2026-06-15 again. */
    k.auto_renew = 1;
    k.renewal_months = 6;
    k.end_date = "2025-12-15";
    assert_int_equal(horizon_points(f, &k, &r), 10);
    assert_reason_has(&r, RISK_HORIZON, "2026-05-16");
}

static void horizon_picks_soonest_deadline(void **state)
{
    fixture *f = *state;
    /* Two covering contracts, notice 30 each: end 2026-07-30 -> deadline
     * 2026-06-30 (today + 60), end 2026-06-15 -> deadline 2026-05-16
     * (today + 15). The reason names the soonest; 10 points, once. */
    contract k[2] = {CLEAN_CONTRACT(30, "Later", 2, K_OPENAI_OFFERINGS),
                     CLEAN_CONTRACT(31, "Sooner", 2, K_OPENAI_OFFERINGS)};
    k[0].end_date = "2026-07-30";   /* deadline 2026-06-30 */
    k[1].end_date = "2026-06-15";   /* deadline 2026-05-16 */
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    use_contracts(f, k, 2);
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_HORIZON, 10);
    assert_reason_has(&r, RISK_HORIZON, "\"Sooner\"");
    assert_reason_has(&r, RISK_HORIZON, "2026-05-16");
}

/* ---- horizon: upstream terms ------------------------------------------------------- */

static int64_t U_OFFERINGS[] = {10};
static contract_term U_TERMS[] = {
    {.kind = "distribution", .text = "OpenAI may sell on any cloud.", .effective = "2026-04-27"},
    {.kind = "licence", .text = "Microsoft licence, non-exclusive.", .effective = "2026-04-27",
     .until = "2032-12-31"},
    {.kind = "revenue_share", .text = "Revenue share to Microsoft, capped.",
     .effective = "2026-04-27", .until = "2030-12-31"},
};

static contract upstream_agreement(void)
{
    contract u = CLEAN_CONTRACT(40, "OpenAI-Microsoft agreement", 2, U_OFFERINGS);
    u.kind = "upstream";
    u.other_party = 1;
    u.start_date = "2026-04-27";
    u.end_date = "2032-12-31";
    u.notice_days = 0;
    u.exit_clause = "none";       /* would be a lock on a customer contract */
    u.data_portability = 0;
    u.terms = U_TERMS;
    u.n_terms = COUNT(U_TERMS);
    return u;
}

static void reasons_name_deadline_and_upstream_term(void **state)
{
    fixture *f = *state;
    /* A production workload on Azure OpenAI with no planned end: the
     * licence term (2032-12-31) of the upstream agreement bears on it, and
     * a customer contract over Azure OpenAI has its notice deadline in 15
     * days. One horizon factor (10) naming both: the deadline, then the
     * term. */
    static int64_t azure[] = {10};
    contract k[2] = {CLEAN_CONTRACT(31, "Azure PTU", 1, azure), upstream_agreement()};
    k[0].end_date = "2026-06-15";
    use_contracts(f, k, 2);
    workload w = NEUTRAL(100, D_NEUTRAL);
    w.status = "production";
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_factor(&r, RISK_HORIZON, 10);
    assert_true(at(&r, RISK_HORIZON, "\"Azure PTU\"") <
                at(&r, RISK_HORIZON, "Microsoft licence, non-exclusive."));
    assert_reason_has(&r, RISK_HORIZON, "2032-12-31");
    /* The revenue-share term is no access term: never named. */
    assert_null(strstr(factor(&r, RISK_HORIZON)->reason, "Revenue share"));
}

static int upstream_points(fixture *f, contract *u, const char *status, const char *planned,
                           risk_result *r)
{
    workload w = NEUTRAL(100, D_NEUTRAL);   /* depends on Azure OpenAI (10) */
    w.status = status;
    w.planned_end = planned;
    use_contracts(f, u, 1);
    assess(f, &w, &f->wts, r);
    const risk_factor *h = factor(r, RISK_HORIZON);
    assert_int_equal(r->n_factors, h ? 1 : 0);
    return h ? h->points : 0;
}

static void horizon_upstream_term_before_planned_end(void **state)
{
    fixture *f = *state;
    risk_result r;
    contract u = upstream_agreement();
    /* Licence ends 2032-12-31, before a planned end of 2033-06-30 -> 10. */
    assert_int_equal(upstream_points(f, &u, "pilot", "2033-06-30", &r), 10);
    assert_reason_has(&r, RISK_HORIZON, "Microsoft licence, non-exclusive.");
    assert_reason_has(&r, RISK_HORIZON, "OpenAI-Microsoft agreement");
    assert_reason_has(&r, RISK_HORIZON, "2032-12-31");
    assert_reason_has(&r, RISK_HORIZON, "2033-06-30");
    /* Planned end on the day the licence ends: not before it -> 0. */
    assert_int_equal(upstream_points(f, &u, "pilot", "2032-12-31", &r), 0);
    /* Planned end 2031-06-30: the licence outlasts it; the revenue share
     * ends earlier (2030-12-31) but is not an access term -> 0. */
    assert_int_equal(upstream_points(f, &u, "production", "2031-06-30", &r), 0);
    /* Production with no planned end counts as beyond every term -> 10. */
    assert_int_equal(upstream_points(f, &u, "production", NULL, &r), 10);
    assert_reason_has(&r, RISK_HORIZON, "2032-12-31");
    assert_reason_has(&r, RISK_HORIZON, "no planned end");
    /* Changed in rev. 2: any workload with no planned end, a pilot too,
     * counts as running beyond every date -> 10. */
    assert_int_equal(upstream_points(f, &u, "pilot", NULL, &r), 10);
    assert_reason_is(&r, RISK_HORIZON,
                     "It relies on the upstream term \"Microsoft licence, non-exclusive.\" of "
                     "\"OpenAI-Microsoft agreement\", which ends on 2032-12-31, while the workload "
                     "has no planned end.");
}

static void horizon_revenue_share_term_does_not_count(void **state)
{
    fixture *f = *state;
    risk_result r;
    /* Only a revenue-share term, ending 2027-01-01, on the offering of a
     * production workload with no planned end -> 0. */
    static contract_term rs[] = {{.kind = "revenue_share", .text = "Revenue share, capped.",
                                  .until = "2027-01-01"}};
    contract u = upstream_agreement();
    u.terms = rs;
    u.n_terms = 1;
    assert_int_equal(upstream_points(f, &u, "production", NULL, &r), 0);
    assert_int_equal(r.score, 0);
    /* The same term as a licence -> 10: the kind alone decides. */
    static contract_term lic[] = {{.kind = "licence", .text = "Licence.", .until = "2027-01-01"}};
    u.terms = lic;
    assert_int_equal(upstream_points(f, &u, "production", NULL, &r), 10);
    /* A licence without an end date never counts. */
    static contract_term open[] = {{.kind = "licence", .text = "Perpetual licence."}};
    u.terms = open;
    assert_int_equal(upstream_points(f, &u, "production", NULL, &r), 0);
    /* An upstream term on an offering the workload does not use -> 0. */
    static int64_t gemini[] = {14};
    u = upstream_agreement();
    u.offerings = gemini;
    u.n_offerings = 1;
    assert_int_equal(upstream_points(f, &u, "production", NULL, &r), 0);
}

/* ---- data_gravity --------------------------------------------------------------- */

static void data_gravity_same_group_proprietary_store(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    risk_result r;
    /* Azure OpenAI (model, portable, sold and hosted by Microsoft) + Cosmos
     * DB (data, Microsoft, proprietary): one group over the non-portable
     * Cosmos DB 25 + proprietary data 15 + gravity 5 = 45. */
    static dependency d1[] = {{10, "model"}, {11, "data"}};
    workload w1 = NEUTRAL(100, d1);
    assess(f, &w1, &f->wts, &r);
    assert_int_equal(r.n_factors, 3);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_factor(&r, RISK_DATA_GRAVITY, 5);
    assert_int_equal(r.score, 45);
    assert_reason_is(&r, RISK_DATA_GRAVITY,
                     "Its data sits in Azure Cosmos DB, a proprietary store of the Microsoft "
                     "group, which also provides or hosts its model or assistant.");
    /* A Microsoft hosting dependency with Cosmos DB, model from OpenAI
     * (portable): groups over Azure Container Apps and Cosmos DB, Microsoft
     * -> 25; proprietary data 15; gravity 5 = 45. */
    static dependency d2[] = {{18, "hosting"}, {12, "model"}, {11, "data"}};
    workload w2 = NEUTRAL(101, d2);
    assess(f, &w2, &f->wts, &r);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    assert_factor(&r, RISK_DATA_GRAVITY, 5);
    assert_int_equal(r.score, 45);
    /* Any model dependency of the store's group counts, whatever the
     * hosting: Compute Engine (Google) hosts, Azure OpenAI (Microsoft) is a
     * model: Google + Microsoft 12, proprietary 15, gravity 5 = 32. */
    static dependency d3[] = {{21, "hosting"}, {10, "model"}, {11, "data"}};
    workload w3 = NEUTRAL(102, d3);
    assess(f, &w3, &f->wts, &r);
    assert_factor(&r, RISK_SINGLE_GROUP, 12);
    assert_factor(&r, RISK_DATA_GRAVITY, 5);
    assert_int_equal(r.score, 32);
}

static void data_gravity_not_for_other_group_open_or_portable_store(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    risk_result r;
    /* OpenAI API (OpenAI, portable) + Cosmos DB: one group over Cosmos DB
     * 25 + proprietary 15 = 40, no gravity (OpenAI is not Microsoft). */
    static dependency d1[] = {{12, "model"}, {11, "data"}};
    workload w1 = NEUTRAL(100, d1);
    assess(f, &w1, &f->wts, &r);
    assert_no_factor(&r, RISK_DATA_GRAVITY);
    assert_int_equal(r.score, 40);
    /* Same group, but an open store (Azure Blob Storage): one group 25. */
    static dependency d2[] = {{10, "model"}, {20, "data"}};
    workload w2 = NEUTRAL(101, d2);
    assess(f, &w2, &f->wts, &r);
    assert_no_factor(&r, RISK_DATA_GRAVITY);
    assert_int_equal(r.score, 25);
    /* Self-hosted Llama (Meta, no alternative) + Cosmos DB: Meta and
     * Microsoft 12 + proprietary 15 + no alternative 10 = 37, no gravity. */
    static dependency d3[] = {{16, "model"}, {11, "data"}};
    workload w3 = NEUTRAL(102, d3);
    assess(f, &w3, &f->wts, &r);
    assert_no_factor(&r, RISK_DATA_GRAVITY);
    assert_int_equal(r.score, 37);
    /* Cosmos DB made portable (Amazon S3 drilled and passed on 2026-04-20):
     * it leaves single_group_stack, proprietary and data_gravity: 0. */
    static dependency d4[] = {{10, "model"}, {11, "data"}};
    static alternative a4[] = {{10, 12}, {11, 22}};
    static exit_drill drills[] = {
        {.id = 1, .workload = 202, .dependency = 10, .offering = 12,
         .drilled_on = "2026-04-01", .result = "passed"},
        {.id = 2, .workload = 202, .dependency = 11, .offering = 22,
         .drilled_on = "2026-04-20", .result = "passed"}};
    use_drills(f, drills, COUNT(drills));
    workload w4 = CUSTOM(202, d4, a4);
    assess(f, &w4, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
}

/* ---- levels, flagged, weights, cap ------------------------------------------------ */

/* The neutral workload without a swap layer: only no_swap_layer applies, so
 * its weight is the score. */
static int level_at(fixture *f, int points, const char *criticality, int *flagged)
{
    use_contracts(f, NULL, 0);
    workload w = NEUTRAL(100, D_NEUTRAL);
    w.swap_layer = 0;
    w.criticality = criticality;
    risk_weights wts = only(RISK_NO_SWAP, points);
    risk_result r;
    assess(f, &w, &wts, &r);
    assert_int_equal(r.score, points);
    *flagged = r.flagged;
    return r.level;
}

static void level_boundaries(void **state)
{
    fixture *f = *state;
    int fl;
    assert_int_equal(level_at(f, 0, "medium", &fl), 0);
    assert_int_equal(level_at(f, 24, "medium", &fl), 0);
    assert_false(fl);
    assert_int_equal(level_at(f, 25, "medium", &fl), 1);
    assert_false(fl);
    assert_int_equal(level_at(f, 49, "medium", &fl), 1);
    assert_false(fl);
    /* Changed with priority (domain.md rev. 2): a high level at medium
     * criticality is P3, no longer flagged; critical at medium is P2. */
    assert_int_equal(level_at(f, 50, "medium", &fl), 2);
    assert_false(fl);
    assert_int_equal(level_at(f, 74, "medium", &fl), 2);
    assert_false(fl);
    assert_int_equal(level_at(f, 75, "medium", &fl), 3);
    assert_true(fl);
    assert_int_equal(level_at(f, 100, "medium", &fl), 3);
    assert_true(fl);
    /* The pure functions agree. */
    assert_int_equal(risk_level_of(24), 0);
    assert_int_equal(risk_level_of(25), 1);
    assert_int_equal(risk_level_of(49), 1);
    assert_int_equal(risk_level_of(50), 2);
    assert_int_equal(risk_level_of(74), 2);
    assert_int_equal(risk_level_of(75), 3);
}

/* Flagged (domain.md rev. 2): active, priority P1 or P2, not accepted.
 * Changed from the old rule (high or critical level, or medium when
 * business-critical): a high or critical level at low criticality is P3,
 * no longer flagged. */
static void flagged_rule(void **state)
{
    fixture *f = *state;
    int fl;
    assert_int_equal(level_at(f, 50, "low", &fl), 2);
    assert_false(fl);                              /* high x low = P3 */
    assert_int_equal(level_at(f, 75, "low", &fl), 3);
    assert_false(fl);                              /* critical x low = P3 */
    assert_int_equal(level_at(f, 50, "high", &fl), 2);
    assert_true(fl);                               /* high x high = P2 */
    assert_int_equal(level_at(f, 25, "critical", &fl), 1);
    assert_true(fl);                               /* medium x critical = P2 */
    assert_int_equal(level_at(f, 49, "critical", &fl), 1);
    assert_true(fl);
    assert_int_equal(level_at(f, 49, "high", &fl), 1);
    assert_false(fl);                              /* medium x high = P3 */
    assert_int_equal(level_at(f, 24, "critical", &fl), 0);
    assert_false(fl);                              /* low x critical = P3 */
    /* The pure rule: active, P1 or P2, not accepted. */
    assert_true(risk_flagged(1, 0, 0));
    assert_true(risk_flagged(1, 1, 0));
    assert_false(risk_flagged(1, 2, 0));
    assert_false(risk_flagged(1, 3, 0));
    assert_false(risk_flagged(0, 0, 0));
    assert_false(risk_flagged(1, 0, 1));
}

/* The priority matrix, all 16 cells, through risk_assess (a pilot workload
 * scored at the level's lower and upper bound) and the pure function. */
static void priority_matrix_all_cells(void **state)
{
    fixture *f = *state;
    static const char *const crit[4] = {"low", "medium", "high", "critical"};
    static const char *const want[4][4] = {
        {"P4", "P4", "P4", "P3"},
        {"P4", "P3", "P3", "P2"},
        {"P3", "P3", "P2", "P1"},
        {"P3", "P2", "P1", "P1"},
    };
    static const int bounds[4][2] = {{0, 24}, {25, 49}, {50, 74}, {75, 100}};
    assert_string_equal(RISK_PRIORITIES[0], "P1");
    assert_string_equal(RISK_PRIORITIES[3], "P4");
    assert_null(RISK_PRIORITIES[4]);
    for (int l = 0; l < 4; l++)
        for (int c = 0; c < 4; c++) {
            assert_string_equal(RISK_PRIORITIES[risk_priority(l, crit[c])], want[l][c]);
            for (int b = 0; b < 2; b++) {
                use_contracts(f, NULL, 0);
                workload w = NEUTRAL(100, D_NEUTRAL);
                w.swap_layer = 0;
                w.criticality = crit[c];
                risk_weights wts = only(RISK_NO_SWAP, bounds[l][b]);
                risk_result r;
                assess(f, &w, &wts, &r);
                assert_int_equal(r.level, l);
                assert_string_equal(RISK_PRIORITIES[r.priority], want[l][c]);
                assert_int_equal(r.flagged, want[l][c][1] <= '2');
            }
        }
}

/* Everything at once: Azure OpenAI + Cosmos DB (one group 25), no swap 20,
 * proprietary data 15, a committing customer contract 15, no named
 * alternative for the model 10, production with no planned end on the
 * licence 10, gravity 5 = 100. */
static int64_t K_AZURE_OFFERINGS[] = {10, 11};

static void all_factors(fixture *f, contract k[2], workload *w)
{
    static dependency d[] = {{10, "model"}, {11, "data"}};
    contract customer = CLEAN_CONTRACT(30, "Azure commitment", 1, K_AZURE_OFFERINGS);
    customer.committed_spend = 100000000;
    k[0] = customer;
    k[1] = upstream_agreement();
    use_contracts(f, k, 2);
    workload x = NEUTRAL(100, d);
    x.alternatives = NULL;       /* Azure OpenAI has no named alternative */
    x.n_alternatives = 0;
    x.swap_layer = 0;
    x.status = "production";
    x.criticality = "high";
    *w = x;
}

static void every_factor_sums_to_100(void **state)
{
    fixture *f = *state;
    contract k[2];
    workload w;
    all_factors(f, k, &w);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, RISK_FACTORS);
    for (int i = 0; i < RISK_FACTORS; i++) {
        assert_int_equal(r.factors[i].code, i);
        assert_int_equal(r.factors[i].points, RISK_DEFAULT_WEIGHTS[i]);
    }
    assert_int_equal(r.score, 100);
    assert_int_equal(r.level, 3);
    assert_true(r.flagged);
    assert_reason_has(&r, RISK_CONTRACT_LOCK, "Azure commitment");
    assert_reason_has(&r, RISK_CONTRACT_LOCK, "with Microsoft,");
    assert_reason_has(&r, RISK_CONTRACT_LOCK, "commits spend");
    assert_reason_has(&r, RISK_HORIZON, "OpenAI-Microsoft agreement");
    /* The top factor: single_group_stack, 25. */
    const risk_factor *top = risk_top_factor(&r);
    assert_non_null(top);
    assert_int_equal(top->code, RISK_SINGLE_GROUP);
}

static void score_is_capped_at_100(void **state)
{
    fixture *f = *state;
    contract k[2];
    workload w;
    all_factors(f, k, &w);
    risk_weights heavy;
    for (int i = 0; i < RISK_FACTORS; i++)
        heavy.points[i] = 50;
    risk_result r;
    assess(f, &w, &heavy, &r);
    /* One group, so single_group_stack takes its full 50: 7 x 50 = 350 -> 100. */
    assert_int_equal(r.n_factors, RISK_FACTORS);
    int sum = 0;
    for (int i = 0; i < r.n_factors; i++)
        sum += r.factors[i].points;
    assert_int_equal(sum, 350);
    assert_int_equal(r.score, 100);
    assert_int_equal(r.level, 3);
    /* Default weights with no_swap_layer raised to 25: 105 -> 100. */
    risk_weights w25 = f->wts;
    w25.points[RISK_NO_SWAP] = 25;
    assess(f, &w, &w25, &r);
    assert_factor(&r, RISK_NO_SWAP, 25);
    assert_int_equal(r.score, 100);
}

static void weight_changes_change_the_score(void **state)
{
    fixture *f = *state;
    contract k[2];
    workload w;
    all_factors(f, k, &w);
    /* OpenAI API named as Azure OpenAI's alternative, never drilled (no
     * drills for workload 300): no_proven_alternative is half, 5: 95. */
    static alternative named[] = {{10, 12}};
    w.id = 300;
    w.alternatives = named;
    w.n_alternatives = 1;
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 5);
    assert_int_equal(r.score, 95);
    /* no_swap_layer 20 -> 15: exactly 5 less, 90. */
    risk_weights w15 = f->wts;
    w15.points[RISK_NO_SWAP] = 15;
    assess(f, &w, &w15, &r);
    assert_int_equal(r.score, 90);
    /* data_gravity 5 -> 0: the factor disappears, 90. */
    risk_weights wg = f->wts;
    wg.points[RISK_DATA_GRAVITY] = 0;
    assess(f, &w, &wg, &r);
    assert_no_factor(&r, RISK_DATA_GRAVITY);
    assert_int_equal(r.score, 90);
    /* single_group_stack 25 -> 40 (one group, full points): 95 + 15 = 110 -> 100. */
    risk_weights ws = f->wts;
    ws.points[RISK_SINGLE_GROUP] = 40;
    assess(f, &w, &ws, &r);
    assert_factor(&r, RISK_SINGLE_GROUP, 40);
    assert_int_equal(r.score, 100);
    /* All weights 0: nothing applies. */
    risk_weights zero;
    memset(&zero, 0, sizeof zero);
    assess(f, &w, &zero, &r);
    assert_int_equal(r.n_factors, 0);
    assert_int_equal(r.score, 0);
    assert_int_equal(r.level, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_and_defaults),
        cmocka_unit_test_setup_teardown(neutral_workload_scores_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(single_group_one_group_full_points, setup, teardown),
        cmocka_unit_test_setup_teardown(single_group_subsidiary_is_same_group, setup, teardown),
        cmocka_unit_test_setup_teardown(single_group_ignores_identity_and_tooling, setup, teardown),
        cmocka_unit_test_setup_teardown(single_group_two_groups_half_rounded_down, setup, teardown),
        cmocka_unit_test_setup_teardown(single_group_three_groups_none, setup, teardown),
        cmocka_unit_test_setup_teardown(no_swap_layer_20, setup, teardown),
        cmocka_unit_test_setup_teardown(proprietary_via_model_interface, setup, teardown),
        cmocka_unit_test_setup_teardown(proprietary_via_data_and_assistant, setup, teardown),
        cmocka_unit_test_setup_teardown(proprietary_ignores_identity_and_hosting, setup, teardown),
        cmocka_unit_test_setup_teardown(proprietary_via_features, setup, teardown),
        cmocka_unit_test_setup_teardown(contract_lock_each_condition, setup, teardown),
        cmocka_unit_test_setup_teardown(contract_lock_not_for_clean_other_or_ended, setup, teardown),
        cmocka_unit_test_setup_teardown(contract_lock_and_horizon_see_every_covering_contract, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(reasons_name_two_locking_contracts_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(reasons_name_every_deadline_soonest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(reasons_name_deadline_and_upstream_term, setup, teardown),
        cmocka_unit_test_setup_teardown(reasons_name_every_proprietary_offering_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(horizon_notice_deadline_window, setup, teardown),
        cmocka_unit_test_setup_teardown(horizon_auto_renewal_rolls_forward, setup, teardown),
        cmocka_unit_test_setup_teardown(horizon_picks_soonest_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(horizon_upstream_term_before_planned_end, setup, teardown),
        cmocka_unit_test_setup_teardown(horizon_revenue_share_term_does_not_count, setup, teardown),
        cmocka_unit_test_setup_teardown(data_gravity_same_group_proprietary_store, setup, teardown),
        cmocka_unit_test_setup_teardown(data_gravity_not_for_other_group_open_or_portable_store, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(level_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(flagged_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(priority_matrix_all_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(every_factor_sums_to_100, setup, teardown),
        cmocka_unit_test_setup_teardown(score_is_capped_at_100, setup, teardown),
        cmocka_unit_test_setup_teardown(weight_changes_change_the_score, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
