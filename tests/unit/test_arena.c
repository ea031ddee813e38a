/* test_arena.c - the bump allocator (common/arena.h): texts formatted
 * into a chunk's free room or a new chunk, at and around the room's last
 * byte; earlier texts left intact by later ones; memory handed out zeroed
 * from malloc'd and from mapped (256 KB and more) chunks alike. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/arena.h"

/* The first chunk holds 8,192 bytes (arena.c ARENA_CHUNK). */
#define FIRST_CHUNK 8192

static void expect_run(const char *s, char c, size_t n)
{
    assert_int_equal(strlen(s), n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(s[i], c);
}

static void texts_at_the_edge_of_the_room(void **state)
{
    (void)state;
    /* 32 bytes of room left; texts of 28 to 35 characters: up to 31 fit
     * with their terminator, 32 and more go to a new chunk. */
    for (int len = 28; len <= 35; len++) {
        arena a;
        arena_init(&a);
        char *filler = arena_alloc(&a, FIRST_CHUNK - 32);
        assert_non_null(filler);
        memset(filler, 'f', FIRST_CHUNK - 32);
        char *t = arena_printf(&a, "%0*d", len, 7);
        assert_non_null(t);
        assert_int_equal(strlen(t), (size_t)len);
        assert_int_equal(t[len - 1], '7');
        assert_int_equal(t[0], len > 1 ? '0' : '7');
        if (len <= 31)
            assert_ptr_equal(t, filler + FIRST_CHUNK - 32);
        /* The next text starts after this one's terminator. */
        char *u = arena_printf(&a, "%s", "next");
        assert_string_equal(u, "next");
        assert_int_equal(strlen(t), (size_t)len);
        for (size_t i = 0; i < FIRST_CHUNK - 32; i++)
            assert_int_equal(filler[i], 'f');
        arena_free(&a);
    }
}

static void texts_keep_their_values(void **state)
{
    (void)state;
    /* 400 texts of 1 to 20,000 characters: each as formatted, and every
     * one unchanged after all the others. */
    enum { N = 400 };
    arena a;
    arena_init(&a);
    char *texts[N];
    size_t lens[N];
    for (size_t i = 0; i < N; i++) {
        lens[i] = 1 + (i * 7919) % 20000;
        texts[i] = arena_printf(&a, "%c%*s", (char)('a' + i % 26), (int)lens[i] - 1, "");
        assert_non_null(texts[i]);
        assert_int_equal(strlen(texts[i]), lens[i]);
    }
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(texts[i][0], 'a' + i % 26);
        expect_run(texts[i] + 1, ' ', lens[i] - 1);
    }
    assert_string_equal(arena_printf(&a, "%s-%d", "empty", 0), "empty-0");
    assert_string_equal(arena_printf(&a, "%s", ""), "");
    arena_free(&a);
}

static void memory_comes_zeroed(void **state)
{
    (void)state;
    /* Below and above the mapped size, each after dirty allocations. */
    const size_t sizes[] = {16, 5000, 100000, 256 * 1024, 700 * 1024, 3 * 1024 * 1024};
    arena a;
    arena_init(&a);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        char *dirty = arena_printf(&a, "%0*d", 3000, 1);
        assert_non_null(dirty);
        unsigned char *p = arena_alloc(&a, sizes[k]);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (size_t i = 0; i < sizes[k]; i++)
            if (p[i] != 0)
                fail_msg("byte %zu of %zu not zero", i, sizes[k]);
        memset(p, 0xAB, sizes[k]);
    }
    assert_true(arena_bytes(&a) >= 4 * 1024 * 1024);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(texts_at_the_edge_of_the_room),
        cmocka_unit_test(texts_keep_their_values),
        cmocka_unit_test(memory_comes_zeroed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
