/* static.c - the front end's files; see static.h.
 *
 * Paths are checked before use: only [A-Za-z0-9._/-], no "..", no hidden
 * files, only the file types a front end has. "/" serves index.html. Embedded files carry an ETag computed from
 * their content (FNV-1a), so browsers revalidate cheaply with 304. */
#include "http/static.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "common/buf.h"
#include "common/embedded.h"
#include "common/text.h"

static const char SECURITY_HEADERS[] =
    "Content-Security-Policy: default-src 'self'; script-src 'self'; "
    "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "X-Frame-Options: DENY\r\n";

void send_common_headers(struct mg_connection *conn)
{
    mg_write(conn, SECURITY_HEADERS, sizeof SECURITY_HEADERS - 1);
}

static const char *content_type(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return NULL;
}

static int safe_path(const char *p)
{
    if (*p != '/')
        return 0;
    for (const char *c = p; *c; c++) {
        int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                 (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-' ||
                 *c == '/';
        if (!ok)
            return 0;
        if (*c == '.' && c[-1] == '/')
            return 0; /* hidden files and ".." */
    }
    return strlen(p) < 200;
}

static uint64_t fnv1a(const unsigned char *d, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= d[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int reply(struct mg_connection *conn, int status, const char *type,
                 const char *etag, const char *cache, const void *body, size_t len,
                 int head_only)
{
    buf h;
    buf_init(&h);
    buf_printf(&h, "HTTP/1.1 %d %s\r\n", status, mg_get_response_code_text(conn, status));
    if (status != 304)
        buf_printf(&h, "Content-Type: %s\r\nContent-Length: %zu\r\n", type, len);
    if (etag)
        buf_printf(&h, "ETag: %s\r\n", etag);
    buf_printf(&h, "Cache-Control: %s\r\n", cache);
    buf_append(&h, SECURITY_HEADERS, sizeof SECURITY_HEADERS - 1);
    buf_puts(&h, "\r\n");
    if (!head_only && status != 304)
        buf_append(&h, body, len);
    if (!buf_failed(&h))
        mg_write(conn, h.data, h.len);
    buf_free(&h);
    return status;
}

static int not_found(struct mg_connection *conn, int head_only)
{
    static const char body[] = "Not found\n";
    return reply(conn, 404, "text/plain; charset=utf-8", NULL, "no-store", body,
                 sizeof body - 1, head_only);
}

/* Reads a whole file under root; NULL if missing or unreadable. */
static unsigned char *read_file(const char *root, const char *path, size_t *len)
{
    char full[1024];
    int n = snprintf(full, sizeof full, "%s%s", root, path);
    if (n < 0 || (size_t)n >= sizeof full)
        return NULL;
    FILE *f = fopen(full, "rb");
    if (!f)
        return NULL;
    buf b;
    buf_init(&b);
    char chunk[16384];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, got);
    int bad = ferror(f) || buf_failed(&b);
    fclose(f);
    if (bad) {
        buf_free(&b);
        return NULL;
    }
    if (!b.data)
        buf_reserve(&b, 0);
    return (unsigned char *)buf_take(&b, len);
}

int static_serve(struct mg_connection *conn, const char *web_root, const char *method,
                 const char *path)
{
    int head_only = strcmp(method, "HEAD") == 0;
    if (!head_only && strcmp(method, "GET") != 0) {
        static const char body[] = "Method not allowed\n";
        buf h;
        buf_init(&h);
        buf_printf(&h, "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n",
                   sizeof body - 1);
        buf_append(&h, SECURITY_HEADERS, sizeof SECURITY_HEADERS - 1);
        buf_puts(&h, "\r\n");
        buf_puts(&h, body);
        if (!buf_failed(&h))
            mg_write(conn, h.data, h.len);
        buf_free(&h);
        return 405;
    }
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    else if (strcmp(path, "/favicon.ico") == 0)
        path = "/favicon.svg"; /* browsers ask for it unprompted */
    /* Only the kinds of file a front end has: with --web-root pointing at a
     * directory that also holds a database or the signing key, those stay
     * out of reach (CivetWeb's hide_files_patterns does not apply here). */
    const char *type = content_type(path);
    if (!safe_path(path) || !type)
        return not_found(conn, head_only);

    const unsigned char *data;
    size_t len;
    unsigned char *owned = NULL;
    if (web_root) {
        owned = read_file(web_root, path, &len);
        if (!owned)
            return not_found(conn, head_only);
        data = owned;
    } else {
        const embedded_file *f = embedded_find(sy_web, path + 1);
        if (!f)
            return not_found(conn, head_only);
        data = f->data;
        len = f->size;
    }
    char etag[24];
    snprintf(etag, sizeof etag, "\"%016llx\"", (unsigned long long)fnv1a(data, len));
    const char *inm = mg_get_header(conn, "If-None-Match");
    int status;
    if (inm && strstr(inm, etag))
        status = reply(conn, 304, NULL, etag, "no-cache", NULL, 0, head_only);
    else
        status = reply(conn, 200, type, etag, "no-cache", data, len, head_only);
    free(owned);
    return status;
}
