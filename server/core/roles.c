/* roles.c - role names and the permission order; see roles.h. */
#include "core/roles.h"

#include <string.h>

static const char *const NAMES[] = {NULL, "public", "viewer", "architect", "auditor", "leadership", "admin"};

const char *role_name(sy_role r)
{
    return r >= ROLE_UNSET && r <= ROLE_ADMIN ? NAMES[r] : NULL;
}

sy_role role_parse(const char *s)
{
    if (!s)
        return ROLE_UNSET;
    for (int r = ROLE_VIEWER; r <= ROLE_ADMIN; r++)
        if (strcmp(s, NAMES[r]) == 0)
            return (sy_role)r;
    return ROLE_UNSET;
}

int role_allows(sy_role have, sy_role need)
{
    if (need == ROLE_PUBLIC)
        return 1;
    if (need == ROLE_UNSET || have < ROLE_VIEWER)
        return 0;
    if (have == ROLE_ADMIN || need == ROLE_VIEWER)
        return 1;
    return have == need;
}

sy_role role_meet(sy_role a, sy_role b)
{
    if (a < ROLE_VIEWER || b < ROLE_VIEWER || a > ROLE_ADMIN || b > ROLE_ADMIN)
        return ROLE_UNSET;
    if (role_allows(a, b))
        return b;
    if (role_allows(b, a))
        return a;
    return ROLE_VIEWER; /* architect and auditor: only what both include */
}

int user_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 64)
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '_' || *c == '-' || *c == '@'))
            return 0;
    return 1;
}
