/* csv_read.c - streaming RFC 4180 reader; see csv_read.h. */
#include "core/csv_read.h"

#include <stdlib.h>
#include <string.h>

#include "common/text.h"

#define CHUNK (64 * 1024)

enum { ST_START, ST_PLAIN, ST_QUOTED, ST_QUOTE_SEEN };

struct csv_reader {
    FILE *f;
    unsigned char chunk[CHUNK];
    size_t pos, have;
    int eof, bom_checked, skip_lf, failed;
    uint64_t consumed;
    long line;                 /* current line (1-based) */
    long record_line;
    size_t max_record;
    char *rec;                 /* the record's fields, each NUL-terminated */
    size_t len, cap;
    size_t *starts;            /* where each field begins in rec */
    char **ptrs;
    size_t nf, capf;
    int first_quoted;          /* the first field was quoted (not an empty line) */
    csv_error err;
};

csv_reader *csv_reader_new(FILE *f, size_t max_record)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->f = f;
    r->line = 1;
    r->max_record = max_record ? max_record : 1024 * 1024;
    r->cap = 4096;
    r->capf = 32;
    r->rec = malloc(r->cap);
    r->starts = malloc(r->capf * sizeof *r->starts);
    r->ptrs = malloc(r->capf * sizeof *r->ptrs);
    if (!r->rec || !r->starts || !r->ptrs) {
        csv_reader_free(r);
        return NULL;
    }
    return r;
}

void csv_reader_free(csv_reader *r)
{
    if (!r)
        return;
    free(r->rec);
    free(r->starts);
    free(r->ptrs);
    free(r);
}

long csv_reader_line(const csv_reader *r) { return r->record_line; }
uint64_t csv_reader_bytes(const csv_reader *r) { return r->consumed; }
const csv_error *csv_reader_error(const csv_reader *r) { return &r->err; }

static int fail(csv_reader *r, long line, const char *reason)
{
    r->failed = 1;
    r->err.row = line;
    r->err.column = (long)r->nf + 1;
    snprintf(r->err.reason, sizeof r->err.reason, "%s", reason);
    return -1;
}

/* Refills the chunk; 0 at the end of the file or on a read error. */
static int refill(csv_reader *r)
{
    if (r->eof)
        return 0;
    r->have = fread(r->chunk, 1, CHUNK, r->f);
    r->pos = 0;
    if (r->have < CHUNK)
        r->eof = 1;
    if (!r->bom_checked) {
        r->bom_checked = 1;
        if (r->have >= 3 && r->chunk[0] == 0xEF && r->chunk[1] == 0xBB && r->chunk[2] == 0xBF)
            r->pos = 3;
    }
    return r->have > r->pos;
}

static int put(csv_reader *r, unsigned char c)
{
    if (r->len + 1 > r->max_record)
        return fail(r, r->line, "the record is longer than the limit");
    if (r->len + 1 >= r->cap) {
        size_t cap = r->cap * 2;
        char *p = realloc(r->rec, cap);
        if (!p)
            return fail(r, r->record_line, "out of memory");
        r->rec = p;
        r->cap = cap;
    }
    r->rec[r->len++] = (char)c;
    return 0;
}

static int begin_field(csv_reader *r)
{
    if (r->nf == r->capf) {
        size_t capf = r->capf * 2;
        size_t *s = realloc(r->starts, capf * sizeof *s);
        if (!s)
            return fail(r, r->line, "out of memory");
        r->starts = s;
        char **p = realloc(r->ptrs, capf * sizeof *p);
        if (!p)
            return fail(r, r->line, "out of memory");
        r->ptrs = p;
        r->capf = capf;
    }
    r->starts[r->nf] = r->len;
    return 0;
}

/* Closes the current field: NUL-terminates and checks its UTF-8. */
static int end_field(csv_reader *r)
{
    if (put(r, '\0') != 0)
        return -1;
    if (!utf8_valid(r->rec + r->starts[r->nf]))
        return fail(r, r->line, "the field is not valid UTF-8");
    r->nf++;
    return 0;
}

/* 1 when the record just ended is an empty line (to be skipped). */
static int empty_line(const csv_reader *r)
{
    return r->nf == 1 && r->rec[0] == '\0' && !r->first_quoted;
}

static int finish(csv_reader *r, char ***fields, size_t *n)
{
    for (size_t i = 0; i < r->nf; i++)
        r->ptrs[i] = r->rec + r->starts[i];
    *fields = r->ptrs;
    *n = r->nf;
    return 1;
}

int csv_read(csv_reader *r, char ***fields, size_t *n)
{
    if (r->failed)
        return -1;
    for (;;) {
        r->len = 0;
        r->nf = 0;
        r->first_quoted = 0;
        r->record_line = r->line;
        int state = ST_START, any = 0;
        if (begin_field(r) != 0)
            return -1;
        for (;;) {
            if (r->pos >= r->have && !refill(r)) {
                if (ferror(r->f))
                    return fail(r, r->line, "the file could not be read");
                if (state == ST_QUOTED)
                    return fail(r, r->line, "a quoted field is not closed before the end of the file");
                if (!any)
                    return 0;
                if (end_field(r) != 0)
                    return -1;
                if (empty_line(r))
                    return 0;
                return finish(r, fields, n);
            }
            unsigned char c = r->chunk[r->pos++];
            r->consumed++;
            if (r->skip_lf) {
                r->skip_lf = 0;
                if (c == '\n')
                    continue;
            }
            any = 1;
            if (c == '\0')
                return fail(r, r->line, "the file holds a NUL byte");
            if (state == ST_QUOTED) {
                if (c == '"') {
                    state = ST_QUOTE_SEEN;
                } else {
                    if (c == '\n')
                        r->line++;
                    if (put(r, c) != 0)
                        return -1;
                }
                continue;
            }
            if (state == ST_QUOTE_SEEN) {
                if (c == '"') {
                    state = ST_QUOTED;
                    if (put(r, c) != 0)
                        return -1;
                    continue;
                }
                if (c != ',' && c != '\n' && c != '\r')
                    return fail(r, r->line, "text follows the closing quote of a field");
            }
            if (c == ',') {
                if (end_field(r) != 0 || begin_field(r) != 0)
                    return -1;
                state = ST_START;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r')
                    r->skip_lf = 1;
                if (end_field(r) != 0)
                    return -1;
                r->line++;
                if (empty_line(r))
                    break; /* skip it: start the next record */
                return finish(r, fields, n);
            } else if (c == '"') {
                if (state != ST_START)
                    return fail(r, r->line, "a quote inside an unquoted field (quote the whole field "
                                            "and double the quote)");
                if (r->nf == 0)
                    r->first_quoted = 1;
                state = ST_QUOTED;
            } else {
                state = ST_PLAIN;
                if (put(r, c) != 0)
                    return -1;
            }
        }
    }
}
