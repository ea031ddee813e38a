/* authcache.h - verified credentials (API tokens and browser sessions) kept
 * in memory, so that a signed-in request needs no database round trip and
 * no SHA-256 of its secret.
 *
 * An entry is found by a keyed BLAKE2b hash of the presented secret (the
 * key is random per process; neither the secret nor its stored SHA-256 is
 * the key). It is valid for one credential generation
 * (store_auth_generation), which moves on with every write that could take
 * a credential away: a token revoked, a user disabled or given another
 * role, a session ended, in this process or, through the change counter,
 * any commit of another instance or process. A write that moves nothing a
 * credential depends on leaves it alone: bookkeeping (a last-use time), and
 * this process's own writes of workloads, offerings and contracts that
 * touch no user, token or session (on SQLite, where another pooled
 * connection cannot tell our commits from another process's, every commit
 * it sees still moves it).
 *
 * Bounded: a fixed number of buckets of AC_WAYS entries; a full bucket
 * gives up its least recently used entry. Uses are counted in memory: each
 * entry knows when it was last used and what the database was last told,
 * so last_used_at / last_seen reach the database in batches
 * (authcache_take_due). Thread-safe. */
#ifndef SY_AUTHCACHE_H
#define SY_AUTHCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"

#define AC_WAYS 4
#define AC_DEFAULT_ENTRIES 4096

typedef enum { AC_TOKEN = 1, AC_SESSION = 2 } ac_kind;

/* What a verified credential grants. */
typedef struct ac_cred {
    int64_t user_id;
    int64_t token_id;         /* tokens: the token's ID */
    sy_role role;             /* the role it acts with (a token's meet) */
    int may_create;           /* tokens: may create tokens */
    int64_t expires;          /* epoch seconds: token expiry, session's absolute end */
    char expires_at[21];      /* tokens: expiry as RFC 3339 */
    int64_t last_seen;        /* epoch seconds of the last use known */
    char user_name[72];
    char session_hash[65];    /* sessions: SHA-256 hex of the secret (sign-out, touch) */
} ac_cred;

/* A use not yet written to the database. */
typedef struct ac_due {
    ac_kind kind;
    int64_t token_id;
    char session_hash[65];
    int64_t used;             /* epoch seconds */
} ac_due;

/* Sizes the cache (rounded up to whole buckets; 0: AC_DEFAULT_ENTRIES) and
 * drops what it held. Optional: the first use sets the default size. 0 or
 * -1 (out of memory). */
int authcache_init(size_t entries);
/* Frees everything (tests, shutdown). */
void authcache_free(void);

/* The credential for this secret, if verified at generation gen: 1 and *out
 * filled (out->last_seen: its latest use before this one, for the idle
 * limit), its use at `now` recorded; 0 otherwise (a stale entry is
 * dropped). */
int authcache_get(ac_kind kind, const char *secret, uint64_t gen, int64_t now, ac_cred *out);
/* Remembers a credential verified at generation gen; `written` is the last
 * use the database holds (epoch seconds, 0: none). */
void authcache_put(ac_kind kind, const char *secret, uint64_t gen, const ac_cred *c,
                   int64_t written);
/* Forgets one credential (sign-out). */
void authcache_forget(ac_kind kind, const char *secret);
/* Forgets everything. */
void authcache_clear(void);
/* How many entries it holds, and its capacity. */
size_t authcache_count(void);
size_t authcache_capacity(void);

/* Up to cap uses newer than what the database holds, marked as written.
 * Returns how many. */
size_t authcache_take_due(ac_due *out, size_t cap);

/* Hits and misses since start (for /metrics). */
void authcache_stats(uint64_t *hits, uint64_t *misses);

#endif
