/* server.c - CivetWeb glue and the one dispatcher.
 *
 * Every request under /api/ goes through server_dispatch(): route lookup
 * (404, 405 with Allow), request body checks (415, 413, 400 for malformed
 * JSON), If-Match parsing, the handler call, and one write of headers and
 * body. Everything else is the front end (static.c). Before either, every
 * request passes begin_request (framing, the per-address cap), and the
 * header and body reads run under absolute deadlines (deadline.c). */
#include "http/server.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <civetweb.h>

#include "common/log.h"
#include "common/text.h"
#include "http/assets.h"
#include "http/auth.h"
#include "http/authcache.h"
#include "http/deadline.h"
#include "http/framing.h"
#include "http/gzip.h"
#include "http/metrics.h"
#include "http/peers.h"
#include "http/cache.h"
#include "store/dbpool.h"
#include "http/request.h"
#include "http/reply.h"
#include "http/static.h"

/* How long a request waits for a pooled database connection before it is
 * answered 503: far above any normal queue, short enough to shed load. */
#define SY_POOL_WAIT_MS 10000

/* The whole body must arrive within these times, whatever its pace
 * (framing.c, deadline.c): signed-in callers get SY_BODY_TIMEOUT_MS for a
 * JSON body of up to 1 MiB; anonymous ones (the sign-in) SY_ANON_TIMEOUT_MS
 * for SY_MAX_ANON_BODY, so unauthenticated clients cannot hold a worker for
 * long. A body where the route takes none is read and dropped within
 * SY_ANON_TIMEOUT_MS, at most SY_MAX_ANON_BODY, and the connection closes. */
#define SY_BODY_TIMEOUT_MS 10000.0
#define SY_ANON_TIMEOUT_MS 3000.0

/* CivetWeb's keep_alive_timeout_ms, from SY_KEEP_ALIVE_S (reply.h), which
 * answers announce so that clients stop reusing a connection first. */
#define SY_STR(x) #x
#define SY_XSTR(x) SY_STR(x)
#define KEEP_ALIVE_MS SY_XSTR(SY_KEEP_ALIVE_S) "000"

/* This connection closes after the answer, which then says so
 * (Connection: close) rather than leaving the client to find out. */
static void no_keep_alive(sy_request *rq)
{
    mg_disable_connection_keep_alive(rq->conn);
    rq->close_connection = 1;
}

/* Answers status with a problem+json body and the usual headers, outside
 * the dispatcher, and closes the connection afterwards. */
static int answer_and_close(struct mg_connection *conn, int status, const char *detail)
{
    sy_request rq;
    memset(&rq, 0, sizeof rq);
    rq.conn = conn;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    rq.path = ri && ri->local_uri ? ri->local_uri : "/";
    rq.query = "";
    buf_init(&rq.out);
    jw_init(&rq.jw, &rq.out);
    const char *text = mg_get_response_code_text(conn, status);
    problem(&rq, status, status == 408 ? "Request Timeout" : text, detail);
    if (status == 429)
        rq.retry_after = 1;
    no_keep_alive(&rq);
    http_send_full(&rq, status, 0, NULL, rq.out.data ? rq.out.data : "", rq.out.len);
    buf_free(&rq.out);
    return status;
}

/* Errors CivetWeb answers itself (malformed requests, oversized headers,
 * timeouts) get the same problem+json body and security headers as ours. */
static int http_error(struct mg_connection *conn, int status, const char *errmsg)
{
    (void)errmsg;
    deadline_headers_done(); /* the answer must not be interrupted */
    /* CivetWeb says 411 for a Content-Length it cannot parse ("-1", "abc"):
     * that is a malformed request (400), as framing_check() says for the
     * values CivetWeb lets through. */
    if (status == 411 && mg_get_header(conn, "Content-Length"))
        answer_and_close(conn, 400, "Content-Length must be plain decimal digits.");
    else
        answer_and_close(conn, status, "The request could not be understood.");
    return 0;
}

/* Requests one address may have in progress (--max-per-address); 0: no cap. */
static int max_per_address;

/* Every request, before CivetWeb or the dispatcher acts on it: over the
 * per-address cap, 429; ambiguous framing (request smuggling), 400; either
 * way the connection closes, static files included. 0 lets it through. */
static int begin_request(struct mg_connection *conn)
{
    deadline_headers_done();
    const char *detail = NULL;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    if (!ri)
        return 0;
    /* Requests in progress per address (as nginx's limit_conn counts):
     * counted here, released in end_request. */
    if (max_per_address > 0 && peers_enter(ri->remote_addr) > max_per_address)
        return answer_and_close(conn, 429, "Too many requests at once from this address.");
    if (framing_check(ri, &detail) == 0)
        return 0;
    return answer_and_close(conn, 400, detail);
}

/* The headers of a connection's first request, and of each next one on a
 * kept-alive connection (idle time included), must arrive within
 * SY_HEADER_TIMEOUT_MS, however they trickle in (deadline.h). CivetWeb's
 * own request_timeout_ms stays as a backstop. */
#define SY_HEADER_TIMEOUT_MS 5000.0

static int init_connection(const struct mg_connection *conn, void **conn_data)
{
    (void)conn;
    *conn_data = NULL;
    deadline_headers_start(SY_HEADER_TIMEOUT_MS);
    return 0;
}

/* After every request begin_request saw (answered or refused). */
static void end_request(const struct mg_connection *conn, int status)
{
    (void)status;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    if (max_per_address > 0 && ri)
        peers_leave(ri->remote_addr);
    deadline_headers_start(SY_HEADER_TIMEOUT_MS);
}

static void connection_close(const struct mg_connection *conn)
{
    (void)conn;
    deadline_headers_done();
}

/* A body on a path that takes none (static files, API routes without one)
 * is read and dropped within the anonymous limits before the answer, so a
 * malformed chunk is answered 400 on every path, and the connection closes
 * after the answer rather than leave CivetWeb to skip the body at the
 * client's pace. 0, or the status to answer (the connection then closes). */
static int drop_stray_body(struct mg_connection *conn, const struct mg_request_info *ri)
{
    if (!framing_has_body(ri))
        return 0;
    mg_disable_connection_keep_alive(conn);
    return body_discard(conn, ri, SY_MAX_ANON_BODY, SY_ANON_TIMEOUT_MS);
}

static const char *stray_body_detail(int status)
{
    return status == 413   ? "This request takes no body, or a small one."
           : status == 408 ? "The request body did not arrive in time."
                           : "The request body is malformed.";
}

static int log_message(const struct mg_connection *conn, const char *message)
{
    (void)conn;
    log_msg(LOG_WARN, "http: %s", message);
    return 1;
}

/* Content types a JSON body may carry; parameters such as charset pass. */
static int is_json_type(const char *ct, int patch)
{
    if (!ct)
        return 0;
    size_t n = strcspn(ct, ";");
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
        return 1;
    return patch && n == 28 && strncasecmp(ct, "application/merge-patch+json", 28) == 0;
}

/* jansson parses recursively, and a worker thread's stack does not hold
 * its 2048 levels: about 1000 nested brackets crashed the server. No API
 * document nests deeper than a few levels, so anything beyond
 * SY_MAX_JSON_DEPTH is refused before parsing. Brackets inside strings do
 * not count. */
#define SY_MAX_JSON_DEPTH 64

static int json_too_deep(const char *s, size_t n)
{
    int depth = 0, in_string = 0;
    for (size_t i = 0; s && i < n; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > SY_MAX_JSON_DEPTH)
                return 1;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

/* If-Match: "<id>-<version>" (one or a list) or "*". Sets rq->if_match to the
 * version, or -1 when no tag can match this resource. */
static void parse_if_match(sy_request *rq)
{
    const char *h = req_header(rq, "If-Match");
    rq->if_match = 0;
    if (!h)
        return;
    rq->if_match = -1;
    const char *p = h;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (*p == '*') {
            rq->if_match = 0;
            return;
        }
        /* If-Match uses strong comparison: a weak tag never matches. */
        if (*p != '"')
            return;
        const char *end = strchr(p + 1, '"');
        if (!end)
            return;
        char tag[48], *dash;
        size_t n = (size_t)(end - p - 1);
        if (n < sizeof tag) {
            memcpy(tag, p + 1, n);
            tag[n] = '\0';
            /* The gzip form's tag names the same version. */
            if (n > 3 && strcmp(tag + n - 3, "-gz") == 0)
                tag[n - 3] = '\0';
            int64_t id, version;
            if ((dash = strchr(tag, '-')) != NULL) {
                *dash = '\0';
                if (parse_i64(tag, 1, INT64_MAX, &id) == 0 &&
                    parse_i64(dash + 1, 1, INT64_MAX, &version) == 0 && id == rq->id) {
                    rq->if_match = version;
                    return;
                }
            }
        }
        p = end + 1;
    }
}

/* One API request on its way through the dispatcher: the request the
 * handler sees and what the stages below pass on to each other. */
typedef struct dispatch {
    sy_request rq;
    sy_app *app;
    const struct mg_request_info *ri;
    route_lookup found;
    const char *allow;          /* Allow header for a 405 */
    buf body;                   /* the raw request body */
    buf key;                    /* cache key, empty when not cacheable */
    uint64_t gen;               /* data generation the cache key is for */
    int writer;                 /* the request changes data */
    int writer_turn;            /* rq.db was borrowed as a writer */
    int grouped;                /* rq.db is a group commit handle */
    int body_done;              /* the request body was read (or refused) */
    double started;
} dispatch;

static void log_request(const sy_app *app, const struct mg_request_info *ri, const char *path,
                        int status, double started)
{
    if (!app->cfg.quiet)
        log_request_line(ri->request_method, path, status, clock_mono_ms() - started);
}

static void dispatch_init(dispatch *d, struct mg_connection *conn, sy_app *app,
                          const struct mg_request_info *ri, const char *path, double started)
{
    memset(d, 0, sizeof *d);
    d->app = app;
    d->ri = ri;
    d->started = started;
    sy_request *rq = &d->rq;
    rq->conn = conn;
    rq->app = app;
    rq->path = path;
    rq->query = ri->query_string ? ri->query_string : "";
    arena_init(&rq->arena);
    buf_init(&rq->out);
    jw_init(&rq->jw, &rq->out);
    rq->head_only = strcmp(ri->request_method, "HEAD") == 0;
    rq->method = rq->head_only ? "GET" : ri->request_method;
    buf_init(&d->body);
    buf_init(&d->key);
    d->writer = strcmp(rq->method, "GET") != 0;
}

static int busy(sy_request *rq)
{
    rq->retry_after = 1;
    return problem(rq, 503, NULL, "The server is busy or the database is not available.");
}

/* Route lookup (404, 405 with Allow) and the {id} capture. 0 or a status. */
static int match_route(dispatch *d)
{
    sy_request *rq = &d->rq;
    route_find(d->app->routes, d->ri->request_method, rq->path, &d->found);
    if (!d->found.found) {
        if (d->found.path_matched) {
            d->allow = d->found.allow;
            return problem(rq, 405, NULL, "This method is not allowed on this resource.");
        }
        return problem(rq, 404, NULL, "No such resource.");
    }
    rq->params = d->found.params;
    const char *id_text = req_param(rq, "id");
    /* IDs are canonical decimal: no sign, no leading zeros. */
    if (id_text && (id_text[0] < '1' || id_text[0] > '9' ||
                    parse_i64(id_text, 1, INT64_MAX, &rq->id) != 0))
        return problem(rq, 404, NULL, "No such resource.");
    return 0;
}

/* Who is asking and may they: authentication, the route's least role,
 * CSRF and If-Match. 0 or a status. (Framing was checked in
 * begin_request, before any of this.) */
static int admit(dispatch *d)
{
    sy_request *rq = &d->rq;
    /* A pooled connection for identifying the caller; a request that
     * changes data gives it back before its body is read and takes a writer
     * turn afterwards, so a slow upload never holds a connection. */
    if (!(rq->db = dbpool_acquire(d->app->pool, 0, SY_POOL_WAIT_MS)))
        return busy(rq);
    rq->address = d->ri->remote_addr;
    int status = auth_identify(rq);
    if (status != 0)
        return status;
    if (!role_allows(rq->role, d->found.found->role) &&
        !(rq->scrape && (d->found.found->flags & RF_SCRAPE)))
        return rq->role == ROLE_UNSET
                   ? problem(rq, 401, NULL, "Sign in, or send an API token as "
                                            "Authorization: Bearer <token>.")
                   : problem(rq, 403, NULL, "Your role does not allow this.");
    if (strcmp(rq->method, "GET") != 0 && (status = auth_check_csrf(rq)) != 0)
        return status;
    parse_if_match(rq);
    return 0;
}

/* For RF_BODY routes: content type (415), the body itself (413, 408, 400)
 * and its JSON (400), parsed into rq.body. 0 or a status. */
static int read_json(dispatch *d)
{
    sy_request *rq = &d->rq;
    const char *ct = mg_get_header(rq->conn, "Content-Type");
    if (!is_json_type(ct, strcmp(rq->method, "PATCH") == 0))
        return problem(rq, 415, NULL,
                       "Send the body as application/json"
                       " (or application/merge-patch+json for PATCH).");
    int anonymous = rq->role == ROLE_UNSET;
    int rc = body_read(rq->conn, d->ri, &d->body, anonymous ? SY_MAX_ANON_BODY : SY_MAX_BODY,
                       anonymous ? SY_ANON_TIMEOUT_MS : SY_BODY_TIMEOUT_MS);
    d->body_done = 1;
    if (rc) {
        /* The rest of the body is unread: never parse it as a request. */
        no_keep_alive(rq);
        return problem(rq, rc, rc == 408 ? "Request Timeout" : NULL,
                       rc == 413   ? (anonymous ? "The request body is larger than 8 KiB."
                                                : "The request body is larger than 1 MiB.")
                       : rc == 408 ? "The request body did not arrive in time."
                                   : "The request body could not be read.");
    }
    if (json_too_deep(d->body.data, d->body.len))
        return problem(rq, 400, "Malformed JSON", "The body nests arrays or objects too deeply.");
    json_error_t jerr;
    rq->body = json_loadb(d->body.data ? d->body.data : "", d->body.len,
                          JSON_REJECT_DUPLICATES, &jerr);
    if (!rq->body) {
        char detail[256];
        snprintf(detail, sizeof detail, "The body is not valid JSON: %s (line %d, column %d).",
                 jerr.text, jerr.line, jerr.column);
        return problem(rq, 400, "Malformed JSON", detail);
    }
    return 0;
}

/* Uploads (RF_UPLOAD): a file as the raw body, with more time and room
 * than a JSON body; only signed-in callers with the route's role get here. */
#define SY_UPLOAD_TIMEOUT_MS 30000.0

#define SY_IMPORT_TIMEOUT_MS 120000.0

static int is_upload_type(const char *ct, int import)
{
    static const char *const bundles[] = {"application/gzip", "application/x-gzip",
                                          "application/octet-stream", NULL};
    static const char *const files[] = {"text/csv", "text/plain", "application/json",
                                        "application/yaml", "application/x-yaml",
                                        "application/octet-stream", NULL};
    const char *const *types = import ? files : bundles;
    size_t n = ct ? strcspn(ct, "; \t") : 0;
    for (int i = 0; types[i]; i++)
        if (n == strlen(types[i]) && strncasecmp(ct, types[i], n) == 0)
            return 1;
    return 0;
}

/* For RF_UPLOAD routes: the type (415) and the file (413, 408, 400), kept
 * in rq.upload. 0 or a status. */
static int read_upload(dispatch *d)
{
    sy_request *rq = &d->rq;
    int import = (d->found.found->flags & RF_IMPORT) != 0;
    if (!is_upload_type(mg_get_header(rq->conn, "Content-Type"), import))
        return problem(rq, 415, NULL,
                       import ? "Send the file as text/csv, application/json, application/yaml "
                                "or application/octet-stream."
                              : "Send the file as application/gzip (or application/octet-stream).");
    int rc = body_read(rq->conn, d->ri, &d->body, import ? SY_MAX_IMPORT : SY_MAX_UPLOAD,
                       import ? SY_IMPORT_TIMEOUT_MS : SY_UPLOAD_TIMEOUT_MS);
    d->body_done = 1;
    if (rc) {
        no_keep_alive(rq);
        return problem(rq, rc, rc == 408 ? "Request Timeout" : NULL,
                       rc == 413   ? (import ? "The file is larger than 64 MiB; import it with "
                                               "`switchyard import` instead."
                                             : "The file is larger than 8 MiB; verify it with "
                                               "`switchyard report verify` instead.")
                       : rc == 408 ? "The file did not arrive in time."
                                   : "The file could not be read.");
    }
    rq->upload = d->body.data ? d->body.data : "";
    rq->upload_len = d->body.len;
    return 0;
}

/* The body, then a writer turn for a request that changes data (its
 * reader connection went back first). 0 or a status. */
static int prepare(dispatch *d)
{
    sy_request *rq = &d->rq;
    if (d->writer) {
        dbpool_release(d->app->pool, rq->db, 0);
        rq->db = NULL;
    }
    int status;
    if ((d->found.found->flags & RF_BODY) && (status = read_json(d)) != 0)
        return status;
    if ((d->found.found->flags & RF_UPLOAD) && (status = read_upload(d)) != 0)
        return status;
    /* A write request gets a group commit handle
     * (store_group_enter): its write shares one COMMIT with the writes
     * queued beside it, and it is answered after that COMMIT. Uploads
     * (imports, bundles) write long: they commit alone rather than hold
     * up a batch's answers. */
    d->grouped = d->writer && store_group_on() && !(d->found.found->flags & RF_UPLOAD);
    if (d->grouped)
        rq->db = store_group_enter(SY_POOL_WAIT_MS);
    else if (d->writer)
        rq->db = dbpool_acquire(d->app->pool, 1, SY_POOL_WAIT_MS);
    if (d->writer && !rq->db)
        return busy(rq);
    d->writer_turn = d->writer;
    return 0;
}

/* Gives the request's connection back (or its group commit handle). */
static void release_db(dispatch *d)
{
    if (d->grouped)
        store_group_leave(d->rq.db);
    else
        dbpool_release(d->app->pool, d->rq.db, d->writer_turn);
    d->rq.db = NULL;
}

/* Cached answers: same URL, role and day, same data generation. Sends a
 * hit itself (after giving the connection back) and returns its status;
 * 0 when the handler has to run. */
static int answer_from_cache(dispatch *d)
{
    sy_request *rq = &d->rq;
    if (!(d->found.found->flags & RF_CACHEABLE))
        return 0;
    /* Private answers are never stored by a browser or proxy (no-store);
     * public ones (the OpenAPI document) may be kept and revalidated. */
    rq->cache_control = d->found.found->role == ROLE_PUBLIC ? "no-cache" : "no-store";
    char today[11];
    date_format(clock_today(), today);
    buf_printf(&d->key, "%s|%s|%s?%s", role_name(rq->role), today, rq->path, rq->query);
    d->gen = store_generation(rq->db);
    cache_hit hit;
    if (buf_failed(&d->key) || !cache_get(d->key.data, d->gen, &hit))
        return 0;
    release_db(d);
    int status = http_send_cached(rq, &hit, rq->head_only);
    cache_release(&hit);
    return status;
}

/* The handler, then caching its answer and a conditional GET's 304. */
static int run_handler(dispatch *d)
{
    sy_request *rq = &d->rq;
    rq->entity = d->found.found->entity;
    int status = d->found.found->handler(rq);
    if (buf_failed(&rq->out))
        status = problem(rq, 500, NULL, "The response could not be built.");
    /* Compressed once: for the cache (every client after this one) or for
     * this client when it takes gzip. */
    int cacheable = status == 200 && d->key.len && !buf_failed(&d->key);
    int gz_ok = accepts_gzip(req_header(rq, "Accept-Encoding"));
    if (status == 200 && gzip_worth(rq->content_type, rq->disposition, rq->out.len)) {
        rq->vary_encoding = 1;
        if ((cacheable || gz_ok) &&
            gzip_compress(rq->out.data, rq->out.len, &rq->gz, &rq->gz_len) != 0)
            rq->gz = NULL;
    }
    if (cacheable)
        cache_put(d->key.data, d->gen, rq->content_type ? rq->content_type : "application/json",
                  rq->out.data ? rq->out.data : "", rq->out.len, rq->gz, rq->gz_len, rq->etag);
    if (rq->gz && gz_ok) {
        rq->gz_body = rq->gz;
        rq->gz_body_len = rq->gz_len;
        gzip_etag(rq->etag);
    }
    if (status == 200 && strcmp(rq->method, "GET") == 0 && rq->etag[0] &&
        http_etag_matches(req_header(rq, "If-None-Match"), rq->etag))
        status = 304;
    return status;
}

static void dispatch_free(dispatch *d)
{
    sy_request *rq = &d->rq;
    for (int i = 0; i < rq->n_done; i++)
        rq->done[i].fn(rq->done[i].arg);
    json_decref(rq->body);
    free(rq->gz);
    buf_free(&d->key);
    buf_free(&d->body);
    buf_free(&rq->out);
    arena_free(&rq->arena);
}

static int (*new_day_fn)(struct sy_db *db);
static _Atomic int64_t new_day_seen = INT64_MIN;

void server_on_new_day(int (*fn)(struct sy_db *db))
{
    new_day_fn = fn;
}

/* The first API request of a day runs the new-day hook; every other
 * request pays one atomic load. A failure to get a connection, or a hook
 * that asks for it (another instance is at it), leaves the day unseen, so
 * a later request tries again. */
static void maybe_new_day(sy_app *app)
{
    if (!new_day_fn)
        return;
    int64_t today = clock_today();
    int64_t seen = atomic_load(&new_day_seen);
    if (seen == today || !atomic_compare_exchange_strong(&new_day_seen, &seen, today))
        return;
    sy_db *db = dbpool_acquire(app->pool, 1, SY_POOL_WAIT_MS);
    if (!db) {
        atomic_store(&new_day_seen, seen);
        return;
    }
    int again = new_day_fn(db);
    dbpool_release(app->pool, db, 1);
    if (again)
        atomic_store(&new_day_seen, seen);
}

int server_dispatch(struct mg_connection *conn, void *cbdata)
{
    sy_app *app = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    double started = clock_mono_ms();
    const char *path = ri->local_uri ? ri->local_uri : "/";
    if (strcmp(path, "/metrics") == 0) /* where Prometheus looks by default */
        path = "/api/v1/metrics";

    if (strncmp(path, "/api/", 5) != 0) {
        metrics_arm(0, started);
        int status = drop_stray_body(conn, ri);
        status = status ? answer_and_close(conn, status, stray_body_detail(status))
                        : static_serve(conn, app->cfg.web_root, ri->request_method, path,
                                       framing_has_body(ri));
        log_request(app, ri, path, status, started);
        metrics_take(status); /* when nothing was written */
        return status;
    }

    metrics_arm(1, started);
    maybe_new_day(app);
    dispatch d;
    dispatch_init(&d, conn, app, ri, path, started);
    int status = match_route(&d);
    metrics_arm_route(d.found.found);
    if (!status && !(d.found.found->flags & (RF_BODY | RF_UPLOAD))) {
        d.body_done = 1;
        if ((status = drop_stray_body(conn, ri)) != 0) {
            no_keep_alive(&d.rq);
            problem(&d.rq, status, status == 408 ? "Request Timeout" : NULL,
                    stray_body_detail(status));
        } else if (framing_has_body(ri)) {
            no_keep_alive(&d.rq);
        }
    }
    if (!status)
        status = admit(&d);
    if (!status)
        status = prepare(&d);
    int cached = 0;
    if (!status)
        cached = status = answer_from_cache(&d);
    if (!status)
        status = run_handler(&d);
    if (!cached) {
        /* The connection goes back before the answer is written: a client
         * slow to read it holds only its own thread. */
        release_db(&d);
        /* Other instances have seen a write before its answer goes out;
         * the wait holds no database connection. */
        store_settle();
        /* Refused before its body was read: the body stays unread, so the
         * connection closes rather than wait for it. */
        if (!d.body_done && framing_has_body(ri))
            no_keep_alive(&d.rq);
        http_send_response(&d.rq, status, d.rq.head_only, d.allow);
    }
    log_request(app, ri, path, status, started);
    metrics_take(status); /* when nothing was written */
    dispatch_free(&d);
    return status;
}

/* Splits "ADDR:PORT" for CivetWeb's listening_ports ("ADDR:PORT" as well). */
static int check_listen(const char *listen)
{
    const char *colon = strrchr(listen, ':');
    int64_t port;
    return colon && colon != listen && parse_i64(colon + 1, 0, 65535, &port) == 0 ? 0 : -1;
}

/* Stops serving and lets go of everything server_run started, in order:
 * CivetWeb's threads, the watchdogs, the credentials' last uses still in
 * memory, group commit, the listener, the pool. */
static void server_stop(sy_app *app)
{
    mg_stop(app->ctx);
    mg_exit_library();
    deadline_stop();
    peers_stop();
    sy_db *last = dbpool_acquire(app->pool, 1, SY_POOL_WAIT_MS);
    if (last) /* the credentials' last uses that are still only in memory */
        auth_flush_uses(last, 1);
    dbpool_release(app->pool, last, 1);
    authcache_free();
    store_group_stop(); /* logs its figures */
    store_listen_stop();
    dbpool_destroy(app->pool);
}

int server_run(const sy_config *cfg, const route *routes)
{
    static sy_app app;
    memset(&app, 0, sizeof app);
    app.cfg = *cfg;
    app.routes = routes;
    if (check_listen(cfg->listen) != 0) {
        fprintf(stderr, "switchyard: --listen wants ADDR:PORT, e.g. 127.0.0.1:8080\n");
        return 1;
    }
    char threads[16];
    snprintf(threads, sizeof threads, "%d", cfg->threads > 0 ? cfg->threads : 256);
    /* CivetWeb options, set deliberately (docs/operations.md explains each). */
    const char *options[] = {
        "listening_ports", cfg->listen,
        "num_threads", threads,
        "request_timeout_ms", "10000",
        "keep_alive_timeout_ms", KEEP_ALIVE_MS,
        "enable_keep_alive", "yes",
        "tcp_nodelay", "1",
        "enable_directory_listing", "no",
        "access_control_allow_origin", "",
        "hide_files_patterns", "**.db$|**.db-wal$|**.db-shm$|**/.*",
        "cgi_pattern", "",
        "ssi_pattern", "",
        "listen_backlog", "1024",
        "connection_queue", "256",
        "linger_timeout_ms", "1000",
        "max_request_size", "16384",
        /* CivetWeb's own answers (malformed requests, 505, 411) carry the
         * same security headers as ours. */
        "additional_header",
        "Content-Security-Policy: default-src 'self'; script-src 'self'; "
        "style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Referrer-Policy: no-referrer\r\n"
        "X-Frame-Options: DENY",
        NULL};
    struct mg_callbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.log_message = log_message;
    cb.http_error = http_error;
    cb.begin_request = begin_request;
    cb.init_connection = init_connection;
    cb.end_request = end_request;
    cb.connection_close = connection_close;

    /* Block the stop signals in every thread; the main thread waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    int pool_size = cfg->db_connections > 0 ? cfg->db_connections : dbpool_default_size();
    app.pool = dbpool_create(cfg->db_path, pool_size, pool_size > 2 ? pool_size / 2 : 1);
    if (!app.pool) {
        fprintf(stderr, "switchyard: out of memory\n");
        return 1;
    }
    /* One deadline slot and one peer entry per worker thread, and a few to spare. */
    int slots = (cfg->threads > 0 ? cfg->threads : 256) + 8;
    max_per_address = cfg->max_per_address;
    if (deadline_start(slots) != 0 || peers_start(slots) != 0) {
        fprintf(stderr, "switchyard: cannot start the request watchdog\n");
        deadline_stop();
        dbpool_destroy(app.pool);
        return 1;
    }
    if (metrics_init(routes, cfg->db_path) != 0 || store_listen_start(cfg->db_path) != 0) {
        fprintf(stderr, "switchyard: cannot start listening for changes\n");
        deadline_stop();
        peers_stop();
        dbpool_destroy(app.pool);
        return 1;
    }
    /* Group commit: each COMMIT waits for the disk while writers commit
     * in turn, so writers waiting meanwhile share one (see store/group.c). */
    if (store_group_start(app.pool, cfg->db_path) != 0)
        log_msg(LOG_WARN, "group commit is off (out of resources): each write commits alone");
    mg_init_library(0);
    app.ctx = mg_start(&cb, &app, options);
    if (!app.ctx) {
        fprintf(stderr, "switchyard: cannot listen on %s (address in use?)\n", cfg->listen);
        mg_exit_library();
        store_listen_stop();
        deadline_stop();
        peers_stop();
        dbpool_destroy(app.pool);
        return 1;
    }
    mg_set_request_handler(app.ctx, "/", server_dispatch, &app);
    struct mg_server_port ports[4];
    int n = mg_get_server_ports(app.ctx, 4, ports);
    app.port = n > 0 ? ports[0].port : 0;
    char host[64];
    copy_str(host, sizeof host, cfg->listen);
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    log_msg(LOG_INFO, "listening on http://%s:%d", host, app.port);
    fflush(stderr);

    int sig = 0;
    sigwait(&stop, &sig);
    log_msg(LOG_INFO, "received %s, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_stop(&app);
    log_msg(LOG_INFO, "stopped");
    return 0;
}
