/* user.c - `switchyard user`: add, list, set-role, disable, enable and
 * reset-password, each change audited as "system:cli". As with the users
 * API, a password reset, a role change or disabling revokes the user's API
 * tokens (and ends their sessions); a reset or enabling clears the user's
 * sign-in failures. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "api/audit.h"
#include "api/tokens.h"
#include "cli/cli.h"
#include "core/roles.h"
#include "http/auth.h"

/* Reads a password from stdin when it is not a terminal; else generates
 * one (returned in generated, to be shown once). */
int cli_obtain_password(char *out, size_t size, int *was_generated)
{
    *was_generated = 0;
    if (!isatty(STDIN_FILENO)) {
        if (!fgets(out, (int)size, stdin)) {
            fprintf(stderr, "switchyard: expected a password on standard input\n");
            return -1;
        }
        out[strcspn(out, "\r\n")] = '\0';
        if (strlen(out) < 12) {
            fprintf(stderr, "switchyard: a password needs at least 12 characters\n");
            return -1;
        }
        return 0;
    }
    auth_random_secret(NULL, out, size);
    out[24] = '\0';
    *was_generated = 1;
    return 0;
}

/* Creates a user with the given (or a generated) password, audited. */
int cli_create_user(sy_db *db, const char *name, const char *role, const char *password,
                       const char *actor)
{
    char hash[128];
    store_err err;
    if (role_parse(role) == ROLE_UNSET) {
        fprintf(stderr, "switchyard: --role must be viewer, architect, auditor or admin\n");
        return -1;
    }
    if (!user_name_valid(name)) {
        fprintf(stderr, "switchyard: a user name is 1 to 64 letters, digits or . _ - @\n");
        return -1;
    }
    if (auth_hash_password(password, hash) != 0) {
        fprintf(stderr, "switchyard: cannot hash the password\n");
        return -1;
    }
    user_rec u;
    memset(&u, 0, sizeof u);
    u.name = name;
    u.role = role;
    u.password_hash = hash;
    char after[256];
    snprintf(after, sizeof after, "{\"name\":\"%s\",\"role\":\"%s\"}", name, role);
    if (store_begin_write(db, &err) != ST_OK || store_user_insert(db, &u, &err) != ST_OK ||
        audit_record(db, actor, "create", "user", u.id, NULL, after, &err) != ST_OK ||
        store_commit(db, &err) != ST_OK) {
        store_rollback(db);
        fprintf(stderr, "switchyard: cannot create user %s: %s\n", name, err.detail);
        return -1;
    }
    return 0;
}

/* set-role, disable, enable, reset-password: one audited change. */
static int update_user(sy_db *db, const char *sub, const char *name, const char *new_role,
                       arena *a)
{
    int rc = 1;
    store_err err;
    user_rec u;
    char password[256] = "", hash[128];
    int generated = 0;
    if (strcmp(sub, "reset-password") == 0 &&
        (cli_obtain_password(password, sizeof password, &generated) != 0 ||
         auth_hash_password(password, hash) != 0)) {
        return 1;
    }
    if (strcmp(sub, "set-role") == 0 && role_parse(new_role) == ROLE_UNSET) {
        fprintf(stderr, "switchyard: role must be viewer, architect, auditor or admin\n");
        return 1;
    }
    if (store_begin_write(db, &err) != ST_OK ||
        store_user_by_name(db, name, a, &u, &err) != ST_OK) {
        store_rollback(db);
        fprintf(stderr, "switchyard: %s: %s\n", name, err.detail);
        return 1;
    }
    char before[256], after[256];
    snprintf(before, sizeof before, "{\"name\":\"%s\",\"role\":\"%s\",\"disabled\":%s}",
             u.name, u.role, u.disabled ? "true" : "false");
    const char *old_role = u.role;
    int was_disabled = u.disabled;
    if (strcmp(sub, "set-role") == 0)
        u.role = new_role;
    u.disabled = strcmp(sub, "disable") == 0 ? 1 : strcmp(sub, "enable") == 0 ? 0 : u.disabled;
    u.password_hash = password[0] ? hash : NULL;
    snprintf(after, sizeof after, "{\"name\":\"%s\",\"role\":\"%s\",\"disabled\":%s}",
             u.name, u.role, u.disabled ? "true" : "false");
    /* As the users API: a reset, a role change or disabling revokes the
     * user's tokens; a reset or enabling clears the sign-in failures. */
    const char *why = password[0]                          ? "password reset"
                      : strcmp(u.role, old_role) != 0      ? "role changed"
                      : u.disabled && !was_disabled        ? "user disabled"
                                                           : NULL;
    if (store_user_update(db, &u, &err) == ST_OK &&
        ((!password[0] && !u.disabled) || store_session_delete_user(db, u.id, &err) == ST_OK) &&
        ((!password[0] && (u.disabled || !was_disabled)) ||
         store_failure_clear(db, u.name, NULL, &err) == ST_OK) &&
        (!why || tokens_revoke(db, "system:cli", u.id, 0, why, a, NULL, &err) == ST_OK) &&
        audit_record(db, "system:cli", password[0] ? "reset_password" : "update", "user",
                     u.id, before, after, &err) == ST_OK &&
        store_commit(db, &err) == ST_OK) {
        if (generated)
            printf("new password for %s (shown once): %s\n", name, password);
        else
            printf("user %s updated\n", name);
        rc = 0;
    } else {
        store_rollback(db);
        fprintf(stderr, "switchyard: %s\n", err.detail);
    }
    sodium_memzero(password, sizeof password);
    return rc;
}

int cli_user(sy_db *db, const char *const *args, int n_args, const char *role)
{
    const char *sub = n_args > 0 ? args[0] : "";
    const char *name = n_args > 1 ? args[1] : NULL;
    store_err err;
    arena a;
    arena_init(&a);
    int rc = 1;
    if (strcmp(sub, "list") == 0) {
        user_rec *users;
        size_t n;
        if (store_user_list(db, &a, &users, &n, &err) == ST_OK) {
            for (size_t i = 0; i < n; i++)
                printf("%-24s %-10s %s\n", users[i].name, users[i].role,
                       users[i].disabled ? "disabled" : "active");
            rc = 0;
        }
    } else if (strcmp(sub, "add") == 0 && name) {
        char password[256];
        int generated;
        if (!role)
            fprintf(stderr, "switchyard: user add needs --role\n");
        else if (cli_obtain_password(password, sizeof password, &generated) == 0 &&
                 cli_create_user(db, name, role, password, "system:cli") == 0) {
            if (generated)
                printf("user %s (%s) created; password (shown once): %s\n", name, role, password);
            else
                printf("user %s (%s) created\n", name, role);
            rc = 0;
        }
        sodium_memzero(password, sizeof password);
    } else if ((strcmp(sub, "set-role") == 0 && name && n_args > 2) ||
               ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0 ||
                 strcmp(sub, "reset-password") == 0) && name)) {
        rc = update_user(db, sub, name, n_args > 2 ? args[2] : NULL, &a);
    } else {
        fprintf(stderr, "switchyard: usage: switchyard user add NAME --role ROLE | list | "
                        "set-role NAME ROLE | disable NAME | enable NAME | reset-password NAME\n");
        rc = 2;
    }
    arena_free(&a);
    return rc;
}

