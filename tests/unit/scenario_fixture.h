/* scenario_fixture.h - the small portfolio the scenario tests share:
 * vendors 1-5, offerings 10-16, contracts 20-23, workloads 100-104, as
 * static data for one translation unit. test_scenario.c describes it and
 * its hand-computed risks; fuzz_scenario.c evaluates fuzzed scenarios over
 * it. Include after core/portfolio.h (or core/scenario.h). */
#ifndef SY_SCENARIO_FIXTURE_H
#define SY_SCENARIO_FIXTURE_H

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
    OFFER(16, "Llama on Azure", 5, 5, 1, "model_api", "openai_compatible"),
};

static int64_t C20_OFFERINGS[] = {10, 11, 15};
static int64_t C21_OFFERINGS[] = {12};
static int64_t C22_OFFERINGS[] = {10};
static int64_t C23_OFFERINGS[] = {13};

#define CONTRACT(i, n, k, cp, offs, notice)                                                 \
    {.id = i, .name = n, .kind = k, .counterparty = cp, .offerings = offs,                  \
     .n_offerings = sizeof offs / sizeof offs[0], .start_date = "2025-01-01",               \
     .notice_days = notice, .currency = "USD", .exit_clause = "full",                       \
     .data_portability = 1, .substitutability = "easy"}

static contract CONTRACTS[] = {
    CONTRACT(20, "Microsoft EA", "customer", 1, C20_OFFERINGS, 90),
    CONTRACT(21, "OpenAI Enterprise", "customer", 2, C21_OFFERINGS, 60),
    CONTRACT(22, "OpenAI-Microsoft agreement", "upstream", 2, C22_OFFERINGS, 365),
    CONTRACT(23, "GitHub Enterprise", "customer", 3, C23_OFFERINGS, 30),
};

static dependency D100[] = {{10, "model"}, {10, "hosting"}};
static dependency D101[] = {{10, "model"}, {11, "data"}};
static dependency D102[] = {{13, "assistant"}};
static dependency D103[] = {{12, "model"}};
static dependency D104[] = {{10, "model"}};

#define WORKLOAD(i, n, st, crit, spend, swap, deps)                                         \
    {.id = i, .name = n, .track = "other", .status = st, .criticality = crit,               \
     .data_classification = "internal", .monthly_spend = spend, .ai_act_tier = "minimal",   \
     .swap_layer = swap, .dependencies = deps, .n_dependencies = sizeof deps / sizeof deps[0]}

static workload WORKLOADS[] = {
    WORKLOAD(100, "Support chat", "production", "high", 400000, 0, D100),
    WORKLOAD(101, "Contract RAG", "production", "critical", 300000, 0, D101),
    WORKLOAD(102, "Dev assist", "production", "medium", 100000, 1, D102),
    WORKLOAD(103, "Research", "pilot", "low", 200000, 0, D103),
    WORKLOAD(104, "Old bot", "retired", "critical", 50000, 0, D104),
};

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

#endif
