/* claims.h - what an ID token's claims mean here, pure: the group->role
 * map ("sy-admins=admin,sy-architects=architect"), the role a user's
 * groups earn (the highest mapped one), and the local user name. */
#ifndef SY_CLAIMS_H
#define SY_CLAIMS_H

#include <jansson.h>
#include <stddef.h>

#include "core/roles.h"

#define ROLE_MAP_MAX 64
#define ROLE_MAP_GROUP 256

typedef struct role_map {
    struct {
        char group[ROLE_MAP_GROUP];
        sy_role role;
    } items[ROLE_MAP_MAX];
    int n;
} role_map;

/* Parses "GROUP=ROLE,GROUP=ROLE" (the last '=' of an entry splits it, so a
 * group may hold '='; spaces around entries are trimmed). 0, or -1 with
 * why naming the bad entry. An empty text is an empty map. */
int role_map_parse(const char *text, role_map *m, char *why, size_t size);

/* The value at a claim path: "groups", or dotted "realm_access.roles". */
const json_t *claim_at(const json_t *claims, const char *path);

/* The role the claims' groups earn under the map: the highest of the
 * mapped ones (admin, then leadership, auditor, architect, viewer); else
 * fallback (ROLE_UNSET: refused). The claim may be an array of strings or
 * one string. */
sy_role claims_role(const role_map *m, const json_t *claims, const char *path, sy_role fallback);

/* The local user name from the claims: the first of name_claim,
 * "preferred_username", "email" that is a valid user name (see
 * user_name_valid). NULL when none is. */
const char *claims_user_name(const json_t *claims, const char *name_claim);

#endif
