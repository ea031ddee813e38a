/* checkpoint.h - signed checkpoints of the audit chain's head (pure;
 * libsodium's Ed25519). A checkpoint says "the chain had event `seq` with
 * hash `hash`" at time `at`, signed with the audit-checkpoint key that
 * lives outside the database. Kept one per line in an append-only file (and
 * optionally sent to syslog), they let `audit verify` notice a chain that
 * lost its last events, or one rewritten and re-hashed by someone without
 * the key.
 *
 * Line:     "v1 SEQ HASH AT KEYID SIGNATURE\n"
 *           HASH 64 hex digits, AT RFC 3339 UTC, KEYID the minisign key ID
 *           (16 upper-case hex digits, as `switchyard keys show` prints
 *           it), SIGNATURE base64 of the 64-byte Ed25519 signature of
 * Message:  "switchyard audit checkpoint v1 SEQ HASH AT" (no newline). */
#ifndef SY_CHECKPOINT_H
#define SY_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "core/minisign.h"

typedef struct checkpoint {
    int64_t seq;
    char hash[65];
    char at[21];
    unsigned char keyid[MINISIGN_KEYID];
    unsigned char sig[64];
} checkpoint;

/* Signs (seq, hash, at) with k's secret. 0, or -1 on bad input. */
int checkpoint_sign(const minisign_key *k, int64_t seq, const char *hash, const char *at,
                    checkpoint *out);
/* Appends the checkpoint's line (with its newline). */
void checkpoint_line(const checkpoint *cp, buf *out);
/* Parses one line (without or with its newline). 0, or -1 if malformed. */
int checkpoint_parse(const char *line, size_t n, checkpoint *out);
/* 1 if the signature verifies with pub (whose key ID must match). */
int checkpoint_verify(const checkpoint *cp, const minisign_key *pub);

#endif
