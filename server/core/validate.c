/* validate.c - the table-driven validation engine: walks an entity's field
 * descriptors (core/entity.h; the tables are in core/entities.c) over a
 * JSON document. See validate.h for the contract. */
#include "validate.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "core/entity.h"
#include "core/errors.h"

/* ---- the engine ---------------------------------------------------------- */

#define SLOT(obj, off, T) ((T *)(void *)((char *)(obj) + (off)))

/* n with thousands separators ("1,000,000,000"), for limits read in words. */
static const char *grouped(long long n, char out[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
    size_t k = 0;
    if (n < 0)
        out[k++] = '-';
    for (int i = 0; i < len && k < 30; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    return out;
}

static int valid_string(const field_desc *f, const char *s, const char *ptr,
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
        char hi[32];
        errors_add(e, ptr, "must be at most %s characters", grouped((long long)f->max, hi));
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
    if (f->flags & FD_ONELINE) {
        for (const char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f) {
                errors_add(e, ptr, "must be a single line without control characters");
                return -1;
            }
    }
    if ((f->flags & FD_URL) && n > 0 && strncmp(s, "https://", 8) != 0 &&
        strncmp(s, "http://", 7) != 0) {
        errors_add(e, ptr, "must be an http:// or https:// address, or empty");
        return -1;
    }
    if ((f->flags & FD_UPPER2) && n > 0 &&
        !(n == 2 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]))) {
        errors_add(e, ptr, "must be a two-letter ISO 3166 country code such as \"US\"");
        return -1;
    }
    if ((f->flags & FD_LEI) && !lei_valid(s)) {
        errors_add(e, ptr, n == 20 ? "has wrong check digits for an ISO 17442 LEI"
                                   : "must be an ISO 17442 LEI (20 capital letters and digits, "
                                     "the last two check digits), or empty");
        return -1;
    }
    if (f->flags & FD_UPPER3) {
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

/* The value of a scalar field (not null). */
static int apply_scalar(const field_desc *f, const json_t *v, const char *ptr, void *obj,
                        sy_errors *e)
{
    char what[256];
    switch (f->kind) {
    case FK_STR:
        if (!json_is_string(v)) {
            errors_add(e, ptr, "must be a string");
            return -1;
        }
        if (valid_string(f, json_string_value(v), ptr, e) != 0)
            return -1;
        *SLOT(obj, f->offset, const char *) = json_string_value(v);
        return 0;
    case FK_ENUM:
        if (!json_is_string(v) || enum_index(f->enum_table, json_string_value(v)) < 0) {
            enum_list(f->enum_table, what, sizeof what);
            errors_add(e, ptr, "must be one of %s", what);
            return -1;
        }
        *SLOT(obj, f->offset, const char *) = json_string_value(v);
        return 0;
    case FK_BOOL:
        if (!json_is_boolean(v)) {
            errors_add(e, ptr, "must be true or false");
            return -1;
        }
        *SLOT(obj, f->offset, int) = json_is_true(v);
        return 0;
    case FK_INT:
        if (!json_is_integer(v) || json_integer_value(v) < f->min ||
            json_integer_value(v) > f->max) {
            char lo[32], hi[32];
            errors_add(e, ptr, "must be a whole number from %s up to %s",
                       grouped((long long)f->min, lo), grouped((long long)f->max, hi));
            return -1;
        }
        *SLOT(obj, f->offset, int64_t) = (int64_t)json_integer_value(v);
        return 0;
    case FK_MONEY: {
        int64_t cents;
        if (!json_is_number(v) || json_to_cents(v, &cents) != 0 || cents < 0 ||
            cents > f->max * 100) {
            char hi[32];
            errors_add(e, ptr, "must be an amount from 0 up to %s with at most two decimals",
                       grouped((long long)f->max, hi));
            return -1;
        }
        *SLOT(obj, f->offset, int64_t) = cents;
        return 0;
    }
    case FK_DATE: {
        int64_t days;
        if (!json_is_string(v) || date_parse(json_string_value(v), &days) != 0) {
            errors_add(e, ptr, "must be a real date written YYYY-MM-DD");
            return -1;
        }
        *SLOT(obj, f->offset, const char *) = json_string_value(v);
        return 0;
    }
    case FK_REF:
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            errors_add(e, ptr, "%s", f->invalid ? f->invalid
                                              : "must be the numeric ID of an existing record");
            return -1;
        }
        *SLOT(obj, f->offset, int64_t) = (int64_t)json_integer_value(v);
        return 0;
    default:
        return 0;
    }
}


static int from_json(const field_desc *spec, const json_t *in, const char *base,
                     arena *a, void *obj, sy_errors *e);

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

/* An FK_ARRAY field: each item through the sub-table (an object) or its one
 * unnamed field (a scalar, where null is a value of the wrong type), then
 * the item check against the items before it. v NULL: absent, empty. */
static int apply_array(const field_desc *f, const json_t *v, const char *ptr, arena *a,
                       void *obj, sy_errors *e)
{
    *SLOT(obj, f->offset, void *) = NULL;
    *SLOT(obj, f->count_offset, size_t) = 0;
    if (!v)
        return 0;
    int n = array_of(v, ptr, (size_t)f->max, e);
    if (n <= 0)
        return n;
    char *items = arena_alloc(a, f->item_size * (size_t)n);
    if (!items) {
        errors_add(e, ptr, "too large");
        return -1;
    }
    *SLOT(obj, f->offset, void *) = items;
    int scalar = f->sub[0].key[0] == '\0';
    int bad = 0;
    for (int i = 0; i < n; i++) {
        char item[128], idx[16];
        snprintf(idx, sizeof idx, "%d", i);
        pointer_join(item, sizeof item, ptr, idx);
        const json_t *x = json_array_get(v, (size_t)i);
        void *slot = items + (size_t)i * f->item_size;
        int failed = scalar ? apply_scalar(&f->sub[0], x, item, slot, e)
                            : from_json(f->sub, x, item, a, slot, e);
        if (failed != 0 || (f->check && f->check(items, (size_t)i, item, e) != 0))
            bad = 1;
    }
    *SLOT(obj, f->count_offset, size_t) = (size_t)n;
    return bad ? -1 : 0;
}

/* An FK_JSON field: checked by parse(), kept as compact JSON text. */
static int apply_json(const field_desc *f, const json_t *v, const char *ptr, arena *a,
                      void *obj, sy_errors *e)
{
    *SLOT(obj, f->offset, const char *) = NULL;
    if (f->parse(v, a, e) != 0)
        return -1;
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text) {
        errors_add(e, ptr, "could not be stored");
        return -1;
    }
    const char *kept = arena_strdup(a, text);
    free(text);
    *SLOT(obj, f->offset, const char *) = kept;
    return kept ? 0 : -1;
}

static int apply_field(const field_desc *f, const json_t *v, const char *ptr,
                       arena *a, void *obj, sy_errors *e)
{
    switch (f->kind) {
    case FK_ARRAY:
        return apply_array(f, v, ptr, a, obj, e);
    case FK_JSON:
        return apply_json(f, v, ptr, a, obj, e);
    case FK_ID:
    case FK_STAMP:
    case FK_COMPUTED:
        return 0; /* read-only: accepted and ignored */
    default:
        break;
    }
    if (json_is_null(v)) {
        if (!(f->flags & FD_NULLABLE)) {
            errors_add(e, ptr, "must not be null");
            return -1;
        }
        if (f->kind == FK_REF)
            *SLOT(obj, f->offset, int64_t) = 0;
        else if (f->kind == FK_INT)
            *SLOT(obj, f->offset, int64_t) = SY_INT_NULL;
        else
            *SLOT(obj, f->offset, const char *) = NULL;
        return 0;
    }
    return apply_scalar(f, v, ptr, obj, e);
}

static void apply_default(const field_desc *f, void *obj)
{
    switch (f->kind) {
    case FK_STR:
    case FK_ENUM:
        *SLOT(obj, f->offset, const char *) = (f->flags & FD_NULLABLE) && !f->def ? NULL
                                              : (f->def ? f->def : "");
        break;
    case FK_DATE:
        *SLOT(obj, f->offset, const char *) = NULL;
        break;
    case FK_BOOL:
        *SLOT(obj, f->offset, int) = 0;
        break;
    case FK_INT:   /* a range that admits -1 keeps it for "not set" (RTO, RPO) */
        *SLOT(obj, f->offset, int64_t) = (f->flags & FD_NULLABLE) ? SY_INT_NULL
                                         : f->min < 0                 ? -1
                                                                      : 0;
        break;
    case FK_MONEY:
    case FK_REF:
        *SLOT(obj, f->offset, int64_t) = 0;
        break;
    default:
        break;
    }
}

/* Walks `in` against the spec table; fills obj. */
static int from_json(const field_desc *spec, const json_t *in, const char *base,
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
        const field_desc *f = spec;
        while (f->key && (strcmp(f->key, key) != 0 || (f->flags & FD_REPORT)))
            f++;
        if (!f->key) {
            pointer_join(ptr, sizeof ptr, base, key);
            errors_add(e, ptr, "is not a known field");
            bad = 1;
        }
    }
    for (const field_desc *f = spec; f->key; f++) {
        json_t *v = json_object_get(in, f->key);
        pointer_join(ptr, sizeof ptr, base, f->key);
        if (!v) {
            if (f->flags & FD_REQUIRED) {
                errors_add(e, ptr, "is required");
                bad = 1;
                continue;
            }
            apply_default(f, obj);
            if (f->kind == FK_ARRAY && apply_array(f, NULL, ptr, a, obj, e) != 0)
                bad = 1;
            continue;
        }
        if (apply_field(f, v, ptr, a, obj, e) != 0)
            bad = 1;
    }
    return bad ? -1 : 0;
}

/* ---- entry points -------------------------------------------------------- */

int entity_from_json(const entity_desc *d, const json_t *in, arena *a, void *out,
                     sy_errors *e)
{
    memset(out, 0, d->size);
    if (from_json(d->fields, in, "", a, out, e) != 0)
        return -1;
    if (d->check)
        d->check(out, e);
    return e->count ? -1 : 0;
}

int vendor_from_json(const json_t *in, arena *a, vendor *out, sy_errors *e)
{
    return entity_from_json(&VENDOR_DESC, in, a, out, e);
}

int offering_from_json(const json_t *in, arena *a, offering *out, sy_errors *e)
{
    return entity_from_json(&OFFERING_DESC, in, a, out, e);
}

int contract_from_json(const json_t *in, arena *a, contract *out, sy_errors *e)
{
    return entity_from_json(&CONTRACT_DESC, in, a, out, e);
}

int workload_from_json(const json_t *in, arena *a, workload *out, sy_errors *e)
{
    return entity_from_json(&WORKLOAD_DESC, in, a, out, e);
}

int saved_scenario_from_json(const json_t *in, arena *a, saved_scenario *out, sy_errors *e)
{
    return entity_from_json(&SCENARIO_DESC, in, a, out, e);
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

/* ---- errors in words ------------------------------------------------------ */

/* The words for a pointer's field: its label ("AI Act tier"), with an
 * array item's number and its own field ("Dependencies item 2, Role"). */
static void pointer_words(const entity_desc *d, const char *pointer, char *out, size_t size)
{
    char key[64], rest[128];
    const char *p = pointer[0] == '/' ? pointer + 1 : pointer;
    size_t n = strcspn(p, "/");
    snprintf(key, sizeof key, "%.*s", (int)(n < sizeof key ? n : sizeof key - 1), p);
    const field_desc *f = d ? entity_field(d, key) : NULL;
    const char *name = f && f->label ? f->label : key;
    if (p[n] != '/') {
        snprintf(out, size, "%s", name);
        return;
    }
    snprintf(rest, sizeof rest, "%s", p + n + 1);
    char *slash = strchr(rest, '/');
    if (slash)
        *slash++ = '\0';
    char *end;
    long idx = strtol(rest, &end, 10);
    if (*end != '\0' || end == rest) {
        snprintf(out, size, "%s, %s", name, rest);
        return;
    }
    const char *sub = slash;
    for (const field_desc *g = f && f->kind == FK_ARRAY ? f->sub : NULL; sub && g && g->key;
         g++)
        if (strcmp(g->key, slash) == 0 && g->label)
            sub = g->label;
    if (sub)
        snprintf(out, size, "%s item %ld, %s", name, idx + 1, sub);
    else
        snprintf(out, size, "%s item %ld", name, idx + 1);
}

void entity_errors_text(const entity_desc *d, const sy_errors *e, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    int shown = e->count < 3 ? e->count : 3;
    for (int i = 0; i < shown && len + 1 < size; i++) {
        const field_error *fe = &e->items[i];
        const char *detail = fe->detail;
        size_t dn = strlen(detail);
        const char *stop = dn && detail[dn - 1] == '.' ? "" : ".";
        char words[200];
        int wrote;
        if (dn == 0)
            continue;
        /* A fragment ("is required") follows the field's name (or "The
         * request body"); a sentence ("No offering with this ID.") stands
         * alone. */
        if (islower((unsigned char)detail[0])) {
            if (fe->pointer[0]) {
                pointer_words(d, fe->pointer, words, sizeof words);
                words[0] = (char)toupper((unsigned char)words[0]); /* a key: "Due" */
            } else {
                snprintf(words, sizeof words, "The request body");
            }
            wrote = snprintf(out + len, size - len, "%s%s %s%s", len ? " " : "", words, detail,
                             stop);
        } else {
            wrote = snprintf(out + len, size - len, "%s%c%s%s", len ? " " : "",
                             toupper((unsigned char)detail[0]), detail + 1, stop);
        }
        if (wrote < 0)
            break;
        len += (size_t)wrote < size - len ? (size_t)wrote : size - len - 1;
    }
    if (e->count > shown && len + 1 < size)
        snprintf(out + len, size - len, " And %d more, listed under errors.", e->count - shown);
}
