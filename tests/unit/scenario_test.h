/* scenario_test.h - what the scenario unit tests share (test_scenario.c,
 * test_scenario_eval.c): a fixture over scenario_fixture.h's portfolio and
 * helpers that parse, evaluate and check a scenario. Include after
 * cmocka.h and core/scenario.h. */
#ifndef SY_SCENARIO_TEST_H
#define SY_SCENARIO_TEST_H

#include "scenario_fixture.h"

typedef struct fixture {
    arena a;
    portfolio p;
    risk_weights wts;
    sy_errors e;
} fixture;

static inline void fill(fixture *f, vendor *v, size_t nv, offering *o, size_t no, contract *c,
                 size_t nc, workload *w, size_t nw)
{
    arena_init(&f->a);
    memset(&f->p, 0, sizeof f->p);
    assert_int_equal(date_parse("2026-05-01", &f->p.today), 0);
    f->p.vendors = v;
    f->p.n_vendors = nv;
    f->p.offerings = o;
    f->p.n_offerings = no;
    f->p.contracts = c;
    f->p.n_contracts = nc;
    f->p.workloads = w;
    f->p.n_workloads = nw;
    f->p.drills = DRILLS;        /* only workload 105 has any */
    f->p.n_drills = COUNT(DRILLS);
    assert_int_equal(portfolio_index(&f->p, &f->a), 0);
    risk_default_weights(&f->wts);
    errors_init(&f->e);
}

static inline int setup_main(void **state)
{
    static fixture f;
    fill(&f, VENDORS, COUNT(VENDORS), OFFERINGS, COUNT(OFFERINGS), CONTRACTS,
         COUNT(CONTRACTS), WORKLOADS, COUNT(WORKLOADS));
    *state = &f;
    return 0;
}

static inline int teardown(void **state)
{
    fixture *f = *state;
    arena_free(&f->a);
    return 0;
}

/* Parses a JSON text of changes, expecting success. */
static inline void parse_ok(fixture *f, const char *text, scenario *s)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    assert_non_null(j);
    errors_init(&f->e);
    int rc = scenario_from_json(j, &f->a, s, &f->e);
    if (rc != 0)
        fprintf(stderr, "unexpected: %s %s\n", f->e.items[0].pointer, f->e.items[0].detail);
    assert_int_equal(rc, 0);
    assert_int_equal(f->e.count, 0);
    json_decref(j);   /* the parsed scenario must not point into it */
}

static inline void run(fixture *f, const char *changes, scenario_result *r)
{
    scenario s;
    parse_ok(f, changes, &s);
    assert_int_equal(scenario_check_refs(&s, &f->p, &f->e), 0);
    assert_int_equal(scenario_evaluate(&f->p, &f->wts, &s, &f->a, r), 0);
}

static inline const scenario_workload *outcome_of(const scenario_result *r, int64_t id)
{
    for (size_t i = 0; i < r->n_workloads; i++)
        if (r->workloads[i].w->id == id)
            return &r->workloads[i];
    fail_msg("workload %lld not in the result", (long long)id);
    return NULL;
}

static inline void assert_levels(const int levels[4], int low, int medium, int high, int critical)
{
    assert_int_equal(levels[0], low);
    assert_int_equal(levels[1], medium);
    assert_int_equal(levels[2], high);
    assert_int_equal(levels[3], critical);
}

static inline void assert_hhi(const concentration *c, int layer, double hhi)
{
    assert_true(c->basis_spend);
    assert_false(c->connected);
    assert_float_equal(c->layers[layer].hhi, hhi, 1e-6);
}

static inline void parse_bad(fixture *f, const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &err);
    assert_non_null(j);
    scenario s;
    errors_init(&f->e);
    assert_int_equal(scenario_from_json(j, &f->a, &s, &f->e), -1);
    assert_true(f->e.count > 0);
    json_decref(j);
}

static inline void assert_error(const sy_errors *e, int i, const char *pointer, const char *detail)
{
    assert_true(i < e->count);
    assert_string_equal(e->items[i].pointer, pointer);
    if (detail)
        assert_string_equal(e->items[i].detail, detail);
}

#endif
