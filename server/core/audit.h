/* audit.h - the audit trail's hash chain (pure; libsodium's SHA-256).
 *
 * Each event's hash = SHA-256(prev_hash || canonical JSON of the event),
 * hex-encoded; the first event's prev_hash is 64 zeros. The canonical JSON
 * is compact with keys in this fixed order:
 *   {"seq":N,"at":"…","actor":"…","action":"…","entity":"…","entity_id":N|null,
 *    "before":<JSON or null>,"after":<JSON or null>}
 * where before/after are the stored JSON texts, embedded verbatim. Anyone can
 * recompute the chain from an export with these rules. */
#ifndef SY_AUDIT_H
#define SY_AUDIT_H

#include <stdint.h>

#include "common/buf.h"

#define AUDIT_HASH_HEX 65   /* 64 hex digits + NUL */

typedef struct audit_event {
    int64_t seq;
    const char *at;            /* RFC 3339 UTC */
    const char *actor;         /* "user:alice", "token:3:alice", "system" */
    const char *action;        /* "create", "update", "delete", "sign_in", ... */
    const char *entity;        /* "workload", "session", "risk_model", ... */
    int64_t entity_id;         /* 0: none */
    const char *before;        /* JSON text or NULL */
    const char *after;         /* JSON text or NULL */
    char prev_hash[AUDIT_HASH_HEX];
    char hash[AUDIT_HASH_HEX];
} audit_event;

extern const char AUDIT_GENESIS[AUDIT_HASH_HEX];

/* Writes the canonical JSON of ev into out. */
void audit_canonical(const audit_event *ev, buf *out);
/* Computes the hash of ev from ev->prev_hash into hex. 0, or -1 on failure. */
int audit_hash(const audit_event *ev, char hex[AUDIT_HASH_HEX]);

/* Constant-time comparison of two equal-length strings (1 if equal). */
int secret_equal(const char *a, const char *b);
/* SHA-256 of text as 64 hex digits. */
void sha256_hex(const void *data, size_t len, char hex[AUDIT_HASH_HEX]);

#endif
