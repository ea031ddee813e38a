/* test_openapi.c - the embedded OpenAPI document against the route table,
 * in both directions: every route is documented with its least role, and
 * every documented operation is a route. A route added without a role, a
 * summary or its documentation fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/embedded.h"
#include "core/roles.h"
#include "http/router.h"

extern const route API_ROUTES[];

static const char *const HTTP_METHODS[] = {"get", "put", "post", "delete", "options",
                                           "head", "patch", "trace", NULL};

static json_t *doc; /* loaded once for the group */

static int load_doc(void **state)
{
    (void)state;
    const embedded_file *f = embedded_find(sy_apidoc, "openapi.json");
    if (!f)
        return -1;
    json_error_t err;
    doc = json_loadb((const char *)f->data, f->size, JSON_REJECT_DUPLICATES, &err);
    if (!doc)
        fprintf(stderr, "openapi.json: %s (line %d, column %d)\n", err.text, err.line,
                err.column);
    return doc ? 0 : -1;
}

static int free_doc(void **state)
{
    (void)state;
    json_decref(doc);
    doc = NULL;
    return 0;
}

static void lower(const char *in, char *out, size_t size)
{
    size_t i = 0;
    for (; in[i] && i + 1 < size; i++)
        out[i] = (char)((in[i] >= 'A' && in[i] <= 'Z') ? in[i] - 'A' + 'a' : in[i]);
    out[i] = '\0';
}

static int is_http_method(const char *key)
{
    for (int i = 0; HTTP_METHODS[i]; i++)
        if (strcmp(key, HTTP_METHODS[i]) == 0)
            return 1;
    return 0;
}

/* The operation object of a route in the document, or NULL. */
static json_t *operation_of(const route *r)
{
    char method[16];
    lower(r->method, method, sizeof method);
    return json_object_get(json_object_get(json_object_get(doc, "paths"), r->pattern), method);
}

/* Resolves a local reference "#/a/b/c" (no escapes needed in this document). */
static json_t *resolve(const char *ref)
{
    if (strncmp(ref, "#/", 2) != 0)
        return NULL;
    json_t *at = doc;
    char part[128];
    const char *p = ref + 2;
    while (at && *p) {
        size_t n = strcspn(p, "/");
        if (n >= sizeof part)
            return NULL;
        memcpy(part, p, n);
        part[n] = '\0';
        at = json_object_get(at, part);
        p += n;
        if (*p == '/')
            p++;
    }
    return at;
}

/* Follows a $ref if the object is one. */
static json_t *deref(json_t *v)
{
    json_t *ref = json_object_get(v, "$ref");
    return json_is_string(ref) ? resolve(json_string_value(ref)) : v;
}

static int count_routes(void)
{
    int n = 0;
    while (API_ROUTES[n].method)
        n++;
    return n;
}

static void document_is_openapi_3_1(void **state)
{
    (void)state;
    json_t *version = json_object_get(doc, "openapi");
    assert_true(json_is_string(version));
    assert_memory_equal(json_string_value(version), "3.1.", 4);
    assert_true(json_is_string(json_object_get(json_object_get(doc, "info"), "title")));
    assert_true(json_is_string(json_object_get(json_object_get(doc, "info"), "version")));
    assert_true(json_is_object(json_object_get(doc, "paths")));

    json_t *schemes = json_object_get(json_object_get(doc, "components"), "securitySchemes");
    json_t *bearer = json_object_get(schemes, "bearerToken");
    assert_string_equal(json_string_value(json_object_get(bearer, "type")), "http");
    assert_string_equal(json_string_value(json_object_get(bearer, "scheme")), "bearer");
    json_t *cookie = json_object_get(schemes, "sessionCookie");
    assert_string_equal(json_string_value(json_object_get(cookie, "type")), "apiKey");
    assert_string_equal(json_string_value(json_object_get(cookie, "in")), "cookie");
    assert_string_equal(json_string_value(json_object_get(cookie, "name")), "sy_session");

    static const char *const needed[] = {"Problem", "Vendor", "Offering", "Contract",
                                         "ContractTerm", "Workload", "Dependency", "Risk",
                                         "RiskFactor", "Summary", "Concentration", "Strategy",
                                         "ScenarioResult", "SavedScenario", "User", "Token",
                                         "AuditEvent", "AuditVerify", "Health", NULL};
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    for (int i = 0; needed[i]; i++) {
        if (!json_is_object(json_object_get(schemas, needed[i])))
            fail_msg("components/schemas/%s is missing", needed[i]);
    }
}

static void no_route_lacks_role_or_summary(void **state)
{
    (void)state;
    int n = count_routes();
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        const route *r = &API_ROUTES[i];
        if (r->role == ROLE_UNSET || !role_name(r->role))
            fail_msg("%s %s has no role (ROLE_UNSET)", r->method, r->pattern);
        if (!r->summary || !r->summary[0])
            fail_msg("%s %s has no summary", r->method, r->pattern);
        if (!r->handler)
            fail_msg("%s %s has no handler", r->method, r->pattern);
        for (int k = 0; k < i; k++)
            if (strcmp(API_ROUTES[k].method, r->method) == 0 &&
                strcmp(API_ROUTES[k].pattern, r->pattern) == 0)
                fail_msg("%s %s is in the table twice", r->method, r->pattern);
    }
    /* The role names the document uses, and the forgotten role has none. */
    assert_null(role_name(ROLE_UNSET));
    assert_string_equal(role_name(ROLE_PUBLIC), "public");
    assert_string_equal(role_name(ROLE_VIEWER), "viewer");
    assert_string_equal(role_name(ROLE_ARCHITECT), "architect");
    assert_string_equal(role_name(ROLE_AUDITOR), "auditor");
    assert_string_equal(role_name(ROLE_ADMIN), "admin");
}

/* Every {name} of the pattern is a required path parameter of the operation
 * (or its path item), and every documented path parameter is in the pattern. */
static void check_path_params(const route *r, json_t *op)
{
    json_t *item = json_object_get(json_object_get(doc, "paths"), r->pattern);
    int documented = 0;
    json_t *lists[2] = {json_object_get(item, "parameters"), json_object_get(op, "parameters")};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *p;
        json_array_foreach(lists[l], i, p) {
            json_t *param = deref(p);
            if (!param)
                fail_msg("%s %s: a parameter $ref does not resolve", r->method, r->pattern);
            const char *in = json_string_value(json_object_get(param, "in"));
            if (!in)
                fail_msg("%s %s: a parameter has no \"in\"", r->method, r->pattern);
            if (strcmp(in, "path") != 0)
                continue;
            const char *name = json_string_value(json_object_get(param, "name"));
            char capture[80];
            snprintf(capture, sizeof capture, "{%s}", name ? name : "");
            if (!strstr(r->pattern, capture))
                fail_msg("%s %s documents path parameter %s that the pattern lacks", r->method,
                         r->pattern, name ? name : "?");
            if (!json_is_true(json_object_get(param, "required")))
                fail_msg("%s %s: path parameter %s must be required", r->method, r->pattern, name);
            documented++;
        }
    }
    int captures = 0;
    for (const char *c = strchr(r->pattern, '{'); c; c = strchr(c + 1, '{'))
        captures++;
    if (captures != documented)
        fail_msg("%s %s has %d captures but %d path parameters documented", r->method,
                 r->pattern, captures, documented);
}

static void every_route_is_documented(void **state)
{
    (void)state;
    for (const route *r = API_ROUTES; r->method; r++) {
        json_t *op = operation_of(r);
        if (!json_is_object(op))
            fail_msg("%s %s is not in the OpenAPI document", r->method, r->pattern);

        const char *role = json_string_value(json_object_get(op, "x-switchyard-role"));
        if (!role)
            fail_msg("%s %s has no x-switchyard-role", r->method, r->pattern);
        if (!role_name(r->role) || strcmp(role, role_name(r->role)) != 0)
            fail_msg("%s %s: x-switchyard-role is %s, the route table says %s", r->method,
                     r->pattern, role, role_name(r->role) ? role_name(r->role) : "(unset)");

        const char *summary = json_string_value(json_object_get(op, "summary"));
        if (!summary || !r->summary || strcmp(summary, r->summary) != 0)
            fail_msg("%s %s: summary \"%s\" differs from the table's \"%s\"", r->method,
                     r->pattern, summary ? summary : "(none)", r->summary ? r->summary : "(none)");
        const char *op_id = json_string_value(json_object_get(op, "operationId"));
        if (!op_id || !op_id[0])
            fail_msg("%s %s has no operationId", r->method, r->pattern);
        json_t *tags = json_object_get(op, "tags");
        if (!json_is_array(tags) || json_array_size(tags) == 0)
            fail_msg("%s %s has no tags", r->method, r->pattern);

        json_t *body = json_object_get(op, "requestBody");
        if (r->flags & RF_BODY) {
            json_t *rb = deref(body);
            json_t *json = json_object_get(json_object_get(rb, "content"), "application/json");
            if (!json_is_object(json_object_get(json, "schema")))
                fail_msg("%s %s takes a body but documents no application/json requestBody",
                         r->method, r->pattern);
        } else if (r->flags & RF_UPLOAD) {
            json_t *rb = deref(body);
            json_t *content = json_object_get(rb, "content");
            json_t *gz = json_object_get(content, (r->flags & RF_IMPORT) ? "application/octet-stream"
                                                                         : "application/gzip");
            if (!json_is_object(json_object_get(gz, "schema")))
                fail_msg("%s %s takes an upload but documents no application/gzip "
                         "(imports: application/octet-stream) requestBody",
                         r->method, r->pattern);
        } else if (body) {
            fail_msg("%s %s documents a requestBody but the route reads none", r->method,
                     r->pattern);
        }

        json_t *responses = json_object_get(op, "responses");
        if (!json_is_object(responses) || json_object_size(responses) == 0)
            fail_msg("%s %s has no responses", r->method, r->pattern);
        int has_2xx = 0;
        /* Single sign-on's browser steps succeed with a redirect. */
        int redirects = strncmp(r->pattern, "/api/v1/sso/", 12) == 0;
        const char *code;
        json_t *resp;
        json_object_foreach(responses, code, resp) {
            if (code[0] == '2' || (redirects && code[0] == '3'))
                has_2xx = 1;
            if (!deref(resp))
                fail_msg("%s %s: response %s does not resolve", r->method, r->pattern, code);
        }
        if (!has_2xx)
            fail_msg("%s %s documents no success response", r->method, r->pattern);
        /* What the dispatcher answers before any handler runs. */
        if (r->role != ROLE_PUBLIC && !json_object_get(responses, "401"))
            fail_msg("%s %s needs a role but documents no 401", r->method, r->pattern);
        if (r->role > ROLE_VIEWER && !json_object_get(responses, "403"))
            fail_msg("%s %s needs role %s but documents no 403", r->method, r->pattern,
                     role_name(r->role));
        if ((r->flags & RF_BODY) && (!json_object_get(responses, "400") ||
                                     !json_object_get(responses, "413") ||
                                     !json_object_get(responses, "415")))
            fail_msg("%s %s takes a body but lacks 400, 413 or 415", r->method, r->pattern);
        /* Cacheable reads carry an ETag and answer 304 to If-None-Match. */
        if ((r->flags & RF_CACHEABLE) && !json_object_get(responses, "304"))
            fail_msg("%s %s is cacheable but documents no 304", r->method, r->pattern);
        if (strchr(r->pattern, '{') && !json_object_get(responses, "404"))
            fail_msg("%s %s has a path parameter but documents no 404", r->method, r->pattern);

        check_path_params(r, op);
    }
}

static void every_operation_is_a_route(void **state)
{
    (void)state;
    json_t *paths = json_object_get(doc, "paths");
    const char *path;
    json_t *item;
    int operations = 0;
    json_t *op_ids = json_object();
    json_object_foreach(paths, path, item) {
        const char *key;
        json_t *op;
        json_object_foreach(item, key, op) {
            if (!is_http_method(key)) {
                if (strcmp(key, "summary") && strcmp(key, "description") &&
                    strcmp(key, "parameters") && strcmp(key, "servers"))
                    fail_msg("paths[%s] has an unexpected member %s", path, key);
                continue;
            }
            operations++;
            const route *found = NULL;
            for (const route *r = API_ROUTES; r->method && !found; r++) {
                char method[16];
                lower(r->method, method, sizeof method);
                if (strcmp(method, key) == 0 && strcmp(r->pattern, path) == 0)
                    found = r;
            }
            if (!found)
                fail_msg("%s %s is documented but is not in the route table", key, path);
            const char *role = json_string_value(json_object_get(op, "x-switchyard-role"));
            if (!role || strcmp(role, role_name(found->role)) != 0)
                fail_msg("%s %s: x-switchyard-role %s is not the table's %s", key, path,
                         role ? role : "(none)", role_name(found->role));
            const char *op_id = json_string_value(json_object_get(op, "operationId"));
            if (op_id) {
                if (json_object_get(op_ids, op_id))
                    fail_msg("operationId %s is used twice", op_id);
                json_object_set_new(op_ids, op_id, json_true());
            }
        }
    }
    json_decref(op_ids);
    assert_int_equal(operations, count_routes());
}

/* Walks the document; every local $ref must resolve. */
static void check_refs(json_t *v, int *count)
{
    if (json_is_object(v)) {
        json_t *ref = json_object_get(v, "$ref");
        if (ref) {
            if (!json_is_string(ref) || !resolve(json_string_value(ref)))
                fail_msg("$ref %s does not resolve",
                         json_is_string(ref) ? json_string_value(ref) : "(not a string)");
            (*count)++;
        }
        const char *key;
        json_t *member;
        json_object_foreach(v, key, member)
            check_refs(member, count);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *member;
        json_array_foreach(v, i, member)
            check_refs(member, count);
    }
}

static void every_reference_resolves(void **state)
{
    (void)state;
    int count = 0;
    check_refs(doc, &count);
    assert_true(count > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(document_is_openapi_3_1),
        cmocka_unit_test(no_route_lacks_role_or_summary),
        cmocka_unit_test(every_route_is_documented),
        cmocka_unit_test(every_operation_is_a_route),
        cmocka_unit_test(every_reference_resolves),
    };
    return cmocka_run_group_tests(tests, load_doc, free_doc);
}
