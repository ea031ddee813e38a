/* framing.h - where a request's body ends, and reading it in bounded time.
 *
 * Request smuggling lives in disagreements about where a body ends: a proxy
 * that reads Content-Length while the server reads Transfer-Encoding, or
 * one that takes "0x42" or "+12" as a number. framing_check() refuses every
 * ambiguous request before anything else sees it; the caller answers 400
 * and closes the connection. body_read() reads a body within an absolute
 * deadline, whatever the client's pace (see deadline.h). */
#ifndef SY_FRAMING_H
#define SY_FRAMING_H

#include <stddef.h>

#include "common/buf.h"

struct mg_connection;
struct mg_request_info;

/* 0 if the request's framing is unambiguous, else 400 with *detail set:
 * Content-Length together with Transfer-Encoding; more than one of either;
 * a Content-Length that is not plain decimal digits; a Transfer-Encoding
 * other than "chunked". */
int framing_check(const struct mg_request_info *ri, const char **detail);

/* 1 if the request carries a body (Content-Length above 0, or chunked). */
int framing_has_body(const struct mg_request_info *ri);

/* Reads the body into body, at most max bytes, all of it by
 * clock_mono_ms() + timeout_ms. Returns 0, or a status: 413 (too large;
 * up to twice max is read and dropped first so that the client sees the
 * answer), 408 (too slow), 400 (malformed chunks, or the client stopped
 * short), 500 (out of memory). On a status, the connection must close. */
int body_read(struct mg_connection *conn, const struct mg_request_info *ri, buf *body,
              size_t max, double timeout_ms);

/* Reads and drops a body nobody takes, with the same limits and statuses
 * (a bad chunk size is 400 on any path). */
int body_discard(struct mg_connection *conn, const struct mg_request_info *ri, size_t max,
                 double timeout_ms);

#endif
