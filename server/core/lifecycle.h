/* lifecycle.h - vendors' published model lists (JSON) as lifecycle facts.
 *
 * Four shapes, told apart by their top level:
 *  - Azure OpenAI / Foundry "Models - List" (value[].model: name, version,
 *    lifecycleStatus, deprecation.inference = the day inference stops):
 *    https://learn.microsoft.com/en-us/rest/api/aifoundry/accountmanagement/models/list
 *    key "NAME VERSION" (as offerings' model_version: "gpt-4o 2024-11-20");
 *    it names no replacement model;
 *  - Azure's model retirement schedule, the page's table saved as JSON rows
 *    keyed by its column headers (a top-level array, as
 *    pandas.read_html(...).to_json(orient="records") writes it): "Model",
 *    "Version", "Lifecycle", "Retirement date", "Replacement":
 *    https://learn.microsoft.com/en-us/azure/foundry/openai/concepts/model-retirement-schedule
 *    key "NAME VERSION"; the Replacement is the successor ("gpt-5.1", or
 *    "sora-2 (2025-12-08)" read as "sora-2 2025-12-08"; the first of a list);
 *  - Amazon Bedrock ListFoundationModels (modelSummaries[]: modelId,
 *    providerName, modelLifecycle.status ACTIVE or LEGACY, and the optional
 *    timestamps startOfLifeTime, legacyTime, endOfLifeTime):
 *    https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html
 *    https://docs.aws.amazon.com/bedrock/latest/APIReference/API_FoundationModelLifecycle.html
 *    key modelId, provider providerName; LEGACY with no legacyTime means
 *    deprecated as of the import's day; the API names no replacement;
 *  - the models.dev catalogue (api.json: provider id -> models -> id with
 *    release_date YYYY-MM or YYYY-MM-DD, status alpha|beta|deprecated;
 *    schema: https://github.com/anomalyco/models.dev packages/core/src/schema.ts):
 *    key the model id, provider the provider id; no successor.
 * Dates are cut to YYYY-MM-DD (a Bedrock timestamp may also be epoch
 * seconds). Anything malformed is refused with the record's index, a JSON
 * Pointer to the field and the reason. Pure. */
#ifndef SY_LIFECYCLE_H
#define SY_LIFECYCLE_H

#include <jansson.h>
#include <stddef.h>

typedef struct lifecycle_fact {
    char key[160];             /* matched against offerings' model_version */
    char provider[64];         /* Bedrock providerName, models.dev provider id; "" */
    char released[11], deprecated[11], retires[11];   /* "" when not said */
    char successor[160];       /* the replacement the list names, "" when none */
    int legacy;                /* deprecated, date unknown */
    long index;                /* position in the file's list (0-based) */
} lifecycle_fact;

typedef enum { LC_AZURE, LC_BEDROCK, LC_MODELS_DEV, LC_AZURE_RETIREMENTS } lifecycle_format;

typedef struct lifecycle_error {
    long index;                /* the record (0-based); -1: the document itself */
    char pointer[200];         /* JSON Pointer of the bad field, "" for the document */
    char reason[200];
} lifecycle_error;

/* The facts of doc into a malloc'd array (caller frees). 0, or -1 with
 * err filled (nothing allocated). */
int lifecycle_parse(const json_t *doc, lifecycle_format *format, lifecycle_fact **out, size_t *n,
                    lifecycle_error *err);
/* lifecycle_parse with the error as one sentence ("record 2 (/value/1/model/version):
 * must be a string"). */
int lifecycle_facts(const json_t *doc, lifecycle_format *format, lifecycle_fact **out, size_t *n,
                    char *reason, size_t size);
const char *lifecycle_format_name(lifecycle_format f);

#endif
