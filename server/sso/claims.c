/* claims.c - the group->role map and the user name from ID token claims
 * (see claims.h). */
#include <stdio.h>
#include <string.h>

#include "sso/claims.h"

/* The order "highest mapped role wins" follows; architect, auditor and
 * leadership are siblings, so the order among them is a choice: the one
 * with more duties first. */
static int rank(sy_role r)
{
    switch (r) {
    case ROLE_ADMIN: return 5;
    case ROLE_LEADERSHIP: return 4;
    case ROLE_AUDITOR: return 3;
    case ROLE_ARCHITECT: return 2;
    case ROLE_VIEWER: return 1;
    default: return 0;
    }
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

int role_map_parse(const char *text, role_map *m, char *why, size_t size)
{
    memset(m, 0, sizeof *m);
    for (const char *p = text ? text : ""; *p;) {
        size_t len = strcspn(p, ",");
        const char *entry = p;
        size_t n = len;
        p += len + (p[len] == ',');
        trim(&entry, &n);
        if (n == 0)
            continue;
        const char *eq = NULL;
        for (size_t i = 0; i < n; i++)
            if (entry[i] == '=')
                eq = entry + i;
        char role[32];
        const char *g = entry;
        size_t gn = eq ? (size_t)(eq - entry) : 0, rn = eq ? n - gn - 1 : 0;
        const char *r = eq ? eq + 1 : "";
        trim(&g, &gn);
        trim(&r, &rn);
        if (!eq || gn == 0 || gn >= ROLE_MAP_GROUP || rn == 0 || rn >= sizeof role) {
            snprintf(why, size, "role map entry \"%.*s\" is not GROUP=ROLE", (int)(n > 80 ? 80 : n), entry);
            return -1;
        }
        memcpy(role, r, rn);
        role[rn] = '\0';
        sy_role parsed = role_parse(role);
        if (parsed == ROLE_UNSET) {
            snprintf(why, size, "role map entry \"%.*s\": %s is not a role "
                     "(viewer, architect, auditor, leadership, admin)", (int)(n > 80 ? 80 : n), entry, role);
            return -1;
        }
        if (m->n == ROLE_MAP_MAX) {
            snprintf(why, size, "role map has more than %d entries", ROLE_MAP_MAX);
            return -1;
        }
        memcpy(m->items[m->n].group, g, gn);
        m->items[m->n].group[gn] = '\0';
        m->items[m->n].role = parsed;
        m->n++;
    }
    return 0;
}

const json_t *claim_at(const json_t *claims, const char *path)
{
    const json_t *at = claims;
    char key[128];
    for (const char *p = path; at && *p;) {
        size_t n = strcspn(p, ".");
        if (n == 0 || n >= sizeof key)
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        at = json_object_get(at, key);
        p += n + (p[n] == '.');
    }
    return at == claims ? NULL : at;
}

static sy_role group_role(const role_map *m, const char *group)
{
    sy_role best = ROLE_UNSET;
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->items[i].group, group) == 0 && rank(m->items[i].role) > rank(best))
            best = m->items[i].role;
    return best;
}

sy_role claims_role(const role_map *m, const json_t *claims, const char *path, sy_role fallback)
{
    const json_t *groups = claim_at(claims, path);
    sy_role best = ROLE_UNSET;
    if (json_is_string(groups)) {
        best = group_role(m, json_string_value(groups));
    } else if (json_is_array(groups)) {
        size_t i;
        json_t *g;
        json_array_foreach(groups, i, g) {
            sy_role r = json_is_string(g) ? group_role(m, json_string_value(g)) : ROLE_UNSET;
            if (rank(r) > rank(best))
                best = r;
        }
    }
    return best != ROLE_UNSET ? best : fallback;
}

const char *claims_user_name(const json_t *claims, const char *name_claim)
{
    const char *tries[] = {name_claim, "preferred_username", "email"};
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        const char *v = tries[i] ? json_string_value(claim_at(claims, tries[i])) : NULL;
        if (v && user_name_valid(v))
            return v;
    }
    return NULL;
}
