/* lifecycle.c - vendors' model lists as lifecycle facts; see lifecycle.h.
 * Every field read is checked for its type; a bad one stops the parse
 * with the record, the field (JSON Pointer) and the reason. */
#include "core/lifecycle.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

typedef struct ctx {
    lifecycle_fact *all;
    size_t n, cap;
    lifecycle_error *err;
} ctx;

const char *lifecycle_format_name(lifecycle_format f)
{
    switch (f) {
    case LC_AZURE: return "azure";
    case LC_BEDROCK: return "bedrock";
    case LC_AZURE_RETIREMENTS: return "azure-retirements";
    default: return "models.dev";
    }
}

static int fail(ctx *c, long index, const char *pointer, const char *reason)
{
    c->err->index = index;
    snprintf(c->err->pointer, sizeof c->err->pointer, "%s", pointer);
    snprintf(c->err->reason, sizeof c->err->reason, "%s", reason);
    return -1;
}

/* base + "/" + key with "~" and "/" escaped (RFC 6901). */
static void ptr(char *out, size_t size, const char *base, const char *key)
{
    size_t n = (size_t)snprintf(out, size, "%s/", base);
    for (const char *k = key; *k && n + 3 < size; k++) {
        if (*k == '~' || *k == '/') {
            out[n++] = '~';
            out[n++] = *k == '~' ? '0' : '1';
        } else {
            out[n++] = *k;
        }
    }
    if (n < size)
        out[n] = '\0';
}

/* The YYYY-MM-DD at the start of s into out: 0, or -1 when there is none. */
static int day_text(const char *s, char out[11])
{
    char d[11];
    int64_t days;
    if (!s || strlen(s) < 10)
        return -1;
    memcpy(d, s, 10);
    d[10] = '\0';
    if (date_parse(d, &days) != 0 || (s[10] && s[10] != 'T' && s[10] != ' '))
        return -1;
    memcpy(out, d, 11);
    return 0;
}

/* A table cell that says "none": empty, a dash, N/A. */
static int is_none(const char *s)
{
    while (*s == ' ')
        s++;
    return !*s || !strcmp(s, "-") || !strcmp(s, "\xe2\x80\x94") || !strcmp(s, "\xe2\x80\x93") ||
           !strcmp(s, "N/A") || !strcmp(s, "n/a");
}

/* An optional string member: 0 (out NULL when absent or null), -1 when
 * it is something else, or absent/empty though required. */
static int str_field(ctx *c, const json_t *obj, const char *name, long idx, const char *base,
                     int required, const char **out)
{
    char p[200];
    const json_t *v = json_object_get(obj, name);
    *out = NULL;
    ptr(p, sizeof p, base, name);
    if ((!v || json_is_null(v)) && !required)
        return 0;
    if (!v || json_is_null(v))
        return fail(c, idx, p, "is missing");
    if (!json_is_string(v))
        return fail(c, idx, p, "must be a string");
    if (required && !*json_string_value(v))
        return fail(c, idx, p, "must not be empty");
    if (strlen(json_string_value(v)) >= 160)
        return fail(c, idx, p, "is too long (at most 159 bytes)");
    *out = json_string_value(v);
    return 0;
}

/* An optional date member into out ("" when absent or null); epoch
 * seconds allowed when seconds is set (AWS timestamps). */
static int day_field(ctx *c, const json_t *obj, const char *name, long idx, const char *base,
                     int seconds, char out[11])
{
    char p[200];
    const json_t *v = json_object_get(obj, name);
    out[0] = '\0';
    ptr(p, sizeof p, base, name);
    if (!v || json_is_null(v))
        return 0;
    if (seconds && json_is_number(v)) {
        double s = json_number_value(v);
        if (s < 0 || s > 253402300799.0)
            return fail(c, idx, p, "is not a time (epoch seconds out of range)");
        date_format((int64_t)(s / 86400.0), out);
        return 0;
    }
    if (!json_is_string(v))
        return fail(c, idx, p, "must be a date string (YYYY-MM-DD...)");
    if (day_text(json_string_value(v), out) != 0)
        return fail(c, idx, p, "is not a date (expected YYYY-MM-DD or an ISO 8601 time)");
    return 0;
}

static lifecycle_fact *grow(ctx *c, long index)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        lifecycle_fact *g = realloc(c->all, cap * sizeof *g);
        if (!g) {
            fail(c, index, "", "out of memory");
            return NULL;
        }
        c->all = g;
        c->cap = cap;
    }
    lifecycle_fact *f = &c->all[c->n++];
    memset(f, 0, sizeof *f);
    f->index = index;
    return f;
}

static int is_one_of(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (!strcmp(s, *set))
            return 1;
    return 0;
}

static int azure(ctx *c, const json_t *value)
{
    static const char *const old[] = {"Deprecated", "Deprecating", "Legacy", "Retired", NULL};
    size_t i;
    const json_t *item;
    json_array_foreach(value, i, item) {
        long idx = (long)i;
        char base[200], mp[200];
        snprintf(base, sizeof base, "/value/%zu", i);
        if (!json_is_object(item))
            return fail(c, idx, base, "must be an object");
        const json_t *m = json_object_get(item, "model");
        ptr(mp, sizeof mp, base, "model");
        if (!json_is_object(m))
            return fail(c, idx, mp, "must be an object with the model's name and version");
        const char *name, *version, *status;
        if (str_field(c, m, "name", idx, mp, 1, &name) || str_field(c, m, "version", idx, mp, 1, &version) ||
            str_field(c, m, "lifecycleStatus", idx, mp, 0, &status))
            return -1;
        const json_t *dep = json_object_get(m, "deprecation");
        char dp[200];
        ptr(dp, sizeof dp, mp, "deprecation");
        if (dep && !json_is_null(dep) && !json_is_object(dep))
            return fail(c, idx, dp, "must be an object");
        lifecycle_fact *f = grow(c, idx);
        if (!f || day_field(c, dep, "inference", idx, dp, 0, f->retires))
            return -1;
        snprintf(f->key, sizeof f->key, "%s %s", name, version);
        f->legacy = is_one_of(status, old);
    }
    return 0;
}

/* "gpt-5.1" stays; "sora-2 (2025-12-08)" becomes "sora-2 2025-12-08"; of
 * "a, b" the first. */
static void successor_of(const char *cell, char out[160])
{
    char s[160];
    snprintf(s, sizeof s, "%s", cell);
    char *comma = strchr(s, ',');
    if (comma)
        *comma = '\0';
    char *a = s;
    while (*a == ' ')
        a++;
    size_t n = strlen(a);
    while (n && a[n - 1] == ' ')
        a[--n] = '\0';
    char *paren = strstr(a, " (");
    if (paren && n && a[n - 1] == ')') {
        a[n - 1] = '\0';
        memmove(paren + 1, paren + 2, strlen(paren + 2) + 1); /* "x (v" -> "x v" */
    }
    memcpy(out, a, strlen(a) + 1);
}

static int azure_table(ctx *c, const json_t *rows)
{
    static const char *const old[] = {"Deprecated", "Legacy", "Retired", NULL};
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row) {
        long idx = (long)i;
        char base[32], p[200];
        snprintf(base, sizeof base, "/%zu", i);
        if (!json_is_object(row))
            return fail(c, idx, base, "must be an object keyed by the retirement table's columns "
                                      "(Model, Version, Lifecycle, Retirement date, Replacement)");
        const char *model, *version, *status, *retires, *replacement;
        if (str_field(c, row, "Model", idx, base, 1, &model) ||
            str_field(c, row, "Version", idx, base, 0, &version) ||
            str_field(c, row, "Lifecycle", idx, base, 0, &status) ||
            str_field(c, row, "Retirement date", idx, base, 0, &retires) ||
            str_field(c, row, "Replacement", idx, base, 0, &replacement))
            return -1;
        lifecycle_fact *f = grow(c, idx);
        if (!f)
            return -1;
        if (version && !is_none(version))
            snprintf(f->key, sizeof f->key, "%s %s", model, version);
        else
            snprintf(f->key, sizeof f->key, "%s", model);
        if (retires && !is_none(retires) && day_text(retires, f->retires) != 0) {
            ptr(p, sizeof p, base, "Retirement date");
            return fail(c, idx, p, "is not a date (expected YYYY-MM-DD or a dash)");
        }
        if (replacement && !is_none(replacement))
            successor_of(replacement, f->successor);
        f->legacy = is_one_of(status, old);
    }
    return 0;
}

static int bedrock(ctx *c, const json_t *list)
{
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        long idx = (long)i;
        char base[200], lp[200];
        snprintf(base, sizeof base, "/modelSummaries/%zu", i);
        if (!json_is_object(item))
            return fail(c, idx, base, "must be an object");
        const char *id, *provider, *status = NULL;
        if (str_field(c, item, "modelId", idx, base, 1, &id) ||
            str_field(c, item, "providerName", idx, base, 0, &provider))
            return -1;
        const json_t *lc = json_object_get(item, "modelLifecycle");
        ptr(lp, sizeof lp, base, "modelLifecycle");
        if (lc && !json_is_object(lc))
            return fail(c, idx, lp, "must be an object with a status");
        if (lc && str_field(c, lc, "status", idx, lp, 1, &status))
            return -1;
        if (status && strcmp(status, "ACTIVE") && strcmp(status, "LEGACY")) {
            char sp[200];
            ptr(sp, sizeof sp, lp, "status");
            return fail(c, idx, sp, "must be ACTIVE or LEGACY");
        }
        lifecycle_fact *f = grow(c, idx);
        if (!f || day_field(c, lc, "startOfLifeTime", idx, lp, 1, f->released) ||
            day_field(c, lc, "legacyTime", idx, lp, 1, f->deprecated) ||
            day_field(c, lc, "endOfLifeTime", idx, lp, 1, f->retires))
            return -1;
        snprintf(f->key, sizeof f->key, "%s", id);
        snprintf(f->provider, sizeof f->provider, "%s", provider ? provider : "");
        f->legacy = status && !strcmp(status, "LEGACY");
    }
    return 0;
}

static int models_dev(ctx *c, const json_t *doc)
{
    const char *pk;
    const json_t *prov;
    long idx = 0;
    json_object_foreach((json_t *)doc, pk, prov) {
        char base[200], mp[200];
        ptr(base, sizeof base, "", pk);
        if (!json_is_object(prov))
            return fail(c, idx, base, "must be a provider object with models");
        const json_t *models = json_object_get(prov, "models");
        ptr(mp, sizeof mp, base, "models");
        if (!json_is_object(models))
            return fail(c, idx, mp, "must be an object of models");
        const char *mk;
        const json_t *m;
        json_object_foreach((json_t *)models, mk, m) {
            char p[200], dp[200];
            ptr(p, sizeof p, mp, mk);
            if (!json_is_object(m))
                return fail(c, idx, p, "must be an object");
            const char *id, *release, *status;
            if (str_field(c, m, "id", idx, p, 0, &id) ||
                str_field(c, m, "release_date", idx, p, 0, &release) ||
                str_field(c, m, "status", idx, p, 0, &status))
                return -1;
            if (!*(id ? id : mk))
                return fail(c, idx, p, "has no model id (an empty key and no id)");
            lifecycle_fact *f = grow(c, idx);
            if (!f)
                return -1;
            /* YYYY-MM (a month only) is valid in models.dev but no day. */
            if (release && day_text(release, f->released) != 0 &&
                !(strlen(release) == 7 && release[4] == '-' && isdigit((unsigned char)release[0]))) {
                ptr(dp, sizeof dp, p, "release_date");
                return fail(c, idx, dp, "is not a date (expected YYYY-MM or YYYY-MM-DD)");
            }
            snprintf(f->key, sizeof f->key, "%s", id ? id : mk);
            snprintf(f->provider, sizeof f->provider, "%s", pk);
            f->legacy = status && !strcmp(status, "deprecated");
            idx++;
        }
    }
    return 0;
}

int lifecycle_parse(const json_t *doc, lifecycle_format *format, lifecycle_fact **out, size_t *n,
                    lifecycle_error *err)
{
    ctx c = {.err = err};
    int rc;
    memset(err, 0, sizeof *err);
    *n = 0;
    *out = NULL;
    *format = LC_MODELS_DEV;
    const json_t *value = json_object_get(doc, "value");
    const json_t *summaries = json_object_get(doc, "modelSummaries");
    if (json_is_array(doc)) {
        *format = LC_AZURE_RETIREMENTS;
        rc = azure_table(&c, doc);
    } else if (!json_is_object(doc)) {
        rc = fail(&c, -1, "", "the file is not a JSON object or array");
    } else if (value) {
        *format = LC_AZURE;
        rc = json_is_array(value) ? azure(&c, value)
                                  : fail(&c, -1, "/value", "must be an array (Azure's Models - List)");
    } else if (summaries) {
        *format = LC_BEDROCK;
        rc = json_is_array(summaries)
                 ? bedrock(&c, summaries)
                 : fail(&c, -1, "/modelSummaries", "must be an array (Bedrock's ListFoundationModels)");
    } else {
        rc = models_dev(&c, doc);
    }
    if (rc == 0 && c.n == 0)
        rc = fail(&c, -1, "", "no models found: expected Azure's value[].model, the retirement "
                              "table's rows, Bedrock's modelSummaries[] or models.dev's providers "
                              "with models");
    if (rc != 0) {
        free(c.all);
        *n = 0;
        return -1;
    }
    *out = c.all;
    *n = c.n;
    return 0;
}

int lifecycle_facts(const json_t *doc, lifecycle_format *format, lifecycle_fact **out, size_t *n,
                    char *reason, size_t size)
{
    lifecycle_error e;
    if (lifecycle_parse(doc, format, out, n, &e) == 0)
        return 0;
    if (e.index < 0 && !e.pointer[0])
        snprintf(reason, size, "%s", e.reason);
    else if (e.index < 0)
        snprintf(reason, size, "%s: %s", e.pointer, e.reason);
    else
        snprintf(reason, size, "record %ld (%s): %s", e.index + 1, e.pointer, e.reason);
    return -1;
}
