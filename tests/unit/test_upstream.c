/* test_upstream.c - upstream access terms that active workloads outlive
 * (core/upstream.h), every figure worked out by hand.
 *
 * Vendors (group): 1 Microsoft, 2 OpenAI, 3 Amazon.
 * Offerings (provider/publisher/host):
 *   10 Azure OpenAI   1/2/1
 *   11 OpenAI API     2/2/2
 *   12 Bedrock model  3/2/3
 *   13 Entra ID       1/-/1  (identity)
 * Contracts:
 *   50 upstream Microsoft-OpenAI, open-ended, terms:
 *     a licence scoped to provider Microsoft, until 2030-12-31  (-> 10 only)
 *     a revenue share until 2030-12-31                          (never counts)
 *     a distribution term, no scope, until 2028-06-30           (-> the
 *        contract's own offerings: 11)
 *     a licence with no end                                     (never counts)
 *   51 upstream, ended 2025-01-01 (inactive), a licence scoped to
 *     publisher OpenAI until 2030-12-31                         (never counts)
 *   52 customer contract with a licence term                    (never counts)
 * Workloads (status, planned end, dependencies):
 *   100 production, none,        [10 model]          licence: outlives
 *   101 production, 2029-01-01,  [10 model]          licence: ends before it
 *   102 pilot,      2031-06-01,  [10 hosting]        licence: outlives
 *   103 retired,    none,        [10 model]          not active
 *   104 production, none,        [13 identity, 11 model]  licence: 13 is
 *        Microsoft's but identity carries no weight; distribution: 11 model,
 *        open-ended: outlives
 *   105 proposed,   none,        [11 model]          not active
 *   106 production, 2029-01-01,  [11 data]           distribution: outlives
 *   107 production, not a date,  [10 model]          unreadable: outlives nothing
 * So: licence (until 2030-12-31) <- 100, 102 (count 2); distribution (until
 * 2028-06-30) <- 104, 106 (count 2). With a cap of 1 each lists its first
 * in portfolio order; with a track filter of "azure" (100, 102, 104) the
 * licence keeps 100 and 102 and the distribution keeps 104. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/upstream.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

static vendor VENDORS[] = {
    {.id = 1, .name = "Microsoft", .group_id = 1},
    {.id = 2, .name = "OpenAI", .group_id = 2},
    {.id = 3, .name = "Amazon", .group_id = 3},
};

#define OFFER(i, n, pr, pu, ho)                                                             \
    {.id = i, .name = n, .provider = pr, .publisher = pu, .host = ho, .track = "other",      \
     .category = "model_api", .interface = "openai_compatible"}

static offering OFFERINGS[] = {
    OFFER(10, "Azure OpenAI", 1, 2, 1),
    OFFER(11, "OpenAI API", 2, 2, 2),
    OFFER(12, "Bedrock model", 3, 2, 3),
    OFFER(13, "Entra ID", 1, 0, 1),
};

static contract_term T50[] = {
    {.kind = "licence", .text = "Licence to OpenAI models", .until = "2030-12-31",
     .scope_provider = 1},
    {.kind = "revenue_share", .text = "Revenue share", .until = "2030-12-31"},
    {.kind = "distribution", .text = "Distribution", .until = "2028-06-30"},
    {.kind = "licence", .text = "Open-ended licence"},
};
static contract_term T51[] = {
    {.kind = "licence", .text = "Ended", .until = "2030-12-31", .scope_publisher = 2},
};
static contract_term T52[] = {
    {.kind = "licence", .text = "Customer's", .until = "2030-12-31"},
};
static int64_t C50_OFFERINGS[] = {11};

static contract CONTRACTS[] = {
    {.id = 50, .name = "Microsoft-OpenAI", .kind = "upstream", .counterparty = 1,
     .other_party = 2, .offerings = C50_OFFERINGS, .n_offerings = 1, .currency = "USD",
     .terms = T50, .n_terms = COUNT(T50)},
    {.id = 51, .name = "Ended", .kind = "upstream", .counterparty = 3, .other_party = 2,
     .end_date = "2025-01-01", .currency = "USD", .terms = T51, .n_terms = COUNT(T51)},
    {.id = 52, .name = "Customer", .kind = "customer", .counterparty = 1,
     .offerings = C50_OFFERINGS, .n_offerings = 1, .currency = "USD", .terms = T52,
     .n_terms = COUNT(T52)},
};

static dependency D10M[] = {{10, "model"}};
static dependency D10H[] = {{10, "hosting"}};
static dependency D104[] = {{13, "identity"}, {11, "model"}};
static dependency D11M[] = {{11, "model"}};
static dependency D11D[] = {{11, "data"}};

#define WORKLOAD(i, tr, st, end, deps)                                                      \
    {.id = i, .name = "Workload " #i, .track = tr, .status = st, .planned_end = end,        \
     .criticality = "medium", .data_classification = "internal", .ai_act_tier = "minimal", \
     .dependencies = deps, .n_dependencies = COUNT(deps)}

static workload WORKLOADS[] = {
    WORKLOAD(100, "azure", "production", NULL, D10M),
    WORKLOAD(101, "openai", "production", "2029-01-01", D10M),
    WORKLOAD(102, "azure", "pilot", "2031-06-01", D10H),
    WORKLOAD(103, "azure", "retired", NULL, D10M),
    WORKLOAD(104, "azure", "production", NULL, D104),
    WORKLOAD(105, "openai", "proposed", NULL, D11M),
    WORKLOAD(106, "openai", "production", "2029-01-01", D11D),
    WORKLOAD(107, "openai", "production", "someday", D10M),
};

static arena A;
static portfolio P;

/* q: the vendors and offerings above with these contracts and workloads,
 * today 2026-12-06, indexed. */
static void use(portfolio *q, contract *contracts, size_t n_contracts, workload *workloads,
                size_t n_workloads)
{
    memset(q, 0, sizeof *q);
    assert_int_equal(date_parse("2026-12-06", &q->today), 0);
    q->vendors = VENDORS;
    q->n_vendors = COUNT(VENDORS);
    q->offerings = OFFERINGS;
    q->n_offerings = COUNT(OFFERINGS);
    q->contracts = contracts;
    q->n_contracts = n_contracts;
    q->workloads = workloads;
    q->n_workloads = n_workloads;
    assert_int_equal(portfolio_index(q, &A), 0);
}

static int setup(void **state)
{
    (void)state;
    arena_init(&A);
    use(&P, CONTRACTS, COUNT(CONTRACTS), WORKLOADS, COUNT(WORKLOADS));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(&A);
    return 0;
}

static int64_t listed_id(const upstream_outlived *u, size_t k)
{
    return P.workloads[u->listed[k]].id;
}

static void terms_and_workloads(void **state)
{
    (void)state;
    upstream_outlived *u;
    size_t n;
    assert_int_equal(upstream_outlived_terms(&P, NULL, NULL, 20, &A, &u, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(u[0].contract->id, 50);
    assert_string_equal(u[0].term->text, "Licence to OpenAI models");
    int64_t until;
    assert_int_equal(date_parse("2030-12-31", &until), 0);
    assert_int_equal(u[0].until, until);
    assert_int_equal(u[0].count, 2);
    assert_int_equal(u[0].n_listed, 2);
    assert_int_equal(listed_id(&u[0], 0), 100);
    assert_int_equal(listed_id(&u[0], 1), 102);
    assert_string_equal(u[1].term->text, "Distribution");
    assert_int_equal(u[1].count, 2);
    assert_int_equal(listed_id(&u[1], 0), 104);
    assert_int_equal(listed_id(&u[1], 1), 106);
}

static void capped_lists_keep_counting(void **state)
{
    (void)state;
    upstream_outlived *u;
    size_t n;
    assert_int_equal(upstream_outlived_terms(&P, NULL, NULL, 1, &A, &u, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(u[0].count, 2);
    assert_int_equal(u[0].n_listed, 1);
    assert_int_equal(listed_id(&u[0], 0), 100);
    assert_int_equal(u[1].count, 2);
    assert_int_equal(u[1].n_listed, 1);
    assert_int_equal(listed_id(&u[1], 0), 104);
}

static int azure_only(const workload *w, const void *ctx)
{
    (void)ctx;
    return strcmp(w->track, "azure") == 0;
}

static void a_filter_narrows_the_workloads(void **state)
{
    (void)state;
    upstream_outlived *u;
    size_t n;
    assert_int_equal(upstream_outlived_terms(&P, azure_only, NULL, 20, &A, &u, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(u[0].count, 2);
    assert_int_equal(u[1].count, 1);
    assert_int_equal(listed_id(&u[1], 0), 104);
}

/* More terms than one 64-bit word of scope holds: contract 60 with 130
 * licence terms, term t scoped to provider Microsoft (offering 10) when t
 * is even, to OpenAI (offering 11) when odd, until 2030-01-01 + t days.
 *   A open-ended, [10 model]                 outlives every even term
 *   B ends 2030-03-01 (day 59), [11 model]   odd terms with t < 59
 *   C ends day 100, [10 hosting, 11 data]    every term with t < 100
 *   D ends day 100, [13 identity]            nothing (no weight)
 * So term t counts A (even) + B (odd, t < 59) + C (t < 100): the terms
 * kept are the 65 even ones and the 50 odd ones below 100, 115 in all. */
#define MANY 130
static contract_term MANY_TERMS[MANY];
static char MANY_UNTIL[MANY][11];
static dependency DA[] = {{10, "model"}};
static dependency DB[] = {{11, "model"}};
static dependency DC[] = {{10, "hosting"}, {11, "data"}};
static dependency DD[] = {{13, "identity"}};

static void more_terms_than_a_word(void **state)
{
    (void)state;
    int64_t base;
    assert_int_equal(date_parse("2030-01-01", &base), 0);
    for (int t = 0; t < MANY; t++) {
        date_format(base + t, MANY_UNTIL[t]);
        MANY_TERMS[t] = (contract_term){.kind = "licence", .text = "Licence",
                                        .until = MANY_UNTIL[t],
                                        .scope_provider = t % 2 ? 2 : 1};
    }
    contract contracts[] = {
        {.id = 60, .name = "Many terms", .kind = "upstream", .counterparty = 1,
         .other_party = 2, .currency = "USD", .terms = MANY_TERMS, .n_terms = MANY},
    };
    workload workloads[] = {
        WORKLOAD(200, "azure", "production", NULL, DA),
        WORKLOAD(201, "openai", "production", "2030-03-01", DB),
        WORKLOAD(202, "azure", "production", "2030-04-11", DC),
        WORKLOAD(203, "azure", "production", NULL, DD),
    };
    portfolio q;
    use(&q, contracts, COUNT(contracts), workloads, COUNT(workloads));
    upstream_outlived *u;
    size_t n;
    assert_int_equal(upstream_outlived_terms(&q, NULL, NULL, 5, &A, &u, &n), 0);
    assert_int_equal(n, 115);
    size_t k = 0;
    for (int t = 0; t < MANY; t++) {
        size_t want = (size_t)(t % 2 == 0) + (size_t)(t % 2 && t < 59) + (size_t)(t < 100);
        if (!want)
            continue;
        assert_ptr_equal(u[k].term, &MANY_TERMS[t]);
        assert_int_equal(u[k].until, base + t);
        assert_int_equal(u[k].count, want);
        assert_int_equal(u[k].n_listed, want);
        /* Listed in portfolio order: A or B before C. */
        assert_int_equal(q.workloads[u[k].listed[0]].id, t % 2 == 0 ? 200 : t < 59 ? 201 : 202);
        k++;
    }
    assert_int_equal(k, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(terms_and_workloads),
        cmocka_unit_test(capped_lists_keep_counting),
        cmocka_unit_test(a_filter_narrows_the_workloads),
        cmocka_unit_test(more_terms_than_a_word),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
