/* test_checkpoint.c - signed audit checkpoints (core/checkpoint.c): a line
 * round-trips and verifies; a changed sequence number, hash, time or
 * signature, another key, and malformed lines are refused; bad input is
 * not signed; and the key fingerprint (core/minisign.c) is the SHA-256 of
 * the public key's bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/checkpoint.h"

static const char HASH[] = "d77eb9de88e4988cc7497b612c08fe788164e525a3010316882f170f0822cdd3";

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static void round_trip_and_verify(void **state)
{
    (void)state;
    minisign_key k;
    minisign_keygen(&k);
    checkpoint cp, back;
    assert_int_equal(checkpoint_sign(&k, 41, HASH, "2026-06-15T09:00:00Z", &cp), 0);
    buf line;
    buf_init(&line);
    checkpoint_line(&cp, &line);
    assert_non_null(line.data);
    assert_int_equal(strncmp(line.data, "v1 41 d77eb9de", 14), 0);
    assert_int_equal(line.data[line.len - 1], '\n');
    assert_int_equal(checkpoint_parse(line.data, line.len, &back), 0);
    assert_int_equal(back.seq, 41);
    assert_string_equal(back.hash, HASH);
    assert_string_equal(back.at, "2026-06-15T09:00:00Z");
    assert_true(checkpoint_verify(&back, &k));

    /* Any change breaks the signature. */
    checkpoint t = back;
    t.seq = 42;
    assert_false(checkpoint_verify(&t, &k));
    t = back;
    t.hash[0] = 'e';
    assert_false(checkpoint_verify(&t, &k));
    t = back;
    t.at[18] = '1';
    assert_false(checkpoint_verify(&t, &k));
    t = back;
    t.sig[5] ^= 1;
    assert_false(checkpoint_verify(&t, &k));
    minisign_key other;
    minisign_keygen(&other);
    assert_false(checkpoint_verify(&back, &other));
    memcpy(other.keyid, k.keyid, sizeof k.keyid); /* same ID, other key */
    assert_false(checkpoint_verify(&back, &other));
    buf_free(&line);
}

static void malformed_lines(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "v1",
        "v2 41 d77eb9de88e4988cc7497b612c08fe788164e525a3010316882f170f0822cdd3 2026-06-15T09:00:00Z 1784AE31FEDAE501 YzxY",
        "v1 041 d77eb9de88e4988cc7497b612c08fe788164e525a3010316882f170f0822cdd3 2026-06-15T09:00:00Z 1784AE31FEDAE501 YzxY",
        "v1 -1 d77eb9de88e4988cc7497b612c08fe788164e525a3010316882f170f0822cdd3 2026-06-15T09:00:00Z 1784AE31FEDAE501 YzxY",
        "v1 41 D77EB9DE88E4988CC7497B612C08FE788164E525A3010316882F170F0822CDD3 2026-06-15T09:00:00Z 1784AE31FEDAE501 YzxY",
        "v1 41 d77eb9de88e4988cc7497b612c08fe788164e525a3010316882f170f0822cdd3 2026-06-15 1784AE31FEDAE501 YzxY",
        "v1 41 d77eb9de88e4988cc7497b612c08fe788164e525a3010316882f170f0822cdd3 2026-06-15T09:00:00Z 1784ae31fedae501 YzxY",
        "v1 41 d77eb9de88e4988cc7497b612c08fe788164e525a3010316882f170f0822cdd3 2026-06-15T09:00:00Z 1784AE31FEDAE501 YzxY",
        NULL};
    checkpoint cp;
    for (int i = 0; bad[i]; i++)
        assert_int_equal(checkpoint_parse(bad[i], strlen(bad[i]), &cp), -1);
}

static void refuses_to_sign_bad_input(void **state)
{
    (void)state;
    minisign_key k, pub;
    minisign_keygen(&k);
    checkpoint cp;
    assert_int_equal(checkpoint_sign(&k, 0, HASH, "2026-06-15T09:00:00Z", &cp), -1);
    assert_int_equal(checkpoint_sign(&k, 1, "abc", "2026-06-15T09:00:00Z", &cp), -1);
    assert_int_equal(checkpoint_sign(&k, 1, HASH, "yesterday", &cp), -1);
    pub = k;
    pub.has_secret = 0;
    assert_int_equal(checkpoint_sign(&pub, 1, HASH, "2026-06-15T09:00:00Z", &cp), -1);
}

static void fingerprint_is_sha256_of_the_key_bytes(void **state)
{
    (void)state;
    minisign_key k;
    minisign_keygen(&k);
    unsigned char blob[42], digest[32];
    char hex[65], fp[MINISIGN_FINGERPRINT];
    blob[0] = 'E';
    blob[1] = 'd';
    memcpy(blob + 2, k.keyid, 8);
    memcpy(blob + 10, k.pk, 32);
    crypto_hash_sha256(digest, blob, sizeof blob);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    minisign_fingerprint(&k, fp);
    assert_int_equal(strncmp(fp, "SHA256:", 7), 0);
    assert_string_equal(fp + 7, hex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_and_verify),
        cmocka_unit_test(malformed_lines),
        cmocka_unit_test(refuses_to_sign_bad_input),
        cmocka_unit_test(fingerprint_is_sha256_of_the_key_bytes),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
