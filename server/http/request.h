/* request.h - what a handler sees of a request, and the writers it answers
 * with. The API layer includes this and never civetweb.h: the dispatcher
 * has already matched the route, checked the body and parsed the JSON.
 *
 * A handler writes its body into rq->out (usually through rq->jw), may set
 * the headers below, and returns the HTTP status. The dispatcher sends it. */
#ifndef SY_REQUEST_H
#define SY_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/jw.h"
#include "core/validate.h"
#include "http/router.h"
#include "store/store.h"

struct mg_connection;
struct sy_app;

typedef struct sy_request {
    struct mg_connection *conn;
    struct sy_app *app;
    sy_db *db;                  /* a pooled connection, borrowed for the request */
    const char *method;         /* "HEAD" arrives as "GET" for handlers */
    int head_only;              /* HEAD: answered as GET without the body; a
                                   handler must not act on it (it is safe) */
    const char *path;
    const char *query;          /* raw query string, never NULL */
    route_params params;
    int64_t id;                 /* the {id} capture, when the route has one */
    json_t *body;               /* parsed body for RF_BODY routes, owned */
    const char *upload;         /* the raw body of RF_UPLOAD routes, and its size */
    size_t upload_len;
    int64_t if_match;           /* version from If-Match; 0 absent, -1 unmatched */
    const void *entity;         /* the route's entity (api.h: entity_ops), or NULL */
    arena arena;                /* freed after the response */

    /* who is asking (http/auth.c) */
    sy_role role;               /* ROLE_UNSET when not signed in */
    int64_t user_id;
    const char *user_name;
    const char *actor;          /* for the audit trail: "user:alice", "token:3:alice" */
    int via_cookie;             /* authenticated by the session cookie */
    int64_t token_id;
    int token_may_create;       /* the token was created with may_create_tokens */
    const char *token_expires;  /* the token's expiry (RFC 3339), or NULL */
    int forwarded_https;        /* a trusted proxy says the client used https */
    int scrape;                 /* presented the metrics scrape token (no role) */
    char session_hash[65];
    const char *address;        /* client IP (a trusted proxy's client; auth.c) */

    /* Called after the response is sent (release shared snapshots). */
    struct {
        void (*fn)(void *arg);
        void *arg;
    } done[4];
    int n_done;

    /* response */
    buf out;
    jw jw;                      /* writes into out */
    const char *content_type;   /* default application/json */
    int close_connection;       /* the connection closes after this answer */
    char location[2048];        /* Location (the SSO redirect carries a long query) */
    char etag[48];
    const char *cache_control;  /* default no-store for the API */
    const char *disposition;    /* Content-Disposition, or NULL */
    char set_cookie[256];       /* Set-Cookie, or "" */
    const char *csp;            /* Content-Security-Policy instead of the default */
    int retry_after;            /* Retry-After seconds, or 0 */
    /* gzip (http/gzip.h), set by the dispatcher, not by handlers */
    char *gz;                   /* out compressed (malloc'd), or NULL */
    size_t gz_len;
    const char *gz_body;        /* the compressed body being sent, or NULL */
    size_t gz_body_len;
    int vary_encoding;          /* the answer depends on Accept-Encoding */
} sy_request;

/* The value of a {name} capture copied into the arena, or NULL. */
const char *req_param(sy_request *rq, const char *name);
/* A request header, or NULL. */
const char *req_header(sy_request *rq, const char *name);
/* 1 if the request came over TLS (https), else 0. */
int req_is_tls(const sy_request *rq);

/* Problem details (RFC 9457). Each returns status so handlers can
 * `return problem(...)`. Titles are short sentences that say what happened
 * (NULL: one by status, such as "The request was not accepted"); details
 * are sentences that say what to do. */
int problem(sy_request *rq, int status, const char *title, const char *detail);
int problem_fields(sy_request *rq, int status, const char *detail, const sy_errors *e);
/* As problem_fields, with a title ("The workload was not saved"). */
int problem_fields_titled(sy_request *rq, int status, const char *title, const char *detail,
                          const sy_errors *e);
int problem_param(sy_request *rq, const char *param, const char *detail);
int problem_store(sy_request *rq, const store_err *err);
/* As problem_store, with a title for a 4xx answer (a 5xx keeps its own). */
int problem_store_titled(sy_request *rq, const char *title, const store_err *err);

/* Registers fn(arg) to run once the response is sent; 0, or -1 if full. */
int req_on_done(sy_request *rq, void (*fn)(void *), void *arg);

/* Sets ETag from a version: "v<version>". */
void req_set_etag(sy_request *rq, int64_t id, int64_t version);

#endif
