/* routes.c - the one route table: method, pattern, handler, least role,
 * flags, summary, and for the entities' routes the entity they serve (the
 * generic handlers of api/entity.c take it from there). The dispatcher
 * (http/server.c) does the generic work; tests check the OpenAPI document
 * against this table. */
#include "api/api.h"
#include "api/routes.h"

#define R(m, p, h, role, flags, summary) {m, p, h, role, flags, summary, NULL}
/* A route of an entity, served by a generic handler (entity_list, ...). */
#define E(m, p, h, ops, role, flags, summary) {m, p, entity_##h, role, flags, summary, &ops}

const route API_ROUTES[] = {
    R("GET", "/api/v1/health", health_get, ROLE_PUBLIC, 0, "Liveness and schema version"),
    R("GET", "/api/openapi.json", openapi_get, ROLE_PUBLIC, RF_CACHEABLE, "This API as OpenAPI 3.1"),

    E("GET", "/api/v1/vendors", list, VENDOR_OPS, ROLE_VIEWER, RF_CACHEABLE, "List vendors"),
    E("POST", "/api/v1/vendors", create, VENDOR_OPS, ROLE_ADMIN, RF_BODY, "Create a vendor"),
    E("GET", "/api/v1/vendors/{id}", get, VENDOR_OPS, ROLE_VIEWER, RF_CACHEABLE, "Get a vendor"),
    E("PUT", "/api/v1/vendors/{id}", replace, VENDOR_OPS, ROLE_ADMIN, RF_BODY, "Replace a vendor"),
    E("PATCH", "/api/v1/vendors/{id}", patch, VENDOR_OPS, ROLE_ADMIN, RF_BODY, "Change a vendor"),
    E("DELETE", "/api/v1/vendors/{id}", delete, VENDOR_OPS, ROLE_ADMIN, 0, "Delete a vendor"),

    E("GET", "/api/v1/offerings", list, OFFERING_OPS, ROLE_VIEWER, RF_CACHEABLE, "List offerings"),
    E("POST", "/api/v1/offerings", create, OFFERING_OPS, ROLE_ADMIN, RF_BODY, "Create an offering"),
    E("GET", "/api/v1/offerings/{id}", get, OFFERING_OPS, ROLE_VIEWER, RF_CACHEABLE, "Get an offering"),
    E("PUT", "/api/v1/offerings/{id}", replace, OFFERING_OPS, ROLE_ADMIN, RF_BODY, "Replace an offering"),
    E("PATCH", "/api/v1/offerings/{id}", patch, OFFERING_OPS, ROLE_ADMIN, RF_BODY, "Change an offering"),
    E("DELETE", "/api/v1/offerings/{id}", delete, OFFERING_OPS, ROLE_ADMIN, 0, "Delete an offering"),

    E("GET", "/api/v1/contracts", list, CONTRACT_OPS, ROLE_VIEWER, RF_CACHEABLE, "List contracts"),
    E("POST", "/api/v1/contracts", create, CONTRACT_OPS, ROLE_ADMIN, RF_BODY, "Create a contract"),
    E("GET", "/api/v1/contracts/{id}", get, CONTRACT_OPS, ROLE_VIEWER, RF_CACHEABLE, "Get a contract"),
    E("PUT", "/api/v1/contracts/{id}", replace, CONTRACT_OPS, ROLE_ADMIN, RF_BODY, "Replace a contract"),
    E("PATCH", "/api/v1/contracts/{id}", patch, CONTRACT_OPS, ROLE_ADMIN, RF_BODY, "Change a contract"),
    E("DELETE", "/api/v1/contracts/{id}", delete, CONTRACT_OPS, ROLE_ADMIN, 0, "Delete a contract"),

    E("GET", "/api/v1/workloads", list, WORKLOAD_OPS, ROLE_VIEWER, RF_CACHEABLE, "List workloads"),
    E("POST", "/api/v1/workloads", create, WORKLOAD_OPS, ROLE_ARCHITECT, RF_BODY, "Register a workload"),
    R("POST", "/api/v1/workloads/preview", workloads_preview, ROLE_ARCHITECT, RF_BODY, "Score a workload document without saving it"),
    E("GET", "/api/v1/workloads/{id}", get, WORKLOAD_OPS, ROLE_VIEWER, RF_CACHEABLE, "Get a workload"),
    E("PUT", "/api/v1/workloads/{id}", replace, WORKLOAD_OPS, ROLE_ARCHITECT, RF_BODY, "Replace a workload"),
    E("PATCH", "/api/v1/workloads/{id}", patch, WORKLOAD_OPS, ROLE_ARCHITECT, RF_BODY, "Change a workload"),
    E("DELETE", "/api/v1/workloads/{id}", delete, WORKLOAD_OPS, ROLE_ARCHITECT, 0, "Delete a workload"),
    R("GET", "/api/v1/workloads/{id}/drills", drills_list, ROLE_VIEWER, RF_CACHEABLE, "A workload's exit drills, newest first"),
    R("POST", "/api/v1/workloads/{id}/drills", drills_create, ROLE_ARCHITECT, RF_BODY, "Record an exit drill of a named alternative"),
    R("GET", "/api/v1/workloads/{id}/acceptances", acceptances_of_workload, ROLE_VIEWER, RF_CACHEABLE, "A workload's risk acceptances, newest first"),
    R("POST", "/api/v1/workloads/{id}/acceptances", acceptances_create, ROLE_LEADERSHIP, RF_BODY, "Accept a workload's lock-in risk until a date"),
    R("GET", "/api/v1/acceptances", acceptances_list, ROLE_VIEWER, RF_CACHEABLE, "Every risk acceptance"),
    R("DELETE", "/api/v1/acceptances/{id}", acceptances_revoke, ROLE_LEADERSHIP, 0, "Revoke a risk acceptance"),

    R("GET", "/api/v1/risk/model", risk_model_get, ROLE_VIEWER, RF_CACHEABLE, "The risk model: factors, weights, bands"),
    R("PUT", "/api/v1/risk/model", risk_model_put, ROLE_ADMIN, RF_BODY, "Change risk weights"),
    R("GET", "/api/v1/portfolio/summary", summary_get, ROLE_VIEWER, RF_CACHEABLE, "Portfolio summary"),
    R("GET", "/api/v1/portfolio/concentration", concentration_get, ROLE_VIEWER, RF_CACHEABLE, "Concentration per layer (HHI)"),
    R("GET", "/api/v1/compliance", compliance_get, ROLE_VIEWER, RF_CACHEABLE, "Compliance findings of the active set"),
    R("GET", "/api/v1/strategies/{track}", strategy_get, ROLE_VIEWER, RF_CACHEABLE, "Strategy view of one track"),
    R("POST", "/api/v1/scenarios/evaluate", scenarios_evaluate, ROLE_VIEWER, RF_BODY, "Evaluate a what-if scenario (writes nothing)"),
    E("GET", "/api/v1/scenarios", list, SCENARIO_OPS, ROLE_VIEWER, RF_CACHEABLE, "List saved scenarios"),
    E("POST", "/api/v1/scenarios", create, SCENARIO_OPS, ROLE_ARCHITECT, RF_BODY, "Save a scenario"),
    E("GET", "/api/v1/scenarios/{id}", get, SCENARIO_OPS, ROLE_VIEWER, RF_CACHEABLE, "Get a saved scenario"),
    E("PUT", "/api/v1/scenarios/{id}", replace, SCENARIO_OPS, ROLE_ARCHITECT, RF_BODY, "Replace a saved scenario"),
    E("PATCH", "/api/v1/scenarios/{id}", patch, SCENARIO_OPS, ROLE_ARCHITECT, RF_BODY, "Change a saved scenario"),
    E("DELETE", "/api/v1/scenarios/{id}", delete, SCENARIO_OPS, ROLE_ARCHITECT, 0, "Delete a saved scenario"),

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
    R("GET", "/api/v1/reports/cyclonedx", reports_cyclonedx_get, ROLE_AUDITOR, 0, "CycloneDX 1.6 AI-BOM of the active set or one workload (audited export)"),
    R("GET", "/api/v1/reports/ai-act", reports_ai_act_get, ROLE_AUDITOR, 0, "EU AI Act deployer register of the active set, JSON or CSV (audited export)"),
    R("GET", "/api/v1/reports/public-key", reports_public_key_get, ROLE_PUBLIC, 0, "Public key that verifies report bundles (minisign .pub)"),
    R("GET", "/api/v1/reports/signing-key", reports_signing_key_get, ROLE_PUBLIC, 0, "The report signing key's ID, fingerprint and public key (JSON)"),
    R("POST", "/api/v1/reports/verify", reports_verify_post, ROLE_AUDITOR, RF_UPLOAD, "Verify a report bundle: signature, manifest, audit head"),

    {NULL, NULL, NULL, ROLE_UNSET, 0, NULL, NULL}};
