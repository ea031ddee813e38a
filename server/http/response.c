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

static const char *status_title(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
    default: return "Error";
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
    problem_head(rq, status, status == 409 ? "Conflict" : "Invalid request", detail);
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
    snprintf(text, sizeof text, "Query parameter '%s' %s", param, detail);
    problem_head(rq, 400, "Invalid query parameter", text);
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
        return problem_fields(rq, status, err->detail, &e);
    }
    return problem(rq, status, NULL,
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
