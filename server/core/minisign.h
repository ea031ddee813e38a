/* minisign.h - Ed25519 keys and signatures in minisign's file formats,
 * made with libsodium, so that Debian's `minisign -V` verifies what
 * Switchyard signs (pure crypto and text; no I/O).
 *
 * Public key text:   "untrusted comment: minisign public key <KEYID>\n"
 *                    base64("Ed" || keyid[8] || pk[32]) "\n"
 *   where <KEYID> is the key id read as a little-endian integer, in upper
 *   hex (as minisign prints it).
 * Secret key text:   minisign's unencrypted secret key (`minisign -G -W`):
 *                    base64("Ed" || "\0\0" (no KDF) || "B2" || salt[32]=0 ||
 *                    opslimit[8]=0 || memlimit[8]=0 || keyid[8] || sk[64] ||
 *                    chk[32]), chk = BLAKE2b-256("Ed" || keyid || sk)
 *                    (minisign 0.11's own -W keys carry zeros there; read too).
 * Signature text:    "untrusted comment: <text>\n"
 *                    base64("ED" || keyid[8] || sig[64]) "\n"
 *                    "trusted comment: <text>\n"
 *                    base64(global_sig[64]) "\n"
 *   sig = Ed25519(BLAKE2b-512(message)) (the prehashed algorithm),
 *   global_sig = Ed25519(sig || trusted comment text). */
#ifndef SY_MINISIGN_H
#define SY_MINISIGN_H

#include <stddef.h>

#include "common/buf.h"

#define MINISIGN_KEYID 8
#define MINISIGN_COMMENT_MAX 1024

typedef struct minisign_key {
    unsigned char keyid[MINISIGN_KEYID];
    unsigned char pk[32];
    unsigned char sk[64];      /* libsodium's seed || pk; zero when public only */
    int has_secret;
} minisign_key;

/* A new key pair with a random key id. Needs sodium_init(). */
void minisign_keygen(minisign_key *k);

/* The key id as minisign prints it (16 upper-case hex digits). */
void minisign_keyid_hex(const unsigned char keyid[MINISIGN_KEYID], char out[17]);

/* The key's fingerprint for comparing out of band: "SHA256:" and the
 * SHA-256, in hex, of the public key's bytes as the .pub file's second
 * line encodes them ("Ed" || keyid || pk), i.e. of base64-decoding that
 * line (`tail -1 key.pub | base64 -d | sha256sum`). */
#define MINISIGN_FINGERPRINT (7 + 64 + 1)
void minisign_fingerprint(const minisign_key *k, char out[MINISIGN_FINGERPRINT]);

/* Appends the two-line .pub text / the secret key file text. */
void minisign_public_text(const minisign_key *k, buf *out);
void minisign_secret_text(const minisign_key *k, buf *out);

/* Parses a .pub text (comment line optional: the bare base64 line as given
 * to `minisign -P` works too). 0, or -1 if malformed. */
int minisign_parse_public(const char *text, size_t n, minisign_key *k);
/* Parses an unencrypted secret key file; checks its checksum and that the
 * public half matches. 0, or -1. */
int minisign_parse_secret(const char *text, size_t n, minisign_key *k);

/* Signs msg (prehashed algorithm "ED") and appends the .minisig text.
 * Comments must be single lines. 0, or -1. */
int minisign_sign(const minisign_key *k, const void *msg, size_t n,
                  const char *untrusted_comment, const char *trusted_comment, buf *out);

/* Verifies a .minisig text for msg with a public key: the key id, the
 * signature (prehashed "ED", or legacy "Ed") and the trusted comment's
 * global signature. On success returns 0 and copies the trusted comment;
 * else -1 with *why set to a static explanation. */
int minisign_verify(const minisign_key *pub, const void *msg, size_t n, const char *sig_text,
                    size_t sig_len, char *trusted, size_t trusted_size, const char **why);

#endif
