/* model.h - the domain entities as plain structs (see shared domain.md).
 *
 * Strings and arrays point into an arena owned by whoever filled the
 * struct; nothing here frees. Enumerations are kept as the exact strings the
 * API uses and are checked against the tables below on the way in. IDs are
 * positive; 0 means "none" for optional references. Money is held in cents. */
#ifndef SY_MODEL_H
#define SY_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* NULL-terminated tables of the allowed values of each enumeration. */
extern const char *const TRACKS[];          /* copilot azure openai other */
extern const char *const CATEGORIES[];
extern const char *const INTERFACES[];
extern const char *const CONTRACT_KINDS[];
extern const char *const EXIT_CLAUSES[];
extern const char *const SUBSTITUTABILITY[];
extern const char *const TERM_KINDS[];
extern const char *const STATUSES[];
extern const char *const CRITICALITIES[];
extern const char *const CLASSIFICATIONS[];
extern const char *const AI_ACT_TIERS[];
extern const char *const DEP_ROLES[];

/* Index of s in a NULL-terminated table, or -1. */
int enum_index(const char *const *table, const char *s);
/* Writes "a, b or c" into out, for error messages. */
void enum_list(const char *const *table, char *out, size_t size);

typedef struct vendor_link {
    int64_t vendor;            /* the other vendor */
    const char *reason;
} vendor_link;

typedef struct vendor {
    int64_t id;
    const char *name;
    int64_t parent;            /* 0: top of its group */
    const char *website;
    const char *country;
    const char *lei;           /* ISO 17442 Legal Entity Identifier, or "" */
    const char *description;
    vendor_link *connections;
    size_t n_connections;
    /* read-only */
    int64_t version;
    const char *created_at, *updated_at;
    int64_t group_id;          /* top of the parent chain */
    const char *group_name;
} vendor;

typedef struct offering {
    int64_t id;
    const char *name;
    int64_t provider, publisher, host;   /* vendor IDs; publisher/host 0 = none */
    const char *track;
    const char *category;
    const char *interface;
    int open_weight;
    const char *description;
    const char *url;
    int64_t version;
    const char *created_at, *updated_at;
} offering;

typedef struct contract_term {
    const char *kind;
    const char *text;
    const char *effective;     /* date or NULL */
    const char *until;         /* date or NULL */
} contract_term;

typedef struct contract {
    int64_t id;
    const char *name;
    const char *kind;          /* customer | upstream */
    int64_t counterparty;
    int64_t other_party;       /* upstream only; 0 otherwise */
    int64_t *offerings;
    size_t n_offerings;
    const char *start_date;
    const char *end_date;      /* NULL: open-ended */
    int64_t notice_days;
    int auto_renew;
    int64_t renewal_months;
    int64_t annual_value;      /* cents */
    const char *currency;
    int64_t committed_spend;   /* cents */
    int exclusive;
    const char *exit_clause;
    int data_portability;
    const char *substitutability;
    const char *exit_plan;
    const char *notes;
    contract_term *terms;
    size_t n_terms;
    int64_t version;
    const char *created_at, *updated_at;
} contract;

typedef struct dependency {
    int64_t offering;
    const char *role;
} dependency;

typedef struct workload {
    int64_t id;
    const char *name;
    const char *purpose;
    const char *owner;
    const char *team;
    const char *track;
    const char *status;
    const char *criticality;
    const char *data_classification;
    int64_t users;
    int64_t monthly_spend;     /* cents */
    const char *planned_end;   /* date or NULL */
    const char *ai_act_tier;
    int swap_layer;
    int second_model_validated;
    const char **features;     /* proprietary features relied on */
    size_t n_features;
    dependency *dependencies;
    size_t n_dependencies;
    const char *notes;
    int64_t version;
    const char *created_at, *updated_at;
} workload;

/* A person who signs in. password_hash is libsodium's crypto_pwhash_str. */
typedef struct user_rec {
    int64_t id;
    const char *name;
    const char *role;
    const char *password_hash;
    int disabled;
    int64_t version;
    const char *created_at, *updated_at;
} user_rec;

/* An API token; only the SHA-256 of its secret is kept. */
typedef struct token_rec {
    int64_t id;
    int64_t user_id;
    const char *user_name;     /* read-only, joined */
    const char *name;
    const char *prefix;
    const char *token_hash;
    const char *role;
    const char *created_at;
    const char *last_used_at;
    const char *expires_at;
    const char *revoked_at;
    int may_create_tokens;     /* may create further tokens (issue 18) */
    int64_t parent_id;         /* the token that created it; 0: a session */
} token_rec;

/* A saved what-if scenario; `changes` is its validated JSON text. */
typedef struct saved_scenario {
    int64_t id;
    const char *name;
    const char *description;
    const char *owner;
    const char *changes;
    int64_t version;
    const char *created_at, *updated_at;
} saved_scenario;

#endif
