/* roles.h - who may do what. Five roles: viewer reads; architect also
 * changes workloads and scenarios; auditor also reads the audit trail and
 * exports; leadership also accepts risks (and revokes acceptances); admin
 * may do everything. Architect, auditor and leadership are siblings: none
 * includes another. */
#ifndef SY_ROLES_H
#define SY_ROLES_H

/* ROLE_UNSET is 0 so that a route table entry without a role is caught. */
typedef enum {
    ROLE_UNSET = 0,
    ROLE_PUBLIC,
    ROLE_VIEWER,
    ROLE_ARCHITECT,
    ROLE_AUDITOR,
    ROLE_LEADERSHIP,
    ROLE_ADMIN
} sy_role;

/* "public", "viewer", ...; NULL for ROLE_UNSET. */
const char *role_name(sy_role r);
/* Parses a user role (viewer|architect|auditor|leadership|admin); ROLE_UNSET if not. */
sy_role role_parse(const char *s);
/* 1 if a user holding `have` may use something that needs `need`. */
int role_allows(sy_role have, sy_role need);

/* The greatest role both a and b include (the meet in the role order):
 * admin+auditor is auditor, architect+auditor is viewer, never a role
 * neither holds. ROLE_UNSET if either is not a user role. */
sy_role role_meet(sy_role a, sy_role b);

/* 1 if a user name is 1 to 64 letters, digits or . _ - @ (so names are safe
 * in logs, actors and JSON without escaping surprises). */
int user_name_valid(const char *name);

#endif
