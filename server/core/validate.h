/* validate.h - turns untrusted JSON into checked entity structs.
 *
 * Each entity is described by a table of field specs (name, type, limits,
 * where it lands in the struct); one engine walks the table, so the rules
 * for "a string of at most 120 characters" or "one of these values" are
 * written once. Unknown fields are errors; read-only fields (id, timestamps,
 * computed values) are accepted and ignored so that a GET body can be sent
 * back as a PUT. Errors name the field as a JSON Pointer (RFC 6901).
 *
 * References to other entities are only checked for shape here (positive
 * integers); whether they exist is the store's business. */
#ifndef SY_VALIDATE_H
#define SY_VALIDATE_H

#include <jansson.h>

#include "common/arena.h"
#include "core/errors.h"
#include "core/model.h"

/* Each returns 0 and fills *out, or -1 with e->count > 0.
 * Strings in *out point into arena a or into `in`; keep `in` alive. */
int vendor_from_json(const json_t *in, arena *a, vendor *out, sy_errors *e);
int offering_from_json(const json_t *in, arena *a, offering *out, sy_errors *e);
int contract_from_json(const json_t *in, arena *a, contract *out, sy_errors *e);
int workload_from_json(const json_t *in, arena *a, workload *out, sy_errors *e);
int saved_scenario_from_json(const json_t *in, arena *a, saved_scenario *out, sy_errors *e);

/* RFC 7396 JSON merge patch: applies patch onto target in place. */
int json_merge_patch(json_t *target, const json_t *patch);

/* Whole-number money in a JSON number -> cents; -1 if not representable. */
int json_to_cents(const json_t *v, int64_t *cents);

#endif
