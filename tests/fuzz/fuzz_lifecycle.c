/* fuzz_lifecycle.c - the lifecycle import's reader (core/lifecycle.c) on
 * any JSON text: the vendors' model lists (Azure, its retirement table,
 * Bedrock, models.dev).
 *
 * Properties: a document is either read into at least one fact, each with
 * a non-empty key, an index inside the document, and dates that are empty
 * or ten characters YYYY-MM-DD, or refused with a reason and a record
 * index from -1, allocating nothing; the one-sentence form agrees. */
#include <stdint.h>

#include "core/lifecycle.h"
#include "fuzz.h"

static int day_ok(const char *d)
{
    if (!d[0])
        return 1;
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!doc)
        return 0;
    lifecycle_format fmt;
    lifecycle_fact *f = NULL;
    size_t n = 0;
    lifecycle_error e;
    int rc = lifecycle_parse(doc, &fmt, &f, &n, &e);
    if (rc == 0) {
        FUZZ_CHECK(n >= 1 && f != NULL);
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(f[i].key[0] != '\0');
            FUZZ_CHECK(f[i].index >= 0 && (size_t)f[i].index <= size);
            FUZZ_CHECK(day_ok(f[i].released) && day_ok(f[i].deprecated) && day_ok(f[i].retires));
        }
        FUZZ_CHECK(lifecycle_format_name(fmt) != NULL);
    } else {
        FUZZ_CHECK(rc == -1 && f == NULL && n == 0);
        FUZZ_CHECK(e.reason[0] != '\0' && e.index >= -1);
    }
    free(f);
    char reason[300];
    lifecycle_fact *g = NULL;
    size_t m = 0;
    FUZZ_CHECK(lifecycle_facts(doc, &fmt, &g, &m, reason, sizeof reason) == rc && m == n);
    free(g);
    json_decref(doc);
    return 0;
}
