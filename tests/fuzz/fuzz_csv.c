/* fuzz_csv.c - the CSV writer (core/csv.h).
 *
 * Input: records separated by 0x1E, fields by 0x1F; every other byte
 * (NUL, CR, LF, quotes, commas, UTF-8 or not) is cell text. Records whose
 * cells hold no NUL go through csv_record() (C strings), the others through
 * csv_fieldn() + csv_end().
 *
 * Property: a strict RFC 4180 reader gets back exactly the records and
 * cells that were written, except that a cell csv_is_formula() flags reads
 * back with a single quote in front (and was quoted); a cell is quoted only
 * when it has to be (comma, quote, CR, LF, or neutralised), and every
 * record ends with CRLF. */
#include <stdint.h>

#include "core/csv.h"
#include "fuzz.h"

typedef struct cell {
    const char *s;
    size_t n;
} cell;

static int needs_quotes(const char *s, size_t n)
{
    if (csv_is_formula(s, n))
        return 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return 1;
    return 0;
}

/* Reads one cell at *pos of out; checks it against the expected cell and
 * returns the separator that ended it: ',' or '\n' (for CRLF). */
static char read_cell(const char *out, size_t len, size_t *pos, const cell *want)
{
    size_t p = *pos;
    int formula = csv_is_formula(want->s, want->n);
    char *got = malloc(len + 1);
    FUZZ_CHECK(got != NULL);
    size_t g = 0;
    if (p < len && out[p] == '"') {
        FUZZ_CHECK(needs_quotes(want->s, want->n)); /* quoted only when needed */
        p++;
        for (;;) {
            FUZZ_CHECK(p < len); /* unterminated quote */
            if (out[p] == '"') {
                if (p + 1 < len && out[p + 1] == '"') {
                    got[g++] = '"';
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            got[g++] = out[p++];
        }
    } else {
        FUZZ_CHECK(!needs_quotes(want->s, want->n) || want->n == 0);
        while (p < len && out[p] != ',' && out[p] != '\r') {
            FUZZ_CHECK(out[p] != '"' && out[p] != '\n');
            got[g++] = out[p++];
        }
    }
    /* Compare with what was written (plus the neutralising quote). */
    size_t off = 0;
    if (formula) {
        FUZZ_CHECK(g >= 1 && got[0] == '\'');
        off = 1;
    }
    FUZZ_CHECK(g - off == want->n);
    FUZZ_CHECK(want->n == 0 || memcmp(got + off, want->s, want->n) == 0);
    free(got);
    char sep;
    FUZZ_CHECK(p < len);
    if (out[p] == ',') {
        sep = ',';
        p++;
    } else {
        FUZZ_CHECK(p + 1 < len && out[p] == '\r' && out[p + 1] == '\n');
        sep = '\n';
        p += 2;
    }
    *pos = p;
    return sep;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    /* Split into records and cells. */
    size_t max_cells = size + 1;
    cell *cells = calloc(max_cells, sizeof *cells);
    size_t *rec_start = calloc(max_cells + 1, sizeof *rec_start);
    FUZZ_CHECK(cells && rec_start);
    size_t n_cells = 0, n_recs = 0, start = 0;
    rec_start[n_recs++] = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || in[i] == 0x1e || in[i] == 0x1f) {
            cells[n_cells].s = in + start;
            cells[n_cells].n = i - start;
            n_cells++;
            start = i + 1;
            if (i < size && in[i] == 0x1e)
                rec_start[n_recs++] = n_cells;
        }
    }
    rec_start[n_recs] = n_cells;

    buf out;
    buf_init(&out);
    for (size_t r = 0; r < n_recs; r++) {
        size_t a = rec_start[r], b = rec_start[r + 1];
        int has_nul = 0;
        for (size_t c = a; c < b; c++)
            has_nul |= cells[c].n && memchr(cells[c].s, '\0', cells[c].n) != NULL;
        if (!has_nul) {
            /* C strings; an empty cell is passed as NULL every other time. */
            const char **fields = calloc(b - a + 1, sizeof *fields);
            char **copies = calloc(b - a + 1, sizeof *copies);
            FUZZ_CHECK(fields && copies);
            for (size_t c = a; c < b; c++) {
                copies[c - a] = fuzz_cstr((const uint8_t *)cells[c].s, cells[c].n);
                fields[c - a] = cells[c].n == 0 && (c & 1) ? NULL : copies[c - a];
            }
            csv_record(&out, fields, b - a);
            for (size_t c = a; c < b; c++)
                free(copies[c - a]);
            free(copies);
            free(fields);
        } else {
            for (size_t c = a; c < b; c++)
                csv_fieldn(&out, cells[c].s, cells[c].n, c == a);
            csv_end(&out);
        }
    }
    FUZZ_CHECK(!buf_failed(&out));

    /* Read it back. */
    size_t pos = 0;
    for (size_t r = 0; r < n_recs; r++) {
        for (size_t c = rec_start[r]; c < rec_start[r + 1]; c++) {
            char sep = read_cell(out.data, out.len, &pos, &cells[c]);
            FUZZ_CHECK(sep == (c + 1 == rec_start[r + 1] ? '\n' : ','));
        }
    }
    FUZZ_CHECK(pos == out.len);
    buf_free(&out);
    free(rec_start);
    free(cells);
    return 0;
}
