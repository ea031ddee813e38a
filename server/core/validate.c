/* validate.c - the table-driven validation engine and each entity's table.
 * See validate.h for the contract. */
#include "validate.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "core/errors.h"
#include "core/scenario.h"

/* ---- field specs -------------------------------------------------------- */

typedef enum {
    F_STR,       /* string; min/max are lengths in bytes */
    F_ENUM,      /* string from enum_table */
    F_BOOL,
    F_INT,       /* integer in [min, max] */
    F_MONEY,     /* non-negative amount, at most max, held in cents */
    F_DATE,      /* YYYY-MM-DD naming a real day */
    F_REF,       /* positive integer ID of another entity */
    F_CUSTOM,    /* parsed by custom() */
    F_READONLY   /* accepted and ignored */
} ftype;

enum {
    F_REQUIRED = 1,    /* must be present */
    F_NULLABLE = 2,    /* null allowed (stored as NULL / 0) */
    F_ONELINE = 4,     /* no control characters */
    F_URL = 8,         /* empty or http(s)://... */
    F_UPPER2 = 16,     /* empty or two capital letters (ISO 3166) */
    F_UPPER3 = 32      /* three capital letters (ISO 4217) */
};

typedef struct field_spec field_spec;
typedef int (*custom_fn)(const field_spec *f, const json_t *v, const char *ptr,
                         arena *a, void *obj, sy_errors *e);

struct field_spec {
    const char *name;
    ftype type;
    int flags;
    size_t offset;
    int64_t min, max;
    const char *const *enum_table;
    const char *def;       /* default for an absent optional string/enum */
    custom_fn custom;
};

#define AT(type, field) offsetof(type, field)
#define SLOT(obj, off, T) ((T *)(void *)((char *)(obj) + (off)))

static int valid_string(const field_spec *f, const char *s, const char *ptr,
                        sy_errors *e)
{
    size_t n = strlen(s);
    if ((int64_t)n < f->min) {
        errors_add(e, ptr, f->min == 1 ? "must not be empty"
                                       : "must be at least %lld characters",
                   (long long)f->min);
        return -1;
    }
    if ((int64_t)n > f->max) {
        errors_add(e, ptr, "must be at most %lld characters", (long long)f->max);
        return -1;
    }
    if (f->min > 0) {
        const char *p = s;
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p) {
            errors_add(e, ptr, "must not be blank");
            return -1;
        }
    }
    if (f->flags & F_ONELINE) {
        for (const char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f) {
                errors_add(e, ptr, "must be a single line without control characters");
                return -1;
            }
    }
    if ((f->flags & F_URL) && n > 0 && strncmp(s, "https://", 8) != 0 &&
        strncmp(s, "http://", 7) != 0) {
        errors_add(e, ptr, "must be an http:// or https:// address, or empty");
        return -1;
    }
    if ((f->flags & F_UPPER2) && n > 0 &&
        !(n == 2 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]))) {
        errors_add(e, ptr, "must be a two-letter ISO 3166 country code such as \"US\"");
        return -1;
    }
    if (f->flags & F_UPPER3) {
        if (!(n == 3 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
              isupper((unsigned char)s[2]))) {
            errors_add(e, ptr, "must be a three-letter ISO 4217 currency code such as \"USD\"");
            return -1;
        }
    }
    return 0;
}

int json_to_cents(const json_t *v, int64_t *cents)
{
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i > INT64_MAX / 100 || i < INT64_MIN / 100)
            return -1;
        *cents = (int64_t)i * 100;
        return 0;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v) * 100.0;
        if (!isfinite(d) || fabs(d) > 9e15)
            return -1;
        double r = round(d);
        /* Allow only the rounding error of the double (~1e-16 relative);
         * a relative 1e-6 let 10000.001 through as 10000.00. */
        if (fabs(r - d) > 1e-6 + fabs(d) * 1e-14)
            return -1; /* more precision than cents */
        *cents = (int64_t)r;
        return 0;
    }
    return -1;
}

static int apply_field(const field_spec *f, const json_t *v, const char *ptr,
                       arena *a, void *obj, sy_errors *e)
{
    char what[256];
    if (json_is_null(v) && f->type != F_CUSTOM && f->type != F_READONLY) {
        if (!(f->flags & F_NULLABLE)) {
            errors_add(e, ptr, "must not be null");
            return -1;
        }
        if (f->type == F_REF)
            *SLOT(obj, f->offset, int64_t) = 0;
        else
            *SLOT(obj, f->offset, const char *) = NULL;
        return 0;
    }
    switch (f->type) {
    case F_STR:
        if (!json_is_string(v)) {
            errors_add(e, ptr, "must be a string");
            return -1;
        }
        if (valid_string(f, json_string_value(v), ptr, e) != 0)
            return -1;
        *SLOT(obj, f->offset, const char *) = json_string_value(v);
        return 0;
    case F_ENUM:
        if (!json_is_string(v) || enum_index(f->enum_table, json_string_value(v)) < 0) {
            enum_list(f->enum_table, what, sizeof what);
            errors_add(e, ptr, "must be one of %s", what);
            return -1;
        }
        *SLOT(obj, f->offset, const char *) = json_string_value(v);
        return 0;
    case F_BOOL:
        if (!json_is_boolean(v)) {
            errors_add(e, ptr, "must be true or false");
            return -1;
        }
        *SLOT(obj, f->offset, int) = json_is_true(v);
        return 0;
    case F_INT:
        if (!json_is_integer(v) || json_integer_value(v) < f->min ||
            json_integer_value(v) > f->max) {
            errors_add(e, ptr, "must be a whole number from %lld to %lld",
                       (long long)f->min, (long long)f->max);
            return -1;
        }
        *SLOT(obj, f->offset, int64_t) = (int64_t)json_integer_value(v);
        return 0;
    case F_MONEY: {
        int64_t cents;
        if (!json_is_number(v) || json_to_cents(v, &cents) != 0 || cents < 0 ||
            cents > f->max * 100) {
            errors_add(e, ptr, "must be an amount from 0 to %lld with at most two decimals",
                       (long long)f->max);
            return -1;
        }
        *SLOT(obj, f->offset, int64_t) = cents;
        return 0;
    }
    case F_DATE: {
        int64_t days;
        if (!json_is_string(v) || date_parse(json_string_value(v), &days) != 0) {
            errors_add(e, ptr, "must be a real date written YYYY-MM-DD");
            return -1;
        }
        *SLOT(obj, f->offset, const char *) = json_string_value(v);
        return 0;
    }
    case F_REF:
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            errors_add(e, ptr, "must be the numeric ID of an existing record");
            return -1;
        }
        *SLOT(obj, f->offset, int64_t) = (int64_t)json_integer_value(v);
        return 0;
    case F_CUSTOM:
        return f->custom(f, v, ptr, a, obj, e);
    case F_READONLY:
        return 0;
    }
    return -1;
}

static void apply_default(const field_spec *f, void *obj)
{
    switch (f->type) {
    case F_STR:
    case F_ENUM:
        *SLOT(obj, f->offset, const char *) = (f->flags & F_NULLABLE) && !f->def ? NULL
                                              : (f->def ? f->def : "");
        break;
    case F_DATE:
        *SLOT(obj, f->offset, const char *) = NULL;
        break;
    case F_BOOL:
        *SLOT(obj, f->offset, int) = 0;
        break;
    case F_INT:
    case F_MONEY:
    case F_REF:
        *SLOT(obj, f->offset, int64_t) = 0;
        break;
    case F_CUSTOM:
    case F_READONLY:
        break;
    }
}

/* Walks `in` against the spec table; fills obj. */
static int from_json(const field_spec *spec, const json_t *in, const char *base,
                     arena *a, void *obj, sy_errors *e)
{
    char ptr[128];
    /* Failure is tracked here, not by e->count: the error list stops
     * growing at SY_MAX_ERRORS, and a nested object that failed after
     * that point must still fail (its fields are not filled in). */
    int bad = 0;
    if (!json_is_object(in)) {
        errors_add(e, base[0] ? base : "", "must be a JSON object");
        return -1;
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)in, key, value) {
        const field_spec *f = spec;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        if (!f->name) {
            pointer_join(ptr, sizeof ptr, base, key);
            errors_add(e, ptr, "is not a known field");
            bad = 1;
        }
    }
    for (const field_spec *f = spec; f->name; f++) {
        json_t *v = json_object_get(in, f->name);
        pointer_join(ptr, sizeof ptr, base, f->name);
        if (!v) {
            if (f->flags & F_REQUIRED) {
                errors_add(e, ptr, "is required");
                bad = 1;
                continue;
            }
            apply_default(f, obj);
            if (f->type == F_CUSTOM && f->custom(f, NULL, ptr, a, obj, e) != 0)
                bad = 1;
            continue;
        }
        if (apply_field(f, v, ptr, a, obj, e) != 0)
            bad = 1;
    }
    return bad ? -1 : 0;
}

/* ---- custom fields ------------------------------------------------------- */

/* The shape of an array field: checks type and size, returns the count. */
static int array_of(const json_t *v, const char *ptr, size_t max, sy_errors *e)
{
    if (!json_is_array(v)) {
        errors_add(e, ptr, "must be an array");
        return -1;
    }
    if (json_array_size(v) > max) {
        errors_add(e, ptr, "must have at most %zu entries", max);
        return -1;
    }
    return (int)json_array_size(v);
}

static const field_spec LINK_SPEC[] = {
    {"vendor", F_REF, F_REQUIRED, AT(vendor_link, vendor), 0, 0, NULL, NULL, NULL},
    {"reason", F_STR, F_ONELINE, AT(vendor_link, reason), 0, 300, NULL, NULL, NULL},
    {NULL, F_READONLY, 0, 0, 0, 0, NULL, NULL, NULL}};

static int custom_connections(const field_spec *f, const json_t *v, const char *ptr,
                              arena *a, void *obj, sy_errors *e)
{
    (void)f;
    vendor *out = obj;
    out->connections = NULL;
    out->n_connections = 0;
    if (!v)
        return 0;
    int n = array_of(v, ptr, 32, e);
    if (n <= 0)
        return n;
    out->connections = arena_alloc(a, sizeof(vendor_link) * (size_t)n);
    if (!out->connections) {
        errors_add(e, ptr, "too large");
        return -1;
    }
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char item[128], idx[16];
        snprintf(idx, sizeof idx, "%d", i);
        pointer_join(item, sizeof item, ptr, idx);
        if (from_json(LINK_SPEC, json_array_get(v, (size_t)i), item, a,
                      &out->connections[i], e) != 0) {
            bad = 1;
            continue;
        }
        for (int j = 0; j < i; j++)
            if (out->connections[j].vendor == out->connections[i].vendor) {
                errors_add(e, item, "names the same vendor twice");
                bad = 1;
            }
    }
    out->n_connections = (size_t)n;
    return bad ? -1 : 0;
}

static int custom_offering_ids(const field_spec *f, const json_t *v, const char *ptr,
                               arena *a, void *obj, sy_errors *e)
{
    (void)f;
    contract *out = obj;
    out->offerings = NULL;
    out->n_offerings = 0;
    if (!v)
        return 0;
    int n = array_of(v, ptr, 200, e);
    if (n <= 0)
        return n;
    out->offerings = arena_alloc(a, sizeof(int64_t) * (size_t)n);
    if (!out->offerings)
        return -1;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char item[128], idx[16];
        snprintf(idx, sizeof idx, "%d", i);
        pointer_join(item, sizeof item, ptr, idx);
        json_t *id = json_array_get(v, (size_t)i);
        if (!json_is_integer(id) || json_integer_value(id) < 1) {
            errors_add(e, item, "must be the numeric ID of an existing offering");
            bad = 1;
            continue;
        }
        out->offerings[i] = (int64_t)json_integer_value(id);
        for (int j = 0; j < i; j++)
            if (out->offerings[j] == out->offerings[i]) {
                errors_add(e, item, "names the same offering twice");
                bad = 1;
            }
    }
    out->n_offerings = (size_t)n;
    return bad ? -1 : 0;
}

static const field_spec TERM_SPEC[] = {
    {"kind", F_ENUM, F_REQUIRED, AT(contract_term, kind), 0, 0, TERM_KINDS, NULL, NULL},
    {"text", F_STR, F_REQUIRED | F_ONELINE, AT(contract_term, text), 1, 500, NULL, NULL, NULL},
    {"effective", F_DATE, F_NULLABLE, AT(contract_term, effective), 0, 0, NULL, NULL, NULL},
    {"until", F_DATE, F_NULLABLE, AT(contract_term, until), 0, 0, NULL, NULL, NULL},
    {NULL, F_READONLY, 0, 0, 0, 0, NULL, NULL, NULL}};

static int custom_terms(const field_spec *f, const json_t *v, const char *ptr,
                        arena *a, void *obj, sy_errors *e)
{
    (void)f;
    contract *out = obj;
    out->terms = NULL;
    out->n_terms = 0;
    if (!v)
        return 0;
    int n = array_of(v, ptr, 50, e);
    if (n <= 0)
        return n;
    out->terms = arena_alloc(a, sizeof(contract_term) * (size_t)n);
    if (!out->terms)
        return -1;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char item[128], idx[16];
        snprintf(idx, sizeof idx, "%d", i);
        pointer_join(item, sizeof item, ptr, idx);
        contract_term *t = &out->terms[i];
        if (from_json(TERM_SPEC, json_array_get(v, (size_t)i), item, a, t, e) != 0) {
            bad = 1;
            continue;
        }
        int64_t from, until;
        if (t->effective && t->until && date_parse(t->effective, &from) == 0 &&
            date_parse(t->until, &until) == 0 && until < from) {
            char up[128];
            pointer_join(up, sizeof up, item, "until");
            errors_add(e, up, "must not be before effective");
            bad = 1;
        }
    }
    out->n_terms = (size_t)n;
    return bad ? -1 : 0;
}

static int custom_features(const field_spec *f, const json_t *v, const char *ptr,
                           arena *a, void *obj, sy_errors *e)
{
    (void)f;
    workload *out = obj;
    out->features = NULL;
    out->n_features = 0;
    if (!v)
        return 0;
    int n = array_of(v, ptr, 20, e);
    if (n <= 0)
        return n;
    out->features = arena_alloc(a, sizeof(char *) * (size_t)n);
    if (!out->features)
        return -1;
    static const field_spec feature = {"", F_STR, F_ONELINE, 0, 1, 120, NULL, NULL, NULL};
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char item[128], idx[16];
        snprintf(idx, sizeof idx, "%d", i);
        pointer_join(item, sizeof item, ptr, idx);
        json_t *s = json_array_get(v, (size_t)i);
        if (!json_is_string(s)) {
            errors_add(e, item, "must be a string");
            bad = 1;
            continue;
        }
        if (valid_string(&feature, json_string_value(s), item, e) != 0) {
            bad = 1;
            continue;
        }
        out->features[i] = json_string_value(s);
    }
    out->n_features = (size_t)n;
    return bad ? -1 : 0;
}

static const field_spec DEP_SPEC[] = {
    {"offering", F_REF, F_REQUIRED, AT(dependency, offering), 0, 0, NULL, NULL, NULL},
    {"role", F_ENUM, F_REQUIRED, AT(dependency, role), 0, 0, DEP_ROLES, NULL, NULL},
    {NULL, F_READONLY, 0, 0, 0, 0, NULL, NULL, NULL}};

static int custom_dependencies(const field_spec *f, const json_t *v, const char *ptr,
                               arena *a, void *obj, sy_errors *e)
{
    (void)f;
    workload *out = obj;
    out->dependencies = NULL;
    out->n_dependencies = 0;
    if (!v)
        return 0;
    int n = array_of(v, ptr, 32, e);
    if (n <= 0)
        return n;
    out->dependencies = arena_alloc(a, sizeof(dependency) * (size_t)n);
    if (!out->dependencies)
        return -1;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char item[128], idx[16];
        snprintf(idx, sizeof idx, "%d", i);
        pointer_join(item, sizeof item, ptr, idx);
        dependency *d = &out->dependencies[i];
        if (from_json(DEP_SPEC, json_array_get(v, (size_t)i), item, a, d, e) != 0) {
            bad = 1;
            continue;
        }
        for (int j = 0; j < i; j++)
            if (out->dependencies[j].offering == d->offering &&
                out->dependencies[j].role && /* NULL if item j was invalid */
                strcmp(out->dependencies[j].role, d->role) == 0) {
                errors_add(e, item, "repeats the same offering and role");
                bad = 1;
            }
    }
    out->n_dependencies = (size_t)n;
    return bad ? -1 : 0;
}

/* The changes of a saved scenario: checked as the evaluator would parse
 * them, then kept as compact JSON text. */
static int custom_changes(const field_spec *f, const json_t *v, const char *ptr,
                          arena *a, void *obj, sy_errors *e)
{
    (void)f;
    (void)ptr;
    saved_scenario *out = obj;
    out->changes = NULL;
    if (!v) {
        errors_add(e, "/changes", "is required");
        return -1;
    }
    scenario parsed;
    if (scenario_from_json(v, a, &parsed, e) != 0)
        return -1;
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text) {
        errors_add(e, "/changes", "could not be stored");
        return -1;
    }
    out->changes = arena_strdup(a, text);
    free(text);
    return out->changes ? 0 : -1;
}

/* ---- entity tables ------------------------------------------------------- */

#define RO(name) {name, F_READONLY, 0, 0, 0, 0, NULL, NULL, NULL}
#define END {NULL, F_READONLY, 0, 0, 0, 0, NULL, NULL, NULL}

static const field_spec VENDOR_SPEC[] = {
    RO("id"), RO("created_at"), RO("updated_at"), RO("group"),
    {"name", F_STR, F_REQUIRED | F_ONELINE, AT(vendor, name), 1, 120, NULL, NULL, NULL},
    {"parent", F_REF, F_NULLABLE, AT(vendor, parent), 0, 0, NULL, NULL, NULL},
    {"website", F_STR, F_ONELINE | F_URL, AT(vendor, website), 0, 300, NULL, NULL, NULL},
    {"country", F_STR, F_UPPER2, AT(vendor, country), 0, 2, NULL, NULL, NULL},
    {"description", F_STR, 0, AT(vendor, description), 0, 2000, NULL, NULL, NULL},
    {"connections", F_CUSTOM, 0, 0, 0, 0, NULL, NULL, custom_connections},
    END};

static const field_spec OFFERING_SPEC[] = {
    RO("id"), RO("created_at"), RO("updated_at"),
    {"name", F_STR, F_REQUIRED | F_ONELINE, AT(offering, name), 1, 120, NULL, NULL, NULL},
    {"provider", F_REF, F_REQUIRED, AT(offering, provider), 0, 0, NULL, NULL, NULL},
    {"publisher", F_REF, F_NULLABLE, AT(offering, publisher), 0, 0, NULL, NULL, NULL},
    {"host", F_REF, F_NULLABLE, AT(offering, host), 0, 0, NULL, NULL, NULL},
    {"track", F_ENUM, F_REQUIRED, AT(offering, track), 0, 0, TRACKS, NULL, NULL},
    {"category", F_ENUM, F_REQUIRED, AT(offering, category), 0, 0, CATEGORIES, NULL, NULL},
    {"interface", F_ENUM, F_REQUIRED, AT(offering, interface), 0, 0, INTERFACES, NULL, NULL},
    {"open_weight", F_BOOL, 0, AT(offering, open_weight), 0, 0, NULL, NULL, NULL},
    {"description", F_STR, 0, AT(offering, description), 0, 2000, NULL, NULL, NULL},
    {"url", F_STR, F_ONELINE | F_URL, AT(offering, url), 0, 300, NULL, NULL, NULL},
    END};

static const field_spec CONTRACT_SPEC[] = {
    RO("id"), RO("created_at"), RO("updated_at"), RO("notice_deadline"),
    {"name", F_STR, F_REQUIRED | F_ONELINE, AT(contract, name), 1, 160, NULL, NULL, NULL},
    {"kind", F_ENUM, F_REQUIRED, AT(contract, kind), 0, 0, CONTRACT_KINDS, NULL, NULL},
    {"counterparty", F_REF, F_REQUIRED, AT(contract, counterparty), 0, 0, NULL, NULL, NULL},
    {"other_party", F_REF, F_NULLABLE, AT(contract, other_party), 0, 0, NULL, NULL, NULL},
    {"offerings", F_CUSTOM, 0, 0, 0, 0, NULL, NULL, custom_offering_ids},
    {"start_date", F_DATE, F_REQUIRED, AT(contract, start_date), 0, 0, NULL, NULL, NULL},
    {"end_date", F_DATE, F_NULLABLE, AT(contract, end_date), 0, 0, NULL, NULL, NULL},
    {"notice_days", F_INT, 0, AT(contract, notice_days), 0, 3650, NULL, NULL, NULL},
    {"auto_renew", F_BOOL, 0, AT(contract, auto_renew), 0, 0, NULL, NULL, NULL},
    {"renewal_months", F_INT, 0, AT(contract, renewal_months), 0, 120, NULL, NULL, NULL},
    {"annual_value", F_MONEY, 0, AT(contract, annual_value), 0, 10000000000LL, NULL, NULL, NULL},
    {"currency", F_STR, F_UPPER3, AT(contract, currency), 3, 3, NULL, "USD", NULL},
    {"committed_spend", F_MONEY, 0, AT(contract, committed_spend), 0, 10000000000LL, NULL, NULL, NULL},
    {"exclusive", F_BOOL, 0, AT(contract, exclusive), 0, 0, NULL, NULL, NULL},
    {"exit_clause", F_ENUM, 0, AT(contract, exit_clause), 0, 0, EXIT_CLAUSES, "none", NULL},
    {"data_portability", F_BOOL, 0, AT(contract, data_portability), 0, 0, NULL, NULL, NULL},
    {"substitutability", F_ENUM, 0, AT(contract, substitutability), 0, 0, SUBSTITUTABILITY, "medium", NULL},
    {"exit_plan", F_STR, 0, AT(contract, exit_plan), 0, 4000, NULL, NULL, NULL},
    {"notes", F_STR, 0, AT(contract, notes), 0, 4000, NULL, NULL, NULL},
    {"terms", F_CUSTOM, 0, 0, 0, 0, NULL, NULL, custom_terms},
    END};

static const field_spec WORKLOAD_SPEC[] = {
    RO("id"), RO("created_at"), RO("updated_at"), RO("risk"),
    {"name", F_STR, F_REQUIRED | F_ONELINE, AT(workload, name), 1, 160, NULL, NULL, NULL},
    {"purpose", F_STR, 0, AT(workload, purpose), 0, 2000, NULL, NULL, NULL},
    {"owner", F_STR, F_ONELINE, AT(workload, owner), 0, 120, NULL, NULL, NULL},
    {"team", F_STR, F_ONELINE, AT(workload, team), 0, 120, NULL, NULL, NULL},
    {"track", F_ENUM, F_REQUIRED, AT(workload, track), 0, 0, TRACKS, NULL, NULL},
    {"status", F_ENUM, F_REQUIRED, AT(workload, status), 0, 0, STATUSES, NULL, NULL},
    {"criticality", F_ENUM, F_REQUIRED, AT(workload, criticality), 0, 0, CRITICALITIES, NULL, NULL},
    {"data_classification", F_ENUM, 0, AT(workload, data_classification), 0, 0, CLASSIFICATIONS, "internal", NULL},
    {"users", F_INT, 0, AT(workload, users), 0, 10000000, NULL, NULL, NULL},
    {"monthly_spend", F_MONEY, 0, AT(workload, monthly_spend), 0, 1000000000LL, NULL, NULL, NULL},
    {"planned_end", F_DATE, F_NULLABLE, AT(workload, planned_end), 0, 0, NULL, NULL, NULL},
    {"ai_act_tier", F_ENUM, 0, AT(workload, ai_act_tier), 0, 0, AI_ACT_TIERS, "minimal", NULL},
    {"swap_layer", F_BOOL, 0, AT(workload, swap_layer), 0, 0, NULL, NULL, NULL},
    {"second_model_validated", F_BOOL, 0, AT(workload, second_model_validated), 0, 0, NULL, NULL, NULL},
    {"proprietary_features", F_CUSTOM, 0, 0, 0, 0, NULL, NULL, custom_features},
    {"dependencies", F_CUSTOM, 0, 0, 0, 0, NULL, NULL, custom_dependencies},
    {"notes", F_STR, 0, AT(workload, notes), 0, 2000, NULL, NULL, NULL},
    END};

static const field_spec SCENARIO_SPEC[] = {
    RO("id"), RO("created_at"), RO("updated_at"),
    {"name", F_STR, F_REQUIRED | F_ONELINE, AT(saved_scenario, name), 1, 160, NULL, NULL, NULL},
    {"description", F_STR, 0, AT(saved_scenario, description), 0, 2000, NULL, NULL, NULL},
    {"owner", F_STR, F_ONELINE, AT(saved_scenario, owner), 0, 120, NULL, NULL, NULL},
    {"changes", F_CUSTOM, 0, 0, 0, 0, NULL, NULL, custom_changes},
    END};

/* ---- entry points -------------------------------------------------------- */

int vendor_from_json(const json_t *in, arena *a, vendor *out, sy_errors *e)
{
    memset(out, 0, sizeof *out);
    return from_json(VENDOR_SPEC, in, "", a, out, e);
}

int offering_from_json(const json_t *in, arena *a, offering *out, sy_errors *e)
{
    memset(out, 0, sizeof *out);
    return from_json(OFFERING_SPEC, in, "", a, out, e);
}

int contract_from_json(const json_t *in, arena *a, contract *out, sy_errors *e)
{
    memset(out, 0, sizeof *out);
    if (from_json(CONTRACT_SPEC, in, "", a, out, e) != 0)
        return -1;
    int64_t start, end;
    if (out->end_date && date_parse(out->start_date, &start) == 0 &&
        date_parse(out->end_date, &end) == 0 && end < start)
        errors_add(e, "/end_date", "must not be before start_date");
    if (strcmp(out->kind, "customer") == 0) {
        if (out->other_party)
            errors_add(e, "/other_party", "is only for upstream contracts");
        if (out->n_terms)
            errors_add(e, "/terms", "is only for upstream contracts");
        if (!out->end_date)
            errors_add(e, "/end_date", "is required for customer contracts");
    } else if (!out->other_party) {
        errors_add(e, "/other_party", "is required for upstream contracts");
    } else if (out->other_party == out->counterparty) {
        errors_add(e, "/other_party", "must differ from counterparty");
    }
    if (out->auto_renew && out->renewal_months == 0)
        errors_add(e, "/renewal_months", "must be set when auto_renew is true");
    return e->count ? -1 : 0;
}


int workload_from_json(const json_t *in, arena *a, workload *out, sy_errors *e)
{
    memset(out, 0, sizeof *out);
    return from_json(WORKLOAD_SPEC, in, "", a, out, e);
}

int saved_scenario_from_json(const json_t *in, arena *a, saved_scenario *out, sy_errors *e)
{
    memset(out, 0, sizeof *out);
    return from_json(SCENARIO_SPEC, in, "", a, out, e);
}

int json_merge_patch(json_t *target, const json_t *patch)
{
    const char *key;
    json_t *value;
    if (!json_is_object(target) || !json_is_object(patch))
        return -1;
    json_object_foreach((json_t *)patch, key, value) {
        if (json_is_null(value)) {
            json_t *cur = json_object_get(target, key);
            /* Null removes the member; for nullable fields the validator
             * then applies the default, which is null. */
            if (cur)
                json_object_del(target, key);
            continue;
        }
        json_t *cur = json_object_get(target, key);
        if (json_is_object(value)) {
            /* RFC 7396: an object patches {} when the member is absent or
             * not an object, so nulls inside it are dropped, not copied. */
            if (!json_is_object(cur)) {
                cur = json_object();
                if (!cur || json_object_set_new(target, key, cur) != 0)
                    return -1;
            }
            if (json_merge_patch(cur, value) != 0)
                return -1;
        } else if (json_object_set(target, key, value) != 0) {
            return -1;
        }
    }
    return 0;
}
