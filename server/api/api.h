/* api.h - what the resource files share: the generic entity operations
 * (list, get, create, replace, patch, delete) driven by a table of
 * per-entity functions, and the list query parser.
 *
 * A resource file (vendors.c, offerings.c, ...) supplies an entity_ops and
 * its JSON writer; the generic code does parse -> validate -> store -> reply
 * once for all of them, so every entity answers errors the same way. */
#ifndef SY_API_H
#define SY_API_H

#include <stddef.h>

#include "http/request.h"

/* Filters a list endpoint accepts, beyond limit/offset/sort/q. */
enum {
    LF_TRACK = 1, LF_STATUS = 2, LF_CRITICALITY = 4, LF_KIND = 8,
    LF_VENDOR = 16, LF_OFFERING = 32, LF_CATEGORY = 64, LF_RISK = 128
};

typedef struct entity_ops {
    const char *name;           /* "vendor" */
    const char *collection;     /* "/api/v1/vendors" */
    size_t size;                /* sizeof the struct */
    size_t version_offset;      /* offsetof(T, version); id is first */
    const char *const *sorts;
    const char *default_sort;
    int filters;                /* LF_* */
    int (*from_json)(const json_t *in, arena *a, void *out, sy_errors *e);
    void (*to_json)(jw *w, const void *item);
    int (*get)(sy_db *db, int64_t id, arena *a, void *out, store_err *err);
    int (*list)(sy_db *db, const list_query *q, arena *a, void **items, size_t *n,
                int64_t *total, store_err *err);
    int (*insert)(sy_db *db, void *item, store_err *err);
    int (*update)(sy_db *db, int64_t id, int64_t if_version, const void *item,
                  store_err *err);
    int (*remove)(sy_db *db, int64_t id, int64_t if_version, store_err *err);
    int (*find)(sy_db *db, const char *name, int64_t *id);
    /* Optional: writes the response body for one saved or fetched record
     * (workloads add their risk); returns 0 or an HTTP status. */
    int (*respond)(sy_request *rq, const void *item);
} entity_ops;

extern const entity_ops VENDOR_OPS, OFFERING_OPS, CONTRACT_OPS, WORKLOAD_OPS, SCENARIO_OPS;

int entity_list(sy_request *rq, const entity_ops *ops);
int entity_get(sy_request *rq, const entity_ops *ops);
int entity_create(sy_request *rq, const entity_ops *ops);
int entity_replace(sy_request *rq, const entity_ops *ops);
int entity_patch(sy_request *rq, const entity_ops *ops);
int entity_delete(sy_request *rq, const entity_ops *ops);

/* Parses limit/offset/sort/q and the allowed filters from rq->query.
 * Returns 0, or an HTTP status with the problem already written. */
int parse_list_query(sy_request *rq, const char *const *sorts, const char *default_sort,
                     int filters, list_query *q);

/* Saves one entity from JSON outside HTTP (the seed loader): inserts it,
 * or replaces the record with the same name when it differs. *changed says
 * whether anything was written. Runs inside the caller's transaction. */
int entity_upsert(sy_db *db, const entity_ops *ops, const json_t *in, arena *a,
                  int *changed, sy_errors *e, store_err *err);

/* Route handlers, one group per file. */
int health_get(sy_request *rq);
int risk_model_get(sy_request *rq);
int risk_model_put(sy_request *rq);
int concentration_get(sy_request *rq);
int summary_get(sy_request *rq);
int strategy_get(sy_request *rq);
int scenarios_evaluate(sy_request *rq);
int session_create(sy_request *rq);
int session_get(sy_request *rq);
int session_delete(sy_request *rq);
int users_list(sy_request *rq);
int users_get(sy_request *rq);
int users_create(sy_request *rq);
int users_patch(sy_request *rq);
int tokens_list(sy_request *rq);
int tokens_create(sy_request *rq);
int tokens_delete(sy_request *rq);
int audit_list(sy_request *rq);
int audit_verify_get(sy_request *rq);
int audit_head_get(sy_request *rq);
int reports_governance_get(sy_request *rq);
int reports_public_key_get(sy_request *rq);
int reports_verify_post(sy_request *rq);
int scenarios_list(sy_request *rq);
int scenarios_get(sy_request *rq);
int scenarios_create(sy_request *rq);
int scenarios_replace(sy_request *rq);
int scenarios_patch(sy_request *rq);
int scenarios_delete(sy_request *rq);
int openapi_get(sy_request *rq);
int vendors_list(sy_request *rq);
int vendors_get(sy_request *rq);
int vendors_create(sy_request *rq);
int vendors_replace(sy_request *rq);
int vendors_patch(sy_request *rq);
int vendors_delete(sy_request *rq);
int offerings_list(sy_request *rq);
int offerings_get(sy_request *rq);
int offerings_create(sy_request *rq);
int offerings_replace(sy_request *rq);
int offerings_patch(sy_request *rq);
int offerings_delete(sy_request *rq);
int contracts_list(sy_request *rq);
int contracts_get(sy_request *rq);
int contracts_create(sy_request *rq);
int contracts_replace(sy_request *rq);
int contracts_patch(sy_request *rq);
int contracts_delete(sy_request *rq);
int workloads_list(sy_request *rq);
int workloads_get(sy_request *rq);
int workloads_create(sy_request *rq);
int workloads_replace(sy_request *rq);
int workloads_patch(sy_request *rq);
int workloads_delete(sy_request *rq);
int workloads_preview(sy_request *rq);

/* Defines typed adapters from the store and validator functions of entity T
 * to the void-pointer signatures of entity_ops (named glue_*). */
#define ENTITY_GLUE(T)                                                        \
    static int glue_from_json(const json_t *in, arena *a, void *out, sy_errors *e) \
    { return T##_from_json(in, a, out, e); }                                  \
    static int glue_get(sy_db *db, int64_t id, arena *a, void *out, store_err *err) \
    { return store_##T##_get(db, id, a, out, err); }                          \
    static int glue_list(sy_db *db, const list_query *q, arena *a, void **items, \
                         size_t *n, int64_t *total, store_err *err)           \
    {                                                                         \
        T *rows = NULL;                                                       \
        int code = store_##T##_list(db, q, a, &rows, n, total, err);          \
        *items = rows;                                                        \
        return code;                                                          \
    }                                                                         \
    static int glue_insert(sy_db *db, void *item, store_err *err)             \
    { return store_##T##_insert(db, item, err); }                             \
    static int glue_update(sy_db *db, int64_t id, int64_t v, const void *item, \
                           store_err *err)                                    \
    { return store_##T##_update(db, id, v, item, err); }                      \
    static int glue_remove(sy_db *db, int64_t id, int64_t v, store_err *err)  \
    { return store_##T##_delete(db, id, v, err); }

/* Defines the six handlers of a resource in terms of the generic ones. */
#define ENTITY_HANDLERS(prefix, ops)                                          \
    int prefix##_list(sy_request *rq) { return entity_list(rq, &ops); }       \
    int prefix##_get(sy_request *rq) { return entity_get(rq, &ops); }         \
    int prefix##_create(sy_request *rq) { return entity_create(rq, &ops); }   \
    int prefix##_replace(sy_request *rq) { return entity_replace(rq, &ops); } \
    int prefix##_patch(sy_request *rq) { return entity_patch(rq, &ops); }     \
    int prefix##_delete(sy_request *rq) { return entity_delete(rq, &ops); }

#endif
