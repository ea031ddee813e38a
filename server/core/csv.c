/* csv.c - RFC 4180 fields with formula neutralising; see csv.h. */
#include "core/csv.h"

#include <string.h>

/* Length of a formula-starting character at s (ASCII = + - @ |, or their
 * fullwidth forms U+FF1D U+FF0B U+FF0D U+FF20 U+FF5C, which spreadsheets
 * fold to ASCII), else 0. */
static size_t formula_char(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '|'))
        return 1;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBC &&
        (s[2] == 0x9D || s[2] == 0x8B || s[2] == 0x8D || s[2] == 0xA0))
        return 3;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBD && s[2] == 0x9C)
        return 3;
    return 0;
}

/* Length of leading blank at s that spreadsheets skip before a formula:
 * space, tab, CR, LF, no-break space (U+00A0), ideographic space (U+3000). */
static size_t blank_char(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

int csv_is_formula(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    if (!s || n == 0)
        return 0;
    /* A cell that starts with tab or CR is neutralised whatever follows. */
    if (s[0] == '\t' || s[0] == '\r')
        return 1;
    size_t i = 0, k;
    while (i < n && (k = blank_char(s + i, n - i)) > 0)
        i += k;
    return formula_char(s + i, n - i) > 0;
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
