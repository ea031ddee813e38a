/* test_signin.c - the sign-in policy (core/signin.c): the backoff per
 * failure count, trusted-proxy lists (IPv4, IPv6, CIDR, bad entries), the
 * client address behind proxies (X-Forwarded-For, Forwarded, spoofed
 * entries to the left, unparseable hops) and the https word; and the role
 * meet of core/roles.c that caps a token's role. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/roles.h"
#include "core/signin.h"

static void backoff_doubles_and_caps(void **state)
{
    (void)state;
    for (int i = 0; i < SIGNIN_FREE_FAILURES; i++)
        assert_int_equal(signin_backoff(i), 0);
    assert_int_equal(signin_backoff(5), 30);
    assert_int_equal(signin_backoff(6), 60);
    assert_int_equal(signin_backoff(7), 120);
    assert_int_equal(signin_backoff(12), 3600);
    assert_int_equal(signin_backoff(1000000), 3600);
}

static void lists_parse_and_match(void **state)
{
    (void)state;
    net_list l;
    char why[160];
    assert_int_equal(net_list_parse("10.0.0.0/8, 127.0.0.1 ::1,fd00::/8", &l, why, sizeof why), 0);
    assert_int_equal(l.n, 4);
    assert_true(net_list_contains(&l, "10.200.3.4"));
    assert_true(net_list_contains(&l, "127.0.0.1"));
    assert_false(net_list_contains(&l, "127.0.0.2"));
    assert_true(net_list_contains(&l, "::1"));
    assert_true(net_list_contains(&l, "fd12:3456::1"));
    assert_false(net_list_contains(&l, "fe80::1"));
    assert_true(net_list_contains(&l, "::ffff:10.1.2.3")); /* mapped IPv4 */
    assert_false(net_list_contains(&l, "not an address"));
    assert_false(net_list_contains(&l, NULL));
    assert_int_equal(net_list_parse("", &l, why, sizeof why), 0);
    assert_int_equal(l.n, 0);
    assert_int_equal(net_list_parse("10.0.0.0/33", &l, why, sizeof why), -1);
    assert_int_equal(net_list_parse("10.0.0.0/-1", &l, why, sizeof why), -1);
    assert_int_equal(net_list_parse("proxy.example", &l, why, sizeof why), -1);
    assert_int_equal(net_list_parse("192.168.1.0/24", &l, why, sizeof why), 0);
    assert_true(net_list_contains(&l, "192.168.1.255"));
    assert_false(net_list_contains(&l, "192.168.2.1"));
}

static void client_behind_proxies(void **state)
{
    (void)state;
    net_list l;
    char why[160], out[64];
    int https;
    assert_int_equal(net_list_parse("127.0.0.2 10.0.0.0/8", &l, why, sizeof why), 0);
    /* Not a trusted peer: headers ignored. */
    signin_client(&l, "192.0.2.5", "198.51.100.1", NULL, "https", out, sizeof out, &https);
    assert_string_equal(out, "192.0.2.5");
    assert_int_equal(https, 0);
    /* Rightmost untrusted hop; claims to its left never used. */
    signin_client(&l, "127.0.0.2", "6.6.6.6, 198.51.100.1, 10.1.1.1", NULL, "https", out,
                  sizeof out, &https);
    assert_string_equal(out, "198.51.100.1");
    assert_int_equal(https, 1);
    /* Every hop trusted: the leftmost. */
    signin_client(&l, "127.0.0.2", "10.3.3.3, 10.1.1.1", NULL, NULL, out, sizeof out, &https);
    assert_string_equal(out, "10.3.3.3");
    /* A hop that is not an address: the peer. */
    signin_client(&l, "127.0.0.2", "unknown", NULL, NULL, out, sizeof out, &https);
    assert_string_equal(out, "127.0.0.2");
    signin_client(&l, "127.0.0.2", "", NULL, NULL, out, sizeof out, &https);
    assert_string_equal(out, "127.0.0.2");
    /* Forwarded wins over X-Forwarded-For; quoted, bracketed, with ports. */
    signin_client(&l, "127.0.0.2", "1.1.1.1",
                  "for=192.0.2.60;proto=http, for=\"[2001:DB8:cafe::17]:4711\";proto=https", NULL,
                  out, sizeof out, &https);
    assert_string_equal(out, "2001:db8:cafe::17");
    assert_int_equal(https, 1);
    signin_client(&l, "127.0.0.2", NULL, "For=\"203.0.113.4:8080\"", "https", out, sizeof out,
                  &https);
    assert_string_equal(out, "203.0.113.4");
    assert_int_equal(https, 0); /* Forwarded present: its proto counts */
    signin_client(&l, "127.0.0.2", NULL, NULL, "http", out, sizeof out, &https);
    assert_string_equal(out, "127.0.0.2");
    assert_int_equal(https, 0);
    signin_client(&l, "127.0.0.2", NULL, NULL, "httpsx", out, sizeof out, &https);
    assert_int_equal(https, 0);
}

static void role_meet_stays_in_branch(void **state)
{
    (void)state;
    assert_int_equal(role_meet(ROLE_ADMIN, ROLE_AUDITOR), ROLE_AUDITOR);
    assert_int_equal(role_meet(ROLE_AUDITOR, ROLE_ADMIN), ROLE_AUDITOR);
    assert_int_equal(role_meet(ROLE_AUDITOR, ROLE_ARCHITECT), ROLE_VIEWER);
    assert_int_equal(role_meet(ROLE_ARCHITECT, ROLE_AUDITOR), ROLE_VIEWER);
    assert_int_equal(role_meet(ROLE_ARCHITECT, ROLE_VIEWER), ROLE_VIEWER);
    assert_int_equal(role_meet(ROLE_ADMIN, ROLE_ADMIN), ROLE_ADMIN);
    /* leadership is a sibling branch too (domain.md rev. 2). */
    assert_int_equal(role_meet(ROLE_LEADERSHIP, ROLE_ADMIN), ROLE_LEADERSHIP);
    assert_int_equal(role_meet(ROLE_LEADERSHIP, ROLE_AUDITOR), ROLE_VIEWER);
    assert_int_equal(role_meet(ROLE_ARCHITECT, ROLE_LEADERSHIP), ROLE_VIEWER);
    assert_int_equal(role_meet(ROLE_LEADERSHIP, ROLE_LEADERSHIP), ROLE_LEADERSHIP);
    assert_int_equal(role_meet(ROLE_UNSET, ROLE_ADMIN), ROLE_UNSET);
    assert_int_equal(role_meet(ROLE_PUBLIC, ROLE_VIEWER), ROLE_UNSET);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backoff_doubles_and_caps),
        cmocka_unit_test(lists_parse_and_match),
        cmocka_unit_test(client_behind_proxies),
        cmocka_unit_test(role_meet_stays_in_branch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
