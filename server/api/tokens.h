/* tokens.h (api) - revoking API tokens from outside the tokens routes: the
 * users API and the `switchyard user` command line revoke a user's tokens
 * when the password is reset, the role changes or the user is disabled. */
#ifndef SY_API_TOKENS_H
#define SY_API_TOKENS_H

#include "store/store.h"

/* Revokes, inside the caller's write transaction, every live token of
 * user_id (root 0), or only token root and the tokens created through it
 * (root > 0); one audit event "revoke" per token, with `why` in it.
 * *count (may be NULL) gets how many were revoked. */
int tokens_revoke(sy_db *db, const char *actor, int64_t user_id, int64_t root, const char *why,
                  arena *a, int *count, store_err *err);

#endif
