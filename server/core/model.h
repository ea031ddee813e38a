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

/* The value of a nullable whole number (FK_INT with FD_NULLABLE) that is
 * null: not known (a workload's users). Never a real value. */
#define SY_INT_NULL INT64_MIN

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
extern const char *const VENDOR_KINDS[];    /* company self */
extern const char *const DRILL_RESULTS[];   /* passed failed */
/* DORA register of information (issue 17): ICT service types S01..S19 (ITS
 * 2024/2956 Annex III, core/dora_templates.c), why a provider is hard to
 * substitute, whether a service could be brought back in house, the impact
 * of discontinuing it, and whether a function is critical or important. */
extern const char *const ICT_SERVICE_TYPES[];
extern const char *const SUBSTITUTION_REASONS[];
extern const char *const REINTEGRATION[];
extern const char *const DORA_IMPACTS[];
extern const char *const FUNCTION_CRITICAL[];
/* EU AI Act (Regulation (EU) 2024/1689) Annex III: the eight areas of
 * high-risk AI systems, points 1-8, in order. */
extern const char *const ANNEX_III_AREAS[];
extern const char *const FRIA_STATUSES[];   /* not_required planned done (Art. 27) */

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
    const char *kind;          /* company | self (the organisation itself) */
    const char *description;
    const char *source;        /* where the facts come from (URL or document) */
    const char *as_of;         /* date they were checked, or NULL */
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
    const char **regions;      /* where it processes data (e.g. EU, US) */
    size_t n_regions;
    const char *model_version; /* models: the vendor's version name, or "" */
    const char *released;      /* lifecycle dates, or NULL */
    const char *deprecated;
    const char *retires;
    int64_t successor;         /* offering that replaces it; 0: none */
    const char *description;
    const char *url;
    const char *source;
    const char *as_of;
    int64_t version;
    const char *created_at, *updated_at;
} offering;

typedef struct contract_term {
    const char *kind;
    const char *text;
    const char *effective;     /* date or NULL */
    const char *until;         /* date or NULL */
    /* Scope: the offerings the term bears on, as groups (any vendor of the
     * group matches) of provider, publisher and host, and a track; 0/NULL
     * matches any. A term with no scope at all bears on the contract's own
     * offerings. */
    int64_t scope_provider, scope_publisher, scope_host;
    const char *scope_track;
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
    const char *committed_until; /* date the commitment ends, or NULL */
    int exclusive;
    const char *exclusive_until; /* date exclusivity ends, or NULL */
    const char *exit_clause;
    int data_portability;
    const char *substitutability;
    const char *exit_plan;
    const char *exit_plan_tested; /* date the exit plan was last tested, or NULL */
    const char *governing_law;    /* ISO 3166 country, or "" */
    const char *reference;        /* DORA contractual arrangement reference number, or "" */
    const char *ict_service_type; /* S01..S19 (DORA), or NULL */
    const char *substitution_reason; /* why hard to substitute, or NULL */
    const char *reintegration;    /* easy | difficult | highly_complex, or NULL */
    const char *discontinuing_impact; /* low | medium | high, or NULL */
    const char *notes;
    const char *source;
    const char *as_of;
    contract_term *terms;
    size_t n_terms;
    int64_t version;
    const char *created_at, *updated_at;
} contract;

typedef struct dependency {
    int64_t offering;
    const char *role;
} dependency;

/* A named offering that could replace one of the workload's dependencies. */
typedef struct alternative {
    int64_t dependency;        /* the offering it replaces (a dependency's) */
    int64_t offering;          /* the replacement */
} alternative;

/* An exit drill: the workload was run on an alternative, with a result. */
typedef struct exit_drill {
    int64_t id;
    int64_t workload;
    int64_t dependency;        /* the offering replaced */
    int64_t offering;          /* the alternative drilled */
    const char *drilled_on;    /* date */
    const char *result;        /* passed | failed */
    const char *evidence;
    const char *recorded_by;
    const char *created_at;
} exit_drill;

/* A named owner accepts a workload's lock-in for a reason until expires_on
 * (inclusive). Revoked ones no longer count. */
typedef struct risk_acceptance {
    int64_t id;
    int64_t workload;
    const char *owner;
    const char *reason;
    const char *expires_on;    /* date */
    const char *created_by;
    const char *created_at;
    const char *revoked_at;    /* NULL while in force */
    const char *revoked_by;
} risk_acceptance;

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
    int64_t users;             /* SY_INT_NULL: not known */
    int64_t monthly_spend;     /* cents */
    const char *planned_end;   /* date or NULL */
    const char *ai_act_tier;
    int swap_layer;
    const char **allowed_regions; /* where its data may be processed; none: anywhere */
    size_t n_allowed_regions;
    const char *oversight_owner;  /* AI Act human oversight, or "" */
    const char *impact_assessment; /* date of the fundamental-rights impact assessment, or NULL */
    const char *function_id;   /* DORA: the function it supports (F1, ...), or "" */
    const char *function_name;
    const char *function_critical; /* yes | no | not_assessed, or NULL */
    int64_t rto_hours, rpo_hours;  /* recovery time / point objectives; -1: not set */
    /* EU AI Act deployer register (Art. 26, 27) */
    const char *annex_iii_area;   /* ANNEX_III_AREAS, or NULL: none */
    int64_t ai_system_provider;   /* vendor providing the AI system; 0: not recorded */
    const char *intended_purpose;
    int64_t log_retention_months; /* how long its logs are kept; 0: not recorded */
    const char *fria_status;      /* FRIA_STATUSES, or NULL: not assessed */
    const char *persons_informed; /* date affected persons were informed, or NULL */
    const char *incident_contact;
    const char **features;     /* proprietary features relied on */
    size_t n_features;
    dependency *dependencies;
    size_t n_dependencies;
    alternative *alternatives;
    size_t n_alternatives;
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
