/* test_router.c - the route matcher and table lookup (404/405/Allow). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"

static int h(struct sy_request *rq) { (void)rq; return 200; }

static const route TABLE[] = {
    {"GET", "/api/v1/workloads", h, ROLE_VIEWER, 0, "list", NULL},
    {"POST", "/api/v1/workloads", h, ROLE_ARCHITECT, RF_BODY, "create", NULL},
    {"GET", "/api/v1/workloads/{id}", h, ROLE_VIEWER, 0, "get", NULL},
    {"DELETE", "/api/v1/workloads/{id}", h, ROLE_ARCHITECT, 0, "delete", NULL},
    {"GET", "/api/v1/strategies/{track}/x/{id}", h, ROLE_VIEWER, 0, "two", NULL},
    {NULL, NULL, NULL, ROLE_UNSET, 0, NULL, NULL}};

static void literal_paths_match_exactly(void **state)
{
    (void)state;
    route_params p;
    assert_true(route_match("/api/v1/workloads", "/api/v1/workloads", &p));
    assert_int_equal(p.count, 0);
    assert_false(route_match("/api/v1/workloads", "/api/v1/workloads/", &p));
    assert_false(route_match("/api/v1/workloads", "/api/v1/workload", &p));
    assert_false(route_match("/api/v1/workloads", "/api/v1/workloadsx", &p));
    assert_false(route_match("/api/v1/workloads", "", &p));
}

static void captures_take_one_segment(void **state)
{
    (void)state;
    route_params p;
    assert_true(route_match("/w/{id}", "/w/42", &p));
    assert_int_equal(p.count, 1);
    assert_int_equal(p.p[0].value_len, 2);
    assert_memory_equal(p.p[0].value, "42", 2);
    assert_memory_equal(p.p[0].name, "id", 2);
    assert_false(route_match("/w/{id}", "/w/", &p));        /* empty segment */
    assert_false(route_match("/w/{id}", "/w/42/x", &p));    /* two segments */
    assert_true(route_match("/s/{track}/x/{id}", "/s/azure/x/7", &p));
    assert_int_equal(p.count, 2);
    assert_memory_equal(p.p[1].value, "7", 1);
    /* A literal after the capture in its segment: the capture stops before it. */
    assert_true(route_match("/c/{secret}.ics", "/c/syc_ab.ics", &p));
    assert_int_equal(p.p[0].value_len, 6);
    assert_memory_equal(p.p[0].value, "syc_ab", 6);
    assert_false(route_match("/c/{secret}.ics", "/c/.ics", &p));     /* empty capture */
    assert_false(route_match("/c/{secret}.ics", "/c/syc_ab", &p));   /* no suffix */
    assert_false(route_match("/c/{secret}.ics", "/c/feeds", &p));
    assert_false(route_match("/c/{secret}.ics", "/c/a.ics/x", &p));
}

static void lookup_finds_route_or_reports_allow(void **state)
{
    (void)state;
    route_lookup l;
    route_find(TABLE, "GET", "/api/v1/workloads/3", &l);
    assert_non_null(l.found);
    assert_string_equal(l.found->summary, "get");

    route_find(TABLE, "PUT", "/api/v1/workloads/3", &l);
    assert_null(l.found);
    assert_true(l.path_matched);
    assert_string_equal(l.allow, "GET, HEAD, DELETE");

    route_find(TABLE, "PATCH", "/api/v1/workloads", &l);
    assert_null(l.found);
    assert_string_equal(l.allow, "GET, HEAD, POST");

    route_find(TABLE, "GET", "/api/v1/nothing", &l);
    assert_null(l.found);
    assert_false(l.path_matched);
}

static void head_matches_get_routes(void **state)
{
    (void)state;
    route_lookup l;
    route_find(TABLE, "HEAD", "/api/v1/workloads", &l);
    assert_non_null(l.found);
    assert_string_equal(l.found->method, "GET");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literal_paths_match_exactly),
        cmocka_unit_test(captures_take_one_segment),
        cmocka_unit_test(lookup_finds_route_or_reports_allow),
        cmocka_unit_test(head_matches_get_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
