/* litellm_spend.h - rows of a LiteLLM proxy's spend logs: the
 * LiteLLM_SpendLogs table exported as CSV, or the JSON of the proxy's
 * GET /spend/logs (an array of the same records; /spend/logs/v2 wraps
 * them in {"data": [...]}).
 *
 * Columns by the table's names, as LiteLLM's Prisma schema declares them
 * (https://github.com/BerriAI/litellm/blob/main/schema.prisma, model
 * LiteLLM_SpendLogs, read 2026-12-06): required request_id, spend (USD, as
 * LiteLLM prices requests from its model cost map), startTime and model;
 * optional model_group (the public model name the client asked for),
 * custom_llm_provider ("azure", "bedrock", ...), api_base, request_tags (a
 * JSON array of strings), metadata (a JSON object; older proxies keep the
 * tags in metadata.tags), status ("success" or "failure") and call_type.
 * Every other column (api_key, total_tokens, prompt_tokens, endTime,
 * user, team_id, end_user, ...) is read past. A request tag
 * "workload:NAME" names the workload, as the gateway configuration's
 * tags do (core/litellm.h). Amounts are millionths of a dollar. Pure. */
#ifndef SY_LITELLM_SPEND_H
#define SY_LITELLM_SPEND_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum {
    LS_REQUEST_ID, LS_SPEND, LS_START, LS_MODEL,          /* required */
    LS_GROUP, LS_PROVIDER, LS_API_BASE, LS_TAGS, LS_METADATA, LS_STATUS, LS_CALL_TYPE,
    LS_COLS
};
/* The column names, by LS_* index (NULL-terminated). */
extern const char *const LS_COLUMN_NAMES[LS_COLS + 1];

typedef struct ls_cols {
    int at[LS_COLS];           /* index of each column in a row, or -1 */
} ls_cols;

/* Maps a header row; 0, or -1 with the missing column named in reason. */
int ls_header(char *const *fields, size_t n, ls_cols *c, char *reason, size_t size);
/* The mapping of a JSON record's values laid out in LS_* order. */
void ls_cols_identity(ls_cols *c);

typedef struct ls_row {
    const char *request_id;    /* borrowed from the fields */
    const char *group;         /* model_group, "" when absent */
    int64_t spend;             /* millionths of a dollar */
    char day[11];              /* YYYY-MM-DD of startTime */
    char month[8];             /* YYYY-MM */
    char served[256];          /* "provider/model", as core/litellm.h reads it */
    char workload[161];        /* from a "workload:NAME" tag, "" when none */
    int failed;                /* status says the request failed */
} ls_row;

/* Parses a data row. 0, or -1 with the 0-based LS_* column at fault in
 * *bad and the reason. */
int ls_row_parse(const ls_cols *c, char *const *fields, size_t n, ls_row *out, int *bad,
                 char *reason, size_t size);

/* A JSON record's value as the text a CSV export holds (malloc'd, caller
 * frees): a string as it is, a number in shortest form, null or absent
 * "", an array or object as compact JSON. NULL when out of memory. */
char *ls_json_text(const json_t *v);

#endif
