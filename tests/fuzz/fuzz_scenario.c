/* fuzz_scenario.c - what-if scenario input: scenario_from_json, then (when
 * it parses) scenario_check_refs and scenario_evaluate over a small fixed
 * portfolio, as POST /api/v1/scenarios/evaluate does.
 *
 * Input: the request body, {"changes":[...]}; a bare array is taken as the
 * changes themselves.
 *
 * Properties: parse and check_refs report errors consistently; evaluation
 * succeeds on a checked scenario; outcome counts add up to the non-retired
 * workloads; exit = notice + migration; stranded spend is part of the spend
 * at risk and leaves the after side; every lost offering is unavailable and
 * its alternative (if any) is available; the portfolio is not modified;
 * evaluation is deterministic, and the same with the snapshot's scores
 * (scenario_evaluate_scored, what the API calls).
 *
 * The portfolio is the main fixture of tests/unit/test_scenario.c:
 * vendors 1-5, offerings 10-16, contracts 20-23, workloads 100-104. */
#include <stdint.h>

#include <jansson.h>

#include "common/text.h"
#include "core/scenario.h"
#include "fuzz.h"

#include "../unit/scenario_fixture.h"

static portfolio P;
static risk_weights WTS;
static arena FIXTURE_ARENA;
static risk_result SCORED[COUNT(WORKLOADS)];   /* as a scored snapshot holds them */
static workload WORKLOADS_COPY[COUNT(WORKLOADS)];
static dependency DEPS_COPY[COUNT(WORKLOADS)][FIXTURE_MAX_DEPS];

static void setup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    arena_init(&FIXTURE_ARENA);
    memset(&P, 0, sizeof P);
    FUZZ_CHECK(date_parse("2026-05-01", &P.today) == 0);
    P.vendors = VENDORS;
    P.n_vendors = COUNT(VENDORS);
    P.offerings = OFFERINGS;
    P.n_offerings = COUNT(OFFERINGS);
    P.contracts = CONTRACTS;
    P.n_contracts = COUNT(CONTRACTS);
    P.workloads = WORKLOADS;
    P.n_workloads = COUNT(WORKLOADS);
    P.drills = DRILLS;
    P.n_drills = COUNT(DRILLS);
    FUZZ_CHECK(portfolio_index(&P, &FIXTURE_ARENA) == 0);
    FUZZ_CHECK(risk_prepare(&P, &FIXTURE_ARENA) == 0);
    risk_default_weights(&WTS);
    for (size_t i = 0; i < COUNT(WORKLOADS); i++)
        risk_assess(&P, &WORKLOADS[i], &WTS, &FIXTURE_ARENA, &SCORED[i]);
    memcpy(WORKLOADS_COPY, WORKLOADS, sizeof WORKLOADS);
    for (size_t i = 0; i < COUNT(WORKLOADS); i++)
        memcpy(DEPS_COPY[i], WORKLOADS[i].dependencies,
               WORKLOADS[i].n_dependencies * sizeof(dependency));
}

static void check_unchanged(void)
{
    FUZZ_CHECK(memcmp(WORKLOADS_COPY, WORKLOADS, sizeof WORKLOADS) == 0);
    for (size_t i = 0; i < COUNT(WORKLOADS); i++)
        FUZZ_CHECK(memcmp(DEPS_COPY[i], WORKLOADS[i].dependencies,
                          WORKLOADS[i].n_dependencies * sizeof(dependency)) == 0);
}

static int is_unavailable(const scenario_result *r, int64_t id)
{
    for (size_t i = 0; i < r->n_unavailable; i++)
        if (r->unavailable[i] == id)
            return 1;
    return 0;
}

static void check_result(const scenario_result *r)
{
    int live = 0;
    for (size_t i = 0; i < P.n_workloads; i++)
        live += workload_active(&P.workloads[i]);
    FUZZ_CHECK(r->n_workloads == P.n_workloads);
    FUZZ_CHECK(r->counts[0] >= 0 && r->counts[1] >= 0 && r->counts[2] >= 0);
    FUZZ_CHECK(r->counts[0] + r->counts[1] + r->counts[2] == live);
    FUZZ_CHECK(r->exit.binding_until >= P.today);
    FUZZ_CHECK(r->exit.exit_on == r->exit.binding_until + r->exit.migration_days);
    FUZZ_CHECK(r->exit.days == (int)(r->exit.exit_on - P.today));
    FUZZ_CHECK(r->exit.notice_deadline <= r->exit.binding_until);
    FUZZ_CHECK(r->exit.exclusivity_end <= r->exit.binding_until);
    FUZZ_CHECK(r->exit.commitment_end <= r->exit.binding_until);
    FUZZ_CHECK(r->exit.contract_end <= r->exit.binding_until);
    FUZZ_CHECK(r->after.stranded_spend == r->spend_stranded);
    FUZZ_CHECK(r->spend_stranded >= 0 && r->spend_stranded <= r->spend_at_risk);
    FUZZ_CHECK(r->after.monthly_spend == r->before.monthly_spend - r->spend_stranded);
    FUZZ_CHECK(r->n_unavailable <= P.n_offerings);
    for (size_t i = 0; i < r->n_unavailable; i++)
        FUZZ_CHECK(pf_offering(&P, r->unavailable[i]) != NULL);
    int levels_before = 0, levels_after = 0;
    for (int l = 0; l < 4; l++) {
        levels_before += r->before.levels[l];
        levels_after += r->after.levels[l];
    }
    FUZZ_CHECK(levels_before == live);
    FUZZ_CHECK(levels_after == live - r->counts[OUTCOME_STRANDED]);
    for (size_t i = 0; i < r->n_workloads; i++) {
        const scenario_workload *sw = &r->workloads[i];
        FUZZ_CHECK(sw->w == &P.workloads[i]);
        FUZZ_CHECK(sw->outcome >= OUTCOME_UNAFFECTED && sw->outcome <= OUTCOME_STRANDED);
        FUZZ_CHECK((sw->outcome == OUTCOME_UNAFFECTED) == (sw->n_lost == 0));
        FUZZ_CHECK(sw->outcome == OUTCOME_UNAFFECTED ? sw->migration_days == 0
                                                     : sw->migration_days > 0);
        FUZZ_CHECK(sw->migration_days <= r->exit.migration_days);
        FUZZ_CHECK((sw->outcome == OUTCOME_UNAFFECTED) == (sw->reason == NULL));
        int all = 1;
        for (size_t k = 0; k < sw->n_lost; k++) {
            FUZZ_CHECK(is_unavailable(r, sw->lost[k].offering));
            FUZZ_CHECK(sw->lost[k].path >= 0 && sw->lost[k].path < PATHS);
            all &= sw->lost[k].replacement != 0;
            if (sw->lost[k].replacement) {
                FUZZ_CHECK(pf_offering(&P, sw->lost[k].replacement) != NULL);
                FUZZ_CHECK(!is_unavailable(r, sw->lost[k].replacement));
            }
        }
        if (sw->n_lost)
            FUZZ_CHECK(all == (sw->outcome == OUTCOME_MOVABLE));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    const json_t *changes = json_is_array(body) ? body : json_object_get(body, "changes");
    arena a;
    arena_init(&a);
    sy_errors e;
    errors_init(&e);
    scenario s;
    int rc = scenario_from_json(changes, &a, &s, &e);
    FUZZ_CHECK(rc == 0 ? e.count == 0 : e.count > 0);
    for (int i = 0; i < e.count; i++)
        FUZZ_CHECK(strncmp(e.items[i].pointer, "/changes", 8) == 0);
    if (rc == 0) {
        FUZZ_CHECK(s.n_changes > 0);
        rc = scenario_check_refs(&s, &P, &e);
        FUZZ_CHECK(rc == 0 ? e.count == 0 : e.count > 0);
        if (rc == 0) {
            scenario_result r1, r2;
            FUZZ_CHECK(scenario_evaluate(&P, &WTS, &s, &a, &r1) == 0);
            check_result(&r1);
            check_unchanged();
            FUZZ_CHECK(scenario_evaluate(&P, &WTS, &s, &a, &r2) == 0);
            FUZZ_CHECK(memcmp(r1.counts, r2.counts, sizeof r1.counts) == 0);
            FUZZ_CHECK(r1.exit.days == r2.exit.days && r1.spend_at_risk == r2.spend_at_risk);
            FUZZ_CHECK(memcmp(r1.before.levels, r2.before.levels, sizeof r1.before.levels) == 0);
            FUZZ_CHECK(memcmp(r1.after.levels, r2.after.levels, sizeof r1.after.levels) == 0);
            /* With the snapshot's scores (what the API does): the same answer. */
            scenario_result r3;
            FUZZ_CHECK(scenario_evaluate_scored(&P, &WTS, SCORED, &s, &a, &r3) == 0);
            check_result(&r3);
            FUZZ_CHECK(memcmp(r1.counts, r3.counts, sizeof r1.counts) == 0);
            FUZZ_CHECK(r1.exit.days == r3.exit.days && r1.spend_at_risk == r3.spend_at_risk &&
                       r1.spend_stranded == r3.spend_stranded);
            FUZZ_CHECK(memcmp(r1.before.levels, r3.before.levels, sizeof r1.before.levels) == 0);
            FUZZ_CHECK(memcmp(r1.after.levels, r3.after.levels, sizeof r1.after.levels) == 0);
            FUZZ_CHECK(r1.before.monthly_spend == r3.before.monthly_spend &&
                       r1.after.monthly_spend == r3.after.monthly_spend);
        }
    }
    arena_free(&a);
    json_decref(body);
    return 0;
}
