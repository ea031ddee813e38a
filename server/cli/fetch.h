/* fetch.h - one bounded HTTPS download into a temporary file (libcurl),
 * for `switchyard import KIND --url URL`. */
#ifndef SY_CLI_FETCH_H
#define SY_CLI_FETCH_H

#include <stdio.h>

typedef struct fetch_limits {
    long connect_seconds, total_seconds;
    long max_bytes;
} fetch_limits;

/* The body of a 2xx answer from url in a temporary file read from its
 * start (the caller fcloses it), or NULL with why: not https, HTTP status,
 * timed out, too large, cannot connect or verify. */
FILE *fetch_url(const char *url, const fetch_limits *lim, char *why, size_t size);

#endif
