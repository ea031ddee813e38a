/* test_risk_rev2.c - the rules domain.md revision 2 added to the lock-in
 * risk engine (core/risk.h), each on its own with exact points and
 * reasons: portability through exit drills (another group, latest drill
 * passed within 180 days), no_proven_alternative (full, half, none),
 * upstream terms by scope, model retirement within the horizon, risk
 * acceptance and its expiry, and contracts that cover only identity or
 * tooling. The portfolio is risk_fixture.h's (described there). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/risk.h"

#include "risk_fixture.h"

/* ---- no_proven_alternative and portability (domain.md rev. 2) --------------- */

/* Workload 200: Azure OpenAI (model) and GitHub Copilot (assistant), both
 * Microsoft's, with data in Cloud Storage, Amazon S3 and Azure Blob Storage:
 * three groups, no single_group_stack. GitHub Copilot's interface is
 * proprietary (15) unless it is portable. */
static dependency D_NPA[] = {{10, "model"}, {13, "assistant"}, {17, "data"}, {22, "data"},
                             {20, "data"}};

static void no_proven_alternative_full_half_none(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    use_drills(f, NULL, 0);
    risk_result r;
    /* Azure OpenAI has an undrilled alternative, GitHub Copilot none: one
     * model or assistant dependency has no named alternative -> full 10,
     * naming both by name. 10 + proprietary 15 = 25. */
    static alternative a1[] = {{10, 12}};
    workload w1 = CUSTOM(200, D_NPA, a1);
    assess(f, &w1, &f->wts, &r);
    assert_int_equal(r.n_factors, 2);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 10);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_int_equal(r.score, 25);
    assert_reason_is(&r, RISK_NO_ALTERNATIVE,
                     "No exit is proven for its model and assistant dependencies: Azure "
                     "OpenAI's alternative OpenAI API has never been drilled; GitHub Copilot has "
                     "no named alternative.");
    /* Both named (Gemini Code Assist for GitHub Copilot), neither drilled:
     * half, 10 / 2 = 5. 5 + 15 = 20. */
    static alternative a2[] = {{10, 12}, {13, 23}};
    workload w2 = CUSTOM(200, D_NPA, a2);
    assess(f, &w2, &f->wts, &r);
    assert_int_equal(r.n_factors, 2);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 5);
    assert_int_equal(r.score, 20);
    assert_reason_is(&r, RISK_NO_ALTERNATIVE,
                     "No exit is proven for its model and assistant dependencies: Azure "
                     "OpenAI's alternative OpenAI API has never been drilled; GitHub Copilot's "
                     "alternative Gemini Code Assist has never been drilled.");
    /* Weight 7: half is 7 / 2 = 3. */
    risk_weights w7 = only(RISK_NO_ALTERNATIVE, 7);
    assess(f, &w2, &w7, &r);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 3);
    /* Both drilled and passed within 180 days: both portable -> none;
     * GitHub Copilot's proprietary interface no longer counts either: 0. */
    static exit_drill passed[] = {
        {.id = 1, .workload = 200, .dependency = 10, .offering = 12,
         .drilled_on = "2026-04-01", .result = "passed"},
        {.id = 2, .workload = 200, .dependency = 13, .offering = 23,
         .drilled_on = "2026-04-15", .result = "passed"}};
    use_drills(f, passed, COUNT(passed));
    assess(f, &w2, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
    assert_int_equal(r.score, 0);
    /* GitHub Copilot's only alternative is Azure OpenAI, of its own group
     * (Microsoft): drilled and passed, it proves nothing -> half 5, and the
     * proprietary interface counts again: 20. */
    static alternative a3[] = {{10, 12}, {13, 10}};
    static exit_drill same[] = {
        {.id = 1, .workload = 200, .dependency = 10, .offering = 12,
         .drilled_on = "2026-04-01", .result = "passed"},
        {.id = 2, .workload = 200, .dependency = 13, .offering = 10,
         .drilled_on = "2026-04-15", .result = "passed"}};
    use_drills(f, same, COUNT(same));
    workload w3 = CUSTOM(200, D_NPA, a3);
    assess(f, &w3, &f->wts, &r);
    assert_factor(&r, RISK_NO_ALTERNATIVE, 5);
    assert_factor(&r, RISK_PROPRIETARY, 15);
    assert_int_equal(r.score, 20);
    assert_reason_is(&r, RISK_NO_ALTERNATIVE,
                     "No exit is proven for its model and assistant dependencies: GitHub "
                     "Copilot's alternative Azure OpenAI is of the same vendor group.");
}

/* Workload 201: Gemini API (model) and Vertex AI Search (data), both
 * Google's and proprietary; alternatives OpenAI API (OpenAI) for the model
 * and Amazon S3 (Amazon) for the index. */
static dependency D_PORT[] = {{14, "model"}, {19, "data"}};
static alternative A_PORT[] = {{14, 12}, {19, 22}};

#define DRILL(i, dep, alt, on, res)                                                         \
    {.id = i, .workload = 201, .dependency = dep, .offering = alt, .drilled_on = on,        \
     .result = res}

static const char GRAVITY_VERTEX[] =
    "Its data sits in Vertex AI Search, a proprietary store of the Google group, which also "
    "provides or hosts its model or assistant.";

/* Nothing portable: one group 25, proprietary 15 (both named), the model's
 * alternative not proven 5 (named), data gravity 5 = 50. */
static void assert_nothing_portable(const risk_result *r, const char *npa)
{
    assert_int_equal(r->n_factors, 4);
    assert_factor(r, RISK_SINGLE_GROUP, 25);
    assert_factor(r, RISK_PROPRIETARY, 15);
    assert_factor(r, RISK_NO_ALTERNATIVE, 5);
    assert_factor(r, RISK_DATA_GRAVITY, 5);
    assert_int_equal(r->score, 50);
    assert_reason_is(r, RISK_SINGLE_GROUP,
                     "Every model, hosting, assistant and data dependency is sold by the Google "
                     "group: Gemini API for model; Vertex AI Search for data.");
    assert_reason_is(r, RISK_PROPRIETARY,
                     "Gemini API (Google) has a proprietary interface; Vertex AI Search "
                     "(Google) has a proprietary interface.");
    assert_reason_is(r, RISK_NO_ALTERNATIVE, npa);
    assert_reason_is(r, RISK_DATA_GRAVITY, GRAVITY_VERTEX);
}

/* Only the model portable: it leaves single_group_stack, proprietary and
 * no_proven_alternative; the store keeps its gravity (the model's group
 * still provides its model): 25 + 15 + 5 = 45. */
static void assert_model_portable(const risk_result *r)
{
    assert_int_equal(r->n_factors, 3);
    assert_no_factor(r, RISK_NO_ALTERNATIVE);
    assert_int_equal(r->score, 45);
    assert_reason_is(r, RISK_SINGLE_GROUP,
                     "Every model, hosting, assistant and data dependency is sold by the Google "
                     "group: Vertex AI Search for data.");
    assert_reason_is(r, RISK_PROPRIETARY, "Vertex AI Search (Google) has a proprietary interface.");
    assert_reason_is(r, RISK_DATA_GRAVITY, GRAVITY_VERTEX);
}

static void portability_by_passed_recent_drill(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    workload w = CUSTOM(201, D_PORT, A_PORT);
    risk_result r;
    use_drills(f, NULL, 0);
    assess(f, &w, &f->wts, &r);
    assert_nothing_portable(&r, "No exit is proven for its model and assistant dependencies: "
                                "Gemini API's alternative OpenAI API has never been drilled.");
    /* The model's alternative passed a drill on 2026-03-01 (61 days ago). */
    static exit_drill model[] = {DRILL(1, 14, 12, "2026-03-01", "passed")};
    use_drills(f, model, COUNT(model));
    assess(f, &w, &f->wts, &r);
    assert_model_portable(&r);
    /* The store's alternative passed too: every dependency is portable,
     * nothing is left: 0. */
    static exit_drill both[] = {DRILL(1, 14, 12, "2026-03-01", "passed"),
                                DRILL(2, 19, 22, "2026-03-01", "passed")};
    use_drills(f, both, COUNT(both));
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
    assert_int_equal(r.score, 0);
}

static void portability_not_by_failed_old_or_same_group_drill(void **state)
{
    fixture *f = *state;
    use_contracts(f, NULL, 0);
    workload w = CUSTOM(201, D_PORT, A_PORT);
    risk_result r;
    /* Passed on 2026-03-01, failed on 2026-04-15: the latest drill decides. */
    static exit_drill failed[] = {DRILL(1, 14, 12, "2026-03-01", "passed"),
                                  DRILL(2, 14, 12, "2026-04-15", "failed")};
    use_drills(f, failed, COUNT(failed));
    assess(f, &w, &f->wts, &r);
    assert_nothing_portable(&r, "No exit is proven for its model and assistant dependencies: "
                                "Gemini API's alternative OpenAI API failed its last exit drill, "
                                "on 2026-04-15.");
    /* Passed 181 days ago (2025-11-01): too old. */
    static exit_drill old[] = {DRILL(1, 14, 12, "2025-11-01", "passed")};
    use_drills(f, old, COUNT(old));
    assess(f, &w, &f->wts, &r);
    assert_nothing_portable(&r, "No exit is proven for its model and assistant dependencies: "
                                "Gemini API's alternative OpenAI API last passed an exit drill "
                                "on 2025-11-01, more than 180 days ago.");
    /* Passed exactly 180 days ago (2025-11-02): still proves. */
    static exit_drill edge[] = {DRILL(1, 14, 12, "2025-11-02", "passed")};
    use_drills(f, edge, COUNT(edge));
    assess(f, &w, &f->wts, &r);
    assert_model_portable(&r);
    /* A drill dated after today does not count yet. */
    static exit_drill future[] = {DRILL(1, 14, 12, "2026-05-02", "passed")};
    use_drills(f, future, COUNT(future));
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.score, 50);
    /* The store's alternative is Cloud Storage, Google's own: a passed
     * drill proves no exit from the group, so the store stays in. */
    static alternative same_group[] = {{14, 12}, {19, 17}};
    static exit_drill drilled[] = {DRILL(1, 14, 12, "2026-03-01", "passed"),
                                   DRILL(2, 19, 17, "2026-03-01", "passed")};
    workload w2 = CUSTOM(201, D_PORT, same_group);
    use_drills(f, drilled, COUNT(drilled));
    assess(f, &w2, &f->wts, &r);
    assert_model_portable(&r);
}

/* ---- horizon: scoped upstream terms (domain.md "Contract") ------------------------- */

/* The Microsoft licence term, scoped provider = Microsoft, publisher =
 * OpenAI, on an upstream agreement that covers no offering itself. */
static contract_term SCOPED_LICENCE[] = {
    {.kind = "licence", .text = "Microsoft keeps a licence to OpenAI models.",
     .effective = "2026-04-27", .until = "2032-12-31", .scope_provider = 1,
     .scope_publisher = 2}};

static const char SCOPED_REASON[] =
    "It relies on the upstream term \"Microsoft keeps a licence to OpenAI models.\" of "
    "\"OpenAI-Microsoft agreement\", which ends on 2032-12-31, while the workload has no "
    "planned end.";

/* Points of horizon for a workload on `model` (portable: its neutral
 * alternative is drilled) with data in three groups, no planned end. */
static int horizon_on(fixture *f, int64_t model, const char *role, risk_result *r)
{
    dependency d[] = {{model, role}, {17, "data"}, {20, "data"}, {22, "data"}};
    workload w = NEUTRAL(100, d);
    assess(f, &w, &f->wts, r);
    const risk_factor *h = factor(r, RISK_HORIZON);
    assert_int_equal(r->n_factors, h ? 1 : 0);
    return h ? h->points : 0;
}

static void horizon_scoped_term_bears_on_azure_openai_only(void **state)
{
    fixture *f = *state;
    risk_result r;
    contract u = CLEAN_CONTRACT(40, "OpenAI-Microsoft agreement", 2, K_OPENAI_OFFERINGS);
    u.kind = "upstream";
    u.other_party = 1;
    u.n_offerings = 0;
    u.terms = SCOPED_LICENCE;
    u.n_terms = COUNT(SCOPED_LICENCE);
    use_contracts(f, &u, 1);
    /* Azure OpenAI: provider Microsoft, publisher OpenAI -> in scope, 10. */
    assert_int_equal(horizon_on(f, 10, "model", &r), 10);
    assert_reason_is(&r, RISK_HORIZON, SCOPED_REASON);
    /* GitHub Copilot: provider GitHub (Microsoft group), publisher OpenAI
     * -> in scope, 10 (+ its missing alternative 10, proprietary 15). */
    dependency d[] = {{13, "assistant"}, {17, "data"}, {22, "data"}};
    workload w = NEUTRAL(101, d);
    assess(f, &w, &f->wts, &r);
    assert_factor(&r, RISK_HORIZON, 10);
    assert_reason_is(&r, RISK_HORIZON, SCOPED_REASON);
    /* OpenAI's own API: provider OpenAI -> never in scope, 0. */
    assert_int_equal(horizon_on(f, 12, "model", &r), 0);
    /* Gemini (neither group) -> 0 (no_proven_alternative aside). */
    dependency g[] = {{14, "model"}, {17, "data"}, {20, "data"}, {22, "data"}};
    workload wg = NEUTRAL(102, g);
    assess(f, &wg, &f->wts, &r);
    assert_no_factor(&r, RISK_HORIZON);
    /* Azure OpenAI as identity or tooling carries no weight: 0. */
    assert_int_equal(horizon_on(f, 10, "tooling", &r), 0);
}

static void horizon_unscoped_term_uses_covered_offerings(void **state)
{
    fixture *f = *state;
    risk_result r;
    /* The same licence text with no scope, on an agreement covering the
     * OpenAI API only: it bears on the OpenAI API, not on Azure OpenAI. */
    static contract_term unscoped[] = {
        {.kind = "licence", .text = "Microsoft keeps a licence to OpenAI models.",
         .effective = "2026-04-27", .until = "2032-12-31"}};
    contract u = CLEAN_CONTRACT(40, "OpenAI-Microsoft agreement", 2, K_OPENAI_OFFERINGS);
    u.kind = "upstream";
    u.other_party = 1;
    u.terms = unscoped;
    u.n_terms = 1;
    use_contracts(f, &u, 1);
    assert_int_equal(horizon_on(f, 12, "model", &r), 10);
    assert_reason_is(&r, RISK_HORIZON, SCOPED_REASON);
    assert_int_equal(horizon_on(f, 10, "model", &r), 0);
    /* A scoped term names a track too: provider Microsoft, track azure.
     * Azure OpenAI's track is "other" in this fixture -> out of scope. */
    static contract_term by_track[] = {
        {.kind = "licence", .text = "Azure only.", .until = "2032-12-31", .scope_provider = 1,
         .scope_track = "azure"}};
    u.terms = by_track;
    use_contracts(f, &u, 1);
    assert_int_equal(horizon_on(f, 10, "model", &r), 0);
    by_track[0].scope_track = "other";
    assert_int_equal(horizon_on(f, 10, "model", &r), 10);
}

/* ---- horizon: model retirement --------------------------------------------------- */

/* Horizon of a workload on `model` (with a drilled alternative from
 * Microsoft, so it is portable) and data in three groups. */
static int retire_points(fixture *f, int64_t model, const char *planned, risk_result *r)
{
    dependency d[] = {{model, "model"}, {17, "data"}, {20, "data"}, {22, "data"}};
    alternative alt[] = {{model, 10}};
    /* 2026-04-15: within 180 days of both todays used below. */
    exit_drill drill[] = {{.id = 1, .workload = 203, .dependency = model, .offering = 10,
                           .drilled_on = "2026-04-15", .result = "passed"}};
    use_drills(f, drill, 1);
    workload w = CUSTOM(203, d, alt);
    w.planned_end = planned;
    assess(f, &w, &f->wts, r);
    use_drills(f, NEUTRAL_DRILLS, COUNT(NEUTRAL_DRILLS));
    const risk_factor *h = factor(r, RISK_HORIZON);
    assert_int_equal(r->n_factors, h ? 1 : 0);
    return h ? h->points : 0;
}

static void horizon_model_retirement(void **state)
{
    fixture *f = *state;
    risk_result r;
    use_contracts(f, NULL, 0);
    /* GPT-4o (2024-08) retires 2026-10-01, in 153 days (within 180): it
     * counts even when the workload ends before (2026-06-30); the successor
     * is named. */
    assert_int_equal(retire_points(f, 24, "2026-06-30", &r), 10);
    assert_reason_is(&r, RISK_HORIZON,
                     "The model GPT-4o (2024-08) retires on 2026-10-01, succeeded by OpenAI API.");
    /* Legacy Model retires 2027-06-30 (425 days): before a planned end of
     * 2027-12-31 -> 10, no successor named. */
    assert_int_equal(retire_points(f, 25, "2027-12-31", &r), 10);
    assert_reason_is(&r, RISK_HORIZON,
                     "The model Legacy Model retires on 2027-06-30, with no successor named.");
    /* The planned end falls first (2027-03-31) and retirement is more than
     * 180 days away -> 0. On the planned end itself: not before it -> 0. */
    assert_int_equal(retire_points(f, 25, "2027-03-31", &r), 0);
    assert_int_equal(retire_points(f, 25, "2027-06-30", &r), 0);
    /* No planned end: it runs beyond every date -> 10. */
    assert_int_equal(retire_points(f, 25, NULL, &r), 10);
    /* Retired already (today after 2026-10-01): named as past. */
    assert_int_equal(date_parse("2026-10-02", &f->p.today), 0);
    use_contracts(f, NULL, 0);
    assert_int_equal(retire_points(f, 24, "2026-12-31", &r), 10);
    assert_reason_is(&r, RISK_HORIZON,
                     "The model GPT-4o (2024-08) retires on 2026-10-01 (already past), "
                     "succeeded by OpenAI API.");
}

/* ---- identity and tooling contracts do not lock ------------------------------------ */

static void identity_only_contracts_do_not_lock(void **state)
{
    fixture *f = *state;
    risk_result r;
    /* An exclusive contract over Entra ID, its notice deadline in 15 days:
     * the neutral workload with Entra ID as identity is neither locked nor
     * on the horizon by it (identity carries no weight): 0. */
    static int64_t entra[] = {15};
    contract k = CLEAN_CONTRACT(30, "Entra ID P2", 1, entra);
    k.exclusive = 1;
    k.end_date = "2026-06-15";
    use_contracts(f, &k, 1);
    dependency d[] = {{10, "model"}, {12, "model"}, {17, "data"}, {20, "data"}, {22, "data"},
                      {15, "identity"}};
    workload w = NEUTRAL(100, d);
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
    /* Entra ID as tooling: the same. */
    d[5].role = "tooling";
    assess(f, &w, &f->wts, &r);
    assert_int_equal(r.n_factors, 0);
    /* The same contract also covering Azure OpenAI binds it: lock 15 and
     * horizon 10 = 25. */
    static int64_t both[] = {10, 15};
    contract k2 = CLEAN_CONTRACT(30, "Entra ID P2", 1, both);
    k2.exclusive = 1;
    k2.end_date = "2026-06-15";
    use_contracts(f, &k2, 1);
    assess(f, &w, &f->wts, &r);
    assert_factor(&r, RISK_CONTRACT_LOCK, 15);
    assert_factor(&r, RISK_HORIZON, 10);
    assert_int_equal(r.score, 25);
    assert_reason_is(&r, RISK_CONTRACT_LOCK,
                     "Covered by the contract \"Entra ID P2\" with Microsoft, which is exclusive.");
}

/* ---- risk acceptance (domain.md "Risk acceptance", "flagged") ---------------------- */

static void acceptance_unflags_until_expiry(void **state)
{
    fixture *f = *state;
    risk_result r;
    use_contracts(f, NULL, 0);
    /* The neutral workload without a swap layer, no_swap_layer weighted 80:
     * critical level at high criticality -> P1, flagged. */
    workload w = NEUTRAL(100, D_NEUTRAL);
    w.swap_layer = 0;
    w.status = "production";
    w.criticality = "high";
    risk_weights wts = only(RISK_NO_SWAP, 80);
    assess(f, &w, &wts, &r);
    assert_int_equal(r.priority, 0);
    assert_true(r.flagged);
    assert_false(r.accepted);
    /* Accepted by the CIO until 2026-06-30: accepted, not flagged; the
     * score and priority do not change. */
    static risk_acceptance acc[] = {
        {.id = 1, .workload = 100, .owner = "CIO", .reason = "Renewal under way",
         .expires_on = "2026-06-30"}};
    f->p.acceptances = acc;
    f->p.n_acceptances = 1;
    assess(f, &w, &wts, &r);
    assert_true(r.accepted);
    assert_false(r.flagged);
    assert_int_equal(r.score, 80);
    assert_int_equal(r.priority, 0);
    /* On its last day it still counts; the day after it is flagged again. */
    assert_int_equal(date_parse("2026-06-30", &f->p.today), 0);
    assess(f, &w, &wts, &r);
    assert_false(r.flagged);
    assert_int_equal(date_parse("2026-07-01", &f->p.today), 0);
    assess(f, &w, &wts, &r);
    assert_false(r.accepted);
    assert_true(r.flagged);
    /* Revoked: no longer counts, even before expiry. */
    assert_int_equal(date_parse("2026-05-01", &f->p.today), 0);
    acc[0].revoked_at = "2026-05-01T09:00:00Z";
    acc[0].revoked_by = "cio";
    assess(f, &w, &wts, &r);
    assert_false(r.accepted);
    assert_true(r.flagged);
    /* An acceptance of another workload does not cover this one. */
    acc[0].revoked_at = NULL;
    acc[0].workload = 101;
    assess(f, &w, &wts, &r);
    assert_true(r.flagged);
    /* An accepted workload outside the active set is not flagged anyway. */
    acc[0].workload = 100;
    w.status = "retired";
    assess(f, &w, &wts, &r);
    assert_false(r.flagged);
    f->p.acceptances = NULL;
    f->p.n_acceptances = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(no_proven_alternative_full_half_none, setup, teardown),
        cmocka_unit_test_setup_teardown(portability_by_passed_recent_drill, setup, teardown),
        cmocka_unit_test_setup_teardown(portability_not_by_failed_old_or_same_group_drill, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(horizon_scoped_term_bears_on_azure_openai_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(horizon_unscoped_term_uses_covered_offerings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(horizon_model_retirement, setup, teardown),
        cmocka_unit_test_setup_teardown(identity_only_contracts_do_not_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(acceptance_unflags_until_expiry, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
