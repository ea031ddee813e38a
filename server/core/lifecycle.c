/* lifecycle.c - vendors' model lists as lifecycle facts; see lifecycle.h. */
#include "core/lifecycle.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *lifecycle_format_name(lifecycle_format f)
{
    return f == LC_AZURE ? "azure" : f == LC_BEDROCK ? "bedrock" : "models.dev";
}

/* The YYYY-MM-DD at the start of s, or "". */
static void day_of(const char *s, char out[11])
{
    out[0] = '\0';
    if (!s || strlen(s) < 10)
        return;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return;
    memcpy(out, s, 10);
    out[10] = '\0';
}

static lifecycle_fact *grow(lifecycle_fact **all, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 32;
        lifecycle_fact *g = realloc(*all, c * sizeof *g);
        if (!g)
            return NULL;
        *all = g;
        *cap = c;
    }
    lifecycle_fact *f = &(*all)[(*n)++];
    memset(f, 0, sizeof *f);
    return f;
}

static int azure(const json_t *value, lifecycle_fact **all, size_t *n, size_t *cap)
{
    size_t i;
    const json_t *item;
    json_array_foreach(value, i, item) {
        const json_t *m = json_object_get(item, "model");
        const char *name = json_string_value(json_object_get(m, "name"));
        const char *version = json_string_value(json_object_get(m, "version"));
        if (!name || !version)
            continue;
        lifecycle_fact *f = grow(all, n, cap);
        if (!f)
            return -1;
        snprintf(f->key, sizeof f->key, "%s %s", name, version);
        const json_t *dep = json_object_get(m, "deprecation");
        day_of(json_string_value(json_object_get(dep, "inference")), f->retires);
        const char *status = json_string_value(json_object_get(m, "lifecycleStatus"));
        f->legacy = status && !strcmp(status, "Deprecated");
        f->index = (long)i;
    }
    return 0;
}

static int bedrock(const json_t *list, lifecycle_fact **all, size_t *n, size_t *cap)
{
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        const char *id = json_string_value(json_object_get(item, "modelId"));
        if (!id)
            continue;
        lifecycle_fact *f = grow(all, n, cap);
        if (!f)
            return -1;
        snprintf(f->key, sizeof f->key, "%s", id);
        const char *status = json_string_value(
            json_object_get(json_object_get(item, "modelLifecycle"), "status"));
        f->legacy = status && !strcmp(status, "LEGACY");
        f->index = (long)i;
    }
    return 0;
}

static int models_dev(const json_t *doc, lifecycle_fact **all, size_t *n, size_t *cap)
{
    const char *pk;
    const json_t *prov;
    long idx = 0;
    json_object_foreach((json_t *)doc, pk, prov) {
        const char *mk;
        const json_t *m;
        json_object_foreach(json_object_get(prov, "models"), mk, m) {
            lifecycle_fact *f = grow(all, n, cap);
            if (!f)
                return -1;
            const char *id = json_string_value(json_object_get(m, "id"));
            snprintf(f->key, sizeof f->key, "%s", id ? id : mk);
            day_of(json_string_value(json_object_get(m, "release_date")), f->released);
            const char *status = json_string_value(json_object_get(m, "status"));
            f->legacy = status && !strcmp(status, "deprecated");
            f->index = idx++;
        }
    }
    return 0;
}

int lifecycle_facts(const json_t *doc, lifecycle_format *format, lifecycle_fact **out, size_t *n,
                    char *reason, size_t size)
{
    lifecycle_fact *all = NULL;
    size_t cap = 0;
    *n = 0;
    int rc;
    if (!json_is_object(doc)) {
        snprintf(reason, size, "the file is not a JSON object");
        return -1;
    }
    if (json_is_array(json_object_get(doc, "value"))) {
        *format = LC_AZURE;
        rc = azure(json_object_get(doc, "value"), &all, n, &cap);
    } else if (json_is_array(json_object_get(doc, "modelSummaries"))) {
        *format = LC_BEDROCK;
        rc = bedrock(json_object_get(doc, "modelSummaries"), &all, n, &cap);
    } else {
        *format = LC_MODELS_DEV;
        rc = models_dev(doc, &all, n, &cap);
    }
    if (rc != 0 || *n == 0) {
        free(all);
        *n = 0;
        snprintf(reason, size, rc ? "out of memory"
                                  : "no models found: expected Azure's value[].model, Bedrock's "
                                    "modelSummaries[] or models.dev's providers with models");
        return -1;
    }
    *out = all;
    return 0;
}
