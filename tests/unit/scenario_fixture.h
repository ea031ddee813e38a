/* scenario_fixture.h - the small portfolio the scenario tests share:
 * vendors 1-8, offerings 10-19, contracts 20-24, workloads 100-107 with
 * their named alternatives and exit drills, as static data for one
 * translation unit. test_scenario.c describes it and its hand-computed
 * risks; fuzz_scenario.c evaluates fuzzed scenarios over it. Include after
 * core/portfolio.h (or core/scenario.h). */
#ifndef SY_SCENARIO_FIXTURE_H
#define SY_SCENARIO_FIXTURE_H

static vendor VENDORS[] = {
    {.id = 1, .name = "Microsoft", .group_id = 1},
    {.id = 2, .name = "OpenAI", .group_id = 2},
    {.id = 3, .name = "GitHub", .parent = 1, .group_id = 1},
    {.id = 4, .name = "Google", .group_id = 4},
    {.id = 5, .name = "Meta", .group_id = 5},
    {.id = 6, .name = "Amazon", .group_id = 6},
    {.id = 7, .name = "Northwind", .kind = "self", .group_id = 7},
    {.id = 8, .name = "Okta", .group_id = 8},
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
    OFFER(15, "Entra ID", 1, 0, 1, "identity", "open_standard"),
    {.id = 16, .name = "Llama on Azure", .provider = 5, .publisher = 5, .host = 1,
     .track = "other", .category = "model_api", .interface = "openai_compatible",
     .open_weight = 1},
    {.id = 17, .name = "Llama self-hosted", .provider = 7, .publisher = 5, .host = 6,
     .track = "other", .category = "model_api", .interface = "openai_compatible",
     .open_weight = 1},
    OFFER(18, "Amazon OpenSearch", 6, 0, 6, "data_store", "open_standard"),
    OFFER(19, "Okta", 8, 0, 8, "identity", "open_standard"),
};

static int64_t C20_OFFERINGS[] = {10, 11, 15};
static int64_t C21_OFFERINGS[] = {12};
static int64_t C22_OFFERINGS[] = {10};
static int64_t C23_OFFERINGS[] = {13};
static int64_t C24_OFFERINGS[] = {13};

#define CONTRACT(i, n, k, cp, offs, notice)                                                 \
    {.id = i, .name = n, .kind = k, .counterparty = cp, .offerings = offs,                  \
     .n_offerings = sizeof offs / sizeof offs[0], .start_date = "2025-01-01",               \
     .notice_days = notice, .currency = "USD", .exit_clause = "full",                       \
     .data_portability = 1, .substitutability = "easy"}

/* 24 ends on 2026-10-31 (notice 30: deadline 2026-10-01, 153 days away:
 * no horizon); the others are open-ended. None locks. */
static contract CONTRACTS[] = {
    CONTRACT(20, "Microsoft EA", "customer", 1, C20_OFFERINGS, 90),
    CONTRACT(21, "OpenAI Enterprise", "customer", 2, C21_OFFERINGS, 60),
    CONTRACT(22, "OpenAI-Microsoft agreement", "upstream", 2, C22_OFFERINGS, 365),
    CONTRACT(23, "GitHub Enterprise", "customer", 3, C23_OFFERINGS, 30),
    {.id = 24, .name = "GitHub Copilot Business", .kind = "customer", .counterparty = 3,
     .offerings = C24_OFFERINGS, .n_offerings = 1, .start_date = "2025-11-01",
     .end_date = "2026-10-31", .notice_days = 30, .currency = "USD", .exit_clause = "full",
     .data_portability = 1, .substitutability = "easy"},
};

static dependency D100[] = {{10, "model"}, {10, "hosting"}};
static dependency D101[] = {{10, "model"}, {11, "data"}};
static dependency D102[] = {{13, "assistant"}};
static dependency D103[] = {{12, "model"}};
static dependency D104[] = {{10, "model"}};
static dependency D105[] = {{10, "model"}, {11, "data"}, {15, "identity"}};
static dependency D106[] = {{17, "model"}};
static dependency D107[] = {{10, "model"}};

static alternative A100[] = {{10, 12}};
static alternative A105[] = {{10, 12}, {11, 18}};

/* Workload 105's alternatives both passed a drill within 180 days. */
static exit_drill DRILLS[] = {
    {.id = 1, .workload = 105, .dependency = 10, .offering = 12, .drilled_on = "2026-04-01",
     .result = "passed"},
    {.id = 2, .workload = 105, .dependency = 11, .offering = 18, .drilled_on = "2026-04-05",
     .result = "passed"},
};

#define WORKLOAD(i, n, st, crit, spend, swap, deps)                                         \
    {.id = i, .name = n, .track = "other", .status = st, .criticality = crit,               \
     .data_classification = "internal", .monthly_spend = spend, .ai_act_tier = "minimal",   \
     .swap_layer = swap, .dependencies = deps, .n_dependencies = sizeof deps / sizeof deps[0]}

/* A workload with users and named alternatives. */
#define WORKLOAD_ALT(i, n, st, crit, spend, swap, deps, u, alts)                            \
    {.id = i, .name = n, .track = "other", .status = st, .criticality = crit,               \
     .data_classification = "internal", .monthly_spend = spend, .ai_act_tier = "minimal",   \
     .swap_layer = swap, .dependencies = deps, .n_dependencies = sizeof deps / sizeof deps[0], \
     .users = u, .alternatives = alts, .n_alternatives = sizeof alts / sizeof alts[0]}

#define WORKLOAD_USERS(i, n, st, crit, spend, swap, deps, u)                                \
    {.id = i, .name = n, .track = "other", .status = st, .criticality = crit,               \
     .data_classification = "internal", .monthly_spend = spend, .ai_act_tier = "minimal",   \
     .swap_layer = swap, .dependencies = deps, .n_dependencies = sizeof deps / sizeof deps[0], \
     .users = u}

static workload WORKLOADS[] = {
    WORKLOAD_ALT(100, "Support chat", "production", "high", 400000, 0, D100, 1000, A100),
    WORKLOAD_USERS(101, "Contract RAG", "production", "critical", 300000, 0, D101, 200),
    WORKLOAD_USERS(102, "Dev assist", "production", "medium", 100000, 1, D102, 50),
    WORKLOAD_USERS(103, "Research", "pilot", "low", 200000, 0, D103, 10),
    WORKLOAD_USERS(104, "Old bot", "retired", "critical", 50000, 0, D104, 0),
    WORKLOAD_ALT(105, "Claims gateway", "production", "critical", 250000, 1, D105, 300, A105),
    WORKLOAD_USERS(106, "Redaction", "production", "medium", 50000, 1, D106, 20),
    WORKLOAD_USERS(107, "Chat gateway", "production", "high", 80000, 1, D107, 400),
};

#define FIXTURE_MAX_DEPS 3

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

#endif
