/* query.c - query-string parsing; see query.h. */
#include "query.h"

#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int url_decode(const char *src, size_t n, char *out, size_t size)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hexval(src[i + 1]), lo = hexval(src[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (char)(hi * 16 + lo);
            if (c == '\0')
                return -1;
            i += 2;
        }
        if (j + 1 >= size)
            return -1;
        out[j++] = c;
    }
    if (size == 0)
        return -1;
    out[j] = '\0';
    return 0;
}

int query_next(const char **cursor, char *name, size_t nsize, char *value,
               size_t vsize)
{
    const char *s = *cursor;
    if (!s)
        return 0;
    while (*s == '&')
        s++;
    if (!*s) {
        *cursor = s;
        return 0;
    }
    const char *end = strchr(s, '&');
    if (!end)
        end = s + strlen(s);
    const char *eq = memchr(s, '=', (size_t)(end - s));
    const char *name_end = eq ? eq : end;
    *cursor = end;
    if (name_end == s)
        return -1; /* "=value" with no name */
    if (url_decode(s, (size_t)(name_end - s), name, nsize) != 0)
        return -1;
    if (eq) {
        if (url_decode(eq + 1, (size_t)(end - eq - 1), value, vsize) != 0)
            return -1;
    } else if (vsize) {
        value[0] = '\0';
    } else {
        return -1;
    }
    return 1;
}

int query_get(const char *qs, const char *name, char *out, size_t size)
{
    char n[64];
    const char *cursor = qs;
    int rc;
    while ((rc = query_next(&cursor, n, sizeof n, out, size)) == 1)
        if (strcmp(n, name) == 0)
            return 1;
    return rc;
}
