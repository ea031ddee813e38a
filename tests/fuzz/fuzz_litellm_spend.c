/* fuzz_litellm_spend.c - the LiteLLM spend log rows (core/litellm_spend.h)
 * behind the streaming CSV reader, and the JSON record path.
 *
 * Input: any bytes, read as a spend log CSV (the first record is the
 * header) and, when they parse as JSON, as the records of GET /spend/logs.
 *
 * Properties: a row either parses or names a column of the header (or of
 * the JSON record's layout) and a reason; a parsed row has a valid
 * YYYY-MM-DD day whose first seven bytes are its month, a spend of at
 * least zero, and NUL-terminated texts. */
#include <stdint.h>

#include "common/text.h"
#include "core/csv_read.h"
#include "core/litellm_spend.h"
#include "fuzz.h"

static void check_row(const ls_cols *c, char **fields, size_t n, size_t n_header)
{
    ls_row row;
    int bad = -2;
    char reason[200];
    if (ls_row_parse(c, fields, n, &row, &bad, reason, sizeof reason) != 0) {
        FUZZ_CHECK(bad >= 0 && (size_t)bad < n_header);
        FUZZ_CHECK(reason[0] != '\0');
        return;
    }
    int64_t day;
    FUZZ_CHECK(date_parse(row.day, &day) == 0);
    FUZZ_CHECK(strncmp(row.day, row.month, 7) == 0 && strlen(row.month) == 7);
    FUZZ_CHECK(row.spend >= 0);
    FUZZ_CHECK(strlen(row.served) < sizeof row.served);
    FUZZ_CHECK(strlen(row.workload) < sizeof row.workload);
    FUZZ_CHECK(row.request_id[0] != '\0');
}

static void fuzz_csv(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "rb");
    FUZZ_CHECK(f != NULL);
    csv_reader *r = csv_reader_new(f, 4096);
    FUZZ_CHECK(r != NULL);
    char **fields;
    size_t n, n_header = 0;
    ls_cols cols;
    char reason[200];
    int ok = 0;
    if (csv_read(r, &fields, &n) == 1) {
        n_header = n;
        ok = ls_header(fields, n, &cols, reason, sizeof reason) == 0;
        FUZZ_CHECK(ok || reason[0]);
    }
    while (ok && csv_read(r, &fields, &n) == 1)
        check_row(&cols, fields, n, n_header > n ? n_header : n);
    csv_reader_free(r);
    fclose(f);
}

static void fuzz_json(const uint8_t *data, size_t size)
{
    json_t *doc = json_loadb((const char *)data, size, 0, NULL);
    if (!json_is_array(doc)) {
        json_decref(doc);
        return;
    }
    ls_cols cols;
    ls_cols_identity(&cols);
    size_t i;
    json_t *rec;
    json_array_foreach(doc, i, rec) {
        char *fields[LS_COLS];
        for (int k = 0; k < LS_COLS; k++) {
            fields[k] = ls_json_text(json_object_get(rec, LS_COLUMN_NAMES[k]));
            FUZZ_CHECK(fields[k] != NULL);
        }
        check_row(&cols, fields, LS_COLS, LS_COLS);
        for (int k = 0; k < LS_COLS; k++)
            free(fields[k]);
    }
    json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    fuzz_csv(data, size);
    fuzz_json(data, size);
    return 0;
}
