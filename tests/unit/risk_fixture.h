/* risk_fixture.h - the hand-built portfolio the risk engine's tests share
 * (test_risk.c, test_risk_rev2.c), as static data and helpers for one
 * translation unit; include after cmocka.h and core/risk.h. Today is
 * pinned to 2026-05-01.
 *
 * Vendors (group):  1 Microsoft (1), 2 OpenAI (2), 3 GitHub (parent 1 -> 1),
 *                   4 Google (4), 5 Meta (5), 6 Amazon (6).
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
 *   22 Amazon S3             6/-/6  data_store  open_standard
 *   23 Gemini Code Assist    4/4/4  assistant   proprietary
 *   24 GPT-4o (2024-08)      2/2/2  model_api   openai_compatible  retires 2026-10-01,
 *                                                                  successor 12
 *   25 Legacy Model          2/2/2  model_api   openai_compatible  retires 2027-06-30
 *
 * The "neutral" workload: deps 10 model, 12 model, 17 data, 20 data, 22 data,
 * swap layer, pilot, no planned end, no proprietary features, no contracts.
 * Each model has a named alternative from another group (10 -> 12, 12 -> 10)
 * whose exit drill passed on 2026-04-01 (30 days ago), so both models are
 * portable: they leave single_group_stack and no_proven_alternative does not
 * apply; the three data stores are sold by three groups (Google, Microsoft,
 * Amazon): score 0. Workloads 100-109 carry those drills. Each test changes
 * one thing. */
#ifndef SY_RISK_FIXTURE_H
#define SY_RISK_FIXTURE_H

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

static vendor VENDORS[] = {
    {.id = 1, .name = "Microsoft", .group_id = 1},
    {.id = 2, .name = "OpenAI", .group_id = 2},
    {.id = 3, .name = "GitHub", .parent = 1, .group_id = 1},
    {.id = 4, .name = "Google", .group_id = 4},
    {.id = 5, .name = "Meta", .group_id = 5},
    {.id = 6, .name = "Amazon", .group_id = 6},
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
    OFFER(22, "Amazon S3", 6, 0, 6, "data_store", "open_standard"),
    OFFER(23, "Gemini Code Assist", 4, 4, 4, "assistant", "proprietary"),
    {.id = 24, .name = "GPT-4o (2024-08)", .provider = 2, .publisher = 2, .host = 2,
     .track = "openai", .category = "model_api", .interface = "openai_compatible",
     .retires = "2026-10-01", .successor = 12},
    {.id = 25, .name = "Legacy Model", .provider = 2, .publisher = 2, .host = 2,
     .track = "openai", .category = "model_api", .interface = "openai_compatible",
     .retires = "2027-06-30"},
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

/* The neutral alternatives, and their drills for workloads 100-109. */
static alternative A_NEUTRAL[] = {{10, 12}, {12, 10}};
#define NEUTRAL_FIRST 100
#define NEUTRAL_LAST 109
static exit_drill NEUTRAL_DRILLS[2 * (NEUTRAL_LAST - NEUTRAL_FIRST + 1)];

typedef struct fixture {
    arena a;
    portfolio p;
    risk_weights wts;
} fixture;

static fixture F;

static inline void use_drills(fixture *f, exit_drill *d, size_t n)
{
    f->p.drills = d;
    f->p.n_drills = n;
}

static inline int setup(void **state)
{
    arena_init(&F.a);
    memset(&F.p, 0, sizeof F.p);
    assert_int_equal(date_parse("2026-05-01", &F.p.today), 0);
    F.p.vendors = VENDORS;
    F.p.n_vendors = COUNT(VENDORS);
    F.p.offerings = OFFERINGS;
    F.p.n_offerings = COUNT(OFFERINGS);
    for (int w = NEUTRAL_FIRST; w <= NEUTRAL_LAST; w++)
        for (int k = 0; k < 2; k++) {
            int i = 2 * (w - NEUTRAL_FIRST) + k;
            NEUTRAL_DRILLS[i] = (exit_drill){.id = i + 1, .workload = w,
                                             .dependency = A_NEUTRAL[k].dependency,
                                             .offering = A_NEUTRAL[k].offering,
                                             .drilled_on = "2026-04-01", .result = "passed"};
        }
    use_drills(&F, NEUTRAL_DRILLS, COUNT(NEUTRAL_DRILLS));
    assert_int_equal(portfolio_index(&F.p, &F.a), 0);
    risk_default_weights(&F.wts);
    *state = &F;
    return 0;
}

static inline int teardown(void **state)
{
    fixture *f = *state;
    arena_free(&f->a);
    return 0;
}

/* Sets the contracts (sorted by id) and rebuilds the derived indexes, as a
 * fresh snapshot would: the covering-contract index, deadlines and active
 * flags are computed by portfolio_index(). */
static inline void use_contracts(fixture *f, contract *c, size_t n)
{
    f->p.contracts = c;
    f->p.n_contracts = n;
    assert_int_equal(portfolio_index(&f->p, &f->a), 0);
}

/* Assesses one workload (held as the portfolio's only workload) and checks
 * the invariants every result must keep: score = min(100, sum of points),
 * level and flagged from the score, factors in code order, each with
 * positive points and a reason. */
static inline void assess(fixture *f, workload *w, const risk_weights *wts, risk_result *r)
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
    assert_int_equal(r->accepted, pf_acceptance(&f->p, w->id) != NULL);
    assert_int_equal(r->flagged, risk_flagged(r->active, r->priority, r->accepted));
}

static inline const risk_factor *factor(const risk_result *r, int code)
{
    for (int i = 0; i < r->n_factors; i++)
        if (r->factors[i].code == code)
            return &r->factors[i];
    return NULL;
}

static inline void assert_factor(const risk_result *r, int code, int points)
{
    const risk_factor *f = factor(r, code);
    if (!f)
        fail_msg("factor %s missing", RISK_CODES[code]);
    assert_int_equal(f->points, points);
}

static inline void assert_no_factor(const risk_result *r, int code)
{
    if (factor(r, code))
        fail_msg("factor %s present: %s", RISK_CODES[code], factor(r, code)->reason);
}

static inline void assert_reason_has(const risk_result *r, int code, const char *text)
{
    const risk_factor *f = factor(r, code);
    assert_non_null(f);
    if (!strstr(f->reason, text))
        fail_msg("reason of %s lacks \"%s\": %s", RISK_CODES[code], text, f->reason);
}

/* The factor's whole reason, exactly. */
static inline void assert_reason_is(const risk_result *r, int code, const char *text)
{
    const risk_factor *f = factor(r, code);
    if (!f)
        fail_msg("factor %s missing", RISK_CODES[code]);
    assert_string_equal(f->reason, text);
}

static inline risk_weights only(int code, int points)
{
    risk_weights w;
    memset(&w, 0, sizeof w);
    w.points[code] = points;
    return w;
}

static dependency D_NEUTRAL[] = {
    {10, "model"}, {12, "model"}, {17, "data"}, {20, "data"}, {22, "data"}};

#define NEUTRAL(i, deps)                                                                    \
    {.id = i, .name = "Workload " #i, .track = "other", .status = "pilot",                 \
     .criticality = "medium", .data_classification = "internal", .ai_act_tier = "minimal", \
     .swap_layer = 1, .dependencies = deps, .n_dependencies = COUNT(deps),                 \
     .alternatives = A_NEUTRAL, .n_alternatives = COUNT(A_NEUTRAL)}

/* A workload with its own alternatives (and no drills unless the test adds
 * them): swap layer, pilot, medium criticality. */
#define CUSTOM(i, deps, alts)                                                               \
    {.id = i, .name = "Workload " #i, .track = "other", .status = "pilot",                 \
     .criticality = "medium", .data_classification = "internal", .ai_act_tier = "minimal", \
     .swap_layer = 1, .dependencies = deps, .n_dependencies = COUNT(deps),                 \
     .alternatives = alts, .n_alternatives = COUNT(alts)}
/* Every fixture array counts as used in each file that includes this. */
static inline void risk_fixture_uses(void)
{
    (void)K_OPENAI_OFFERINGS;
    (void)D_NEUTRAL;
}

#endif
