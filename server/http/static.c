/* static.c - the front end's files; see static.h.
 *
 * Paths are checked before use: only [A-Za-z0-9._/-], no "..", no hidden
 * files, only the file types a front end has. "/" serves index.html. Every
 * file carries an ETag from its content, so browsers revalidate cheaply with
 * 304. The embedded copy is also answered gzip-compressed when the client
 * accepts it (precompressed at build time, with Vary: Accept-Encoding), and
 * under /v/<fingerprint>/ (the URLs index.html uses) with a year-long
 * immutable Cache-Control; index.html itself is always revalidated. */
#include "http/static.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>

#include "common/buf.h"
#include "common/text.h"
#include "http/assets.h"
#include "http/metrics.h"

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

/* One answer: status, its representation and how long it may be cached. */
typedef struct {
    int status;
    const char *type;        /* Content-Type (not sent with 304) */
    const char *etag;        /* quoted, or NULL */
    const char *cache;       /* Cache-Control */
    const char *encoding;    /* "gzip" or NULL */
    int vary;                /* the answer depends on Accept-Encoding */
    const void *body;
    size_t len;
} answer;

/* How to answer: a HEAD request (no body), and/or close the connection
 * afterwards (saying so). */
enum { SF_HEAD = 1, SF_CLOSE = 2 };

static int reply(struct mg_connection *conn, const answer *a, int how)
{
    buf h;
    buf_init(&h);
    buf_printf(&h, "HTTP/1.1 %d %s\r\n", a->status, mg_get_response_code_text(conn, a->status));
    if (a->status != 304)
        buf_printf(&h, "Content-Type: %s\r\nContent-Length: %zu\r\n", a->type, a->len);
    if (a->encoding && a->status != 304)
        buf_printf(&h, "Content-Encoding: %s\r\n", a->encoding);
    if (a->vary)
        buf_puts(&h, "Vary: Accept-Encoding\r\n");
    if (a->etag)
        buf_printf(&h, "ETag: %s\r\n", a->etag);
    buf_printf(&h, "Cache-Control: %s\r\n", a->cache);
    buf_append(&h, SECURITY_HEADERS, sizeof SECURITY_HEADERS - 1);
    if (how & SF_CLOSE)
        buf_puts(&h, "Connection: close\r\n");
    buf_puts(&h, "\r\n");
    if (!(how & SF_HEAD) && a->status != 304)
        buf_append(&h, a->body, a->len);
    metrics_take(a->status);
    if (!buf_failed(&h))
        mg_write(conn, h.data, h.len);
    buf_free(&h);
    return a->status;
}

static int not_found(struct mg_connection *conn, int how)
{
    static const char body[] = "Not found\n";
    answer a = {404, "text/plain; charset=utf-8", NULL, "no-store", NULL, 0, body, sizeof body - 1};
    return reply(conn, &a, how);
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

/* 304 when If-None-Match names tag (a quoted hex hash) in either stored
 * form, plain or gzip ("<hash>-gz"): the content is the same, and the
 * client has it decoded. */
static int fresh(struct mg_connection *conn, const char *tag)
{
    const char *inm = mg_get_header(conn, "If-None-Match");
    if (!inm)
        return 0;
    if (strcmp(inm, "*") == 0)
        return 1;
    size_t n = strlen(tag) - 1; /* without the closing quote */
    for (const char *p = inm; (p = strstr(p, "\"")) != NULL; p++)
        if (strncmp(p, tag, n) == 0 && (p[n] == '"' || strncmp(p + n, "-gz\"", 4) == 0))
            return 1;
    return 0;
}

/* --web-root (development): files as they are on disk, always revalidated,
 * never compressed. */
static int serve_disk(struct mg_connection *conn, const char *root, const char *path,
                      const char *type, int how)
{
    size_t len;
    unsigned char *data = read_file(root, path, &len);
    if (!data)
        return not_found(conn, how);
    char etag[24];
    snprintf(etag, sizeof etag, "\"%016llx\"", (unsigned long long)fnv1a(data, len));
    answer a = {fresh(conn, etag) ? 304 : 200, type, etag, "no-cache", NULL, 0, data, len};
    int status = reply(conn, &a, how);
    free(data);
    return status;
}

/* The embedded copy: gzip when the client takes it; a year of immutable
 * caching when the URL carries the file's current fingerprint, else
 * revalidation (index.html, and URLs from an older build). */
static int serve_embedded(struct mg_connection *conn, const char *path,
                          const char *fingerprint, const char *type, int how)
{
    const web_asset *f = web_asset_find(path + 1);
    if (!f)
        return not_found(conn, how);
    int gz = f->gz && accepts_gzip(mg_get_header(conn, "Accept-Encoding"));
    char plain[24], etag[32];
    snprintf(plain, sizeof plain, "\"%s\"", f->etag);
    snprintf(etag, sizeof etag, "\"%s%s\"", f->etag, gz ? "-gz" : "");
    int immutable = fingerprint && strcmp(fingerprint, f->version) == 0 &&
                    strcmp(f->name, "index.html") != 0;
    answer a = {fresh(conn, plain) ? 304 : 200, type, etag,
                immutable ? "public, max-age=31536000, immutable" : "no-cache",
                gz ? "gzip" : NULL, f->gz != NULL, gz ? f->gz : f->data,
                gz ? f->gz_size : f->size};
    return reply(conn, &a, how);
}

int static_serve(struct mg_connection *conn, const char *web_root, const char *method,
                 const char *path, int close_after)
{
    int head_only = strcmp(method, "HEAD") == 0;
    int how = (head_only ? SF_HEAD : 0) | (close_after ? SF_CLOSE : 0);
    if (!head_only && strcmp(method, "GET") != 0) {
        static const char body[] = "Method not allowed\n";
        buf h;
        buf_init(&h);
        buf_printf(&h, "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n",
                   sizeof body - 1);
        buf_append(&h, SECURITY_HEADERS, sizeof SECURITY_HEADERS - 1);
        if (close_after)
            buf_puts(&h, "Connection: close\r\n");
        buf_puts(&h, "\r\n");
        buf_puts(&h, body);
        metrics_take(405);
        if (!buf_failed(&h))
            mg_write(conn, h.data, h.len);
        buf_free(&h);
        return 405;
    }
    /* /v/<fingerprint>/name: the file name, cached for a year if current. */
    char fingerprint[33];
    const char *unversioned = versioned_path(path, fingerprint, sizeof fingerprint);
    if (unversioned)
        path = unversioned;
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    else if (strcmp(path, "/favicon.ico") == 0)
        path = "/favicon.svg"; /* browsers ask for it unprompted */
    /* Only the kinds of file a front end has: with --web-root pointing at a
     * directory that also holds a database or the signing key, those stay
     * out of reach (CivetWeb's hide_files_patterns does not apply here). */
    const char *type = content_type(path);
    if (!safe_path(path) || !type)
        return not_found(conn, how);
    if (unversioned == NULL)
        fingerprint[0] = 0;

    if (web_root)
        return serve_disk(conn, web_root, path, type, how);
    return serve_embedded(conn, path, fingerprint[0] ? fingerprint : NULL, type, how);
}
