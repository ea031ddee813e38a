/* import_workloads.c - workload fields as CSV cells and back; see
 * import_workloads.h. */
#include "core/import_workloads.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"

#define AT_VALUE(item, f, type) (*(const type *)(const void *)((const char *)(item) + (f)->offset))

static int is_column(const field_desc *f)
{
    return f->kind != FK_ID && f->kind != FK_STAMP && f->kind != FK_COMPUTED &&
           f->kind != FK_JSON;
}

size_t wl_columns(const field_desc **cols, size_t cap)
{
    size_t n = 0;
    for (const field_desc *f = WORKLOAD_DESC.fields; f->key; f++)
        if (is_column(f) && n < cap)
            cols[n++] = f;
    return n;
}

const field_desc *wl_column(const char *key)
{
    for (const field_desc *f = WORKLOAD_DESC.fields; f->key; f++)
        if (is_column(f) && strcmp(f->key, key) == 0)
            return f;
    return NULL;
}

static const char *offering_text(const wl_names *names, int64_t id, arena *a)
{
    const char *name = names->name_of(names->ctx, id);
    if (name)
        return name;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "#%lld", (long long)id);
    return arena_strdup(a, tmp);
}

static const char *array_cell(const field_desc *f, const workload *w, const wl_names *names,
                              arena *a)
{
    size_t n = *(const size_t *)(const void *)((const char *)w + f->count_offset);
    const char *items = AT_VALUE(w, f, char *);
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        const void *item = items + i * f->item_size;
        if (i)
            buf_puts(&b, "; ");
        if (f->sub == NULL || f->sub[0].key[0] == '\0') {
            buf_puts(&b, ((const char *const *)item)[0]);
        } else if (strcmp(f->key, "dependencies") == 0) {
            const dependency *d = item;
            buf_printf(&b, "%s (%s)", offering_text(names, d->offering, a), d->role);
        } else {
            const alternative *al = item;
            buf_printf(&b, "%s -> %s", offering_text(names, al->dependency, a),
                       offering_text(names, al->offering, a));
        }
    }
    const char *out = arena_strdup(a, b.data ? b.data : "");
    buf_free(&b);
    return out;
}

const char *wl_cell(const field_desc *f, const workload *w, const wl_names *names, arena *a)
{
    char tmp[48];
    switch (f->kind) {
    case FK_STR:
    case FK_ENUM:
    case FK_DATE: {
        const char *s = AT_VALUE(w, f, char *);
        return s ? s : "";
    }
    case FK_BOOL:
        return AT_VALUE(w, f, int) ? "true" : "false";
    case FK_INT:
        if ((f->flags & FD_NULLABLE) && AT_VALUE(w, f, int64_t) == SY_INT_NULL)
            return ""; /* not known */
        snprintf(tmp, sizeof tmp, "%lld", (long long)AT_VALUE(w, f, int64_t));
        return arena_strdup(a, tmp);
    case FK_MONEY: {
        int64_t c = AT_VALUE(w, f, int64_t);
        if (c % 100 == 0)
            snprintf(tmp, sizeof tmp, "%lld", (long long)(c / 100));
        else
            snprintf(tmp, sizeof tmp, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
        return arena_strdup(a, tmp);
    }
    case FK_ARRAY:
        return array_cell(f, w, names, a);
    case FK_REF: {
        int64_t id = AT_VALUE(w, f, int64_t);
        if (id <= 0)
            return "";
        snprintf(tmp, sizeof tmp, "#%lld", (long long)id);
        return arena_strdup(a, tmp);
    }
    default:
        return "";
    }
}

/* Trims blanks in place; returns the start. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int set_reason(char *reason, size_t size, const char *fmt, const char *what)
{
    snprintf(reason, size, fmt, what);
    return -1;
}

/* One item of an array cell into arr; 0 or -1 with a reason. */
static int array_item(const field_desc *f, char *item, const wl_names *names, json_t *arr,
                      char *reason, size_t rsize)
{
    if (f->sub == NULL || f->sub[0].key[0] == '\0')
        return json_array_append_new(arr, json_string(item)) == 0 ? 0 : -1;
    if (strcmp(f->key, "dependencies") == 0) {
        char *open = strrchr(item, '(');
        size_t n = strlen(item);
        if (!open || n < 3 || item[n - 1] != ')')
            return set_reason(reason, rsize,
                              "\"%s\" is not \"Offering (role)\"", item);
        item[n - 1] = '\0';
        *open = '\0';
        char *name = trim(item), *role = trim(open + 1);
        int64_t id = names->id_of(names->ctx, name);
        if (!id)
            return set_reason(reason, rsize, "unknown offering \"%s\"", name);
        json_t *o = json_pack("{s:I,s:s}", "offering", (json_int_t)id, "role", role);
        return o && json_array_append_new(arr, o) == 0 ? 0 : -1;
    }
    char *arrow = strstr(item, "->");
    if (!arrow)
        return set_reason(reason, rsize, "\"%s\" is not \"Dependency -> Alternative\"", item);
    *arrow = '\0';
    char *dep = trim(item), *alt = trim(arrow + 2);
    int64_t dep_id = names->id_of(names->ctx, dep);
    if (!dep_id)
        return set_reason(reason, rsize, "unknown offering \"%s\"", dep);
    int64_t alt_id = names->id_of(names->ctx, alt);
    if (!alt_id)
        return set_reason(reason, rsize, "unknown offering \"%s\"", alt);
    json_t *o = json_pack("{s:I,s:I}", "dependency", (json_int_t)dep_id, "offering",
                          (json_int_t)alt_id);
    return o && json_array_append_new(arr, o) == 0 ? 0 : -1;
}

static json_t *array_json(const field_desc *f, const char *cell, const wl_names *names,
                          char *reason, size_t rsize)
{
    json_t *arr = json_array();
    char *copy = strdup(cell);
    if (!arr || !copy) {
        json_decref(arr);
        free(copy);
        return NULL;
    }
    char *p = copy;
    while (p) {
        char *semi = strchr(p, ';');
        if (semi)
            *semi = '\0';
        char *item = trim(p);
        if (*item && array_item(f, item, names, arr, reason, rsize) != 0) {
            json_decref(arr);
            arr = NULL;
            break;
        }
        p = semi ? semi + 1 : NULL;
    }
    free(copy);
    return arr;
}

/* "12600", "12600.5", "12600.50" -> a JSON number of the amount. */
static json_t *money_json(const char *cell, char *reason, size_t rsize)
{
    const char *dot = strchr(cell, '.');
    size_t whole_len = dot ? (size_t)(dot - cell) : strlen(cell);
    char whole[24];
    if (whole_len == 0 || whole_len >= sizeof whole)
        return set_reason(reason, rsize, "\"%s\" is not an amount", cell), NULL;
    memcpy(whole, cell, whole_len);
    whole[whole_len] = '\0';
    int64_t units, cents = 0;
    if (parse_i64(whole, 0, INT64_MAX / 1000, &units) != 0)
        return set_reason(reason, rsize, "\"%s\" is not an amount", cell), NULL;
    if (dot) {
        size_t d = strlen(dot + 1);
        if (d < 1 || d > 2 || !isdigit((unsigned char)dot[1]) ||
            (d == 2 && !isdigit((unsigned char)dot[2])))
            return set_reason(reason, rsize, "\"%s\" is not an amount with at most two decimals",
                              cell), NULL;
        cents = (dot[1] - '0') * 10 + (d == 2 ? dot[2] - '0' : 0);
    }
    if (cents == 0)
        return json_integer((json_int_t)units);
    return json_real((double)units + (double)cents / 100.0);
}

json_t *wl_cell_json(const field_desc *f, const char *cell, const wl_names *names, char *reason,
                     size_t reason_size, int *omit)
{
    *omit = 0;
    reason[0] = '\0';
    switch (f->kind) {
    case FK_STR:
        return json_string(cell);
    case FK_ENUM:
        if (!*cell) {
            *omit = 1;
            return NULL;
        }
        return json_string(cell);
    case FK_DATE:
        return *cell ? json_string(cell) : json_null();
    case FK_BOOL:
        if (!strcmp(cell, "true") || !strcmp(cell, "yes") || !strcmp(cell, "1"))
            return json_true();
        if (!strcmp(cell, "false") || !strcmp(cell, "no") || !strcmp(cell, "0") || !*cell)
            return json_false();
        set_reason(reason, reason_size, "\"%s\" is not true or false", cell);
        return NULL;
    case FK_INT: {
        int64_t v;
        if (!*cell && (f->flags & FD_NULLABLE))
            return json_null(); /* empty: not known (users), as the export writes it */
        if (!*cell) {
            *omit = 1;
            return NULL;
        }
        if (parse_i64(cell, INT64_MIN, INT64_MAX, &v) != 0) {
            set_reason(reason, reason_size, "\"%s\" is not a whole number", cell);
            return NULL;
        }
        return json_integer((json_int_t)v);
    }
    case FK_MONEY:
        if (!*cell) {
            *omit = 1;
            return NULL;
        }
        return money_json(cell, reason, reason_size);
    case FK_ARRAY:
        return array_json(f, cell, names, reason, reason_size);
    case FK_REF: {
        /* A reference other than an offering (the AI system's provider, a
         * vendor): "#ID", or empty for none. */
        int64_t id;
        if (!*cell)
            return json_null();
        if (cell[0] != '#' || parse_i64(cell + 1, 1, INT64_MAX, &id) != 0) {
            set_reason(reason, reason_size, "\"%s\" is not a record ID such as #12", cell);
            return NULL;
        }
        return json_integer((json_int_t)id);
    }
    default:
        set_reason(reason, reason_size, "column %s cannot be imported", f->key);
        return NULL;
    }
}
