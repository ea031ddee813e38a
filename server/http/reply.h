/* reply.h - writing an API answer (reply.c). */
#ifndef SY_HTTP_REPLY_H
#define SY_HTTP_REPLY_H

#include <stddef.h>

#include "http/cache.h"
#include "http/request.h"

/* How long an idle connection stays open (CivetWeb's keep_alive_timeout_ms);
 * answers say so (Keep-Alive: timeout=N). */
#define SY_KEEP_ALIVE_S 5

/* Writes status, headers and (unless HEAD, 204 or 304) body in one go. */
void http_send_full(sy_request *rq, int status, int head_only, const char *allow,
                    const char *body, size_t len);
/* The same with rq->out as the body. */
void http_send_response(sy_request *rq, int status, int head_only, const char *allow);
/* 1 if an If-None-Match header lists etag (or is "*"). */
int http_etag_matches(const char *inm, const char *etag);
/* Answers from the cache: the stored body, or 304 when the client has it;
 * the status sent. */
int http_send_cached(sy_request *rq, const cache_hit *hit, int head_only);

#endif
