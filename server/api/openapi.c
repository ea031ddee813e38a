/* openapi.c - /api/openapi.json: the API description, embedded at build
 * time from server/api/openapi.json. A test checks it against the route
 * table in both directions. */
#include "api/api.h"
#include "common/embedded.h"

int openapi_get(sy_request *rq)
{
    const embedded_file *f = embedded_find(sy_apidoc, "openapi.json");
    if (!f)
        return problem(rq, 404, NULL, "This build carries no API description.");
    buf_append(&rq->out, f->data, f->size);
    rq->cache_control = "no-cache";
    return 200;
}
