/* openapi.c - /api/openapi.json: the API description, generated at build
 * time (server/tools/openapi_gen.c) from the entity descriptors, the route
 * table and server/api/openapi.base.json, and embedded. Tests check it
 * against the route table in both directions and lint it with Redocly. */
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
