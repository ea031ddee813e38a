/* settings.c - single sign-on settings: --oidc-* options on the command
 * line, else SWITCHYARD_OIDC_* in the environment. The client secret is
 * never an option's value (command lines are visible to every local user):
 * it comes from a file (--oidc-client-secret-file) or the environment. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "sso/oidc.h"

static oidc_settings S;
static int configured;
static const char *role_map_text, *default_role_text, *secret_file, *password_mode;

typedef struct option {
    const char *flag, *env;
    const char **slot;
} option;

static const option OPTIONS[] = {
    {"--oidc-issuer", "SWITCHYARD_OIDC_ISSUER", &S.issuer},
    {"--oidc-client-id", "SWITCHYARD_OIDC_CLIENT_ID", &S.client_id},
    {"--oidc-client-secret-file", "SWITCHYARD_OIDC_CLIENT_SECRET_FILE", &secret_file},
    {"--oidc-redirect-base", "SWITCHYARD_OIDC_REDIRECT_BASE", &S.redirect_base},
    {"--oidc-scopes", "SWITCHYARD_OIDC_SCOPES", &S.scopes},
    {"--oidc-groups-claim", "SWITCHYARD_OIDC_GROUPS_CLAIM", &S.groups_claim},
    {"--oidc-name-claim", "SWITCHYARD_OIDC_NAME_CLAIM", &S.name_claim},
    {"--oidc-provider-name", "SWITCHYARD_OIDC_PROVIDER_NAME", &S.provider_name},
    {"--oidc-role-map", "SWITCHYARD_OIDC_ROLE_MAP", &role_map_text},
    {"--oidc-default-role", "SWITCHYARD_OIDC_DEFAULT_ROLE", &default_role_text},
    {"--password-sign-in", "SWITCHYARD_PASSWORD_SIGN_IN", &password_mode},
    {NULL, NULL, NULL}};

int oidc_option(const char *flag, const char *value, int *used)
{
    *used = 0;
    for (const option *o = OPTIONS; o->flag; o++) {
        if (strcmp(flag, o->flag) != 0)
            continue;
        if (!value) {
            fprintf(stderr, "switchyard: %s needs a value\n", flag);
            return -1;
        }
        *o->slot = value;
        *used = 1;
        return 0;
    }
    if (strcmp(flag, "--oidc-client-secret") == 0) {
        fprintf(stderr, "switchyard: the client secret is not taken on the command line; use "
                        "--oidc-client-secret-file FILE or SWITCHYARD_OIDC_CLIENT_SECRET\n");
        return -1;
    }
    return 1;
}

/* http only to this machine (a local test provider); https elsewhere. */
static int url_allowed(const char *url)
{
    return strncmp(url, "https://", 8) == 0 || strncmp(url, "http://127.0.0.1", 16) == 0 ||
           strncmp(url, "http://localhost", 16) == 0 || strncmp(url, "http://[::1]", 12) == 0;
}

static int bad(const char *what)
{
    fprintf(stderr, "switchyard: single sign-on: %s\n", what);
    return -1;
}

static int read_secret(void)
{
    const char *env = getenv("SWITCHYARD_OIDC_CLIENT_SECRET");
    if (!secret_file && env && *env) {
        S.client_secret = env;
        return 0;
    }
    if (!secret_file)
        return bad("a client secret is needed: --oidc-client-secret-file FILE or "
                   "SWITCHYARD_OIDC_CLIENT_SECRET");
    char *data;
    size_t len;
    if (file_read_all(secret_file, 4096, &data, &len) != 0) {
        fprintf(stderr, "switchyard: single sign-on: cannot read the client secret file %s\n",
                secret_file);
        return -1;
    }
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r' || data[len - 1] == ' '))
        data[--len] = '\0';
    if (len == 0) {
        free(data);
        return bad("the client secret file is empty");
    }
    S.client_secret = data; /* kept for the life of the process */
    return 0;
}

static int check_mode_and_roles(void)
{
    char why[256];
    if (role_map_parse(role_map_text, &S.roles, why, sizeof why) != 0)
        return bad(why);
    S.default_role = ROLE_UNSET;
    if (default_role_text && *default_role_text &&
        (S.default_role = role_parse(default_role_text)) == ROLE_UNSET)
        return bad("--oidc-default-role must be viewer, architect, auditor, leadership or admin");
    if (S.roles.n == 0 && S.default_role == ROLE_UNSET)
        return bad("--oidc-role-map (or --oidc-default-role) is needed: "
                   "nobody could sign in otherwise");
    if (password_mode && strcmp(password_mode, "admins") != 0 && strcmp(password_mode, "all") != 0)
        return bad("--password-sign-in must be all or admins");
    S.password_admins_only = password_mode && strcmp(password_mode, "admins") == 0;
    return 0;
}

int oidc_setup(void)
{
    for (const option *o = OPTIONS; o->flag; o++)
        if (!*o->slot && getenv(o->env) && *getenv(o->env))
            *o->slot = getenv(o->env);
    if (!S.issuer || !*S.issuer) {
        if (S.client_id || role_map_text)
            return bad("--oidc-issuer is needed with the other --oidc-* settings");
        if (password_mode && strcmp(password_mode, "all") != 0)
            return bad("--password-sign-in admins needs single sign-on configured");
        return 0;
    }
    if (!url_allowed(S.issuer))
        return bad("the issuer must be an https:// URL (http:// only for this machine)");
    if (S.redirect_base && !url_allowed(S.redirect_base))
        return bad("the redirect base must be an https:// URL (http:// only for this machine)");
    if (!S.client_id || !*S.client_id)
        return bad("--oidc-client-id is needed");
    if (read_secret() != 0 || check_mode_and_roles() != 0)
        return -1;
    if (!S.scopes)
        S.scopes = "openid profile email";
    if (!strstr(S.scopes, "openid"))
        return bad("the scopes must include openid");
    if (!S.groups_claim)
        S.groups_claim = "groups";
    if (!S.name_claim)
        S.name_claim = "preferred_username";
    if (!S.provider_name)
        S.provider_name = "SSO";
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return bad("cannot start libcurl");
    configured = 1;
    return 0;
}

const oidc_settings *oidc_get(void)
{
    return configured ? &S : NULL;
}
