/* api.h - what the resource files share: the generic entity operations
 * (list, get, create, replace, patch, delete) driven by each entity's
 * descriptor (core/entity.h) and store side (store.h), and the list query
 * parser.
 *
 * A route row names the generic handler and the entity's ops (routes.c);
 * the generic code does parse -> validate -> store -> reply once for all of
 * them, so every entity answers errors the same way. */
#ifndef SY_API_H
#define SY_API_H

#include <stddef.h>

#include "core/entity.h"
#include "http/request.h"

/* Filters a list endpoint accepts, beyond limit/offset/sort/q. */
enum {
    LF_TRACK = 1, LF_STATUS = 2, LF_CRITICALITY = 4, LF_KIND = 8,
    LF_VENDOR = 16, LF_OFFERING = 32, LF_CATEGORY = 64, LF_RISK = 128
};

typedef struct entity_ops {
    const entity_desc *desc;    /* fields, name, collection, sort keys */
    const store_entity *store;  /* its statements */
    /* LF_*: the list filters beyond its own fields' (vendor, offering,
     * risk); a field marked FD_FILTER adds its own (entity_list_filters). */
    int filters;
    /* Optional: writes the response body for one saved or fetched record
     * (workloads add their risk); returns 0 or an HTTP status. */
    int (*respond)(sy_request *rq, const void *item);
    /* Optional: answers the list itself (workloads: from the scored snapshot). */
    int (*list)(sy_request *rq);
} entity_ops;

extern const entity_ops VENDOR_OPS, OFFERING_OPS, CONTRACT_OPS, WORKLOAD_OPS, SCENARIO_OPS;

/* Every list filter of an entity: its fields marked FD_FILTER (track,
 * status, criticality, kind, category) and ops->filters. */
int entity_list_filters(const entity_ops *ops);

/* The generic handlers: the entity is the route's (rq->entity, an
 * entity_ops). */
int entity_list(sy_request *rq);
int entity_get(sy_request *rq);
int entity_create(sy_request *rq);
int entity_replace(sy_request *rq);
int entity_patch(sy_request *rq);
int entity_delete(sy_request *rq);

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
/* GET /metrics: Prometheus text (api/metrics.c). */
int metrics_get(sy_request *rq);
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
int reports_dora_get(sy_request *rq);
int reports_public_key_get(sy_request *rq);
int reports_signing_key_get(sy_request *rq);
int reports_verify_post(sy_request *rq);
/* Evidence imports (imports.c, import_workloads.c, evidence.c). */
int imports_post(sy_request *rq);
int imports_list(sy_request *rq);
int exports_workloads_csv(sy_request *rq);
int workloads_evidence(sy_request *rq);
int reports_cyclonedx_get(sy_request *rq);
int reports_ai_act_get(sy_request *rq);
int openapi_get(sy_request *rq);
int compliance_get(sy_request *rq);
int findings_list(sy_request *rq);
int findings_patch(sy_request *rq);
int drills_list(sy_request *rq);
int drills_create(sy_request *rq);
int acceptances_of_workload(sy_request *rq);
int acceptances_create(sy_request *rq);
int acceptances_list(sy_request *rq);
int acceptances_revoke(sy_request *rq);
int workloads_preview(sy_request *rq);
int sso_info(sy_request *rq);
int sso_login(sy_request *rq);
int sso_callback(sy_request *rq);

/* Opens a session for user_id inside the caller's write transaction (the
 * password and single sign-on paths alike); the new secret into secret. */
int session_open(sy_request *rq, int64_t user_id, int64_t now, char secret[128], store_err *err);
/* After the commit: sets the session cookie from secret, then wipes it. */
void session_cookie(sy_request *rq, char secret[128]);

int webhooks_list(sy_request *rq);
int webhooks_get(sy_request *rq);
int webhooks_create(sy_request *rq);
int webhooks_patch(sy_request *rq);
int webhooks_delete(sy_request *rq);
int webhooks_rotate_secret(sy_request *rq);
int webhooks_deliveries(sy_request *rq);
int webhooks_replay(sy_request *rq);
int history_get(sy_request *rq);
int changes_get(sy_request *rq);
int reviews_list(sy_request *rq);
int reviews_create(sy_request *rq);
int calendar_feeds_list(sy_request *rq);
int calendar_feeds_create(sy_request *rq);
int calendar_feeds_delete(sy_request *rq);
int calendar_feed_get(sy_request *rq);

#endif
