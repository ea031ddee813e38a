/* litellm.h - a LiteLLM proxy's config.yaml (as JSON, core/yaml_json.h):
 * its deployments and fallbacks, and the catalogue offering each
 * deployment reaches.
 *
 * model_list[]: model_name (the model group clients ask for),
 * litellm_params.model ("azure/gpt-4o-eu": provider prefix + model) and
 * optional litellm_params.tags; fallbacks from router_settings.fallbacks or
 * litellm_settings.fallbacks, each a one-key map {group: [groups]}. As
 * documented at https://docs.litellm.ai/docs/proxy/configs (retrieved
 * 2026-12-05). A tag "workload:NAME" maps the deployment's group to that
 * workload. Pure. */
#ifndef SY_LITELLM_H
#define SY_LITELLM_H

#include <jansson.h>
#include <stddef.h>

typedef struct litellm_deployment {
    const char *group;          /* model_name */
    const char *model;          /* litellm_params.model, whole */
    const char *offering;       /* catalogue offering's name, or NULL (unknown provider) */
    const char *workload;       /* from a "workload:NAME" tag, or NULL */
    size_t index;               /* position in model_list (0-based) */
} litellm_deployment;

/* The catalogue offering a LiteLLM model string reaches ("bedrock/anthropic.claude-…"
 * -> "Claude on Amazon Bedrock"), or NULL for a provider it does not know. */
const char *litellm_offering(const char *model);

/* The deployments of config (strings borrowed from it) into a malloc'd
 * array (caller frees). 0, or -1 with a reason and the model_list index
 * at fault (-1: the file's shape). */
int litellm_deployments(const json_t *config, litellm_deployment **out, size_t *n, long *bad_index,
                        char *reason, size_t size);

/* The fallback groups of group (a JSON array of strings, borrowed), or NULL. */
const json_t *litellm_fallbacks(const json_t *config, const char *group);

#endif
