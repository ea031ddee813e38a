/* test_risk.c - the lock-in risk engine (shared domain.md, core/risk.h):
 * every factor on its own, each level boundary, the flagged rule, custom
 * weights, the cap at 100 and the reasons. Portfolios are built by hand;
 * today is pinned to 2026-05-01 and every expected figure is worked out in
 * the comment next to its assertion.
 *
 * Vendors (group):  1 Microsoft (1), 2 OpenAI (2), 3 GitHub (parent 1 -> 1),
 *                   4 Google (4), 5 Meta (5).
 * Offerings (provider/publisher/host, category, interface):
 *   10 Azure OpenAI          1/2/1  model_api   openai_compatible
 *   11 Azure Cosmos DB       1/-/1  data_store  proprietary
 *   12 OpenAI API            2/2/2  model_api   openai_compatible
 *   13 GitHub Copilot        3/2/1  assistant   proprietary
 *   14 Gemini API            4/4/4  model_api   proprietary
 *   15 Entra ID              1/-/1  identity    proprietary
 *   16 Llama (self-hosted)   5/5/-  model_api   openai_compatible
 *   17 Cloud Storage         4/-/4  data_store  open_standard
 *   18 Azure Container Apps  1/-/1  platform    proprietary
 *   19 Vertex AI Search      4/-/4  data_store  proprietary
 *   20 Azure Blob Storage    1/-/1  data_store  open_standard
 *   21 Compute Engine        4/-/4  platform    open_standard
 *
 * The "neutral" workload: deps 10 model, 12 model, 17 data (three provider
 * groups), swap layer, second model validated, pilot, no planned end, no
 * proprietary features, no contracts: score 0. Each test changes one thing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/risk.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

static vendor VENDORS[] = {
    {.id = 1, .name = "Microsoft", .group_id = 1},
    {.id = 2, .name = "OpenAI", .group_id = 2},
    {.id = 3, .name = "GitHub", .parent = 1, .group_id = 1},
    {.id = 4, .name = "Google", .group_id = 4},
    {.id = 5, .name = "Meta", .group_id = 5},
};

#define OFFER(i, n, pr, pu, ho, cat, itf)                                                   \
    {.id = i, .name = n, .provider = pr, .publisher = pu, .host = ho, .track = "other",      \
     .category = cat, .interface = itf}

static offering OFFERINGS[] = {
    OFFER(10, "Azure OpenAI", 1, 2, 1, "model_api", "openai_compatible"),
    OFFER(11, "Azure Cosmos DB", 1, 0, 1, "data_store", "proprietary"),
    OFFER(12, "OpenAI API", 2, 2, 2, "model_api", "openai_compatible"),
    OFFER(13, "GitHub Copilot", 3, 2, 1, "assistant", "proprietary"),
    OFFER(14, "Gemini API", 4, 4, 4, "model_api", "proprietary"),
    OFFER(15, "Entra ID", 1, 0, 1, "identity", "proprietary"),
    OFFER(16, "Llama (self-hosted)", 5, 5, 0, "model_api", "openai_compatible"),
    OFFER(17, "Cloud Storage", 4, 0, 4, "data_store", "open_standard"),
    OFFER(18, "Azure Container Apps", 1, 0, 1, "platform", "proprietary"),
    OFFER(19, "Vertex AI Search", 4, 0, 4, "data_store", "proprietary"),
    OFFER(20, "Azure Blob Storage", 1, 0, 1, "data_store", "open_standard"),
    OFFER(21, "Compute Engine", 4, 0, 4, "platform", "open_standard"),
};

/* A clean customer contract with OpenAI over the OpenAI API: no exclusivity,
 * no commitment, full exit clause, data portability, easy substitution,
 * ending 2027-12-31 with 30 days' notice (deadline 2027-12-01, far away). */
static int64_t K_OPENAI_OFFERINGS[] = {12};
#define CLEAN_CONTRACT(i, n, cp, offs)                                                      \
    {.id = i, .name = n, .kind = "customer", .counterparty = cp, .offerings = offs,         \
     .n_offerings = COUNT(offs), .start_date = "2025-01-01", .end_date = "2027-12-31",      \
     .notice_days = 30, .currency = "USD", .exit_clause = "full", .data_portability = 1,    \
     .substitutability = "easy"}

typedef struct fixture {
    arena a;
    portfolio p;
    risk_weights wts;
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
    assert_int_equal(portfolio_index(&F.p, &F.a), 0);
    risk_default_weights(&F.wts);
    *state = &F;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    arena_free(&f->a);
    return 0;
}

/* Sets the contracts (sorted by id) and rebuilds the derived indexes, as a
 * fresh snapshot would: the covering-contract index, deadlines and active
 * flags are computed by portfolio_index(). */
static void use_contracts(fixture *f, contract *c, size_t n)
{
    f->p.contracts = c;
    f->p.n_contracts = n;
    assert_int_equal(portfolio_index(&f->p, &f->a), 0);
}

/* Assesses one workload (held as the portfolio's only workload) and checks
 * the invariants every result must keep: score = min(100, sum of points),
 * level and flagged from the score, factors in code order, each with
 * positive points and a reason. */
static void assess(fixture *f, workload *w, const risk_weights *wts, risk_result *r)
{
    f->p.workloads = w;
    f->p.n_workloads = 1;
    risk_assess(&f->p, w, wts, &f->a, r);
    int sum = 0;
    for (int i = 0; i < r->n_factors; i++) {
        sum += r->factors[i].points;
        assert_true(r->factors[i].points > 0);
        assert_non_null(r->factors[i].reason);
        assert_true(strlen(r->factors[i].reason) > 0);
        if (i)
            assert_true(r->factors[i].code > r->factors[i - 1].code);
    }
    assert_int_equal(r->score, sum > 100 ? 100 : sum);
    assert_int_equal(r->level, risk_level_of(r->score));
    assert_int_equal(r->priority, risk_priority(r->level, w->criticality));
    assert_int_equal(r->active, workload_active(w));
    assert_false(r->accepted);   /* no acceptances are stored yet */
    assert_int_equal(r->flagged, risk_flagged(r->active, r->priority, 0));
}

static const risk_factor *factor(const risk_result *r, int code)
{
    for (int i = 0; i < r->n_factors; i++)
        if (r->factors[i].code == code)
            return &r->factors[i];
    return NULL;
}

static void assert_factor(const risk_result *r, int code, int points)
{
    const risk_factor *f = factor(r, code);
    if (!f)
        fail_msg("factor %s missing", RISK_CODES[code]);
    assert_int_equal(f->points, points);
}

static void assert_no_factor(const risk_result *r, int code)
{
    if (factor(r, code))
        fail_msg("factor %s present: %s", RISK_CODES[code], factor(r, code)->reason);
}

static void assert_reason_has(const risk_result *r, int code, const char *text)
{
    const risk_factor *f = factor(r, code);
    assert_non_null(f);
    if (!strstr(f->reason, text))
        fail_msg("reason of %s lacks \"%s\": %s", RISK_CODES[code], text, f->reason);
}

static risk_weights only(int code, int points)
{
    risk_weights w;
    memset(&w, 0, sizeof w);
    w.points[code] = points;
    return w;
}

static dependency D_NEUTRAL[] = {{10, "model"}, {12, "model"}, {17, "data"}};

#define NEUTRAL(i, deps)                                                                    \
    {.id = i, .name = "Workload " #i, .track = "other", .status = "pilot",                 \
     .criticality = "medium", .data_classification = "internal", .ai_act_tier = "minimal", \
     .swap_layer = 1, .dependencies = deps,                                                  \
     .n_dependencies = COUNT(deps)}

/* ---- tables and the neutral baseline ----------------------------------------- */

static void tables_and_defaults(void **state)
{
    (void)state;
    static const char *const codes[] = {"single_group_stack", "no_swap_layer",
                                        "proprietary_interface", "contract_lock",
                                        "no_validated_alternative", "horizon", "data_gravity"};
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
    /* Azure OpenAI (published by OpenAI, but sold by Microsoft), Azure Blob
     * Storage and Entra ID (identity: carries no weight, domain.md rev. 2):
     * one provider group, Microsoft -> 25; nothing else applies. */
    static dependency d[] = {{10, "model"}, {20, "data"}, {15, "identity"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    assert_int_equal(r.score, 25);
    assert_reason_has(&r, RISK_SINGLE_GROUP, "Microsoft");
    assert_reason_has(&r, RISK_SINGLE_GROUP, "Azure OpenAI");
    assert_reason_has(&r, RISK_SINGLE_GROUP, "Azure Blob Storage");
    /* Changed: identity no longer counts, so Entra ID is not named. */
    assert_null(strstr(factor(&r, RISK_SINGLE_GROUP)->reason, "Entra ID"));
    /* Offerings are named by name: Blob Storage before OpenAI. */
    assert_true(strstr(factor(&r, RISK_SINGLE_GROUP)->reason, "Azure Blob Storage") <
                strstr(factor(&r, RISK_SINGLE_GROUP)->reason, "Azure OpenAI"));
}

/* identity and tooling carry no weight (domain.md factor table): they
 * neither make nor break a single group. */
static void single_group_ignores_identity_and_tooling(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    risk_result r;
    /* OpenAI API (OpenAI) + Entra ID (Microsoft, identity) + Azure
     * Container Apps (Microsoft, tooling): one weighted group, OpenAI -> 25
     * (it was two groups, 12, when identity counted). */
    static dependency d1[] = {{12, "model"}, {15, "identity"}, {18, "tooling"}};
    workload w1 = NEUTRAL(100, d1);
    assess(f, &w1, &f->wts, &r);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    assert_reason_has(&r, RISK_SINGLE_GROUP, "OpenAI API");
    assert_null(strstr(factor(&r, RISK_SINGLE_GROUP)->reason, "Entra ID"));
    assert_null(strstr(factor(&r, RISK_SINGLE_GROUP)->reason, "Azure Container Apps"));
    /* Azure OpenAI (Microsoft) + Gemini (Google, tooling) + Compute Engine
     * (Google, identity): still one weighted group, Microsoft -> 25. */
    static dependency d2[] = {{10, "model"}, {14, "tooling"}, {21, "identity"}};
    workload w2 = NEUTRAL(101, d2);
    assess(f, &w2, &f->wts, &r);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    /* A workload whose only dependencies are identity and tooling has no
     * weighted group: no factor. */
    static dependency d3[] = {{15, "identity"}, {18, "tooling"}};
    workload w3 = NEUTRAL(102, d3);
    assess(f, &w3, &f->wts, &r);
    assert_no_factor(&r, RISK_SINGLE_GROUP);
}

static void single_group_subsidiary_is_same_group(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* GitHub Copilot (GitHub, parent Microsoft) + Azure Blob Storage: one
     * group -> 25; the assistant's proprietary interface -> 15. 40. */
    static dependency d[] = {{13, "assistant"}, {20, "data"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_int_equal(r.n_factors, 2);
    assert_int_equal(r.score, 40);
    assert_reason_has(&r, RISK_SINGLE_GROUP, "GitHub Copilot");
}

static void single_group_two_groups_half_rounded_down(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Azure OpenAI (Microsoft) + OpenAI API (OpenAI): two groups -> 25 / 2 = 12. */
    static dependency d[] = {{10, "model"}, {12, "model"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_SINGLE_GROUP, 12);
    assert_int_equal(r.score, 12);
    assert_reason_has(&r, RISK_SINGLE_GROUP, "Microsoft");
    assert_reason_has(&r, RISK_SINGLE_GROUP, "OpenAI API");
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
    /* Microsoft, OpenAI, Google: three groups -> nothing (the neutral one). */
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_no_factor(&r, RISK_SINGLE_GROUP);
    /* Adding a fourth group (Meta) changes nothing either. */
    static dependency d[] = {{10, "model"}, {12, "model"}, {17, "data"}, {16, "model"}};
    workload w4 = NEUTRAL(101, d);
    assess(f, &w4, &f->wts, &r);
    assert_no_factor(&r, RISK_SINGLE_GROUP);
    assert_int_equal(r.score, 0);
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

static void no_validated_alternative_10(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    workload w = NEUTRAL(100, D_NEUTRAL);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 10);
    assert_int_equal(r.score, 10);
}

/* ---- proprietary_interface ------------------------------------------------------ */

static void proprietary_via_model_interface(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Neutral + Gemini API as a model: proprietary -> 15 (four groups). */
    static dependency d[] = {{10, "model"}, {12, "model"}, {17, "data"}, {14, "model"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_int_equal(r.score, 15);
    assert_reason_has(&r, RISK_PROPRIETARY, "Gemini API");
    assert_reason_has(&r, RISK_PROPRIETARY, "Google");
}

static void proprietary_via_data_and_assistant(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Vertex AI Search as the data store: proprietary -> 15. Hosts are those
     * of the model deps (Microsoft, OpenAI), not Google: no data gravity. */
    static dependency d1[] = {{10, "model"}, {12, "model"}, {19, "data"}};
    workload w1 = NEUTRAL(100, d1);
    risk_result r;
    assess(f, &w1, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_reason_has(&r, RISK_PROPRIETARY, "Vertex AI Search");
    /* GitHub Copilot as an assistant, with OpenAI API and Cloud Storage
     * (groups Microsoft, OpenAI, Google): proprietary -> 15. */
    static dependency d2[] = {{13, "assistant"}, {12, "model"}, {17, "data"}};
    workload w2 = NEUTRAL(101, d2);
    assess(f, &w2, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_reason_has(&r, RISK_PROPRIETARY, "GitHub Copilot");
}

static void proprietary_ignores_identity_and_hosting(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    /* Entra ID (identity) and Azure Container Apps (hosting) are
     * proprietary but in roles that do not count: 0. Azure Container Apps
     * makes Microsoft the host; the data store is Google's and open: no
     * gravity. */
    static dependency d[] = {{10, "model"}, {12, "model"}, {17, "data"},
                             {15, "identity"}, {18, "hosting"}};
    workload w = NEUTRAL(100, d);
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
    assert_int_equal(r.score, 0);
    /* The same proprietary store as "tooling" does not count either. */
    static dependency d2[] = {{10, "model"}, {12, "model"}, {17, "data"}, {11, "tooling"}};
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
    assert_reason_has(&r, RISK_PROPRIETARY, "Realtime API");
    assert_reason_has(&r, RISK_PROPRIETARY, "Batch API");
    /* Interface and features together still count once: 15. */
    static dependency d[] = {{10, "model"}, {12, "model"}, {17, "data"}, {14, "model"}};
    workload w2 = NEUTRAL(101, d);
    w2.features = features;
    w2.n_features = 1;
    assess(f, &w2, &f->wts, &r);
    assert_int_equal(r.n_factors, 1);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_reason_has(&r, RISK_PROPRIETARY, "Gemini API");
    assert_reason_has(&r, RISK_PROPRIETARY, "Realtime API");
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
    /* A pilot with no planned end does not. */
    assert_int_equal(upstream_points(f, &u, "pilot", NULL, &r), 0);
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
    /* Azure OpenAI (model, host Microsoft) + Cosmos DB (data, Microsoft,
     * proprietary): one group 25 + proprietary data 15 + gravity 5 = 45. */
    static dependency d1[] = {{10, "model"}, {11, "data"}};
    workload w1 = NEUTRAL(100, d1);
    assess(f, &w1, &f->wts, &r);
    assert_int_equal(r.n_factors, 3);
    assert_factor(&r, RISK_SINGLE_GROUP, 25);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_factor(&r, RISK_DATA_GRAVITY, 5);
    assert_int_equal(r.score, 45);
    assert_reason_has(&r, RISK_DATA_GRAVITY, "Azure Cosmos DB");
    assert_reason_has(&r, RISK_DATA_GRAVITY, "Microsoft");
    /* A Microsoft hosting dependency with Cosmos DB, model from OpenAI:
     * groups Microsoft, OpenAI -> 12; proprietary data 15; gravity 5 = 32. */
    static dependency d2[] = {{18, "hosting"}, {12, "model"}, {11, "data"}};
    workload w2 = NEUTRAL(101, d2);
    assess(f, &w2, &f->wts, &r);
    assert_factor(&r, RISK_SINGLE_GROUP, 12);
    assert_factor(&r, RISK_DATA_GRAVITY, 5);
    assert_int_equal(r.score, 32);
}

static void data_gravity_not_for_other_host_or_open_store(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    risk_result r;
    /* OpenAI API (host OpenAI) + Cosmos DB: two groups 12 + proprietary 15
     * = 27, no gravity. */
    static dependency d1[] = {{12, "model"}, {11, "data"}};
    workload w1 = NEUTRAL(100, d1);
    assess(f, &w1, &f->wts, &r);
    assert_no_factor(&r, RISK_DATA_GRAVITY);
    assert_int_equal(r.score, 27);
    /* A Google hosting dependency decides the host even though the model
     * (Azure OpenAI) runs on Microsoft: 12 + 15 = 27, no gravity. */
    static dependency d2[] = {{21, "hosting"}, {10, "model"}, {11, "data"}};
    workload w2 = NEUTRAL(101, d2);
    assess(f, &w2, &f->wts, &r);
    assert_no_factor(&r, RISK_DATA_GRAVITY);
    assert_int_equal(r.score, 27);
    /* Same group, but an open store (Azure Blob Storage): one group 25. */
    static dependency d3[] = {{10, "model"}, {20, "data"}};
    workload w3 = NEUTRAL(102, d3);
    assess(f, &w3, &f->wts, &r);
    assert_no_factor(&r, RISK_DATA_GRAVITY);
    assert_int_equal(r.score, 25);
    /* Self-hosted model (no host) + Cosmos DB: Meta and Microsoft -> 12 +
     * 15 = 27, no gravity. */
    static dependency d4[] = {{16, "model"}, {11, "data"}};
    workload w4 = NEUTRAL(103, d4);
    assess(f, &w4, &f->wts, &r);
    assert_no_factor(&r, RISK_DATA_GRAVITY);
    assert_int_equal(r.score, 27);
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
 * proprietary data 15, an exclusive customer contract 15, no second model
 * 10, production with no planned end on the licence 10, gravity 5 = 100. */
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
    risk_result r;
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.score, 90);
    /* no_swap_layer 20 -> 25: exactly 5 more. */
    risk_weights w25 = f->wts;
    w25.points[RISK_NO_SWAP] = 25;
    assess(f, &w, &w25, &r);
    assert_int_equal(r.score, 95);
    /* data_gravity 5 -> 0: the factor disappears, 85. */
    risk_weights wg = f->wts;
    wg.points[RISK_DATA_GRAVITY] = 0;
    assess(f, &w, &wg, &r);
    assert_no_factor(&r, RISK_DATA_GRAVITY);
    assert_int_equal(r.score, 85);
    /* single_group_stack 25 -> 40 (one group, full points): 90 + 15 = 105 -> 100. */
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
        cmocka_unit_test_setup_teardown(no_validated_alternative_10, setup, teardown),
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
        cmocka_unit_test_setup_teardown(data_gravity_not_for_other_host_or_open_store, setup, teardown),
        cmocka_unit_test_setup_teardown(level_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(flagged_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(priority_matrix_all_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(every_factor_sums_to_100, setup, teardown),
        cmocka_unit_test_setup_teardown(score_is_capped_at_100, setup, teardown),
        cmocka_unit_test_setup_teardown(weight_changes_change_the_score, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
