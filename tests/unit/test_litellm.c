/* test_litellm.c - the YAML reader (core/yaml_json.c: mappings, sequences,
 * scalars as text, flow style, errors with line and column, aliases and
 * deep nesting refused) and the LiteLLM configuration (core/litellm.c:
 * provider prefixes to catalogue offerings, deployments, workload tags,
 * fallbacks from router_settings or litellm_settings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/litellm.h"
#include "core/yaml_json.h"

static json_t *yaml(const char *text, yaml_json_error *e)
{
    return yaml_to_json(NULL, text, strlen(text), e);
}

static void yaml_shapes(void **state)
{
    (void)state;
    yaml_json_error e;
    json_t *j = yaml("a: 1\nb: [x, 'y z']\nc:\n  - d: true\n    e: null\n", &e);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "a")), "1");
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "b"), 1)), "y z");
    json_t *c0 = json_array_get(json_object_get(j, "c"), 0);
    assert_string_equal(json_string_value(json_object_get(c0, "d")), "true");
    json_decref(j);
    j = yaml("", &e);
    assert_true(json_is_null(j));
    json_decref(j);

    assert_null(yaml("a: [1, 2\nb: 3\n", &e));
    assert_true(e.line >= 2);
    assert_true(e.column >= 1);
    assert_null(yaml("a: &x [1]\nb: *x\n", &e));
    assert_string_equal(e.reason, "aliases (*name) are not accepted");
    /* A NUL character (the "\0" escape) in a value or a key: refused, with
     * where (a key would be cut short at it, and JSON cannot carry it
     * back). An escaped backslash before a 0 is two characters, fine. */
    assert_null(yaml("model_list:\n  - api_version: \"1-\\0-2\"\n", &e));
    assert_non_null(strstr(e.reason, "NUL"));
    assert_int_equal(e.line, 2);
    assert_null(yaml("\"k\\0ey\": 1\n", &e));
    assert_non_null(strstr(e.reason, "NUL"));
    assert_int_equal(e.line, 1);
    j = yaml("a: \"x\\\\0\"\n", &e);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "a")), "x\\0");
    json_decref(j);
    char deep[400];
    memset(deep, '[', 100);
    deep[100] = '\0';
    assert_null(yaml(deep, &e));
}

static void offerings_by_prefix(void **state)
{
    (void)state;
    assert_string_equal(litellm_offering("azure/gpt-4o-eu"), "Azure OpenAI in Microsoft Foundry Models");
    assert_string_equal(litellm_offering("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"),
                        "Claude on Amazon Bedrock");
    assert_string_equal(litellm_offering("bedrock/openai.gpt-oss-120b-1:0"),
                        "OpenAI models on Amazon Bedrock");
    assert_string_equal(litellm_offering("bedrock/amazon.nova-pro-v1:0"), "Amazon Bedrock");
    assert_string_equal(litellm_offering("vertex_ai/gemini-2.5-pro"), "Gemini on Vertex AI");
    assert_string_equal(litellm_offering("vertex_ai/claude-sonnet-4"), "Claude on Vertex AI");
    assert_string_equal(litellm_offering("openai/gpt-4o"), "OpenAI API");
    assert_string_equal(litellm_offering("anthropic/claude-sonnet-4"), "Claude API");
    assert_null(litellm_offering("sagemaker/llama"));
    assert_null(litellm_offering("gpt-4o")); /* no prefix: not guessed */
}

static void deployments_and_fallbacks(void **state)
{
    (void)state;
    yaml_json_error e;
    json_t *cfg = yaml("model_list:\n"
                       "  - model_name: chat\n"
                       "    litellm_params: {model: azure/gpt-4o, tags: [\"workload:Claims, EU\"]}\n"
                       "  - model_name: backup\n"
                       "    litellm_params: {model: openai/gpt-4o}\n"
                       "litellm_settings:\n"
                       "  fallbacks: [{chat: [backup]}]\n",
                       &e);
    assert_non_null(cfg);
    litellm_deployment *d;
    size_t n;
    long bad;
    char reason[160];
    assert_int_equal(litellm_deployments(cfg, &d, &n, &bad, reason, sizeof reason), 0);
    assert_int_equal(n, 2);
    assert_string_equal(d[0].workload, "Claims, EU");
    assert_null(d[1].workload);
    assert_string_equal(d[1].offering, "OpenAI API");
    free(d);
    const json_t *fb = litellm_fallbacks(cfg, "chat");
    assert_string_equal(json_string_value(json_array_get(fb, 0)), "backup");
    assert_null(litellm_fallbacks(cfg, "backup"));
    json_decref(cfg);

    cfg = yaml("model_list:\n  - model_name: x\n", &e);
    assert_int_equal(litellm_deployments(cfg, &d, &n, &bad, reason, sizeof reason), -1);
    assert_int_equal(bad, 0);
    json_decref(cfg);
    cfg = yaml("general_settings: {}\n", &e);
    assert_int_equal(litellm_deployments(cfg, &d, &n, &bad, reason, sizeof reason), -1);
    assert_int_equal(bad, -1);
    json_decref(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yaml_shapes),
        cmocka_unit_test(offerings_by_prefix),
        cmocka_unit_test(deployments_and_fallbacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
