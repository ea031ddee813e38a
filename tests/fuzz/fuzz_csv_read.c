/* fuzz_csv_read.c - the streaming CSV reader (core/csv_read.h).
 *
 * Input: any bytes, read as a CSV file through fmemopen with a small
 * record limit (so the limit's path is reached too).
 *
 * Properties: the reader never reads past its input; an error names a line
 * from 1 to the number of lines in the input (+1) and a field from 1; the
 * lines of successive records never go back; every field is valid UTF-8
 * with no NUL; and the records read, written back fully quoted (doubled
 * quotes, CRLF) and read again, come back identical (the reader and an
 * RFC 4180 writer agree). */
#include <stdint.h>

#include "common/text.h"
#include "core/csv_read.h"
#include "fuzz.h"

typedef struct rec_list {
    char *text;       /* the records, written back fully quoted */
    size_t len, cap;
    size_t fields;    /* fields seen in all */
} rec_list;

static void put(rec_list *l, const char *s, size_t n)
{
    if (l->len + n + 1 > l->cap) {
        size_t cap = (l->len + n + 1) * 2;
        l->text = realloc(l->text, cap);
        FUZZ_CHECK(l->text != NULL);
        l->cap = cap;
    }
    memcpy(l->text + l->len, s, n);
    l->len += n;
}

/* Reads everything in data; writes the records back into *out (may be
 * NULL). Returns the number of records, or -1 after an error. */
static long read_all(const uint8_t *data, size_t size, rec_list *out, long lines)
{
    FILE *f = fmemopen((void *)data, size ? size : 1, "rb");
    FUZZ_CHECK(f != NULL);
    if (!size)
        fgetc(f); /* fmemopen needs a size > 0: consume the one byte */
    csv_reader *r = csv_reader_new(f, 4096);
    FUZZ_CHECK(r != NULL);
    char **fields;
    size_t n;
    long records = 0, last_line = 0;
    int rc;
    while ((rc = csv_read(r, &fields, &n)) == 1) {
        FUZZ_CHECK(csv_reader_line(r) >= last_line && csv_reader_line(r) >= 1);
        last_line = csv_reader_line(r);
        FUZZ_CHECK(n >= 1);
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(fields[i]);
            FUZZ_CHECK(utf8_valid(fields[i]));
            if (out) {
                if (i)
                    put(out, ",", 1);
                put(out, "\"", 1);
                for (size_t j = 0; j < len; j++)
                    put(out, fields[i][j] == '"' ? "\"\"" : fields[i] + j,
                        fields[i][j] == '"' ? 2 : 1);
                put(out, "\"", 1);
                out->fields++;
            }
        }
        if (out)
            put(out, "\r\n", 2);
        records++;
    }
    FUZZ_CHECK(csv_reader_bytes(r) <= size);
    if (rc < 0) {
        const csv_error *e = csv_reader_error(r);
        FUZZ_CHECK(e->row >= 1 && e->row <= lines + 1);
        FUZZ_CHECK(e->column >= 1);
        FUZZ_CHECK(e->reason[0] != '\0');
        records = -1;
    }
    csv_reader_free(r);
    fclose(f);
    return records;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r';
    rec_list first = {0};
    long n = read_all(data, size, &first, lines);
    if (n > 0) {
        long again_lines = 1;
        for (size_t i = 0; i < first.len; i++)
            again_lines += first.text[i] == '\n';
        rec_list second = {0};
        /* Rewritten records may exceed the record limit only when quotes
         * doubled; compare when the second read succeeds. */
        long m = read_all((const uint8_t *)first.text, first.len, &second, again_lines);
        if (m >= 0) {
            FUZZ_CHECK(m == n);
            FUZZ_CHECK(second.len == first.len);
            FUZZ_CHECK(memcmp(second.text, first.text, first.len) == 0);
        }
        free(second.text);
    }
    free(first.text);
    return 0;
}
