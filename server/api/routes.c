/* routes.c - the one route table: method, pattern, handler, least role,
 * flags, summary. The dispatcher (http/server.c) does the generic work;
 * tests check the OpenAPI document against this table. */
#include "api/api.h"
#include "api/routes.h"

#define R(m, p, h, role, flags, summary) {m, p, h, role, flags, summary}

const route API_ROUTES[] = {
    R("GET", "/api/v1/health", health_get, ROLE_PUBLIC, 0, "Liveness and schema version"),
    R("GET", "/api/openapi.json", openapi_get, ROLE_PUBLIC, RF_CACHEABLE, "This API as OpenAPI 3.1"),

    R("GET", "/api/v1/vendors", vendors_list, ROLE_VIEWER, RF_CACHEABLE, "List vendors"),
    R("POST", "/api/v1/vendors", vendors_create, ROLE_ADMIN, RF_BODY, "Create a vendor"),
    R("GET", "/api/v1/vendors/{id}", vendors_get, ROLE_VIEWER, RF_CACHEABLE, "Get a vendor"),
    R("PUT", "/api/v1/vendors/{id}", vendors_replace, ROLE_ADMIN, RF_BODY, "Replace a vendor"),
    R("PATCH", "/api/v1/vendors/{id}", vendors_patch, ROLE_ADMIN, RF_BODY, "Change a vendor"),
    R("DELETE", "/api/v1/vendors/{id}", vendors_delete, ROLE_ADMIN, 0, "Delete a vendor"),

    R("GET", "/api/v1/offerings", offerings_list, ROLE_VIEWER, RF_CACHEABLE, "List offerings"),
    R("POST", "/api/v1/offerings", offerings_create, ROLE_ADMIN, RF_BODY, "Create an offering"),
    R("GET", "/api/v1/offerings/{id}", offerings_get, ROLE_VIEWER, RF_CACHEABLE, "Get an offering"),
    R("PUT", "/api/v1/offerings/{id}", offerings_replace, ROLE_ADMIN, RF_BODY, "Replace an offering"),
    R("PATCH", "/api/v1/offerings/{id}", offerings_patch, ROLE_ADMIN, RF_BODY, "Change an offering"),
    R("DELETE", "/api/v1/offerings/{id}", offerings_delete, ROLE_ADMIN, 0, "Delete an offering"),

    R("GET", "/api/v1/contracts", contracts_list, ROLE_VIEWER, RF_CACHEABLE, "List contracts"),
    R("POST", "/api/v1/contracts", contracts_create, ROLE_ADMIN, RF_BODY, "Create a contract"),
    R("GET", "/api/v1/contracts/{id}", contracts_get, ROLE_VIEWER, RF_CACHEABLE, "Get a contract"),
    R("PUT", "/api/v1/contracts/{id}", contracts_replace, ROLE_ADMIN, RF_BODY, "Replace a contract"),
    R("PATCH", "/api/v1/contracts/{id}", contracts_patch, ROLE_ADMIN, RF_BODY, "Change a contract"),
    R("DELETE", "/api/v1/contracts/{id}", contracts_delete, ROLE_ADMIN, 0, "Delete a contract"),

    R("GET", "/api/v1/workloads", workloads_list, ROLE_VIEWER, RF_CACHEABLE, "List workloads"),
    R("POST", "/api/v1/workloads", workloads_create, ROLE_ARCHITECT, RF_BODY, "Register a workload"),
    R("POST", "/api/v1/workloads/preview", workloads_preview, ROLE_ARCHITECT, RF_BODY, "Score a workload document without saving it"),
    R("GET", "/api/v1/workloads/{id}", workloads_get, ROLE_VIEWER, RF_CACHEABLE, "Get a workload"),
    R("PUT", "/api/v1/workloads/{id}", workloads_replace, ROLE_ARCHITECT, RF_BODY, "Replace a workload"),
    R("PATCH", "/api/v1/workloads/{id}", workloads_patch, ROLE_ARCHITECT, RF_BODY, "Change a workload"),
    R("DELETE", "/api/v1/workloads/{id}", workloads_delete, ROLE_ARCHITECT, 0, "Delete a workload"),

    R("GET", "/api/v1/risk/model", risk_model_get, ROLE_VIEWER, RF_CACHEABLE, "The risk model: factors, weights, bands"),
    R("PUT", "/api/v1/risk/model", risk_model_put, ROLE_ADMIN, RF_BODY, "Change risk weights"),
    R("GET", "/api/v1/portfolio/summary", summary_get, ROLE_VIEWER, RF_CACHEABLE, "Portfolio summary"),
    R("GET", "/api/v1/portfolio/concentration", concentration_get, ROLE_VIEWER, RF_CACHEABLE, "Concentration per layer (HHI)"),
    R("GET", "/api/v1/strategies/{track}", strategy_get, ROLE_VIEWER, RF_CACHEABLE, "Strategy view of one track"),
    R("POST", "/api/v1/scenarios/evaluate", scenarios_evaluate, ROLE_VIEWER, RF_BODY, "Evaluate a what-if scenario (writes nothing)"),
    R("GET", "/api/v1/scenarios", scenarios_list, ROLE_VIEWER, RF_CACHEABLE, "List saved scenarios"),
    R("POST", "/api/v1/scenarios", scenarios_create, ROLE_ARCHITECT, RF_BODY, "Save a scenario"),
    R("GET", "/api/v1/scenarios/{id}", scenarios_get, ROLE_VIEWER, RF_CACHEABLE, "Get a saved scenario"),
    R("PUT", "/api/v1/scenarios/{id}", scenarios_replace, ROLE_ARCHITECT, RF_BODY, "Replace a saved scenario"),
    R("PATCH", "/api/v1/scenarios/{id}", scenarios_patch, ROLE_ARCHITECT, RF_BODY, "Change a saved scenario"),
    R("DELETE", "/api/v1/scenarios/{id}", scenarios_delete, ROLE_ARCHITECT, 0, "Delete a saved scenario"),

    R("POST", "/api/v1/session", session_create, ROLE_PUBLIC, RF_BODY, "Sign in (sets the session cookie)"),
    R("GET", "/api/v1/session", session_get, ROLE_VIEWER, 0, "Who is signed in, and their role"),
    R("DELETE", "/api/v1/session", session_delete, ROLE_VIEWER, 0, "Sign out"),
    R("GET", "/api/v1/users", users_list, ROLE_ADMIN, 0, "List users"),
    R("POST", "/api/v1/users", users_create, ROLE_ADMIN, RF_BODY, "Create a user"),
    R("GET", "/api/v1/users/{id}", users_get, ROLE_ADMIN, 0, "Get a user"),
    R("PATCH", "/api/v1/users/{id}", users_patch, ROLE_ADMIN, RF_BODY, "Change a user's role, password or status"),
    R("GET", "/api/v1/tokens", tokens_list, ROLE_VIEWER, 0, "List your API tokens (admins: all)"),
    R("POST", "/api/v1/tokens", tokens_create, ROLE_VIEWER, RF_BODY, "Create an API token (shown once)"),
    R("DELETE", "/api/v1/tokens/{id}", tokens_delete, ROLE_VIEWER, 0, "Revoke an API token"),
    R("GET", "/api/v1/audit", audit_list, ROLE_AUDITOR, 0, "The audit trail, filtered"),
    R("GET", "/api/v1/audit/verify", audit_verify_get, ROLE_AUDITOR, 0, "Recompute the audit hash chain"),
    R("GET", "/api/v1/audit/head", audit_head_get, ROLE_AUDITOR, 0, "Latest audit sequence and hash"),
    R("GET", "/api/v1/reports/governance", reports_governance_get, ROLE_AUDITOR, 0, "Governance report as HTML, JSON or a signed bundle (audited export)"),
    R("GET", "/api/v1/reports/public-key", reports_public_key_get, ROLE_PUBLIC, 0, "Public key that verifies report bundles (minisign .pub)"),
    R("POST", "/api/v1/reports/verify", reports_verify_post, ROLE_AUDITOR, RF_UPLOAD, "Verify a report bundle: signature, manifest, audit head"),

    {NULL, NULL, NULL, ROLE_UNSET, 0, NULL}};
