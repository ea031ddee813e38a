/* framing.c - unambiguous request framing and bounded body reads; see
 * framing.h.
 *
 * CivetWeb 1.15 parses Content-Length with strtoll and looks at the first
 * header of a name only, so on its own it reads "0x42" as 0, "+12" as 12,
 * "0, 42" as 0, and takes the first of two Content-Length headers; with
 * both Content-Length and Transfer-Encoding it silently prefers chunked.
 * framing_check() runs on every request (the begin_request callback, before
 * CivetWeb or the dispatcher acts on the body) and refuses all of these. */
#include "http/framing.h"

#include <string.h>
#include <strings.h>

#include <civetweb.h>

#include "common/text.h"
#include "http/deadline.h"

/* Header value without trailing blanks: its length. */
static size_t trimmed_len(const char *v)
{
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    return n;
}

/* 1 if v is 1 to 18 decimal digits (then it fits in a long long). */
static int plain_decimal(const char *v)
{
    size_t n = trimmed_len(v);
    if (n == 0 || n > 18)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] < '0' || v[i] > '9')
            return 0;
    return 1;
}

int framing_check(const struct mg_request_info *ri, const char **detail)
{
    int lengths = 0, encodings = 0;
    const char *length = NULL, *encoding = NULL;
    for (int i = 0; i < ri->num_headers; i++) {
        const char *name = ri->http_headers[i].name;
        const char *value = ri->http_headers[i].value ? ri->http_headers[i].value : "";
        if (name && strcasecmp(name, "Content-Length") == 0) {
            lengths++;
            length = value;
        } else if (name && strcasecmp(name, "Transfer-Encoding") == 0) {
            encodings++;
            encoding = value;
        }
    }
    *detail = NULL;
    if (lengths && encodings)
        *detail = "A request must not carry both Content-Length and Transfer-Encoding.";
    else if (lengths > 1)
        *detail = "A request must carry at most one Content-Length.";
    else if (encodings > 1)
        *detail = "A request must carry at most one Transfer-Encoding.";
    else if (length && !plain_decimal(length))
        *detail = "Content-Length must be plain decimal digits.";
    else if (encoding && !(trimmed_len(encoding) == 7 && strncasecmp(encoding, "chunked", 7) == 0))
        *detail = "The only Transfer-Encoding accepted is chunked.";
    else if (encoding && ri->http_version && strcmp(ri->http_version, "1.1") != 0)
        *detail = "Transfer-Encoding needs HTTP/1.1.";
    return *detail ? 400 : 0;
}

int framing_has_body(const struct mg_request_info *ri)
{
    for (int i = 0; i < ri->num_headers; i++)
        if (ri->http_headers[i].name &&
            strcasecmp(ri->http_headers[i].name, "Transfer-Encoding") == 0)
            return 1;
    return ri->content_length > 0;
}

/* Reads and drops the rest of a body that is too large, so that the client
 * reads our 413 instead of a reset connection; up to limit bytes in all,
 * until the deadline. Bigger or slower bodies are cut off. */
#define SY_DRAIN_MAX (8 * 1024 * 1024)
static void drain(struct mg_connection *conn, long long seen, double deadline, long long limit)
{
    char chunk[8192];
    while (seen < limit && clock_mono_ms() < deadline) {
        int n = mg_read(conn, chunk, sizeof chunk);
        if (n <= 0)
            return;
        seen += n;
    }
}

/* The read loop of body_read (body NULL: count and drop). The caller has
 * armed the deadline, so mg_read() returns at the latest shortly after it. */
static int read_until(struct mg_connection *conn, const struct mg_request_info *ri, buf *body,
                      size_t max, double deadline)
{
    char chunk[8192];
    size_t got = 0;
    /* Up to twice the limit is drained for a 413: at least SY_DRAIN_MAX
     * for the API's 1 MiB bodies, at least 64 KiB for small ones. */
    long long floor = max >= 1024 * 1024 ? SY_DRAIN_MAX : 64 * 1024;
    long long drain_max = 2 * (long long)max > floor ? 2 * (long long)max : floor;
    if (ri->content_length > (long long)max) {
        if (ri->content_length <= drain_max)
            drain(conn, 0, deadline, drain_max);
        return 413;
    }
    for (;;) {
        if (clock_mono_ms() >= deadline)
            return 408;
        int n = mg_read(conn, chunk, sizeof chunk);
        if (n < 0)
            return clock_mono_ms() >= deadline ? 408 : 400;
        if (n == 0)
            break;
        if (got + (size_t)n > max) {
            drain(conn, (long long)(got + (size_t)n), deadline, drain_max);
            return 413;
        }
        got += (size_t)n;
        if (body) {
            buf_append(body, chunk, (size_t)n);
            if (buf_failed(body))
                return 500;
        }
    }
    /* A body that stopped short of its Content-Length is not acted on. */
    if (ri->content_length >= 0 && (long long)got < ri->content_length)
        return clock_mono_ms() >= deadline ? 408 : 400;
    return 0;
}

int body_read(struct mg_connection *conn, const struct mg_request_info *ri, buf *body,
              size_t max, double timeout_ms)
{
    double deadline = clock_mono_ms() + timeout_ms;
    int slot = deadline_arm(deadline);
    int status = read_until(conn, ri, body, max, deadline);
    deadline_disarm(slot);
    return status;
}

int body_discard(struct mg_connection *conn, const struct mg_request_info *ri, size_t max,
                 double timeout_ms)
{
    return body_read(conn, ri, NULL, max, timeout_ms);
}
