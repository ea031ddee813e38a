/* csv.h - RFC 4180 CSV writing, safe to open in a spreadsheet.
 *
 * A record is fields separated by commas and ended by CRLF. A field is
 * quoted when it holds a comma, a double quote, CR or LF, and quotes inside
 * are doubled. Text is written byte for byte (UTF-8 passes through).
 *
 * Formula injection (OWASP "CSV Injection"): a cell whose first character
 * is =, +, -, @, |, tab or CR, or a fullwidth ＝ ＋ － ＠ ｜, possibly after
 * blanks (spaces, tabs, line breaks, no-break or ideographic spaces), would
 * be read as a formula (or a DDE command) by Excel, LibreOffice or Google
 * Sheets; such a cell gets a single quote in front, and is then
 * always quoted. This applies to every cell, numbers included (a negative
 * number reads back as text with a leading quote). Pure: no I/O. */
#ifndef SY_CSV_H
#define SY_CSV_H

#include <stddef.h>

#include "common/buf.h"

/* 1 if a cell with this text would be neutralised. */
int csv_is_formula(const char *s, size_t n);

/* Appends one field; a separator first unless it is the first of its
 * record. s may be NULL (an empty field). */
void csv_field(buf *out, const char *s, int first);
void csv_fieldn(buf *out, const char *s, size_t n, int first);

/* Ends the record (CRLF). */
void csv_end(buf *out);

/* Appends a whole record of n fields (NULL entries are empty). */
void csv_record(buf *out, const char *const *fields, size_t n);

#endif
