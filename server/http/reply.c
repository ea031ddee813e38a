/* reply.c - writes an API answer: status line, the headers every answer
 * carries (security, caching, keep-alive, gzip), and the body, in as few
 * writes as possible; and answers from the response cache (304 when the
 * client's ETag matches). Used by the dispatcher (server.c). */
#include "http/reply.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "common/buf.h"
#include "common/text.h"
#include "http/assets.h"
#include "http/gzip.h"
#include "http/metrics.h"

/* Writes status, headers and (unless HEAD, 204 or 304) the body in one go. */
void http_send_full(sy_request *rq, int status, int head_only, const char *allow,
                      const char *body, size_t len)
{
    buf h;
    buf_init(&h);
    char date[64];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    const char *text = mg_get_response_code_text(rq->conn, status);
    buf_printf(&h, "HTTP/1.1 %d %s\r\nDate: %s\r\n", status, text ? text : "", date);
    if (rq->gz_body) {
        body = rq->gz_body;
        len = rq->gz_body_len;
    }
    if (status != 204 && status != 304)
        buf_printf(&h, "Content-Type: %s\r\nContent-Length: %zu\r\n",
                   rq->content_type ? rq->content_type : "application/json", len);
    if (rq->gz_body && status != 304)
        buf_puts(&h, "Content-Encoding: gzip\r\n");
    if (rq->vary_encoding)
        buf_puts(&h, "Vary: Accept-Encoding\r\n");
    buf_printf(&h, "Cache-Control: %s\r\n", rq->cache_control ? rq->cache_control : "no-store");
    if (rq->etag[0])
        buf_printf(&h, "ETag: %s\r\n", rq->etag);
    if (rq->location[0])
        buf_printf(&h, "Location: %s\r\n", rq->location);
    if (rq->disposition)
        buf_printf(&h, "Content-Disposition: %s\r\n", rq->disposition);
    if (allow)
        buf_printf(&h, "Allow: %s\r\n", allow);
    if (status == 401)
        buf_puts(&h, "WWW-Authenticate: Bearer realm=\"switchyard\"\r\n");
    if (rq->set_cookie[0])
        buf_printf(&h, "Set-Cookie: %s\r\n", rq->set_cookie);
    if (rq->retry_after > 0)
        buf_printf(&h, "Retry-After: %d\r\n", rq->retry_after);
    if (rq->csp)
        buf_printf(&h, "Content-Security-Policy: %s\r\nX-Frame-Options: SAMEORIGIN\r\n", rq->csp);
    else
        buf_puts(&h, "Content-Security-Policy: default-src 'self'; script-src 'self'; "
                     "style-src 'self'; img-src 'self' data:; object-src 'none'; "
                     "base-uri 'none'; form-action 'self'; frame-ancestors 'none'\r\n"
                     "X-Frame-Options: DENY\r\n");
    if (rq->close_connection)
        buf_puts(&h, "Connection: close\r\n");
    else
        buf_printf(&h, "Keep-Alive: timeout=%d\r\n", SY_KEEP_ALIVE_S);
    buf_puts(&h, "X-Content-Type-Options: nosniff\r\n"
                 "Referrer-Policy: no-referrer\r\n\r\n");
    int with_body = !head_only && status != 204 && status != 304;
    /* Small bodies go out with the headers in one write; large ones are
     * written from where they are rather than copied behind the headers. */
    if (with_body && len <= 16384)
        buf_append(&h, body, len);
    metrics_take(status);
    if (!buf_failed(&h)) {
        mg_write(rq->conn, h.data, h.len);
        if (with_body && len > 16384)
            mg_write(rq->conn, body, len);
    }
    buf_free(&h);
}

void http_send_response(sy_request *rq, int status, int head_only, const char *allow)
{
    http_send_full(rq, status, head_only, allow, rq->out.data ? rq->out.data : "", rq->out.len);
}

/* 1 if an If-None-Match header lists etag (or is "*"). */
int http_etag_matches(const char *inm, const char *etag)
{
    return inm && (strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL);
}

/* Answers from the cache: the stored body, or 304 when the client has it. */
int http_send_cached(sy_request *rq, const cache_hit *hit, int head_only)
{
    rq->content_type = hit->content_type;
    copy_str(rq->etag, sizeof rq->etag, hit->etag);
    rq->vary_encoding = hit->gz != NULL;
    if (hit->gz && accepts_gzip(req_header(rq, "Accept-Encoding"))) {
        rq->gz_body = hit->gz;
        rq->gz_body_len = hit->gz_len;
        gzip_etag(rq->etag);
    }
    int status = http_etag_matches(req_header(rq, "If-None-Match"), rq->etag) ? 304 : 200;
    http_send_full(rq, status, head_only, NULL, hit->body, hit->len);
    return status;
}
