/* test_litellm_spend.c - rows of LiteLLM spend logs (core/litellm_spend.c):
 * the header by LiteLLM_SpendLogs column names (required request_id,
 * spend, startTime, model; the rest read past), a row's spend in
 * millionths, its day and month from both time formats, the served model
 * as "provider/model" whether or not the log prefixes it, the workload
 * tag from request_tags or metadata.tags, failed requests, each kind of
 * bad cell naming its column, and JSON values as the CSV texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/litellm.h"
#include "core/litellm_spend.h"

/* The real table's column order (schema.prisma), a subset. */
static char *HEADER[] = {"request_id", "call_type", "api_key", "spend", "total_tokens",
                         "startTime", "endTime", "model", "model_group", "custom_llm_provider",
                         "metadata", "request_tags", "team_id", "status"};
#define NH (sizeof HEADER / sizeof HEADER[0])

static void header_maps_columns_and_names_the_missing(void **state)
{
    (void)state;
    ls_cols c;
    char reason[200];
    assert_int_equal(ls_header(HEADER, NH, &c, reason, sizeof reason), 0);
    assert_int_equal(c.at[LS_REQUEST_ID], 0);
    assert_int_equal(c.at[LS_SPEND], 3);
    assert_int_equal(c.at[LS_START], 5);
    assert_int_equal(c.at[LS_MODEL], 7);
    assert_int_equal(c.at[LS_GROUP], 8);
    assert_int_equal(c.at[LS_PROVIDER], 9);
    assert_int_equal(c.at[LS_TAGS], 11);
    assert_int_equal(c.at[LS_API_BASE], -1);
    char *no_spend[] = {"request_id", "startTime", "model"};
    assert_int_equal(ls_header(no_spend, 3, &c, reason, sizeof reason), -1);
    assert_non_null(strstr(reason, "the column spend is missing"));
}

static int parse(char **row, ls_row *out, int *bad, char *reason)
{
    ls_cols c;
    char why[200];
    assert_int_equal(ls_header(HEADER, NH, &c, why, sizeof why), 0);
    return ls_row_parse(&c, row, NH, out, bad, reason, 200);
}

static void row_spend_day_served_and_tag(void **state)
{
    (void)state;
    char *row[] = {"chatcmpl-1", "acompletion", "88dc", "0.1275", "30600",
                   "2026-11-03 09:14:22.120", "2026-11-03 09:14:31.884", "gpt-4o-claims-weu",
                   "claims-chat", "azure", "{\"a\": \"b, c\"}",
                   "[\"env:prod\", \"workload:Claims triage assistant\"]", "t", "success"};
    ls_row r;
    int bad;
    char reason[200];
    assert_int_equal(parse(row, &r, &bad, reason), 0);
    assert_string_equal(r.request_id, "chatcmpl-1");
    assert_int_equal(r.spend, 127500);                  /* 0.1275 USD in millionths */
    assert_string_equal(r.day, "2026-11-03");
    assert_string_equal(r.month, "2026-11");
    assert_string_equal(r.served, "azure/gpt-4o-claims-weu");
    assert_string_equal(litellm_offering(r.served), "Azure OpenAI in Microsoft Foundry Models");
    assert_string_equal(r.group, "claims-chat");
    assert_string_equal(r.workload, "Claims triage assistant");
    assert_false(r.failed);

    /* Already prefixed, ISO time, E notation, the tag in metadata.tags
     * (older proxies), a failed request. */
    char *row2[] = {"chatcmpl-2", "acompletion", "88dc", "1.5E-1", "1",
                    "2026-11-21T11:30:45.000Z", "", "bedrock/anthropic.claude-3-5-sonnet",
                    "claims-chat-fallback", "bedrock", "{\"tags\": [\"workload:Broker\"]}", "[]", "",
                    "failure"};
    assert_int_equal(parse(row2, &r, &bad, reason), 0);
    assert_int_equal(r.spend, 150000);
    assert_string_equal(r.day, "2026-11-21");
    assert_string_equal(r.served, "bedrock/anthropic.claude-3-5-sonnet");
    assert_string_equal(litellm_offering(r.served), "Claude on Amazon Bedrock");
    assert_string_equal(r.workload, "Broker");
    assert_true(r.failed);

    /* No provider column value, no tags, empty spend (the table's default 0). */
    char *row3[] = {"chatcmpl-3", "", "", "", "", "2026-11-30", "", "gpt-4o", "", "", "", "", "",
                    ""};
    assert_int_equal(parse(row3, &r, &bad, reason), 0);
    assert_int_equal(r.spend, 0);
    assert_string_equal(r.served, "gpt-4o");
    assert_null(litellm_offering(r.served));
    assert_string_equal(r.workload, "");
    assert_false(r.failed);
}

static void bad_cells_name_their_column(void **state)
{
    (void)state;
    ls_row r;
    int bad;
    char reason[200];
    char *row[] = {"chatcmpl-1", "acompletion", "k", "n/a", "1", "2026-11-03 09:14:22", "", "gpt-4o",
                   "g", "openai", "{}", "[]", "", "success"};
    assert_int_equal(parse(row, &r, &bad, reason), -1);
    assert_int_equal(bad, 3);
    assert_string_equal(reason, "spend is not a number");
    row[3] = "-0.5";
    assert_int_equal(parse(row, &r, &bad, reason), -1);
    assert_int_equal(bad, 3);
    assert_string_equal(reason, "spend must not be negative");
    row[3] = "0.5";
    row[5] = "11/03/2026 09:14";
    assert_int_equal(parse(row, &r, &bad, reason), -1);
    assert_int_equal(bad, 5);
    row[5] = "2026-02-30 00:00:00";
    assert_int_equal(parse(row, &r, &bad, reason), -1);
    assert_int_equal(bad, 5);
    assert_string_equal(reason, "startTime is not a valid date");
    row[5] = "2026-11-03";
    row[10] = "{\"unterminated\": ";
    assert_int_equal(parse(row, &r, &bad, reason), -1);
    assert_int_equal(bad, 10);
    row[10] = "{}";
    row[11] = "workload:x";
    assert_int_equal(parse(row, &r, &bad, reason), -1);
    assert_int_equal(bad, 11);
    assert_string_equal(reason, "request_tags is not a JSON array");
    row[11] = "[]";
    row[0] = "";
    assert_int_equal(parse(row, &r, &bad, reason), -1);
    assert_int_equal(bad, 0);
}

static void json_values_read_as_csv_text(void **state)
{
    (void)state;
    json_t *rec = json_loads("{\"s\": \"x, y\", \"i\": 650, \"r\": 1.3e-05, \"n\": null, "
                             "\"o\": {\"k\": [1, \"v\"]}, \"t\": true}",
                             0, NULL);
    assert_non_null(rec);
    static const char *const keys[] = {"s", "i", "n", "o", "t", "missing"};
    static const char *const want[] = {"x, y", "650", "", "{\"k\":[1,\"v\"]}", "true", ""};
    for (size_t i = 0; i < 6; i++) {
        char *text = ls_json_text(json_object_get(rec, keys[i]));
        assert_string_equal(text, want[i]);
        free(text);
    }
    /* A real read back as a spend: 1.3e-05 USD is 13 millionths. */
    char *text = ls_json_text(json_object_get(rec, "r"));
    char *row[LS_COLS] = {"id", text, "2026-11-26T08:12:40.000000Z", "text-embedding-3-large",
                          "claims-chat", "azure", "", "[\"team:claims\"]", "{}", "success", ""};
    ls_cols c;
    ls_cols_identity(&c);
    ls_row r;
    int bad;
    char reason[200];
    assert_int_equal(ls_row_parse(&c, row, LS_COLS, &r, &bad, reason, sizeof reason), 0);
    assert_int_equal(r.spend, 13);
    assert_string_equal(r.served, "azure/text-embedding-3-large");
    assert_string_equal(r.workload, "");
    free(text);
    json_decref(rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_maps_columns_and_names_the_missing),
        cmocka_unit_test(row_spend_day_served_and_tag),
        cmocka_unit_test(bad_cells_name_their_column),
        cmocka_unit_test(json_values_read_as_csv_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
