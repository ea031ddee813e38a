/* test_reference.c - the seven reference cases of shared domain.md
 * (revision 2, "Reference cases"), each built by hand on core/ (risk,
 * scenario, concentration, overview, findings) with the default weights,
 * asserting level, priority, flagged and the Microsoft-exit outcome exactly
 * as the domain states them. Today is pinned to 2026-12-01.
 *
 * Vendors (group): 1 Microsoft, 2 OpenAI, 3 Meta, 4 Amazon Web Services,
 *                  5 Northwind Mutual (kind self: the organisation), 6 Mistral AI.
 * Offerings (provider/publisher/host, category, interface, regions):
 *   10 Azure OpenAI               1/2/1  model_api   openai_compatible  EU
 *   11 Azure AI Search            1/-/1  data_store  proprietary        EU
 *   12 OpenAI API                 2/2/2  model_api   openai_compatible  US
 *   13 Amazon OpenSearch Service  4/-/4  data_store  open_standard      EU
 *   14 Llama (self-hosted)        5/3/4  model_api   openai_compatible  EU, open weight
 *   15 Mistral API                6/6/6  model_api   openai_compatible  EU
 *   16 Microsoft 365 Copilot      1/2/1  assistant   proprietary        EU
 * Contracts:
 *   20 Azure consumption commitment  customer [10 11]  exclusive, commits spend,
 *                                    ends 2028-06-30, notice 90
 *   21 OpenAI-Microsoft agreement    upstream [10 12 16]  the licence term, scoped
 *                                    provider Microsoft, publisher OpenAI, until
 *                                    2032-12-31 (and a revenue-share term)
 *   22 OpenAI Enterprise Agreement   customer [12]  clean, ends 2027-12-31, notice 60
 *   23 Microsoft 365 E5 and Copilot  customer [16]  clean, ends 2028-12-31, notice 90
 * Workloads: one per case, 101-107 (case 7's is 107). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/compliance.h"
#include "core/concentration.h"
#include "core/findings.h"
#include "core/overview.h"
#include "core/scenario.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

static vendor VENDORS[] = {
    {.id = 1, .name = "Microsoft", .kind = "company", .group_id = 1},
    {.id = 2, .name = "OpenAI", .kind = "company", .group_id = 2},
    {.id = 3, .name = "Meta", .kind = "company", .group_id = 3},
    {.id = 4, .name = "Amazon Web Services", .kind = "company", .group_id = 4},
    {.id = 5, .name = "Northwind Mutual", .kind = "self", .group_id = 5},
    {.id = 6, .name = "Mistral AI", .kind = "company", .group_id = 6},
};

static const char *EU[] = {"EU"};
static const char *US[] = {"US"};

#define OFFER(i, n, pr, pu, ho, tr, cat, itf, reg)                                          \
    {.id = i, .name = n, .provider = pr, .publisher = pu, .host = ho, .track = tr,           \
     .category = cat, .interface = itf, .regions = reg, .n_regions = 1}

static offering OFFERINGS[] = {
    OFFER(10, "Azure OpenAI", 1, 2, 1, "azure", "model_api", "openai_compatible", EU),
    OFFER(11, "Azure AI Search", 1, 0, 1, "azure", "data_store", "proprietary", EU),
    OFFER(12, "OpenAI API", 2, 2, 2, "openai", "model_api", "openai_compatible", US),
    OFFER(13, "Amazon OpenSearch Service", 4, 0, 4, "other", "data_store", "open_standard", EU),
    {.id = 14, .name = "Llama (self-hosted)", .provider = 5, .publisher = 3, .host = 4,
     .track = "other", .category = "model_api", .interface = "openai_compatible",
     .open_weight = 1, .regions = EU, .n_regions = 1},
    OFFER(15, "Mistral API", 6, 6, 6, "other", "model_api", "openai_compatible", EU),
    OFFER(16, "Microsoft 365 Copilot", 1, 2, 1, "copilot", "assistant", "proprietary", EU),
};

static int64_t K_AZURE[] = {10, 11};
static int64_t K_UPSTREAM[] = {10, 12, 16};
static int64_t K_OPENAI[] = {12};
static int64_t K_M365[] = {16};

static contract_term UPSTREAM_TERMS[] = {
    {.kind = "licence",
     .text = "Microsoft keeps a licence to OpenAI models and products through 2032; the "
             "licence is now non-exclusive.",
     .effective = "2026-04-27", .until = "2032-12-31", .scope_provider = 1,
     .scope_publisher = 2},
    {.kind = "revenue_share", .text = "OpenAI pays a revenue share to Microsoft through 2030.",
     .effective = "2026-04-27", .until = "2030-12-31", .scope_publisher = 2},
};

#define CUSTOMER(i, n, cp, offs, end, notice)                                               \
    {.id = i, .name = n, .kind = "customer", .counterparty = cp, .offerings = offs,         \
     .n_offerings = COUNT(offs), .start_date = "2025-07-01", .end_date = end,               \
     .notice_days = notice, .currency = "EUR", .exit_clause = "full", .data_portability = 1, \
     .substitutability = "medium"}

static contract CONTRACTS[] = {
    {.id = 20, .name = "Azure consumption commitment", .kind = "customer", .counterparty = 1,
     .offerings = K_AZURE, .n_offerings = COUNT(K_AZURE), .start_date = "2025-07-01",
     .end_date = "2028-06-30", .notice_days = 90, .currency = "EUR",
     .committed_spend = 90000000, .exclusive = 1, .exit_clause = "full",
     .data_portability = 1, .substitutability = "medium"},
    {.id = 21, .name = "OpenAI-Microsoft agreement", .kind = "upstream", .counterparty = 2,
     .other_party = 1, .offerings = K_UPSTREAM, .n_offerings = COUNT(K_UPSTREAM),
     .start_date = "2026-04-27", .currency = "USD", .exit_clause = "none",
     .substitutability = "none", .terms = UPSTREAM_TERMS, .n_terms = COUNT(UPSTREAM_TERMS)},
    CUSTOMER(22, "OpenAI Enterprise Agreement", 2, K_OPENAI, "2027-12-31", 60),
    CUSTOMER(23, "Microsoft 365 E5 and Copilot", 1, K_M365, "2028-12-31", 90),
};

static dependency D_CLAIMS[] = {{10, "model"}, {11, "data"}};
static dependency D_OPENAI[] = {{12, "model"}};
static dependency D_LLAMA[] = {{14, "model"}};
static dependency D_M365[] = {{16, "assistant"}};

/* Case 2: OpenAI's own API for the model, OpenSearch for the index. */
static alternative A_GATEWAY[] = {{10, 12}, {11, 13}};
/* Case 4: two alternatives for the self-hosted Llama. */
static alternative A_LLAMA[] = {{14, 12}, {14, 15}};

/* By workload, then date: drilled "last month" (November 2026), passed. */
static exit_drill DRILLS[] = {
    {.id = 1, .workload = 102, .dependency = 10, .offering = 12, .drilled_on = "2026-11-10",
     .result = "passed"},
    {.id = 2, .workload = 102, .dependency = 11, .offering = 13, .drilled_on = "2026-11-12",
     .result = "passed"},
    {.id = 3, .workload = 104, .dependency = 14, .offering = 12, .drilled_on = "2026-10-20",
     .result = "passed"},
    {.id = 4, .workload = 104, .dependency = 14, .offering = 15, .drilled_on = "2026-11-02",
     .result = "passed"},
};

/* Case 6: accepted by the CIO until next June (inclusive). */
static risk_acceptance ACCEPTANCES[] = {
    {.id = 1, .workload = 106, .owner = "CIO",
     .reason = "Staff productivity rollout; the E5 renewal in 2028 is the exit point.",
     .expires_on = "2027-06-30", .created_by = "cio"},
};

#define WL(i, n, tr, st, crit, spend, swap, deps)                                           \
    {.id = i, .name = n, .track = tr, .status = st, .criticality = crit,                    \
     .data_classification = "internal", .users = 100, .monthly_spend = spend,               \
     .ai_act_tier = "minimal", .swap_layer = swap, .dependencies = deps,                    \
     .n_dependencies = COUNT(deps)}

static workload WORKLOADS[7];

static void fill_workloads(void)
{
    workload w[] = {
        /* 1: production, high criticality, Azure OpenAI with Azure AI Search,
         * no swap layer, no alternative, the exclusive commitment. */
        WL(101, "Claims assistant", "azure", "production", "high", 3800000, 0, D_CLAIMS),
        /* 2: the same behind a gateway, both dependencies drilled last month. */
        WL(102, "Claims assistant behind a gateway", "azure", "production", "high", 3800000, 1,
           D_CLAIMS),
        /* 3: a pilot on OpenAI's own API, no swap layer; planned beyond 2032,
         * so a licence term wrongly applied to it would show. */
        WL(103, "Underwriting pilot on the OpenAI API", "openai", "pilot", "medium", 300000, 0,
           D_OPENAI),
        /* 4: Llama on rented GPUs, its only dependency, behind a gateway. */
        WL(104, "Health claims extraction", "other", "production", "critical", 2100000, 1,
           D_LLAMA),
        /* 5: retired, with critical lock-in. */
        WL(105, "Claims FAQ bot v1", "azure", "retired", "critical", 5000000, 0, D_CLAIMS),
        /* 6: M365 Copilot for medium-criticality staff, accepted by the CIO. */
        WL(106, "Microsoft 365 Copilot for staff", "copilot", "production", "medium", 5700000, 0,
           D_M365),
        /* 7: restricted data on a model API processed only outside the
         * allowed regions (EU allowed, the OpenAI API processes in the US). */
        WL(107, "Medical report summariser", "openai", "production", "high", 700000, 1,
           D_OPENAI),
    };
    memcpy(WORKLOADS, w, sizeof w);
    WORKLOADS[1].alternatives = A_GATEWAY;
    WORKLOADS[1].n_alternatives = COUNT(A_GATEWAY);
    WORKLOADS[2].planned_end = "2034-12-31";
    WORKLOADS[3].alternatives = A_LLAMA;
    WORKLOADS[3].n_alternatives = COUNT(A_LLAMA);
    WORKLOADS[6].data_classification = "restricted";
    WORKLOADS[6].allowed_regions = EU;
    WORKLOADS[6].n_allowed_regions = 1;
}

typedef struct fixture {
    arena a;
    portfolio p;
    risk_weights wts;
    risk_result risk[COUNT(WORKLOADS)];
} fixture;

/* Scores every workload as a snapshot would. */
static void score_all(fixture *f)
{
    assert_int_equal(portfolio_index(&f->p, &f->a), 0);
    assert_int_equal(risk_prepare(&f->p, &f->a), 0);
    for (size_t i = 0; i < f->p.n_workloads; i++)
        risk_assess(&f->p, &f->p.workloads[i], &f->wts, &f->a, &f->risk[i]);
}

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    arena_init(&f.a);
    fill_workloads();
    assert_int_equal(date_parse("2026-12-01", &f.p.today), 0);
    f.p.vendors = VENDORS;
    f.p.n_vendors = COUNT(VENDORS);
    f.p.offerings = OFFERINGS;
    f.p.n_offerings = COUNT(OFFERINGS);
    f.p.contracts = CONTRACTS;
    f.p.n_contracts = COUNT(CONTRACTS);
    f.p.workloads = WORKLOADS;
    f.p.n_workloads = COUNT(WORKLOADS);
    f.p.drills = DRILLS;
    f.p.n_drills = COUNT(DRILLS);
    f.p.acceptances = ACCEPTANCES;
    f.p.n_acceptances = COUNT(ACCEPTANCES);
    risk_default_weights(&f.wts);
    score_all(&f);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    arena_free(&f->a);
    return 0;
}

static size_t at_of(const fixture *f, int64_t id)
{
    const workload *w = pf_workload(&f->p, id);
    assert_non_null(w);
    return (size_t)(w - f->p.workloads);
}

static const risk_result *risk_of(const fixture *f, int64_t id)
{
    return &f->risk[at_of(f, id)];
}

static const risk_factor *factor(const risk_result *r, int code)
{
    for (int i = 0; i < r->n_factors; i++)
        if (r->factors[i].code == code)
            return &r->factors[i];
    return NULL;
}

/* The factors of r are exactly these codes with these points. */
static void assert_factors(const risk_result *r, const int *codes, const int *points, int n)
{
    assert_int_equal(r->n_factors, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(r->factors[i].code, codes[i]);
        assert_int_equal(r->factors[i].points, points[i]);
    }
}

static void microsoft_exit(fixture *f, scenario_result *r)
{
    static scenario_change exit_microsoft[] = {{.type = CHANGE_EXIT_GROUP, .id = 1}};
    scenario s = {exit_microsoft, COUNT(exit_microsoft)};
    assert_int_equal(scenario_evaluate_scored(&f->p, &f->wts, f->risk, &s, &f->a, r), 0);
}

/* ---- case 1 ----------------------------------------------------------------- */

/* One group 25 + no swap layer 20 + proprietary index 15 + the exclusive
 * commitment 15 + no alternative 10 + the licence horizon (no planned end)
 * 10 + data gravity 5 = 100: critical; high criticality -> P1, flagged. In a
 * Microsoft exit: stranded (no named alternative, no swap layer). */
static void case1_claims_assistant_on_azure(void **state)
{
    fixture *f = *state;
    const risk_result *r = risk_of(f, 101);
    static const int codes[] = {RISK_SINGLE_GROUP, RISK_NO_SWAP, RISK_PROPRIETARY,
                                RISK_CONTRACT_LOCK, RISK_NO_ALTERNATIVE, RISK_HORIZON,
                                RISK_DATA_GRAVITY};
    static const int points[] = {25, 20, 15, 15, 10, 10, 5};
    assert_factors(r, codes, points, 7);
    assert_int_equal(r->score, 100);
    assert_string_equal(RISK_LEVELS[r->level], "critical");
    assert_string_equal(RISK_PRIORITIES[r->priority], "P1");
    assert_true(r->flagged);
    scenario_result s;
    microsoft_exit(f, &s);
    const scenario_workload *w = &s.workloads[at_of(f, 101)];
    assert_string_equal(OUTCOMES[w->outcome], "stranded");
    assert_string_equal(w->reason,
                        "Stranded: Azure OpenAI has no reachable replacement: no named "
                        "alternative and no swap layer; Azure AI Search has no reachable "
                        "replacement: no named alternative and no swap layer.");
}

/* ---- case 2 ----------------------------------------------------------------- */

/* Behind a gateway, with both dependencies drilled last month: both are
 * portable, so single group, proprietary, no alternative and data gravity
 * go, and the swap layer removes no_swap_layer. Only the contract (15) and
 * the licence horizon (10) remain: 25, medium (at most medium); high
 * criticality -> P3, not flagged. In a Microsoft exit: movable, by the
 * drilled alternatives (7 days). */
static void case2_same_behind_a_gateway_with_drills(void **state)
{
    fixture *f = *state;
    const risk_result *r = risk_of(f, 102);
    static const int codes[] = {RISK_CONTRACT_LOCK, RISK_HORIZON};
    static const int points[] = {15, 10};
    assert_factors(r, codes, points, 2);
    assert_int_equal(r->score, 25);
    assert_string_equal(RISK_LEVELS[r->level], "medium");
    assert_string_equal(RISK_PRIORITIES[r->priority], "P3");
    assert_false(r->flagged);
    assert_non_null(strstr(factor(r, RISK_HORIZON)->reason, "through 2032"));
    scenario_result s;
    microsoft_exit(f, &s);
    const scenario_workload *w = &s.workloads[at_of(f, 102)];
    assert_string_equal(OUTCOMES[w->outcome], "movable");
    assert_int_equal(w->n_lost, 2);
    assert_int_equal(w->lost[0].replacement, 12);
    assert_int_equal(w->lost[1].replacement, 13);
    assert_int_equal(w->migration_days, 7);
    assert_string_equal(w->reason,
                        "Movable in 7 days: Azure OpenAI moves to OpenAI API, its named "
                        "alternative (exit drill passed on 2026-11-10); Azure AI Search moves to "
                        "Amazon OpenSearch Service, its named alternative (exit drill passed on "
                        "2026-11-12).");
}

/* ---- case 3 ----------------------------------------------------------------- */

/* A pilot on OpenAI's own API, no swap layer, planned to run to 2034: the
 * Microsoft licence term (scoped provider Microsoft, publisher OpenAI) is
 * not among its reasons, and the OpenAI view raises no licence finding for
 * it. One group 25 + no swap 20 + no alternative 10 = 55 high; medium
 * criticality -> P3, not flagged. Azure OpenAI workloads do get the term. */
static void case3_openai_api_pilot_has_no_microsoft_licence(void **state)
{
    fixture *f = *state;
    const risk_result *r = risk_of(f, 103);
    static const int codes[] = {RISK_SINGLE_GROUP, RISK_NO_SWAP, RISK_NO_ALTERNATIVE};
    static const int points[] = {25, 20, 10};
    assert_factors(r, codes, points, 3);
    assert_string_equal(RISK_LEVELS[r->level], "high");
    assert_string_equal(RISK_PRIORITIES[r->priority], "P3");
    assert_false(r->flagged);
    for (int i = 0; i < r->n_factors; i++)
        assert_null(strstr(r->factors[i].reason, "licence"));
    finding *fs;
    size_t n;
    assert_int_equal(findings_for_track(&f->p, f->risk, "openai", &f->a, &fs, &n), 0);
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(fs[i].code, "licence_horizon");
        for (size_t k = 0; k < fs[i].n_workloads; k++)
            if (fs[i].workloads[k] == 103)
                assert_null(strstr(fs[i].text, "licence"));
    }
    /* The Azure view does raise it, for the production Azure OpenAI
     * workloads with no planned end (cases 1 and 2). */
    assert_int_equal(findings_for_track(&f->p, f->risk, "azure", &f->a, &fs, &n), 0);
    const finding *lic = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(fs[i].code, "licence_horizon") == 0)
            lic = &fs[i];
    assert_non_null(lic);
    assert_int_equal(lic->n_workloads, 2);
    assert_int_equal(lic->workloads[0], 101);
    assert_int_equal(lic->workloads[1], 102);
}

/* ---- case 4 ----------------------------------------------------------------- */

/* Llama on rented GPUs, its only dependency, behind a gateway with two
 * drilled alternatives: portable, nothing applies: 0, low; critical
 * criticality -> P3, not flagged. Provider the organisation (kind self),
 * publisher Meta, host the cloud group, in every concentration layer. A
 * Microsoft exit leaves it alone. */
static void case4_self_hosted_llama(void **state)
{
    fixture *f = *state;
    const risk_result *r = risk_of(f, 104);
    assert_int_equal(r->n_factors, 0);
    assert_int_equal(r->score, 0);
    assert_string_equal(RISK_LEVELS[r->level], "low");
    assert_string_equal(RISK_PRIORITIES[r->priority], "P3");
    assert_false(r->flagged);
    const offering *o = pf_offering(&f->p, 14);
    assert_string_equal(pf_vendor(&f->p, pf_group(&f->p, o->provider))->kind, "self");
    assert_string_equal(pf_group_name(&f->p, pf_group(&f->p, o->provider), 0, &f->a),
                        "Northwind Mutual");
    assert_string_equal(pf_group_name(&f->p, pf_group(&f->p, o->publisher), 0, &f->a), "Meta");
    assert_string_equal(pf_group_name(&f->p, pf_group(&f->p, o->host), 0, &f->a),
                        "Amazon Web Services");
    /* Concentration over this workload alone: one group per layer. */
    portfolio only = f->p;
    only.workloads = &WORKLOADS[3];
    only.n_workloads = 1;
    concentration c;
    assert_int_equal(concentration_compute(&only, 1, 0, NULL, NULL, &f->a, &c), 0);
    assert_int_equal(c.layers[LAYER_PROVIDER].n_shares, 1);
    assert_int_equal(c.layers[LAYER_PROVIDER].shares[0].group, 5);
    assert_int_equal(c.layers[LAYER_PUBLISHER].shares[0].group, 3);
    assert_int_equal(c.layers[LAYER_HOST].shares[0].group, 4);
    assert_float_equal(c.layers[LAYER_HOST].total, 21000, 1e-9);
    scenario_result s;
    microsoft_exit(f, &s);
    assert_string_equal(OUTCOMES[s.workloads[at_of(f, 104)].outcome], "unaffected");
}

/* ---- case 5 ----------------------------------------------------------------- */

/* Retired, with critical lock-in (the case 1 stack, critical criticality:
 * 100, P1 by the matrix): in no flagged list, no priority count and no
 * concentration figure, and no scenario counts it. */
static void case5_retired_counts_nowhere(void **state)
{
    fixture *f = *state;
    const risk_result *r = risk_of(f, 105);
    assert_int_equal(r->score, 100);
    assert_string_equal(RISK_LEVELS[r->level], "critical");
    assert_false(r->active);
    assert_false(r->flagged);
    ov_item *items;
    size_t n, total;
    assert_int_equal(ov_flagged(&f->p, f->risk, NULL, 0, &f->a, &items, &n, &total), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(f->p.workloads[items[i].index].id, 105);
    /* Flagged: case 1 (P1) and case 6 is accepted: only 101. */
    assert_int_equal(n, 1);
    ov_counts counts;
    ov_count(&f->p, f->risk, NULL, &counts);
    assert_int_equal(counts.active, 6);
    assert_int_equal(counts.history, 1);
    assert_int_equal(counts.priority[0] + counts.priority[1] + counts.priority[2] +
                         counts.priority[3], 6);
    assert_int_equal(counts.priority[0], 1);          /* case 1 only, not 105 */
    /* The Azure view's rows: cases 1 and 2, not the retired 105. */
    assert_int_equal(ov_track_rows(&f->p, f->risk, "azure", 0, &f->a, &items, &n, &total), 0);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(f->p.workloads[items[i].index].id, 105);
    /* Concentration: the active spend only (38000 x 2 + 3000 + 21000 +
     * 57000 + 7000 = 164000), none of the retired 50000. */
    concentration c;
    assert_int_equal(concentration_compute(&f->p, 1, 0, NULL, NULL, &f->a, &c), 0);
    assert_float_equal(c.layers[LAYER_PROVIDER].total, 164000, 1e-6);
    scenario_result s;
    microsoft_exit(f, &s);
    assert_string_equal(OUTCOMES[s.workloads[at_of(f, 105)].outcome], "unaffected");
    assert_int_equal(s.workloads[at_of(f, 105)].n_lost, 0);
}

/* ---- case 6 ----------------------------------------------------------------- */

/* M365 Copilot for medium-criticality staff: one group 25 + no swap 20 +
 * proprietary assistant 15 + no alternative 10 + the licence horizon 10 =
 * 80, critical; medium criticality -> P2. Accepted by the CIO until
 * 2027-06-30: not flagged, listed as accepted (owner, expiry); still so on
 * the last day; flagged again the day after. */
static void case6_accepted_copilot(void **state)
{
    fixture *f = *state;
    const risk_result *r = risk_of(f, 106);
    assert_int_equal(r->score, 80);
    assert_string_equal(RISK_LEVELS[r->level], "critical");
    assert_string_equal(RISK_PRIORITIES[r->priority], "P2");
    assert_true(r->accepted);
    assert_false(r->flagged);
    const risk_acceptance *acc = pf_acceptance(&f->p, 106);
    assert_non_null(acc);
    assert_string_equal(acc->owner, "CIO");
    assert_string_equal(acc->expires_on, "2027-06-30");

    assert_int_equal(date_parse("2027-06-30", &f->p.today), 0);
    score_all(f);
    r = risk_of(f, 106);
    assert_true(r->accepted);
    assert_false(r->flagged);

    assert_int_equal(date_parse("2027-07-01", &f->p.today), 0);
    score_all(f);
    r = risk_of(f, 106);
    assert_string_equal(RISK_PRIORITIES[r->priority], "P2");
    assert_false(r->accepted);
    assert_true(r->flagged);
    assert_null(pf_acceptance(&f->p, 106));
}

/* ---- case 7 ----------------------------------------------------------------- */

/* Restricted data on the OpenAI API, which processes only in the US, while
 * the workload allows the EU only. Its lock-in is unremarkable (one group
 * 25 + no alternative 10 = 35 medium; high criticality -> P3, not
 * flagged); the residency finding must come whatever the score. */
static void case7_restricted_data_outside_allowed_regions(void **state)
{
    fixture *f = *state;
    const risk_result *r = risk_of(f, 107);
    assert_int_equal(r->score, 35);
    assert_string_equal(RISK_LEVELS[r->level], "medium");
    assert_string_equal(RISK_PRIORITIES[r->priority], "P3");
    assert_false(r->flagged);
    const workload *w = pf_workload(&f->p, 107);
    const offering *o = pf_offering(&f->p, w->dependencies[0].offering);
    assert_string_equal(w->data_classification, "restricted");
    assert_string_equal(w->allowed_regions[0], "EU");
    assert_string_equal(o->regions[0], "US");
    /* The compliance check raises it: one high residency finding naming
     * workload 107 and the offering, with what to do. */
    compliance_finding *items;
    size_t n;
    assert_int_equal(compliance_findings(&f->p, SIZE_MAX, &f->a, &items, &n), 0);
    const compliance_finding *found = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].code, "residency") == 0 && strcmp(items[i].severity, "high") == 0 &&
            items[i].n_workloads == 1 && items[i].workloads[0] == 107)
            found = &items[i];
    assert_non_null(found);
    assert_non_null(strstr(found->detail, o->name));
    assert_non_null(strstr(found->detail, "only in US"));
    assert_non_null(strstr(found->detail, "(EU)"));
    assert_true(strlen(found->action) > 20);
    /* The other workloads keep their data inside the EU: no residency
     * finding names them. */
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].code, "residency") == 0)
            for (size_t k = 0; k < items[i].n_workloads; k++)
                assert_int_equal(items[i].workloads[k], 107);
}

/* risk_score() (what the snapshot does) gives every reference workload
 * the score, level, priority, flags and factors risk_assess() gives, with
 * no sentence; risk_explained() then writes exactly risk_assess()'s
 * sentences, and hands a result that has them back unchanged. */
static void scores_without_sentences(void **state)
{
    fixture *f = *state;
    unsigned kinds = 0;
    for (size_t i = 0; i < f->p.n_workloads; i++) {
        const workload *w = &f->p.workloads[i];
        const risk_result *full = &f->risk[i];
        risk_result scored, tmp;
        risk_score(&f->p, w, &f->wts, &scored);
        assert_int_equal(scored.score, full->score);
        assert_int_equal(scored.level, full->level);
        assert_int_equal(scored.priority, full->priority);
        assert_int_equal(scored.active, full->active);
        assert_int_equal(scored.accepted, full->accepted);
        assert_int_equal(scored.flagged, full->flagged);
        assert_int_equal(scored.n_factors, full->n_factors);
        for (int k = 0; k < scored.n_factors; k++) {
            assert_int_equal(scored.factors[k].code, full->factors[k].code);
            assert_int_equal(scored.factors[k].points, full->factors[k].points);
            assert_null(scored.factors[k].reason);
        }
        const risk_result *told = risk_explained(&f->p, w, &f->wts, &scored, &f->a, &tmp);
        assert_int_equal(told->n_factors, full->n_factors);
        for (int k = 0; k < told->n_factors; k++)
            assert_string_equal(told->factors[k].reason, full->factors[k].reason);
        assert_ptr_equal(risk_explained(&f->p, w, &f->wts, full, &f->a, &tmp), full);
        for (int k = 0; k < scored.n_factors; k++)
            kinds |= 1u << scored.factors[k].code;
    }
    assert_int_equal(kinds, (1u << RISK_FACTORS) - 1); /* every factor kind was compared */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(case1_claims_assistant_on_azure, setup, teardown),
        cmocka_unit_test_setup_teardown(case2_same_behind_a_gateway_with_drills, setup, teardown),
        cmocka_unit_test_setup_teardown(case3_openai_api_pilot_has_no_microsoft_licence, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(case4_self_hosted_llama, setup, teardown),
        cmocka_unit_test_setup_teardown(case5_retired_counts_nowhere, setup, teardown),
        cmocka_unit_test_setup_teardown(case6_accepted_copilot, setup, teardown),
        cmocka_unit_test_setup_teardown(case7_restricted_data_outside_allowed_regions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(scores_without_sentences, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
