/* health.c - /api/v1/health: liveness and schema version, no auth. */
#include "api/api.h"
#include "version.h"

int health_get(sy_request *rq)
{
    int schema = store_schema_version(rq->db);
    if (schema < 0)
        return problem(rq, 503, NULL, "The database is not available.");
    jw_obj(&rq->jw);
    jw_kstr(&rq->jw, "status", "ok");
    jw_kstr(&rq->jw, "version", SWITCHYARD_VERSION);
    jw_kint(&rq->jw, "schema", schema);
    jw_obj_end(&rq->jw);
    return 200;
}
