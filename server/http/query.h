/* query.h - parsing of URL query strings (application/x-www-form-urlencoded).
 *
 * Pure functions over a string, so they are unit-tested and fuzzed without a
 * server. Names and values are percent-decoded into caller buffers; values
 * that do not fit, bad %XX escapes and embedded NULs are errors, never
 * silently truncated. */
#ifndef SY_QUERY_H
#define SY_QUERY_H

#include <stddef.h>

/* Reads the next name=value pair at *cursor and advances it.
 * Returns 1 for a pair, 0 at the end, -1 if malformed. */
int query_next(const char **cursor, char *name, size_t nsize, char *value,
               size_t vsize);

/* Finds the first value of name. 1 found, 0 absent, -1 malformed. */
int query_get(const char *qs, const char *name, char *out, size_t size);

/* Percent-decodes src[0..n) into out; '+' becomes a space. -1 on error. */
int url_decode(const char *src, size_t n, char *out, size_t size);

#endif
