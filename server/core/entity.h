/* entity.h - one description per entity: every field declared once, with
 * its JSON key, kind, place in the struct, SQL column, limits, enumeration,
 * filter and sort use, report heading and API documentation.
 *
 * Everything else follows from the table, with no code per field:
 * validation (validate.c), the JSON written by the API and by the report
 * (entity_json.c), the store's statements, binders and row readers
 * (store/entity*.c) and the OpenAPI schemas. Pure data: no SQL engine and no
 * HTTP here (a column is only a name that the store builds statements from).
 *
 * Arrays of sub-objects (contract terms and offerings, workload dependencies
 * and features, vendor connections) are one kind, FK_ARRAY, with a sub-table
 * for their items and a child table description for the store. */
#ifndef SY_ENTITY_H
#define SY_ENTITY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/arena.h"
#include "common/jw.h"
#include "core/model.h"
#include "core/validate.h"

typedef enum {
    FK_STR,       /* string; min/max are lengths in bytes */
    FK_ENUM,      /* string from enum_table */
    FK_BOOL,      /* int 0/1 */
    FK_INT,       /* int64 in [min, max] */
    FK_MONEY,     /* int64 cents; JSON amount from 0 to max with two decimals */
    FK_DATE,      /* YYYY-MM-DD naming a real day, or NULL */
    FK_REF,       /* int64 ID of another record (ref says which); 0: none */
    FK_ARRAY,     /* items (sub) at offset, their count at count_offset */
    FK_JSON,      /* JSON text checked by parse() (a saved scenario's changes) */
    FK_ID,        /* read-only: the record's ID */
    FK_STAMP,     /* read-only: created_at / updated_at */
    FK_COMPUTED   /* read-only: written by write() from the record */
} field_kind;

enum {
    FD_REQUIRED = 1,     /* must be present */
    FD_NULLABLE = 2,     /* null allowed (stored as NULL / 0) */
    FD_ONELINE = 4,      /* no control characters */
    FD_URL = 8,          /* empty or http(s)://... */
    FD_UPPER2 = 16,      /* empty or two capital letters (ISO 3166) */
    FD_UPPER3 = 32,      /* three capital letters (ISO 4217) */
    FD_LEI = 64,         /* empty or an ISO 17442 Legal Entity Identifier */
    FD_FILTER = 128,     /* lists take ?key=value (list_query has the slot) */
    FD_SORT_RANK = 256,  /* sorts by the enumeration's order, not its text */
    FD_REPORT = 512,     /* computed for the report only (not in the API) */
    FD_NULL_LAST = 1024  /* a nullable date that sorts after every date */
};

/* What a reference names; the report writes its name beside it. */
typedef enum { REF_NONE, REF_VENDOR, REF_OFFERING } ref_kind;

/* What a writer may know besides the record. */
typedef struct entity_ctx {
    int report;            /* the report's form: names beside references, report-only fields */
    /* The report: the name of a referenced record, or NULL. */
    const char *(*name_of)(const void *data, ref_kind kind, int64_t id);
    const void *data;      /* for name_of */
    int64_t today;         /* days since 1970-01-01, for report-only fields */
    const void *risk;      /* a workload's risk_result, or NULL: no "risk" key */
} entity_ctx;

typedef struct field_desc field_desc;

/* Checks item i of an array against the items before it (duplicates, date
 * order); ptr is the item's JSON Pointer. 0, or -1 with an error added. */
typedef int (*item_check_fn)(const void *items, size_t i, const char *ptr, sy_errors *e);
/* FK_JSON: checks v (NULL: absent); 0, or -1 with errors added. */
typedef int (*json_check_fn)(const json_t *v, arena *a, sy_errors *e);
/* FK_COMPUTED: writes key and value, or nothing (e.g. no risk known). */
typedef void (*computed_fn)(jw *w, const char *key, const void *item, const entity_ctx *ctx);

/* The child table that holds an array's items, one row per item:
 * (parent, position, the item fields' columns). */
typedef struct child_desc {
    const char *table;
    const char *parent;        /* column naming the owning record */
    const char *position;      /* column keeping the items' order */
} child_desc;

struct field_desc {
    const char *key;           /* JSON key; "" for the item of a scalar array; NULL ends */
    field_kind kind;
    int flags;                 /* FD_* */
    size_t offset;             /* where the value lives in the struct */
    const char *column;        /* SQL column; NULL: not a column of the row */
    int64_t min, max;          /* lengths, range, money maximum, or at most max items */
    const char *const *enum_table;
    const char *def;           /* default of an absent optional string or enum */
    ref_kind ref;              /* FK_REF: what it names */
    const char *label;         /* report heading */
    const char *doc;           /* API description (OpenAPI) */
    const char *brief;         /* read-only fields: their description in request bodies */
    /* OpenAPI: the schema of an array's object items, of a JSON field's
     * items, or of a computed value ($ref); a computed value without one
     * is a date or null. */
    const char *schema;
    const char *invalid;       /* detail for a value of the wrong shape, if not the usual */
    /* FK_ARRAY of objects: how the report's CSV writes one item, {key}
     * for a value of the item's report form, [ ... ] left out when a key
     * inside is null (core/report_tables.h). */
    const char *report_item;
    /* FK_ARRAY */
    const field_desc *sub;     /* the item's fields; one "" field for scalars */
    size_t item_size;
    size_t count_offset;
    item_check_fn check;
    const child_desc *child;   /* NULL: the store keeps these itself */
    /* FK_JSON */
    json_check_fn parse;
    /* FK_COMPUTED */
    computed_fn write;
};

typedef struct entity_desc {
    const char *name;          /* "vendor": audit trail, messages */
    const char *collection;    /* "/api/v1/vendors" */
    const char *table;         /* "vendors" */
    const char *schema;        /* "Vendor": the OpenAPI schema */
    size_t size;               /* sizeof the struct; its ID is an int64 at offset 0 */
    size_t version_offset;
    size_t created_offset, updated_offset;
    const field_desc *fields;  /* in the order the API writes them */
    const char *const *sorts;  /* sort keys lists accept, as error messages name them */
    /* Rules across fields, after the fields validated; adds errors. */
    void (*check)(const void *item, sy_errors *e);
} entity_desc;

extern const entity_desc VENDOR_DESC, OFFERING_DESC, CONTRACT_DESC, WORKLOAD_DESC,
    SCENARIO_DESC;

/* Validates in against d into out (zeroed first). 0, or -1 with errors.
 * Strings in *out point into arena a or into `in`; keep `in` alive. */
int entity_from_json(const entity_desc *d, const json_t *in, arena *a, void *out,
                     sy_errors *e);

/* Writes "factors":[{code, points, reason}] of a risk result. */
struct risk_result;
void risk_factors_json(jw *w, const struct risk_result *r);

/* Writes the record as the API answers it (ctx NULL), or in the report's
 * form (ctx->report). */
void entity_write(jw *w, const entity_desc *d, const void *item, const entity_ctx *ctx);

/* The record as compact JSON text in the arena (the audit trail's before
 * and after), as entity_write writes it; NULL when out of memory. */
const char *entity_text(arena *a, const entity_desc *d, const void *item,
                        const entity_ctx *ctx);

/* Writes key and a day (days since 1970-01-01) as YYYY-MM-DD, or null
 * when day < 0. */
void entity_kday(jw *w, const char *key, int64_t day);

/* The errors as sentences a person can act on, at most three ("Owner is
 * required. AI Act tier must be one of ..."): a fragment after the field's
 * label (d may be NULL: the key then), a sentence as it is. Into out,
 * truncated to size. */
void entity_errors_text(const entity_desc *d, const sy_errors *e, char *out, size_t size);

/* The field with this key, or NULL. */
const field_desc *entity_field(const entity_desc *d, const char *key);

/* 1 when s is empty or a well-formed LEI whose check digits hold
 * (ISO 17442: 18 capital letters or digits, then two check digits;
 * ISO 7064 MOD 97-10 over the whole gives 1). */
int lei_valid(const char *s);

#endif
