/* minisign.c - minisign key and signature formats over libsodium; see
 * minisign.h. */
#include "core/minisign.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SECRET_BYTES (2 + 2 + 2 + 32 + 8 + 8 + MINISIGN_KEYID + 64 + 32)
#define PUBLIC_BYTES (2 + MINISIGN_KEYID + 32)
#define SIG_BYTES (2 + MINISIGN_KEYID + 64)

static const char UNTRUSTED[] = "untrusted comment: ";
static const char TRUSTED[] = "trusted comment: ";

void minisign_keygen(minisign_key *k)
{
    memset(k, 0, sizeof *k);
    randombytes_buf(k->keyid, sizeof k->keyid);
    crypto_sign_keypair(k->pk, k->sk);
    k->has_secret = 1;
}

void minisign_keyid_hex(const unsigned char keyid[MINISIGN_KEYID], char out[17])
{
    static const char digits[] = "0123456789ABCDEF";
    for (int i = 0; i < MINISIGN_KEYID; i++) {
        unsigned char b = keyid[MINISIGN_KEYID - 1 - i];
        out[2 * i] = digits[b >> 4];
        out[2 * i + 1] = digits[b & 15];
    }
    out[16] = '\0';
}

void minisign_fingerprint(const minisign_key *k, char out[MINISIGN_FINGERPRINT])
{
    unsigned char blob[2 + MINISIGN_KEYID + 32], digest[32];
    blob[0] = 'E';
    blob[1] = 'd';
    memcpy(blob + 2, k->keyid, MINISIGN_KEYID);
    memcpy(blob + 2 + MINISIGN_KEYID, k->pk, 32);
    crypto_hash_sha256(digest, blob, sizeof blob);
    memcpy(out, "SHA256:", 7);
    sodium_bin2hex(out + 7, MINISIGN_FINGERPRINT - 7, digest, sizeof digest);
}

static void put_base64(buf *out, const unsigned char *bin, size_t n)
{
    char text[sodium_base64_ENCODED_LEN(SECRET_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(text, sizeof text, bin, n, sodium_base64_VARIANT_ORIGINAL);
    buf_puts(out, text);
    buf_putc(out, '\n');
}

void minisign_public_text(const minisign_key *k, buf *out)
{
    unsigned char bin[PUBLIC_BYTES];
    char id[17];
    memcpy(bin, "Ed", 2);
    memcpy(bin + 2, k->keyid, MINISIGN_KEYID);
    memcpy(bin + 2 + MINISIGN_KEYID, k->pk, 32);
    minisign_keyid_hex(k->keyid, id);
    buf_printf(out, "%sminisign public key %s\n", UNTRUSTED, id);
    put_base64(out, bin, sizeof bin);
}

static void secret_checksum(const minisign_key *k, unsigned char chk[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const unsigned char *)"Ed", 2);
    crypto_generichash_update(&st, k->keyid, MINISIGN_KEYID);
    crypto_generichash_update(&st, k->sk, 64);
    crypto_generichash_final(&st, chk, 32);
}

void minisign_secret_text(const minisign_key *k, buf *out)
{
    unsigned char bin[SECRET_BYTES];
    memset(bin, 0, sizeof bin);
    memcpy(bin, "Ed", 2);                     /* signature algorithm */
    /* bin[2..3] = 0: no key derivation, the key is stored unencrypted */
    memcpy(bin + 4, "B2", 2);                 /* checksum algorithm */
    unsigned char *p = bin + 6 + 32 + 8 + 8;  /* salt, opslimit, memlimit stay 0 */
    memcpy(p, k->keyid, MINISIGN_KEYID);
    memcpy(p + MINISIGN_KEYID, k->sk, 64);
    secret_checksum(k, p + MINISIGN_KEYID + 64);
    buf_printf(out, "%sswitchyard report signing key (unencrypted minisign secret key)\n",
               UNTRUSTED);
    put_base64(out, bin, sizeof bin);
    sodium_memzero(bin, sizeof bin);
}

/* Line `index` of text (without its CR LF); -1 if there is no such line. */
static int get_line(const char *text, size_t n, int index, const char **line, size_t *len)
{
    size_t start = 0;
    for (int i = 0;; i++) {
        if (start >= n)
            return -1;
        const char *nl = memchr(text + start, '\n', n - start);
        size_t end = nl ? (size_t)(nl - text) : n;
        if (i == index) {
            *line = text + start;
            *len = end - start;
            if (*len > 0 && (*line)[*len - 1] == '\r')
                (*len)--;
            return 0;
        }
        if (!nl)
            return -1;
        start = end + 1;
    }
}

/* Decodes exactly `want` bytes of base64 from a line. 0, or -1. */
static int from_base64(const char *line, size_t len, unsigned char *bin, size_t want)
{
    size_t got = 0;
    const char *end = NULL;
    if (len == 0 || len > 512)
        return -1;
    if (sodium_base642bin(bin, want, line, len, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return -1;
    return got == want && end == line + len ? 0 : -1;
}

static int starts_with(const char *line, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(line, prefix, n) == 0;
}

int minisign_parse_public(const char *text, size_t n, minisign_key *k)
{
    const char *line;
    size_t len;
    unsigned char bin[PUBLIC_BYTES];
    memset(k, 0, sizeof *k);
    if (get_line(text, n, 0, &line, &len) != 0)
        return -1;
    if (starts_with(line, len, UNTRUSTED) && get_line(text, n, 1, &line, &len) != 0)
        return -1;
    if (from_base64(line, len, bin, sizeof bin) != 0 || memcmp(bin, "Ed", 2) != 0)
        return -1;
    memcpy(k->keyid, bin + 2, MINISIGN_KEYID);
    memcpy(k->pk, bin + 2 + MINISIGN_KEYID, 32);
    return 0;
}

int minisign_parse_secret(const char *text, size_t n, minisign_key *k)
{
    const char *line;
    size_t len;
    unsigned char bin[SECRET_BYTES], chk[32];
    int rc = -1;
    memset(k, 0, sizeof *k);
    if (get_line(text, n, 0, &line, &len) != 0 || !starts_with(line, len, UNTRUSTED) ||
        get_line(text, n, 1, &line, &len) != 0 ||
        from_base64(line, len, bin, sizeof bin) != 0)
        goto out;
    if (memcmp(bin, "Ed", 2) != 0 || bin[2] != 0 || bin[3] != 0 || memcmp(bin + 4, "B2", 2) != 0)
        goto out;   /* an encrypted key would need a password */
    const unsigned char *p = bin + 6 + 32 + 8 + 8;
    memcpy(k->keyid, p, MINISIGN_KEYID);
    memcpy(k->sk, p + MINISIGN_KEYID, 64);
    /* minisign 0.11 writes an all-zero checksum into unencrypted keys (-W);
     * any other value must be the checksum. */
    secret_checksum(k, chk);
    if (!sodium_is_zero(p + MINISIGN_KEYID + 64, 32) &&
        sodium_memcmp(chk, p + MINISIGN_KEYID + 64, 32) != 0)
        goto out;
    crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
    k->has_secret = 1;
    rc = 0;
out:
    sodium_memzero(bin, sizeof bin);
    if (rc != 0)
        sodium_memzero(k, sizeof *k);
    return rc;
}

static int one_line(const char *s)
{
    return s && strlen(s) < MINISIGN_COMMENT_MAX && !strpbrk(s, "\r\n");
}

int minisign_sign(const minisign_key *k, const void *msg, size_t n,
                  const char *untrusted_comment, const char *trusted_comment, buf *out)
{
    if (!k->has_secret || !one_line(untrusted_comment) || !one_line(trusted_comment))
        return -1;
    unsigned char hash[crypto_generichash_BYTES_MAX];
    unsigned char blob[SIG_BYTES], global[64];
    crypto_generichash(hash, sizeof hash, msg, n, NULL, 0);
    memcpy(blob, "ED", 2);
    memcpy(blob + 2, k->keyid, MINISIGN_KEYID);
    crypto_sign_detached(blob + 2 + MINISIGN_KEYID, NULL, hash, sizeof hash, k->sk);

    size_t tlen = strlen(trusted_comment);
    unsigned char signed_part[64 + MINISIGN_COMMENT_MAX];
    memcpy(signed_part, blob + 2 + MINISIGN_KEYID, 64);
    memcpy(signed_part + 64, trusted_comment, tlen);
    crypto_sign_detached(global, NULL, signed_part, 64 + tlen, k->sk);

    buf_printf(out, "%s%s\n", UNTRUSTED, untrusted_comment);
    put_base64(out, blob, sizeof blob);
    buf_printf(out, "%s%s\n", TRUSTED, trusted_comment);
    put_base64(out, global, sizeof global);
    return 0;
}

int minisign_verify(const minisign_key *pub, const void *msg, size_t n, const char *sig_text,
                    size_t sig_len, char *trusted, size_t trusted_size, const char **why)
{
    const char *line;
    size_t len;
    unsigned char blob[SIG_BYTES], global[64];
    unsigned char signed_part[64 + MINISIGN_COMMENT_MAX];
    *why = "the signature file is malformed";
    if (trusted_size)
        trusted[0] = '\0';
    if (get_line(sig_text, sig_len, 0, &line, &len) != 0 || !starts_with(line, len, UNTRUSTED) ||
        get_line(sig_text, sig_len, 1, &line, &len) != 0 ||
        from_base64(line, len, blob, sizeof blob) != 0)
        return -1;
    int prehashed = memcmp(blob, "ED", 2) == 0;
    if (!prehashed && memcmp(blob, "Ed", 2) != 0) {
        *why = "the signature algorithm is not Ed25519";
        return -1;
    }
    if (memcmp(blob + 2, pub->keyid, MINISIGN_KEYID) != 0) {
        *why = "the signature was made with another key (key id differs)";
        return -1;
    }
    const unsigned char *sig = blob + 2 + MINISIGN_KEYID;
    int bad;
    if (prehashed) {
        unsigned char hash[crypto_generichash_BYTES_MAX];
        crypto_generichash(hash, sizeof hash, msg, n, NULL, 0);
        bad = crypto_sign_verify_detached(sig, hash, sizeof hash, pub->pk);
    } else {
        bad = crypto_sign_verify_detached(sig, msg, n, pub->pk);
    }
    if (bad) {
        *why = "the signature does not match the file";
        return -1;
    }
    *why = "the trusted comment is malformed";
    if (get_line(sig_text, sig_len, 2, &line, &len) != 0 || !starts_with(line, len, TRUSTED))
        return -1;
    size_t tlen = len - strlen(TRUSTED);
    if (tlen >= MINISIGN_COMMENT_MAX)
        return -1;
    memcpy(signed_part, sig, 64);
    memcpy(signed_part + 64, line + strlen(TRUSTED), tlen);
    if (get_line(sig_text, sig_len, 3, &line, &len) != 0 ||
        from_base64(line, len, global, sizeof global) != 0)
        return -1;
    if (crypto_sign_verify_detached(global, signed_part, 64 + tlen, pub->pk) != 0) {
        *why = "the trusted comment's signature does not match";
        return -1;
    }
    if (trusted_size) {
        size_t c = tlen < trusted_size - 1 ? tlen : trusted_size - 1;
        memcpy(trusted, signed_part + 64, c);
        trusted[c] = '\0';
    }
    *why = NULL;
    return 0;
}
