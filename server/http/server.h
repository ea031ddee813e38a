/* server.h - the HTTP server: CivetWeb set-up, the dispatcher, start/stop. */
#ifndef SY_SERVER_H
#define SY_SERVER_H

#include <stdint.h>

#include "http/router.h"

#define SY_MAX_BODY (1024 * 1024)   /* request bodies above this get 413 */
#define SY_MAX_UPLOAD (8 * 1024 * 1024)  /* the same for RF_UPLOAD routes (report bundles) */
#define SY_MAX_IMPORT (64 * 1024 * 1024) /* RF_IMPORT uploads (evidence files), held in memory */
#define SY_MAX_ANON_BODY (8 * 1024) /* the same for callers not signed in (the sign-in) */

typedef struct sy_config {
    const char *db_path;
    const char *listen;        /* "127.0.0.1:8080"; port 0 picks a free one */
    const char *web_root;      /* NULL: serve the embedded front end */
    int threads;               /* CivetWeb worker threads */
    int max_per_address;       /* open connections one address may hold; 0: no cap */
    int db_connections;        /* pooled database connections; 0: default */
    int quiet;                 /* no per-request log lines */
    const char *key_dir;       /* report signing key; NULL: the database's directory */
} sy_config;

struct mg_context;
struct mg_connection;
struct dbpool;

typedef struct sy_app {
    sy_config cfg;
    const route *routes;
    struct mg_context *ctx;
    struct dbpool *pool;       /* database connections for requests */
    int port;                  /* the port actually bound */
} sy_app;

/* Starts serving the routes (a table ending with an all-NULL row, e.g.
 * api/routes.h's API_ROUTES); returns 0 when stopped by SIGINT/SIGTERM,
 * else 1. The caller has already migrated the database. */
int server_run(const sy_config *cfg, const route *routes);

/* Registers fn to run once per day and process, on the first API request
 * of each day (clock_today()), before that request is answered, with a
 * pooled connection of its own (the portfolio history's daily figures).
 * fn returns 0 when done for the day, 1 to be called again at a later
 * request (another instance holds the job). NULL: none. Call before
 * server_run. */
struct sy_db;
void server_on_new_day(int (*fn)(struct sy_db *db));

/* Dispatches one request (exposed for the CivetWeb callback). */
int server_dispatch(struct mg_connection *conn, void *app);

#endif
