/* fuzz_validate.c - the JSON validation of every entity.
 *
 * The input is parsed as the dispatcher parses a request body (json_loadb,
 * JSON_REJECT_DUPLICATES) and handed to each of vendor_, offering_,
 * contract_, workload_ and saved_scenario_from_json, each into a fresh
 * arena, as a POST/PUT would. The input is then applied as a JSON merge
 * patch onto a valid workload and contract (as PATCH does) and the result
 * validated again.
 *
 * Properties: a validator returns 0 with no errors or -1 with at least one;
 * every error pointer is "" or starts with "/"; a valid entity's required
 * strings are set. */
#include <stdint.h>

#include <jansson.h>

#include "core/validate.h"
#include "fuzz.h"

static const char BASE_WORKLOAD[] =
    "{\"name\":\"Claims triage\",\"purpose\":\"Sorts claims\",\"owner\":\"A. Owner\","
    "\"team\":\"Claims\",\"track\":\"azure\",\"status\":\"production\","
    "\"criticality\":\"high\",\"data_classification\":\"confidential\",\"users\":40,"
    "\"monthly_spend\":1200.5,\"planned_end\":null,\"ai_act_tier\":\"limited\","
    "\"swap_layer\":false,"
    "\"proprietary_features\":[\"Assistants API\"],"
    "\"dependencies\":[{\"offering\":2,\"role\":\"model\"},{\"offering\":3,\"role\":\"hosting\"}],"
    "\"notes\":\"\"}";

static const char BASE_CONTRACT[] =
    "{\"name\":\"Upstream licence\",\"kind\":\"upstream\",\"counterparty\":3,"
    "\"other_party\":1,\"offerings\":[4,1],\"start_date\":\"2026-04-27\","
    "\"end_date\":\"2032-12-31\",\"notice_days\":0,\"auto_renew\":false,"
    "\"renewal_months\":0,\"annual_value\":0,\"currency\":\"USD\",\"committed_spend\":0,"
    "\"exclusive\":false,\"exit_clause\":\"none\",\"data_portability\":false,"
    "\"substitutability\":\"medium\",\"terms\":[{\"kind\":\"licence\",\"text\":\"Licence "
    "to 2032\",\"effective\":\"2026-04-27\",\"until\":\"2032-12-31\"}]}";

static void check_errors(int rc, const sy_errors *e)
{
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc == 0 ? e->count == 0 : e->count > 0);
    FUZZ_CHECK(e->count >= 0 && e->count <= SY_MAX_ERRORS);
    for (int i = 0; i < e->count; i++) {
        const field_error *fe = &e->items[i];
        FUZZ_CHECK(memchr(fe->pointer, '\0', sizeof fe->pointer) != NULL);
        FUZZ_CHECK(memchr(fe->detail, '\0', sizeof fe->detail) != NULL);
        FUZZ_CHECK(fe->pointer[0] == '\0' || fe->pointer[0] == '/');
        FUZZ_CHECK(fe->detail[0] != '\0');
    }
}

/* Runs every validator over one document. */
static void validate_all(const json_t *doc)
{
    arena a;
    sy_errors e;
    int rc;

    arena_init(&a);
    errors_init(&e);
    vendor v;
    rc = vendor_from_json(doc, &a, &v, &e);
    check_errors(rc, &e);
    if (rc == 0) {
        FUZZ_CHECK(v.name && v.name[0]);
        for (size_t i = 0; i < v.n_connections; i++)
            FUZZ_CHECK(v.connections[i].vendor > 0);
    }
    arena_free(&a);

    arena_init(&a);
    errors_init(&e);
    offering o;
    rc = offering_from_json(doc, &a, &o, &e);
    check_errors(rc, &e);
    if (rc == 0)
        FUZZ_CHECK(o.name && o.track && o.category && o.interface && o.provider > 0);
    arena_free(&a);

    arena_init(&a);
    errors_init(&e);
    contract c;
    rc = contract_from_json(doc, &a, &c, &e);
    check_errors(rc, &e);
    if (rc == 0) {
        FUZZ_CHECK(c.name && c.kind && c.start_date && c.currency && c.counterparty > 0);
        FUZZ_CHECK(c.annual_value >= 0 && c.committed_spend >= 0);
        for (size_t i = 0; i < c.n_offerings; i++)
            FUZZ_CHECK(c.offerings[i] > 0);
    }
    arena_free(&a);

    arena_init(&a);
    errors_init(&e);
    workload w;
    rc = workload_from_json(doc, &a, &w, &e);
    check_errors(rc, &e);
    if (rc == 0) {
        FUZZ_CHECK(w.name && w.track && w.status && w.criticality && w.monthly_spend >= 0);
        for (size_t i = 0; i < w.n_dependencies; i++)
            FUZZ_CHECK(w.dependencies[i].offering > 0 && w.dependencies[i].role);
        for (size_t i = 0; i < w.n_features; i++)
            FUZZ_CHECK(w.features[i] && w.features[i][0]);
    }
    arena_free(&a);

    arena_init(&a);
    errors_init(&e);
    saved_scenario s;
    rc = saved_scenario_from_json(doc, &a, &s, &e);
    check_errors(rc, &e);
    if (rc == 0)
        FUZZ_CHECK(s.name && s.changes);
    arena_free(&a);
}

/* PATCH: merge the input onto a valid document, then validate. */
static void patch_and_validate(const char *base, const json_t *patch)
{
    json_t *target = json_loads(base, JSON_REJECT_DUPLICATES, NULL);
    FUZZ_CHECK(target != NULL);
    int rc = json_merge_patch(target, patch);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc == 0)
        validate_all(target);
    json_decref(target);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        return 0;
    validate_all(doc);
    if (json_is_object(doc)) {
        patch_and_validate(BASE_WORKLOAD, doc);
        patch_and_validate(BASE_CONTRACT, doc);
    }
    json_decref(doc);
    return 0;
}
