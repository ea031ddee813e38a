/* litellm.c - a LiteLLM proxy configuration's deployments; see litellm.h. */
#include "core/litellm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Provider prefix (and, where one provider hosts several publishers, a
 * model substring) -> the catalogue offering (seeds/catalogue.json). */
static const struct {
    const char *prefix, *contains, *offering;
} MAP[] = {
    {"azure/", NULL, "Azure OpenAI in Microsoft Foundry Models"},
    {"azure_ai/", "mistral", "Mistral models in Microsoft Foundry"},
    {"azure_ai/", "claude", "Claude in Microsoft Foundry"},
    {"azure_ai/", "cohere", "Cohere models in Microsoft Foundry"},
    {"azure_ai/", NULL, "Azure OpenAI in Microsoft Foundry Models"},
    {"openai/", NULL, "OpenAI API"},
    {"bedrock/", "anthropic.", "Claude on Amazon Bedrock"},
    {"bedrock/", "openai.", "OpenAI models on Amazon Bedrock"},
    {"bedrock/", "mistral.", "Mistral models on Amazon Bedrock"},
    {"bedrock/", "cohere.", "Cohere models on Amazon Bedrock"},
    {"bedrock/", NULL, "Amazon Bedrock"},
    {"vertex_ai/", "claude", "Claude on Vertex AI"},
    {"vertex_ai/", "mistral", "Mistral models on Vertex AI"},
    {"vertex_ai/", "gemini", "Gemini on Vertex AI"},
    {"anthropic/", NULL, "Claude API"},
    {"mistral/", NULL, "Mistral AI API (La Plateforme)"},
    {"deepseek/", NULL, "DeepSeek API"},
    {"gemini/", NULL, "Gemini Developer API"},
};

const char *litellm_offering(const char *model)
{
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++) {
        size_t n = strlen(MAP[i].prefix);
        if (strncmp(model, MAP[i].prefix, n) == 0 &&
            (!MAP[i].contains || strstr(model + n, MAP[i].contains)))
            return MAP[i].offering;
    }
    return NULL;
}

static const char *workload_tag(const json_t *params)
{
    const json_t *tags = json_object_get(params, "tags");
    size_t i;
    const json_t *t;
    json_array_foreach(tags, i, t) {
        const char *s = json_string_value(t);
        if (s && strncmp(s, "workload:", 9) == 0 && s[9])
            return s + 9;
    }
    return NULL;
}

int litellm_deployments(const json_t *config, litellm_deployment **out, size_t *n, long *bad_index,
                        char *reason, size_t size)
{
    *out = NULL;
    *n = 0;
    *bad_index = -1;
    const json_t *list = json_object_get(config, "model_list");
    if (!json_is_array(list) || json_array_size(list) == 0) {
        snprintf(reason, size, "the file has no model_list (a LiteLLM proxy config.yaml has one)");
        return -1;
    }
    litellm_deployment *d = calloc(json_array_size(list), sizeof *d);
    if (!d) {
        snprintf(reason, size, "out of memory");
        return -1;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        const json_t *params = json_object_get(item, "litellm_params");
        const char *group = json_string_value(json_object_get(item, "model_name"));
        const char *model = json_string_value(json_object_get(params, "model"));
        if (!group || !*group || !model || !*model) {
            *bad_index = (long)i;
            snprintf(reason, size, "model_list[%zu] needs model_name and litellm_params.model", i);
            free(d);
            return -1;
        }
        d[i] = (litellm_deployment){group, model, litellm_offering(model), workload_tag(params), i};
    }
    *out = d;
    *n = json_array_size(list);
    return 0;
}

static const json_t *fallbacks_in(const json_t *list, const char *group)
{
    size_t i;
    const json_t *m;
    json_array_foreach(list, i, m) {
        const json_t *v = json_object_get(m, group);
        if (json_is_array(v))
            return v;
    }
    return NULL;
}

const json_t *litellm_fallbacks(const json_t *config, const char *group)
{
    const json_t *v =
        fallbacks_in(json_object_get(json_object_get(config, "router_settings"), "fallbacks"), group);
    return v ? v
             : fallbacks_in(json_object_get(json_object_get(config, "litellm_settings"), "fallbacks"),
                            group);
}
