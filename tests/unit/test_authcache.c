/* test_authcache.c - the verified-credential cache (http/authcache.c):
 * hits and misses, the generation rule, kinds kept apart, bounded size with
 * least-recently-used eviction, forgetting, and the batched last uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/authcache.h"

static ac_cred cred(int64_t user, int64_t token, const char *name)
{
    ac_cred c;
    memset(&c, 0, sizeof c);
    c.user_id = user;
    c.token_id = token;
    c.role = ROLE_ARCHITECT;
    c.expires = 2000000000;
    snprintf(c.user_name, sizeof c.user_name, "%s", name);
    snprintf(c.expires_at, sizeof c.expires_at, "2033-05-18T03:33:20Z");
    return c;
}

static int setup(void **state)
{
    (void)state;
    return authcache_init(64);
}

static int teardown(void **state)
{
    (void)state;
    authcache_free();
    return 0;
}

static void hit_after_put_and_miss_otherwise(void **state)
{
    (void)state;
    ac_cred out, c = cred(7, 3, "alice");
    assert_int_equal(authcache_get(AC_TOKEN, "sy_secret", 5, 100, &out), 0);
    authcache_put(AC_TOKEN, "sy_secret", 5, &c, 90);
    assert_int_equal(authcache_get(AC_TOKEN, "sy_secret", 5, 100, &out), 1);
    assert_int_equal(out.user_id, 7);
    assert_int_equal(out.token_id, 3);
    assert_int_equal(out.role, ROLE_ARCHITECT);
    assert_string_equal(out.user_name, "alice");
    assert_string_equal(out.expires_at, "2033-05-18T03:33:20Z");
    assert_int_equal(out.last_seen, 90); /* the use before this one */
    assert_int_equal(authcache_get(AC_TOKEN, "sy_secret", 5, 130, &out), 1);
    assert_int_equal(out.last_seen, 100);
    /* Another secret, a secret differing in one byte: misses. */
    assert_int_equal(authcache_get(AC_TOKEN, "sy_secreT", 5, 100, &out), 0);
    assert_int_equal(authcache_get(AC_TOKEN, "sy_secret2", 5, 100, &out), 0);
    /* The same secret as a session is another credential. */
    assert_int_equal(authcache_get(AC_SESSION, "sy_secret", 5, 100, &out), 0);
    uint64_t hits, misses;
    authcache_stats(&hits, &misses);
    assert_int_equal(hits, 2);
    assert_int_equal(misses, 4);
}

static void another_generation_is_a_miss_and_drops_the_entry(void **state)
{
    (void)state;
    ac_cred out, c = cred(1, 1, "bob");
    authcache_put(AC_SESSION, "cookie", 10, &c, 0);
    assert_int_equal(authcache_count(), 1);
    assert_int_equal(authcache_get(AC_SESSION, "cookie", 11, 100, &out), 0);
    assert_int_equal(authcache_count(), 0);
    /* Even going back to the old generation does not revive it. */
    assert_int_equal(authcache_get(AC_SESSION, "cookie", 10, 100, &out), 0);
}

static void forget_and_clear(void **state)
{
    (void)state;
    ac_cred out, c = cred(1, 1, "bob");
    authcache_put(AC_SESSION, "one", 1, &c, 0);
    authcache_put(AC_SESSION, "two", 1, &c, 0);
    authcache_forget(AC_SESSION, "one");
    assert_int_equal(authcache_get(AC_SESSION, "one", 1, 5, &out), 0);
    assert_int_equal(authcache_get(AC_SESSION, "two", 1, 5, &out), 1);
    authcache_clear();
    assert_int_equal(authcache_get(AC_SESSION, "two", 1, 5, &out), 0);
    assert_int_equal(authcache_count(), 0);
}

static void bounded_with_lru_eviction(void **state)
{
    (void)state;
    assert_int_equal(authcache_capacity(), 64);
    char secret[32];
    /* Three times the capacity: it never holds more than its capacity. */
    for (int i = 0; i < 192; i++) {
        ac_cred c = cred(i, i, "u");
        snprintf(secret, sizeof secret, "sy_%d", i);
        authcache_put(AC_TOKEN, secret, 1, &c, 0);
        assert_true(authcache_count() <= 64);
    }
    assert_true(authcache_count() > 32); /* buckets fill up, not one slot each */

    /* One bucket of AC_WAYS: the least recently used entry goes. */
    assert_int_equal(authcache_init(AC_WAYS), 0);
    ac_cred out;
    for (int i = 0; i < AC_WAYS; i++) {
        ac_cred c = cred(i, i, "u");
        snprintf(secret, sizeof secret, "k%d", i);
        authcache_put(AC_TOKEN, secret, 1, &c, 0);
    }
    assert_int_equal(authcache_count(), AC_WAYS);
    /* k0 used again, so k1 is now the oldest. */
    assert_int_equal(authcache_get(AC_TOKEN, "k0", 1, 5, &out), 1);
    ac_cred c = cred(99, 99, "u");
    authcache_put(AC_TOKEN, "new", 1, &c, 0);
    assert_int_equal(authcache_count(), AC_WAYS);
    assert_int_equal(authcache_get(AC_TOKEN, "k1", 1, 5, &out), 0);
    assert_int_equal(authcache_get(AC_TOKEN, "k0", 1, 5, &out), 1);
    assert_int_equal(authcache_get(AC_TOKEN, "new", 1, 5, &out), 1);
    assert_int_equal(out.token_id, 99);
    for (int i = 2; i < AC_WAYS; i++) {
        snprintf(secret, sizeof secret, "k%d", i);
        assert_int_equal(authcache_get(AC_TOKEN, secret, 1, 5, &out), 1);
    }
    /* Putting a credential again replaces it in place. */
    c = cred(100, 100, "v");
    authcache_put(AC_TOKEN, "new", 1, &c, 0);
    assert_int_equal(authcache_count(), AC_WAYS);
    assert_int_equal(authcache_get(AC_TOKEN, "new", 1, 5, &out), 1);
    assert_int_equal(out.token_id, 100);
}

static void uses_are_taken_once_in_batches(void **state)
{
    (void)state;
    ac_cred out, t = cred(1, 42, "alice"), s = cred(2, 0, "bob");
    snprintf(s.session_hash, sizeof s.session_hash, "%064d", 0);
    s.last_seen = 1000;
    t.last_seen = 1000;
    authcache_put(AC_TOKEN, "sy_t", 1, &t, 1000);
    authcache_put(AC_SESSION, "cookie", 1, &s, 1000);
    ac_due due[8];
    assert_int_equal(authcache_take_due(due, 8), 0); /* the database has it all */
    for (int64_t now = 1001; now <= 1100; now++) /* a hundred uses */
        assert_int_equal(authcache_get(AC_TOKEN, "sy_t", 1, now, &out), 1);
    assert_int_equal(authcache_get(AC_SESSION, "cookie", 1, 1050, &out), 1);
    assert_int_equal(out.last_seen, 1000);
    size_t n = authcache_take_due(due, 8);
    assert_int_equal(n, 2); /* one write each, the latest use */
    for (size_t i = 0; i < n; i++) {
        if (due[i].kind == AC_TOKEN) {
            assert_int_equal(due[i].token_id, 42);
            assert_int_equal(due[i].used, 1100);
        } else {
            assert_int_equal(due[i].kind, AC_SESSION);
            assert_string_equal(due[i].session_hash, s.session_hash);
            assert_int_equal(due[i].used, 1050);
        }
    }
    assert_int_equal(authcache_take_due(due, 8), 0);
    /* A use at an earlier time (clocks) never moves last_seen back. */
    assert_int_equal(authcache_get(AC_TOKEN, "sy_t", 1, 900, &out), 1);
    assert_int_equal(out.last_seen, 1100);
    assert_int_equal(authcache_get(AC_TOKEN, "sy_t", 1, 950, &out), 1);
    assert_int_equal(out.last_seen, 1100);
    assert_int_equal(authcache_take_due(due, 8), 0);
    /* cap bounds a batch; the rest come with the next. */
    assert_int_equal(authcache_get(AC_TOKEN, "sy_t", 1, 1200, &out), 1);
    assert_int_equal(authcache_get(AC_SESSION, "cookie", 1, 1200, &out), 1);
    assert_int_equal(authcache_take_due(due, 1), 1);
    assert_int_equal(authcache_take_due(due, 1), 1);
    assert_int_equal(authcache_take_due(due, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hit_after_put_and_miss_otherwise, setup, teardown),
        cmocka_unit_test_setup_teardown(another_generation_is_a_miss_and_drops_the_entry, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(forget_and_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(bounded_with_lru_eviction, setup, teardown),
        cmocka_unit_test_setup_teardown(uses_are_taken_once_in_batches, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
