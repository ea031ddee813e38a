/* lifecycle.h - vendors' published model lists (JSON) as lifecycle facts.
 *
 * Three shapes, told apart by their top level:
 *  - Azure OpenAI / Foundry "Models - List" (value[].model: name, version,
 *    lifecycleStatus, deprecation.inference = the day inference stops):
 *    https://learn.microsoft.com/en-us/rest/api/aifoundry/accountmanagement/models/list
 *    key "NAME VERSION" (as offerings' model_version: "gpt-4o 2024-11-20");
 *  - Amazon Bedrock ListFoundationModels (modelSummaries[]: modelId,
 *    modelLifecycle.status ACTIVE or LEGACY):
 *    https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html
 *    key modelId; LEGACY means deprecated (as of the import's day);
 *  - the models.dev catalogue (api.json: provider -> models -> id with
 *    release_date): https://models.dev  key the model id; release date only.
 * Dates are cut to YYYY-MM-DD. Pure. */
#ifndef SY_LIFECYCLE_H
#define SY_LIFECYCLE_H

#include <jansson.h>
#include <stddef.h>

typedef struct lifecycle_fact {
    char key[160];             /* matched against offerings' model_version */
    char released[11], deprecated[11], retires[11];   /* "" when not said */
    int legacy;                /* Bedrock LEGACY: deprecated, date unknown */
    long index;                /* position in the file's list */
} lifecycle_fact;

typedef enum { LC_AZURE, LC_BEDROCK, LC_MODELS_DEV } lifecycle_format;

/* The facts of doc into a malloc'd array (caller frees). 0, or -1 with
 * a reason. */
int lifecycle_facts(const json_t *doc, lifecycle_format *format, lifecycle_fact **out, size_t *n,
                    char *reason, size_t size);
const char *lifecycle_format_name(lifecycle_format f);

#endif
