/* csv.c - RFC 4180 fields with formula neutralising; see csv.h. */
#include "core/csv.h"

#include <string.h>

int csv_is_formula(const char *s, size_t n)
{
    if (!s || n == 0)
        return 0;
    return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
           s[0] == '\r';
}

void csv_fieldn(buf *out, const char *s, size_t n, int first)
{
    if (!first)
        buf_putc(out, ',');
    if (!s || n == 0)
        return;
    int formula = csv_is_formula(s, n);
    int quote = formula;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        buf_append(out, s, n);
        return;
    }
    buf_putc(out, '"');
    if (formula)
        buf_putc(out, '\'');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') {
            buf_append(out, s + start, i + 1 - start); /* the quote itself ... */
            buf_putc(out, '"');                        /* ... doubled */
            start = i + 1;
        }
    }
    buf_append(out, s + start, n - start);
    buf_putc(out, '"');
}

void csv_field(buf *out, const char *s, int first)
{
    csv_fieldn(out, s, s ? strlen(s) : 0, first);
}

void csv_end(buf *out)
{
    buf_append(out, "\r\n", 2);
}

void csv_record(buf *out, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        csv_field(out, fields[i], i == 0);
    csv_end(out);
}
