/* litellm_spend.c - rows of LiteLLM spend logs; see litellm_spend.h. */
#include "core/litellm_spend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "core/focus.h"

const char *const LS_COLUMN_NAMES[LS_COLS + 1] = {
    "request_id", "spend", "startTime", "model", "model_group", "custom_llm_provider",
    "api_base", "request_tags", "metadata", "status", "call_type", NULL};

int ls_header(char *const *fields, size_t n, ls_cols *c, char *reason, size_t size)
{
    for (int k = 0; k < LS_COLS; k++)
        c->at[k] = -1;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < LS_COLS; k++)
            if (c->at[k] < 0 && strcmp(fields[i], LS_COLUMN_NAMES[k]) == 0)
                c->at[k] = (int)i;
    for (int k = 0; k <= LS_MODEL; k++)
        if (c->at[k] < 0) {
            snprintf(reason, size,
                     "the column %s is missing (a LiteLLM spend log names request_id, spend, "
                     "startTime and model in its first row)",
                     LS_COLUMN_NAMES[k]);
            return -1;
        }
    return 0;
}

void ls_cols_identity(ls_cols *c)
{
    for (int k = 0; k < LS_COLS; k++)
        c->at[k] = k;
}

static const char *cell(const ls_cols *c, char *const *fields, size_t n, int k)
{
    return c->at[k] >= 0 && (size_t)c->at[k] < n ? fields[c->at[k]] : "";
}

/* The first "workload:NAME" string of a JSON array; 1 found, 0 none. */
static int tag_in(const json_t *tags, char *out, size_t size)
{
    size_t i;
    const json_t *t;
    json_array_foreach(tags, i, t) {
        const char *s = json_string_value(t);
        if (s && strncmp(s, "workload:", 9) == 0 && s[9] && strlen(s + 9) < size) {
            snprintf(out, size, "%s", s + 9);
            return 1;
        }
    }
    return 0;
}

/* request_tags (an array) or metadata (an object, its "tags"): the
 * workload tag. 0, or -1 when the text is not the JSON it must be. */
static int workload_of(const char *text, int want_array, char *out, size_t size)
{
    if (!*text)
        return 0;
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    int ok = v && (want_array ? json_is_array(v) || json_is_null(v)
                              : json_is_object(v) || json_is_null(v));
    if (ok && !out[0])
        tag_in(want_array ? v : json_object_get(v, "tags"), out, size);
    json_decref(v);
    return ok ? 0 : -1;
}

static int fail(int *bad, int col, char *reason, size_t size, const char *why)
{
    *bad = col;
    snprintf(reason, size, "%s", why);
    return -1;
}

int ls_row_parse(const ls_cols *c, char *const *fields, size_t n, ls_row *out, int *bad,
                 char *reason, size_t size)
{
    memset(out, 0, sizeof *out);
    out->request_id = cell(c, fields, n, LS_REQUEST_ID);
    if (!*out->request_id)
        return fail(bad, c->at[LS_REQUEST_ID], reason, size, "request_id is empty");
    const char *spend = cell(c, fields, n, LS_SPEND);
    if (!*spend)
        spend = "0"; /* the table's default */
    if (decimal_micros(spend, &out->spend) != 0)
        return fail(bad, c->at[LS_SPEND], reason, size, "spend is not a number");
    if (out->spend < 0)
        return fail(bad, c->at[LS_SPEND], reason, size, "spend must not be negative");
    const char *start = cell(c, fields, n, LS_START);
    int64_t day;
    if (strlen(start) < 10 || (start[10] && start[10] != 'T' && start[10] != ' '))
        return fail(bad, c->at[LS_START], reason, size,
                    "startTime must be a date and time (2026-11-03T09:14:22Z or "
                    "2026-11-03 09:14:22)");
    memcpy(out->day, start, 10);
    out->day[10] = '\0';
    if (date_parse(out->day, &day) != 0)
        return fail(bad, c->at[LS_START], reason, size, "startTime is not a valid date");
    memcpy(out->month, start, 7);
    out->month[7] = '\0';
    const char *model = cell(c, fields, n, LS_MODEL);
    const char *provider = cell(c, fields, n, LS_PROVIDER);
    size_t pl = strlen(provider);
    /* The log names the model with or without its provider's prefix. */
    int prefixed = !pl || !*model || (strncmp(model, provider, pl) == 0 && model[pl] == '/');
    if (strlen(model) + pl + 2 > sizeof out->served)
        return fail(bad, c->at[LS_MODEL], reason, size, "model is too long");
    snprintf(out->served, sizeof out->served, "%s%s%s", prefixed ? "" : provider,
             prefixed ? "" : "/", model);
    out->group = cell(c, fields, n, LS_GROUP);
    if (workload_of(cell(c, fields, n, LS_TAGS), 1, out->workload, sizeof out->workload) != 0)
        return fail(bad, c->at[LS_TAGS], reason, size, "request_tags is not a JSON array");
    if (workload_of(cell(c, fields, n, LS_METADATA), 0, out->workload, sizeof out->workload) != 0)
        return fail(bad, c->at[LS_METADATA], reason, size, "metadata is not a JSON object");
    const char *status = cell(c, fields, n, LS_STATUS);
    out->failed = *status && strcmp(status, "success") != 0;
    return 0;
}

char *ls_json_text(const json_t *v)
{
    char tmp[64];
    if (!v || json_is_null(v))
        return strdup("");
    if (json_is_string(v))
        return strdup(json_string_value(v));
    if (json_is_integer(v)) {
        snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
        return strdup(tmp);
    }
    if (json_is_real(v)) {
        snprintf(tmp, sizeof tmp, "%.17g", json_real_value(v));
        return strdup(tmp);
    }
    if (json_is_boolean(v))
        return strdup(json_is_true(v) ? "true" : "false");
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}
