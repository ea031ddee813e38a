// enums.js - the one copy, in the front end, of the API's enumerations
// (server/core/model.c): the strategy tracks, workload status, criticality,
// data classification, AI Act tier, lock-in levels, contract kinds and
// dependency roles. Pages, filters, forms and charts import them from here;
// tests/http/enums.test.mjs checks them against the API's OpenAPI document.
export const TRACKS = ['copilot', 'azure', 'openai', 'other'];
export const STATUSES = ['proposed', 'pilot', 'production', 'retired'];
export const CRITICALITIES = ['low', 'medium', 'high', 'critical'];
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'];
export const AI_ACT_TIERS = ['minimal', 'limited', 'high', 'unacceptable'];
// EU AI Act Annex III points 1-8, and the Art. 27 assessment's status.
export const ANNEX_III_AREAS = ['biometrics', 'critical_infrastructure', 'education', 'employment',
  'essential_services', 'law_enforcement', 'migration_border', 'justice_democracy'];
export const FRIA_STATUSES = ['not_required', 'planned', 'done'];
export const LEVELS = ['low', 'medium', 'high', 'critical'];
export const CONTRACT_KINDS = ['customer', 'upstream'];
export const DEPENDENCY_ROLES = ['model', 'hosting', 'assistant', 'data', 'identity', 'tooling'];
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];
