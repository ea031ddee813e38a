/* router.h - the route table type and its matcher.
 *
 * CivetWeb 1.15 has no mg_match(), and its own handler patterns cannot
 * capture path segments, so routes are matched here: a pattern is a path
 * whose segments are literals or {name} captures, e.g.
 * "/api/v1/workloads/{id}". A capture matches one non-empty segment. */
#ifndef SY_ROUTER_H
#define SY_ROUTER_H

#include <stddef.h>

struct sy_request;

#include "core/roles.h"

enum {
    RF_BODY = 1,        /* expects a JSON body: checks type and size, parses */
    RF_CACHEABLE = 2,   /* safe to cache the response (GET, no side effects) */
    RF_UPLOAD = 4,      /* takes a file as the raw body (rq->upload), not JSON */
    RF_SCRAPE = 8,      /* the metrics scrape token may call it too */
    RF_IMPORT = 16      /* with RF_UPLOAD: an evidence file (CSV, YAML, JSON), up to
                           SY_MAX_IMPORT, 120 s */
};

/* Handlers fill rq->out and return the HTTP status. */
typedef int (*route_handler)(struct sy_request *rq);

typedef struct route {
    const char *method;
    const char *pattern;
    route_handler handler;
    sy_role role;
    int flags;
    const char *summary;       /* one line, also used in the OpenAPI check */
    const void *entity;        /* the entity a generic handler serves, or NULL */
} route;

#define ROUTE_MAX_PARAMS 4

typedef struct route_params {
    int count;
    struct {
        const char *name;      /* points into the pattern */
        size_t name_len;
        const char *value;     /* points into the path */
        size_t value_len;
    } p[ROUTE_MAX_PARAMS];
} route_params;

/* 1 if path matches pattern (captures in *params), else 0. */
int route_match(const char *pattern, const char *path, route_params *params);

/* The outcome of looking a request up in a table. */
typedef struct route_lookup {
    const route *found;        /* method and path match */
    int path_matched;          /* some route has this path (for 405) */
    char allow[96];            /* methods allowed on this path, "GET, POST" */
    route_params params;
} route_lookup;

/* table ends with an entry whose method is NULL. HEAD matches GET routes. */
void route_find(const route *table, const char *method, const char *path,
                route_lookup *out);

#endif
