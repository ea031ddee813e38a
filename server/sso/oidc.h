/* oidc.h - OpenID Connect sign-in, the relying party's side: the settings
 * (command line, else environment), the provider's metadata from discovery
 * and its JWK Set (cached, fetched again when a token names an unknown
 * key), the sign-ins under way (state, nonce, PKCE verifier: kept here,
 * in memory, for ten minutes, used once), and the code exchange at the
 * token endpoint (libcurl) ending in a checked ID token (idtoken.h).
 * One provider per server. */
#ifndef SY_OIDC_H
#define SY_OIDC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/roles.h"
#include "sso/claims.h"

/* The settings, after oidc_setup. */
typedef struct oidc_settings {
    const char *issuer;
    const char *client_id;
    const char *client_secret;
    const char *redirect_base;   /* "https://switchyard.example.com", or NULL: from Host */
    const char *scopes;          /* default "openid profile email" */
    const char *groups_claim;    /* default "groups" */
    const char *name_claim;      /* default "preferred_username" */
    const char *provider_name;   /* the button's "Sign in with ..."; default "SSO" */
    role_map roles;
    sy_role default_role;        /* ROLE_UNSET: users of no mapped group are refused */
    int password_admins_only;    /* password sign-in only for admins */
} oidc_settings;

/* A command-line option: 1 if `flag` is not one of ours, 0 when taken, -1
 * (message on stderr) when bad. *used says whether value was consumed. */
int oidc_option(const char *flag, const char *value, int *used);
/* Completes the settings from the environment (SWITCHYARD_OIDC_*) and
 * checks them; fetches nothing yet. 0 (configured or not), or -1 with the
 * message on stderr. Call once, before serving. */
int oidc_setup(void);
/* The settings, or NULL when single sign-on is not configured. */
const oidc_settings *oidc_get(void);

enum {
    OIDC_OK = 0,
    OIDC_BAD_STATE = 1,   /* unknown, used or expired state: start again */
    OIDC_REFUSED = 2,     /* the provider or the token said no */
    OIDC_UPSTREAM = 3     /* the provider cannot be reached or answers nonsense */
};

/* Starts a sign-in: the provider's authorization URL for redirect_uri
 * (with a fresh state, nonce and S256 code challenge) into url, and the
 * state, which the caller also binds to the browser (a cookie). `next` is
 * kept for the end. OIDC_OK or OIDC_UPSTREAM with why. */
int oidc_begin(const char *redirect_uri, const char *next, char *url, size_t url_size,
               char state[64], char *why, size_t size);

/* Ends a sign-in: takes the state (once), exchanges the code with the
 * verifier, checks the ID token at `now`. OIDC_OK with *claims (the
 * caller frees) and next, or another code with why. */
int oidc_finish(const char *state, const char *code, int64_t now, json_t **claims,
                char *next, size_t next_size, char *why, size_t size);

#endif
