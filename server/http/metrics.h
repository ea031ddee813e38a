/* metrics.h - what GET /metrics (and /api/v1/metrics) shows, in the
 * Prometheus text exposition format (version 0.0.4): requests by route
 * pattern and status, a latency histogram per route, database pool waits,
 * the response and credential caches' hits and misses, snapshot builds and
 * their time, the change listener (notifications, lag, reconnects,
 * fallbacks) and the instance's identity. Counters are lock-free atomics
 * bumped once per request; the text is built when scraped.
 *
 * Who may scrape: an admin (token or session), or whoever presents the
 * scrape token read from --metrics-token-file (good for this route only). */
#ifndef SY_METRICS_H
#define SY_METRICS_H

#include <stddef.h>

#include "common/buf.h"
#include "http/router.h"

struct sy_app;

/* Sizes the counters for the route table and names the instance (a random
 * ID, new at each start). 0 or -1 (out of memory). */
int metrics_init(const route *routes, const char *db_target);
void metrics_free(void);
const char *metrics_instance_id(void);

/* One answered request: its route (NULL: not an API route when api is 0,
 * else no route matched), status and duration. */
void metrics_note(const route *r, int api, int status, double ms);

/* A request is counted just before its answer is written, so a client
 * that has its answer finds it in the next scrape. The dispatcher arms a
 * note for the calling thread's request (and names the route once
 * matched); whoever writes the answer takes it: the first take counts
 * the request, with the time since started, and later ones do nothing. */
void metrics_arm(int api, double started);
void metrics_arm_route(const route *r);
void metrics_take(int status);

/* Reads the scrape token from path (at least 16 characters, trailing
 * blanks and newlines dropped). 0, or -1 with why. */
int metrics_set_scrape_token_file(const char *path, char *why, size_t size);
/* 1 when secret is the configured scrape token. */
int metrics_is_scrape_token(const char *secret);

/* Appends the exposition text. */
void metrics_write(buf *out, const struct sy_app *app);

#endif
