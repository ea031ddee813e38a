/* test_casefold.c - core/casefold.c: the simple case fold's table, block
 * by block (with the values Unicode's CaseFolding.txt gives), and names
 * compared with it for duplicates, beyond ASCII. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "common/buf.h"
#include "core/casefold.h"

static void ascii_and_latin1(void **state)
{
    (void)state;
    assert_int_equal(casefold('A'), 'a');
    assert_int_equal(casefold('Z'), 'z');
    assert_int_equal(casefold('a'), 'a');
    assert_int_equal(casefold('@'), '@');
    assert_int_equal(casefold('['), '[');
    assert_int_equal(casefold(0x00C4), 0x00E4);   /* Ä -> ä */
    assert_int_equal(casefold(0x00C0), 0x00E0);   /* À */
    assert_int_equal(casefold(0x00DE), 0x00FE);   /* Þ -> þ */
    assert_int_equal(casefold(0x00D7), 0x00D7);   /* × is not a letter */
    assert_int_equal(casefold(0x00DF), 0x00DF);   /* ß: only a full fold ("ss") */
    assert_int_equal(casefold(0x00B5), 0x03BC);   /* µ -> Greek μ */
    assert_int_equal(casefold(0x00E4), 0x00E4);
}

static void latin_extended_a(void **state)
{
    (void)state;
    assert_int_equal(casefold(0x0100), 0x0101);   /* Ā */
    assert_int_equal(casefold(0x0101), 0x0101);
    assert_int_equal(casefold(0x012E), 0x012F);   /* Į */
    assert_int_equal(casefold(0x0130), 0x0130);   /* İ: Turkic, left as is */
    assert_int_equal(casefold(0x0131), 0x0131);   /* ı */
    assert_int_equal(casefold(0x0139), 0x013A);   /* Ĺ: pairs start odd here */
    assert_int_equal(casefold(0x0141), 0x0142);   /* Ł */
    assert_int_equal(casefold(0x0142), 0x0142);
    assert_int_equal(casefold(0x0152), 0x0153);   /* Œ */
    assert_int_equal(casefold(0x0160), 0x0161);   /* Š */
    assert_int_equal(casefold(0x0178), 0x00FF);   /* Ÿ -> ÿ */
    assert_int_equal(casefold(0x017D), 0x017E);   /* Ž */
    assert_int_equal(casefold(0x017F), 's');      /* ſ long s */
}

static void greek(void **state)
{
    (void)state;
    assert_int_equal(casefold(0x0391), 0x03B1);   /* Α */
    assert_int_equal(casefold(0x03A3), 0x03C3);   /* Σ */
    assert_int_equal(casefold(0x03C2), 0x03C3);   /* ς final sigma */
    assert_int_equal(casefold(0x03A2), 0x03A2);   /* unassigned */
    assert_int_equal(casefold(0x0386), 0x03AC);   /* Ά */
    assert_int_equal(casefold(0x0388), 0x03AD);   /* Έ */
    assert_int_equal(casefold(0x038F), 0x03CE);   /* Ώ */
    assert_int_equal(casefold(0x03AB), 0x03CB);   /* Ϋ */
    assert_int_equal(casefold(0x03D1), 0x03B8);   /* ϑ -> θ */
    assert_int_equal(casefold(0x03DA), 0x03DB);   /* Ϛ */
    assert_int_equal(casefold(0x03FD), 0x037B);   /* Ͻ */
    assert_int_equal(casefold(0x03B1), 0x03B1);
}

static void cyrillic(void **state)
{
    (void)state;
    assert_int_equal(casefold(0x0410), 0x0430);   /* А */
    assert_int_equal(casefold(0x042F), 0x044F);   /* Я */
    assert_int_equal(casefold(0x0401), 0x0451);   /* Ё */
    assert_int_equal(casefold(0x040F), 0x045F);   /* Џ */
    assert_int_equal(casefold(0x0460), 0x0461);   /* Ѡ */
    assert_int_equal(casefold(0x0490), 0x0491);   /* Ґ */
    assert_int_equal(casefold(0x04C0), 0x04CF);   /* Ӏ palochka */
    assert_int_equal(casefold(0x04C1), 0x04C2);   /* Ӂ: pairs start odd here */
    assert_int_equal(casefold(0x04D0), 0x04D1);   /* Ӑ */
    assert_int_equal(casefold(0x0500), 0x0501);   /* Ԁ */
    assert_int_equal(casefold(0x0482), 0x0482);   /* ҂ a sign */
    assert_int_equal(casefold(0x0430), 0x0430);
    /* beyond the tables: as is */
    assert_int_equal(casefold(0x0531), 0x0531);   /* Armenian Ա */
    assert_int_equal(casefold(0x1E9E), 0x1E9E);
    assert_int_equal(casefold(0x10FFFF), 0x10FFFF);
}

static void names_beyond_ascii(void **state)
{
    (void)state;
    assert_true(casefold_name_equal("Ärzte-Assistent", "ärzte-assistent "));
    assert_true(casefold_name_equal("ŁÓDŹ  claims", "łódź Claims"));
    assert_true(casefold_name_equal("ΟΔΗΓΟΣ", "οδηγος"));          /* final sigma */
    assert_true(casefold_name_equal("ΟΔΗΓΟΣ", "οδηγοσ"));
    assert_true(casefold_name_equal("ПОМОЩНИК юриста", "помощник ЮРИСТА"));
    assert_true(casefold_name_equal("Ёлка", "ёлка"));
    assert_false(casefold_name_equal("Straße", "STRASSE"));        /* full folds are not made */
    assert_false(casefold_name_equal("Ärzte", "Arzte"));           /* accents count */
    assert_false(casefold_name_equal("помощник", "помощники"));
    assert_false(casefold_name_equal("Ä", "ä\xff"));
    /* Bytes that are not UTF-8 equal only themselves. */
    assert_true(casefold_name_equal("a\xff", "A\xff"));
    assert_false(casefold_name_equal("a\xc3", "a\xc4"));
    assert_false(casefold_name_equal("a\xc3", "a"));
    assert_true(casefold_name_equal(NULL, NULL));
    assert_false(casefold_name_equal("x", NULL));
}

/* The key two equal names share, and only they. */
static void name_keys(void **state)
{
    (void)state;
    static const char *const same[][2] = {
        {"Ärzte-Assistent", "  ärzte-assistent "}, {"ΟΔΗΓΟΣ  ΑΠΑΙΤΗΣΕΩΝ", "οδηγος\tαπαιτησεων"},
        {"Claims Triage", "claims triage"}, {"a\xff", "A\xff"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        buf a, b;
        buf_init(&a);
        buf_init(&b);
        assert_int_equal(casefold_name_key(same[i][0], &a), 0);
        assert_int_equal(casefold_name_key(same[i][1], &b), 0);
        assert_string_equal(a.data, b.data);
        assert_true(casefold_name_equal(same[i][0], same[i][1]));
        buf_free(&a);
        buf_free(&b);
    }
    buf k;
    buf_init(&k);
    assert_int_equal(casefold_name_key("  ÄRZTE   Assistent ", &k), 0);
    assert_string_equal(k.data, "ärzte assistent");
    buf_free(&k);
    buf_init(&k);
    assert_int_equal(casefold_name_key("Ärzte", &k), 0);
    assert_true(strcmp(k.data, "arzte") != 0); /* accents count */
    buf_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_and_latin1),
        cmocka_unit_test(latin_extended_a),
        cmocka_unit_test(greek),
        cmocka_unit_test(cyrillic),
        cmocka_unit_test(names_beyond_ascii),
        cmocka_unit_test(name_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
