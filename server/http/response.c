/* response.c - problem details and other reply helpers; see request.h. */
#include <stdio.h>
#include <string.h>

#include <civetweb.h>

#include "http/request.h"

const char *req_param(sy_request *rq, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < rq->params.count; i++)
        if (rq->params.p[i].name_len == n && strncmp(rq->params.p[i].name, name, n) == 0)
            return arena_strndup(&rq->arena, rq->params.p[i].value,
                                 rq->params.p[i].value_len);
    return NULL;
}

const char *req_header(sy_request *rq, const char *name)
{
    return rq->conn ? mg_get_header(rq->conn, name) : NULL;
}

int req_is_tls(const sy_request *rq)
{
    const struct mg_request_info *ri = rq->conn ? mg_get_request_info(rq->conn) : NULL;
    return ri && ri->is_ssl ? 1 : 0;
}

/* The title of a problem whose caller gave none: a sentence that says
 * what happened, the detail then says what to do. */
static const char *status_title(int status)
{
    switch (status) {
    case 400: return "The request was not accepted";
    case 401: return "You are not signed in";
    case 403: return "Your role does not allow this";
    case 404: return "Nothing was found here";
    case 405: return "This address does not take that method";
    case 409: return "The change conflicts with what is stored";
    case 412: return "The record changed since you read it";
    case 413: return "The request is too large";
    case 415: return "The request body is of a type this address does not take";
    case 422: return "The content could not be used";
    case 428: return "The request must say which version it changes";
    case 429: return "Too many requests: wait a moment and try again";
    case 500: return "The server could not complete the request";
    case 502: return "A service this server relies on did not answer properly";
    case 503: return "The server is busy: try again shortly";
    case 507: return "The server has no space left to store this";
    default: return "The request failed";
    }
}

static void problem_head(sy_request *rq, int status, const char *title, const char *detail)
{
    buf_reset(&rq->out);
    jw_init(&rq->jw, &rq->out);
    rq->content_type = "application/problem+json";
    rq->etag[0] = '\0';
    rq->location[0] = '\0';
    rq->disposition = NULL;
    jw_obj(&rq->jw);
    jw_kstr(&rq->jw, "type", "about:blank");
    jw_kstr(&rq->jw, "title", title ? title : status_title(status));
    jw_kint(&rq->jw, "status", status);
    if (detail)
        jw_kstr(&rq->jw, "detail", detail);
    jw_kstr(&rq->jw, "instance", rq->path);
}

int problem(sy_request *rq, int status, const char *title, const char *detail)
{
    problem_head(rq, status, title, detail);
    jw_obj_end(&rq->jw);
    return status;
}

int problem_fields(sy_request *rq, int status, const char *detail, const sy_errors *e)
{
    return problem_fields_titled(rq, status, NULL, detail, e);
}

int problem_fields_titled(sy_request *rq, int status, const char *title, const char *detail,
                          const sy_errors *e)
{
    problem_head(rq, status, title, detail);
    jw_key(&rq->jw, "errors");
    jw_arr(&rq->jw);
    for (int i = 0; i < e->count; i++) {
        jw_obj(&rq->jw);
        jw_kstr(&rq->jw, "pointer", e->items[i].pointer);
        jw_kstr(&rq->jw, "detail", e->items[i].detail);
        jw_obj_end(&rq->jw);
    }
    jw_arr_end(&rq->jw);
    jw_obj_end(&rq->jw);
    return status;
}

int problem_param(sy_request *rq, const char *param, const char *detail)
{
    char text[320];
    size_t n = strlen(detail);
    snprintf(text, sizeof text, "Query parameter '%s' %s%s", param, detail,
             n && detail[n - 1] == '.' ? "" : ".");
    problem_head(rq, 400, "A query parameter was not accepted", text);
    jw_key(&rq->jw, "errors");
    jw_arr(&rq->jw);
    jw_obj(&rq->jw);
    jw_kstr(&rq->jw, "parameter", param);
    jw_kstr(&rq->jw, "detail", detail);
    jw_obj_end(&rq->jw);
    jw_arr_end(&rq->jw);
    jw_obj_end(&rq->jw);
    return 400;
}

int problem_store(sy_request *rq, const store_err *err)
{
    return problem_store_titled(rq, NULL, err);
}

int problem_store_titled(sy_request *rq, const char *title, const store_err *err)
{
    int status;
    switch (err->code) {
    case ST_NOT_FOUND: status = 404; break;
    case ST_CONFLICT:
    case ST_IN_USE: status = 409; break;
    case ST_BAD_REF:
    case ST_INVALID: status = 400; break;
    case ST_PRECONDITION: status = 412; break;
    case ST_BUSY:
    case ST_IO: status = 503; break;
    case ST_FULL: status = 507; break;
    default: status = 500; break;
    }
    if (err->pointer[0]) {
        sy_errors e;
        errors_init(&e);
        errors_add(&e, err->pointer, "%s", err->detail);
        return problem_fields_titled(rq, status, status < 500 ? title : NULL, err->detail, &e);
    }
    return problem(rq, status, status < 500 ? title : NULL,
                   status == 500 ? "The server could not complete the request." : err->detail);
}

void req_set_etag(sy_request *rq, int64_t id, int64_t version)
{
    snprintf(rq->etag, sizeof rq->etag, "\"%lld-%lld\"", (long long)id, (long long)version);
}

int req_on_done(sy_request *rq, void (*fn)(void *), void *arg)
{
    if (rq->n_done == (int)(sizeof rq->done / sizeof rq->done[0]))
        return -1;
    rq->done[rq->n_done].fn = fn;
    rq->done[rq->n_done].arg = arg;
    rq->n_done++;
    return 0;
}
