/* checkpoint.c - signing, writing and reading audit checkpoints; see
 * checkpoint.h. */
#include "core/checkpoint.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "common/text.h"

/* The signed text, into out; its length, or -1. */
static int message(int64_t seq, const char *hash, const char *at, char *out, size_t size)
{
    int n = snprintf(out, size, "switchyard audit checkpoint v1 %lld %s %s", (long long)seq, hash,
                     at);
    return n > 0 && (size_t)n < size ? n : -1;
}

static int is_hex64(const char *s, size_t n)
{
    if (n != 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* An RFC 3339 UTC time as the store writes it: YYYY-MM-DDTHH:MM:SSZ. */
static int is_instant(const char *s, size_t n)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (n != sizeof shape - 1)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
            return 0;
    return 1;
}

int checkpoint_sign(const minisign_key *k, int64_t seq, const char *hash, const char *at,
                    checkpoint *out)
{
    memset(out, 0, sizeof *out);
    char msg[160];
    int n;
    if (!k->has_secret || seq < 1 || !hash || !is_hex64(hash, strlen(hash)) || !at ||
        !is_instant(at, strlen(at)) || (n = message(seq, hash, at, msg, sizeof msg)) < 0)
        return -1;
    out->seq = seq;
    memcpy(out->hash, hash, 65);
    memcpy(out->at, at, 21);
    memcpy(out->keyid, k->keyid, MINISIGN_KEYID);
    return crypto_sign_detached(out->sig, NULL, (const unsigned char *)msg, (size_t)n, k->sk) == 0
               ? 0
               : -1;
}

void checkpoint_line(const checkpoint *cp, buf *out)
{
    char keyid[17], sig[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
    minisign_keyid_hex(cp->keyid, keyid);
    sodium_bin2base64(sig, sizeof sig, cp->sig, sizeof cp->sig, sodium_base64_VARIANT_ORIGINAL);
    buf_printf(out, "v1 %lld %s %s %s %s\n", (long long)cp->seq, cp->hash, cp->at, keyid, sig);
}

/* The next space-separated field of [*p, end): its start and length. */
static const char *field(const char **p, const char *end, size_t *len)
{
    const char *s = *p;
    const char *e = s;
    while (e < end && *e != ' ')
        e++;
    *len = (size_t)(e - s);
    *p = e < end ? e + 1 : e;
    return s;
}

static int parse_keyid(const char *s, size_t n, unsigned char keyid[MINISIGN_KEYID])
{
    if (n != 16)
        return -1;
    for (int i = 0; i < MINISIGN_KEYID; i++) {
        unsigned v = 0;
        for (int j = 0; j < 2; j++) {
            char c = s[2 * i + j];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0)
                return -1;
            v = v * 16 + (unsigned)d;
        }
        keyid[MINISIGN_KEYID - 1 - i] = (unsigned char)v; /* printed little-endian */
    }
    return 0;
}

int checkpoint_parse(const char *line, size_t n, checkpoint *out)
{
    memset(out, 0, sizeof *out);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    const char *p = line, *end = line + n;
    size_t len[6];
    const char *f[6];
    for (int i = 0; i < 6; i++)
        f[i] = field(&p, end, &len[i]);
    char seq[24];
    size_t sig_len = 0;
    if (p != end || len[0] != 2 || memcmp(f[0], "v1", 2) != 0 || len[1] == 0 ||
        len[1] >= sizeof seq || !is_hex64(f[2], len[2]) || !is_instant(f[3], len[3]) ||
        parse_keyid(f[4], len[4], out->keyid) != 0)
        return -1;
    memcpy(seq, f[1], len[1]);
    seq[len[1]] = '\0';
    if (seq[0] < '1' || seq[0] > '9' || parse_i64(seq, 1, INT64_MAX, &out->seq) != 0 ||
        sodium_base642bin(out->sig, sizeof out->sig, f[5], len[5], NULL, &sig_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        sig_len != sizeof out->sig)
        return -1;
    memcpy(out->hash, f[2], 64);
    out->hash[64] = '\0';
    memcpy(out->at, f[3], 20);
    out->at[20] = '\0';
    return 0;
}

int checkpoint_verify(const checkpoint *cp, const minisign_key *pub)
{
    char msg[160];
    int n = message(cp->seq, cp->hash, cp->at, msg, sizeof msg);
    return n > 0 && memcmp(cp->keyid, pub->keyid, MINISIGN_KEYID) == 0 &&
           crypto_sign_verify_detached(cp->sig, (const unsigned char *)msg, (size_t)n, pub->pk) == 0;
}
