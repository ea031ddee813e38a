/* test_lifecycle.c - the vendors' model lists (core/lifecycle.c): each of
 * the four shapes read into facts (keys, dates, successors, providers),
 * and every kind of malformed record refused with its index, the field's
 * JSON Pointer and the reason, allocating nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/lifecycle.h"

/* Parses text; returns the facts (count in *n) or NULL with *e filled. */
static lifecycle_fact *parse(const char *text, lifecycle_format *fmt, size_t *n, lifecycle_error *e)
{
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    assert_non_null(doc);
    lifecycle_fact *f = NULL;
    int rc = lifecycle_parse(doc, fmt, &f, n, e);
    json_decref(doc);
    if (rc != 0) {
        assert_null(f);
        assert_int_equal(*n, 0);
        return NULL;
    }
    return f;
}

static void azure_list(void **state)
{
    (void)state;
    lifecycle_format fmt;
    lifecycle_error e;
    size_t n;
    lifecycle_fact *f = parse(
        "{\"value\":[{\"kind\":\"OpenAI\",\"model\":{\"name\":\"gpt-4o\",\"version\":\"2024-11-20\","
        "\"deprecation\":{\"fineTune\":\"2026-03-31T00:00:00Z\",\"inference\":\"2026-10-01T00:00:00Z\"},"
        "\"lifecycleStatus\":\"Deprecated\"}},"
        "{\"model\":{\"name\":\"gpt-5.1\",\"version\":\"2025-11-13\",\"lifecycleStatus\":\"GenerallyAvailable\"}}]}",
        &fmt, &n, &e);
    assert_non_null(f);
    assert_int_equal(fmt, LC_AZURE);
    assert_int_equal(n, 2);
    assert_string_equal(f[0].key, "gpt-4o 2024-11-20");
    assert_string_equal(f[0].retires, "2026-10-01");
    assert_int_equal(f[0].legacy, 1);
    assert_string_equal(f[0].successor, "");
    assert_string_equal(f[1].retires, "");
    assert_int_equal(f[1].legacy, 0);
    assert_int_equal(f[1].index, 1);
    free(f);
}

static void azure_retirement_table(void **state)
{
    (void)state;
    lifecycle_format fmt;
    lifecycle_error e;
    size_t n;
    lifecycle_fact *f = parse(
        "[{\"Model\":\"gpt-4o\",\"Version\":\"2024-11-20\",\"Lifecycle\":\"Deprecated\","
        "\"Retirement date\":\"2026-10-01\",\"Replacement\":\"gpt-5.1\"},"
        "{\"Model\":\"gpt-5.1\",\"Version\":\"2025-11-13\",\"Lifecycle\":\"GA\","
        "\"Retirement date\":\"2027-05-15\",\"Replacement\":\"\xe2\x80\x94\"},"
        "{\"Model\":\"sora-2\",\"Version\":\"2025-10-06\",\"Lifecycle\":\"Preview\","
        "\"Retirement date\":\"2026-07-15\",\"Replacement\":\"sora-2 (2025-12-08)\"},"
        "{\"Model\":\"TimeGEN-1\",\"Version\":\"1\",\"Lifecycle\":\"Deprecated\","
        "\"Retirement date\":\"2026-08-31\",\"Replacement\":\"TimeGPT-1, TimegGPT-2.1\"},"
        "{\"Model\":\"Phi-4\",\"Version\":\"\xe2\x80\x94\",\"Lifecycle\":\"GA\","
        "\"Retirement date\":\"\xe2\x80\x94\",\"Replacement\":\"\xe2\x80\x94\"}]",
        &fmt, &n, &e);
    assert_non_null(f);
    assert_int_equal(fmt, LC_AZURE_RETIREMENTS);
    assert_string_equal(lifecycle_format_name(fmt), "azure-retirements");
    assert_int_equal(n, 5);
    assert_string_equal(f[0].key, "gpt-4o 2024-11-20");
    assert_string_equal(f[0].retires, "2026-10-01");
    assert_string_equal(f[0].successor, "gpt-5.1");
    assert_int_equal(f[0].legacy, 1);
    assert_string_equal(f[1].successor, "");
    assert_int_equal(f[1].legacy, 0);
    assert_string_equal(f[2].successor, "sora-2 2025-12-08");
    assert_string_equal(f[3].successor, "TimeGPT-1");
    assert_string_equal(f[4].key, "Phi-4");
    assert_string_equal(f[4].retires, "");
    free(f);
}

static void bedrock_list(void **state)
{
    (void)state;
    lifecycle_format fmt;
    lifecycle_error e;
    size_t n;
    lifecycle_fact *f = parse(
        "{\"modelSummaries\":[{\"modelId\":\"anthropic.claude-sonnet-4-5-20250929-v1:0\","
        "\"providerName\":\"Anthropic\",\"modelLifecycle\":{\"status\":\"LEGACY\","
        "\"startOfLifeTime\":\"2025-09-29T00:00:00+00:00\",\"legacyTime\":\"2026-11-15T00:00:00Z\","
        "\"endOfLifeTime\":1809561600}},"
        "{\"modelId\":\"amazon.nova-pro-v1:0\",\"providerName\":\"Amazon\",\"modelLifecycle\":{\"status\":\"ACTIVE\"}}]}",
        &fmt, &n, &e);
    assert_non_null(f);
    assert_int_equal(fmt, LC_BEDROCK);
    assert_int_equal(n, 2);
    assert_string_equal(f[0].provider, "Anthropic");
    assert_string_equal(f[0].released, "2025-09-29");
    assert_string_equal(f[0].deprecated, "2026-11-15");
    assert_string_equal(f[0].retires, "2027-05-06"); /* 1809561600 s */
    assert_int_equal(f[0].legacy, 1);
    assert_int_equal(f[1].legacy, 0);
    assert_string_equal(f[1].retires, "");
    free(f);
}

static void models_dev_catalogue(void **state)
{
    (void)state;
    lifecycle_format fmt;
    lifecycle_error e;
    size_t n;
    lifecycle_fact *f = parse(
        "{\"openai\":{\"id\":\"openai\",\"models\":{\"gpt-5\":{\"id\":\"gpt-5\",\"release_date\":\"2025-08-07\","
        "\"last_updated\":\"2025-08-07\"},\"gpt-4\":{\"id\":\"gpt-4\",\"release_date\":\"2023-03\","
        "\"status\":\"deprecated\"}}},\"anthropic\":{\"models\":{}}}",
        &fmt, &n, &e);
    assert_non_null(f);
    assert_int_equal(fmt, LC_MODELS_DEV);
    assert_int_equal(n, 2);
    assert_string_equal(f[0].key, "gpt-5");
    assert_string_equal(f[0].provider, "openai");
    assert_string_equal(f[0].released, "2025-08-07");
    assert_string_equal(f[1].released, ""); /* a month only: no day */
    assert_int_equal(f[1].legacy, 1);
    free(f);
}

/* Each malformed document, the record and field it must name. */
static const struct {
    const char *text;
    long index;
    const char *pointer;
    const char *reason;
} BAD[] = {
    {"{\"value\":{}}", -1, "/value", "must be an array"},
    {"{\"value\":[{\"model\":{\"name\":\"a\",\"version\":\"1\"}}, 7]}", 1, "/value/1", "must be an object"},
    {"{\"value\":[{\"kind\":\"OpenAI\"}]}", 0, "/value/0/model", "must be an object"},
    {"{\"value\":[{\"model\":{\"name\":\"a\",\"version\":2}}]}", 0, "/value/0/model/version", "must be a string"},
    {"{\"value\":[{\"model\":{\"version\":\"1\"}}]}", 0, "/value/0/model/name", "is missing"},
    {"{\"value\":[{\"model\":{\"name\":\"\",\"version\":\"1\"}}]}", 0, "/value/0/model/name", "must not be empty"},
    {"{\"value\":[{\"model\":{\"name\":\"a\",\"version\":\"1\",\"deprecation\":{\"inference\":\"2026-13-01\"}}}]}",
     0, "/value/0/model/deprecation/inference", "is not a date"},
    {"{\"value\":[{\"model\":{\"name\":\"a\",\"version\":\"1\",\"deprecation\":\"soon\"}}]}", 0,
     "/value/0/model/deprecation", "must be an object"},
    {"{\"value\":[]}", -1, "", "no models found"},
    {"[{\"Model\":\"a\"},{\"Version\":\"1\"}]", 1, "/1/Model", "is missing"},
    {"[{\"Model\":\"a\",\"Retirement date\":\"October 2026\"}]", 0, "/0/Retirement date", "is not a date"},
    {"[{\"Model\":\"a\",\"Replacement\":[\"b\"]}]", 0, "/0/Replacement", "must be a string"},
    {"[\"gpt-4o\"]", 0, "/0", "must be an object"},
    {"{\"modelSummaries\":[{\"modelId\":\"a\"},{\"modelName\":\"b\"}]}", 1, "/modelSummaries/1/modelId", "is missing"},
    {"{\"modelSummaries\":[{\"modelId\":\"a\",\"modelLifecycle\":{\"status\":\"EOL\"}}]}", 0,
     "/modelSummaries/0/modelLifecycle/status", "must be ACTIVE or LEGACY"},
    {"{\"modelSummaries\":[{\"modelId\":\"a\",\"modelLifecycle\":{\"status\":\"LEGACY\",\"endOfLifeTime\":true}}]}",
     0, "/modelSummaries/0/modelLifecycle/endOfLifeTime", "must be a date string"},
    {"{\"modelSummaries\":[{\"modelId\":\"a\",\"modelLifecycle\":\"ACTIVE\"}]}", 0,
     "/modelSummaries/0/modelLifecycle", "must be an object"},
    {"{\"modelSummaries\":\"none\"}", -1, "/modelSummaries", "must be an array"},
    {"{\"openai\":{\"models\":{\"gpt-5\":{\"release_date\":\"08/07/2025\"}}}}", 0,
     "/openai/models/gpt-5/release_date", "is not a date"},
    {"{\"openai\":{\"models\":[]}}", 0, "/openai/models", "must be an object of models"},
    {"{\"openai\":{\"models\":{\"a/b\":3}}}", 0, "/openai/models/a~1b", "must be an object"},
    {"{\"x\":1}", 0, "/x", "must be a provider object"},
    {"{\"openai\":{\"models\":{\"\":{\"name\":\"x\"}}}}", 0, "/openai/models/", "has no model id"},
    {"{\"openai\":{\"models\":{\"a\":{\"id\":\"\"}}}}", 0, "/openai/models/a", "has no model id"},
    {"\"text\"", -1, "", "not a JSON object or array"},
};

static void malformed_records_are_named(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        lifecycle_format fmt;
        lifecycle_error e;
        size_t n = 99;
        json_t *doc = json_loads(BAD[i].text, JSON_DECODE_ANY, NULL);
        assert_non_null(doc);
        lifecycle_fact *f = (lifecycle_fact *)1;
        int rc = lifecycle_parse(doc, &fmt, &f, &n, &e);
        json_decref(doc);
        if (rc != -1 || e.index != BAD[i].index || strcmp(e.pointer, BAD[i].pointer) != 0 ||
            !strstr(e.reason, BAD[i].reason))
            fail_msg("case %zu %s: rc %d index %ld pointer '%s' reason '%s'", i, BAD[i].text, rc,
                     e.index, e.pointer, e.reason);
        assert_null(f);
        assert_int_equal(n, 0);
    }
    /* The one-sentence form names the record from 1. */
    json_t *doc = json_loads("{\"value\":[{\"model\":{\"name\":\"a\",\"version\":\"1\"}},"
                             "{\"model\":{\"name\":\"b\",\"version\":false}}]}", 0, NULL);
    lifecycle_format fmt;
    lifecycle_fact *f;
    size_t n;
    char reason[300];
    assert_int_equal(lifecycle_facts(doc, &fmt, &f, &n, reason, sizeof reason), -1);
    assert_string_equal(reason, "record 2 (/value/1/model/version): must be a string");
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(azure_list),
        cmocka_unit_test(azure_retirement_table),
        cmocka_unit_test(bedrock_list),
        cmocka_unit_test(models_dev_catalogue),
        cmocka_unit_test(malformed_records_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
