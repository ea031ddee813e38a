/* csv_read.h - a streaming RFC 4180 CSV reader for imports.
 *
 * Reads a FILE* in 64 KiB chunks and hands back one record at a time, so
 * memory is bounded by the longest record (max_record bytes), never by the
 * file. Accepts what real exports contain: a UTF-8 byte order mark at the
 * start, CRLF or LF (or a lone CR) line ends, quoted fields with doubled
 * quotes and embedded commas, CR and LF, and empty lines (skipped).
 * Refuses, with the line and the field number: a quote inside an unquoted
 * field, text after a closing quote, a quote left open at the end of the
 * file, a NUL byte, bytes that are not UTF-8, and a record longer than
 * max_record. Pure: no allocation beyond the reader's own buffers. */
#ifndef SY_CSV_READ_H
#define SY_CSV_READ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct csv_reader csv_reader;

typedef struct csv_error {
    long row;            /* 1-based line of the file where the problem is */
    long column;         /* 1-based field number */
    char reason[160];
} csv_error;

/* A reader over f (not closed by the reader); max_record bounds one
 * record's bytes (0: 1 MiB). NULL when out of memory. */
csv_reader *csv_reader_new(FILE *f, size_t max_record);
void csv_reader_free(csv_reader *r);   /* NULL-safe */

/* The next record: 1 with *fields (NUL-terminated texts) and *n set, valid
 * until the next call; 0 at the end of the file; -1 on an error
 * (csv_reader_error says where and why; reading stops there). */
int csv_read(csv_reader *r, char ***fields, size_t *n);

/* The 1-based line on which the last record returned began. */
long csv_reader_line(const csv_reader *r);
/* Bytes consumed so far (for progress). */
uint64_t csv_reader_bytes(const csv_reader *r);
const csv_error *csv_reader_error(const csv_reader *r);

#endif
