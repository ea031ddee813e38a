/* openapi_gen.c - build-time generator of the OpenAPI 3.1 document.
 *
 *   openapi_gen BASE.json OUT.json [PART.json ...]
 *
 * The paths follow the route table (api/routes.c), in its order. For an
 * entity's routes (a route row naming an entity) the operations are
 * generated, and so are the entity's schemas (X, XInput, XPatch, XList and
 * the schemas of its array items) from its field descriptors
 * (core/entities.c). BASE holds what is written by hand: the document's
 * frame, the other routes' operations, shared components, and the prose that
 * is particular to an entity, merged over what is generated (objects key by
 * key, parameters by name, anything else replaced). A route without an
 * operation, in BASE or generated, is an error. Each PART (one per area, the
 * JSON files in server/api/openapi/) adds "paths" and "components" sections of its
 * own to BASE; a path, method or component named twice is an error, so
 * areas never overwrite each other. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "common/embedded.h"
#include "core/roles.h"
#include "core/governance.h"
#include "http/router.h"

/* The generator is linked with the server's objects, whose /api/openapi.json
 * handler refers to the embedded document this program makes. */
const embedded_file sy_apidoc[] = {{NULL, NULL, 0}};

extern const route API_ROUTES[];

#define REF(kind, name) json_pack("{s:s}", "$ref", "#/components/" kind "/" name)
#define READ_ONLY_NOTE " Read-only: accepted and ignored in request bodies."
#define CACHED_NOTE " Cached by the server per URL, role and day until the data " \
                    "changes; never stored by the client (Cache-Control: no-store)."

static json_t *ref_to(const char *kind, const char *name)
{
    char ref[160];
    snprintf(ref, sizeof ref, "#/components/%s/%s", kind, name);
    return json_pack("{s:s}", "$ref", ref);
}

/* ---- merging the hand-written parts over the generated ones -------------- */

static json_t *merged(json_t *gen, json_t *hand);

/* Parameters: a hand-written one with a name merges into the generated one
 * of that name; others are appended. */
static json_t *merged_params(json_t *gen, json_t *hand)
{
    json_t *out = json_deep_copy(gen);
    size_t i;
    json_t *h;
    json_array_foreach(hand, i, h) {
        const json_t *name = json_object_get(h, "name");
        size_t at = json_array_size(out);
        for (size_t k = 0; name && k < json_array_size(out); k++)
            if (json_equal(json_object_get(json_array_get(out, k), "name"), (json_t *)name))
                at = k;
        if (at < json_array_size(out))
            json_array_set_new(out, at, merged(json_array_get(out, at), h));
        else
            json_array_append(out, h);
    }
    return out;
}

static json_t *merged(json_t *gen, json_t *hand)
{
    if (!json_is_object(gen) || !json_is_object(hand))
        return json_deep_copy(hand);
    json_t *out = json_deep_copy(gen);
    const char *key;
    json_t *h;
    json_object_foreach(hand, key, h) {
        json_t *g = json_object_get(out, key);
        if (g && strcmp(key, "parameters") == 0 && json_is_array(g) && json_is_array(h))
            json_object_set_new(out, key, merged_params(g, h));
        else
            json_object_set_new(out, key, g ? merged(g, h) : json_deep_copy(h));
    }
    return out;
}

/* ---- schemas from field descriptors --------------------------------------- */

static json_t *enum_values(const char *const *table)
{
    json_t *a = json_array();
    for (int i = 0; table[i]; i++)
        json_array_append_new(a, json_string(table[i]));
    return a;
}

static json_t *string_schema(const field_desc *f, int top)
{
    json_t *s = json_pack("{s:s}", "type", "string");
    if (f->flags & FD_UPPER2) {
        json_object_set_new(s, "pattern", json_string("^([A-Z]{2})?$"));
    } else if (f->flags & FD_UPPER3) {
        json_object_set_new(s, "pattern", json_string("^[A-Z]{3}$"));
    } else if (f->flags & FD_LEI) {
        json_object_set_new(s, "pattern", json_string("^([A-Z0-9]{18}[0-9]{2})?$"));
    }
    if (f->doc)
        json_object_set_new(s, "description", json_string(f->doc));
    if (!(f->flags & (FD_UPPER2 | FD_UPPER3 | FD_LEI))) {
        json_object_set_new(s, "minLength", json_integer(f->min));
        json_object_set_new(s, "maxLength", json_integer(f->max));
    }
    if (top && !(f->flags & FD_REQUIRED))
        json_object_set_new(s, "default", json_string(f->def ? f->def : ""));
    return s;
}

static json_t *nullable_type(const char *type, const field_desc *f)
{
    return f->flags & FD_NULLABLE ? json_pack("[ss]", type, "null") : json_string(type);
}

static json_t *array_schema(const field_desc *f)
{
    json_t *items;
    const field_desc *g = &f->sub[0];
    if (g->key[0] != '\0')
        items = ref_to("schemas", f->schema);
    else if (g->kind == FK_REF)
        items = json_pack("{s:s, s:i, s:s}", "type", "integer", "minimum", 1, "format", "int64");
    else
        items = string_schema(g, 0);
    json_t *s = json_pack("{s:s, s:o, s:s, s:I}", "type", "array", "items", items, "description",
                          f->doc, "maxItems", (json_int_t)f->max);
    if (g->key[0] == '\0' && f->check)
        json_object_set_new(s, "uniqueItems", json_true());
    return s;
}

/* The schema of one field's value as GET answers it (top: a field of the
 * entity itself, whose absent optional values have a default). */
static json_t *value_schema(const field_desc *f, int top)
{
    json_t *s = NULL;
    switch (f->kind) {
    case FK_STR:
        return string_schema(f, top);
    case FK_ENUM:
        s = json_pack("{s:s, s:o, s:s}", "type", "string", "enum", enum_values(f->enum_table),
                      "description", f->doc);
        if (f->def && top)
            json_object_set_new(s, "default", json_string(f->def));
        return s;
    case FK_BOOL:
        return json_pack("{s:s, s:s, s:b}", "type", "boolean", "description", f->doc,
                         "default", 0);
    case FK_INT:
        if (f->flags & FD_NULLABLE) /* absent or null: not known */
            return json_pack("{s:o, s:s, s:I, s:I}", "type", nullable_type("integer", f),
                             "description", f->doc, "minimum", (json_int_t)f->min, "maximum",
                             (json_int_t)f->max);
        return json_pack("{s:s, s:s, s:I, s:I, s:i}", "type", "integer", "description", f->doc,
                         "minimum", (json_int_t)f->min, "maximum", (json_int_t)f->max,
                         "default", 0);
    case FK_MONEY:
        return json_pack("{s:s, s:i, s:s, s:I}", "type", "number", "minimum", 0, "description",
                         f->doc, "maximum", (json_int_t)f->max);
    case FK_DATE:
        return json_pack("{s:o, s:s, s:s}", "type", nullable_type("string", f), "format", "date",
                         "description", f->doc);
    case FK_REF:
        return json_pack("{s:o, s:i, s:s, s:s}", "type", nullable_type("integer", f),
                         "minimum", 1, "format", "int64", "description", f->doc);
    case FK_ARRAY:
        return array_schema(f);
    case FK_JSON:
        return json_pack("{s:s, s:o, s:s, s:I, s:I}", "type", "array", "items",
                         ref_to("schemas", f->schema), "description", f->doc, "minItems",
                         (json_int_t)f->min, "maxItems", (json_int_t)f->max);
    case FK_ID:
        return json_pack("{s:s, s:i, s:s, s:s, s:b}", "type", "integer", "minimum", 1, "format",
                         "int64", "description", f->doc, "readOnly", 1);
    case FK_STAMP:
        return json_pack("{s:s, s:s, s:s, s:b}", "type", "string", "format", "date-time",
                         "description", f->doc, "readOnly", 1);
    case FK_COMPUTED:
        if (f->schema) {
            s = ref_to("schemas", f->schema);
            json_object_set_new(s, "readOnly", json_true());
            return s;
        }
        return json_pack("{s:[ss], s:s, s:s, s:b}", "type", "string", "null", "format", "date",
                         "description", f->doc, "readOnly", 1);
    }
    return json_object();
}

static int read_only(const field_desc *f)
{
    return f->kind == FK_ID || f->kind == FK_STAMP || f->kind == FK_COMPUTED;
}

/* How a request body may carry a field: form 0 as GET answers it, 1 as
 * POST/PUT take it, 2 as PATCH takes it. */
static json_t *field_schema(const field_desc *f, int form)
{
    if (form && read_only(f)) {
        char text[300];
        snprintf(text, sizeof text, "%s" READ_ONLY_NOTE, f->brief ? f->brief : f->doc);
        return json_pack("{s:b, s:s}", "readOnly", 1, "description", text);
    }
    if (form < 2)
        return value_schema(f, 1);
    json_t *inner = value_schema(f, 1);
    json_object_del(inner, "default");
    return json_pack("{s:s, s:[o, {s:s}]}", "description",
                     "Null removes the member (the field then takes its default).", "anyOf",
                     inner, "type", "null");
}

static json_t *object_schema(const field_desc *fields, int form, int top)
{
    json_t *props = json_object(), *required = json_array();
    for (const field_desc *f = fields; f->key; f++) {
        if (f->flags & FD_REPORT)
            continue;
        json_object_set_new(props, f->key, top ? field_schema(f, form) : value_schema(f, 0));
        if (form == 0 ? top || (f->flags & FD_REQUIRED) : form == 1 && (f->flags & FD_REQUIRED))
            json_array_append_new(required, json_string(f->key));
    }
    json_t *s = json_pack("{s:s, s:o}", "type", "object", "properties", props);
    if (json_array_size(required))
        json_object_set_new(s, "required", required);
    else
        json_decref(required);
    json_object_set_new(s, "additionalProperties", json_false());
    return s;
}

static void capitalised(const char *in, char *out, size_t size)
{
    snprintf(out, size, "%s", in);
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

static void entity_schemas(const entity_desc *d, json_t *schemas)
{
    char name[96];
    for (const field_desc *f = d->fields; f->key; f++)
        if (f->kind == FK_ARRAY && f->sub[0].key[0] != '\0')
            json_object_set_new(schemas, f->schema, object_schema(f->sub, 0, 0));
    json_object_set_new(schemas, d->schema, object_schema(d->fields, 0, 1));
    snprintf(name, sizeof name, "%sInput", d->schema);
    json_t *input = object_schema(d->fields, 1, 1);
    char text[200];
    snprintf(text, sizeof text, "%s %s as sent with POST or PUT (read-only fields ignored, "
             "unknown fields refused).", strchr("aeiou", d->name[0]) ? "An" : "A", d->name);
    json_object_set_new(input, "description", json_string(text));
    json_object_set_new(schemas, name, input);
    if (!d->collection) {
        /* Records of a workload (drills, acceptances): no PATCH, and
         * lists that are never paged. */
        snprintf(name, sizeof name, "%sList", d->schema);
        snprintf(text, sizeof text, "Every %s, in the stated order.", d->name);
        json_object_set_new(schemas, name, json_pack(
            "{s:s, s:s, s:{s:{s:s, s:o}, s:{s:s, s:s, s:i}}, s:[ss], s:b}", "type", "object",
            "description", text, "properties", "items", "type", "array", "items",
            ref_to("schemas", d->schema), "total", "type", "integer", "description",
            "How many.", "minimum", 0, "required", "items", "total",
            "additionalProperties", 0));
        return;
    }
    snprintf(name, sizeof name, "%sPatch", d->schema);
    json_t *patch = object_schema(d->fields, 2, 1);
    snprintf(text, sizeof text, "A JSON merge patch (RFC 7396) of the %s; the result is "
             "validated like a PUT.", d->name);
    json_object_set_new(patch, "description", json_string(text));
    json_object_set_new(schemas, name, patch);
    snprintf(name, sizeof name, "%sList", d->schema);
    snprintf(text, sizeof text, "A page of %ss.", d->name);
    json_object_set_new(schemas, name, json_pack(
        "{s:s, s:s, s:{s:{s:s, s:o, s:s}, s:{s:s, s:s, s:i}, s:{s:s, s:s, s:i, s:i},"
        " s:{s:s, s:s, s:i}}, s:[ssss], s:b}",
        "type", "object", "description", text, "properties",
        "items", "type", "array", "items", ref_to("schemas", d->schema), "description",
        "One page, in the requested order.",
        "total", "type", "integer", "description", "How many match the filters, over all pages.",
        "minimum", 0,
        "limit", "type", "integer", "description", "The page size used.", "minimum", 1,
        "maximum", 500,
        "offset", "type", "integer", "description", "How many were skipped.", "minimum", 0,
        "required", "items", "total", "limit", "offset", "additionalProperties", 0));
    if (d == &WORKLOAD_DESC) /* keyset paging (api/workloads.c) */
        json_object_set_new(json_object_get(json_object_get(schemas, name), "properties"),
                            "next", json_pack(
            "{s:[ss], s:s}", "type", "string", "null", "description",
            "The cursor of the next page (pass it as cursor=, with the same sort and "
            "filters), or null on the last page."));
}

/* A workload document scored without saving: the workload, with an ID
 * only when one was sent and no timestamps. */
static void preview_schema(json_t *schemas)
{
    json_t *s = json_deep_copy(json_object_get(schemas, WORKLOAD_DESC.schema));
    json_t *props = json_object_get(s, "properties");
    json_object_set_new(props, "id", json_pack(
        "{s:[ss], s:i, s:s, s:s, s:b}", "type", "integer", "null", "minimum", 1, "format",
        "int64", "description", "The id sent (an edit of that workload); null for a new one.",
        "readOnly", 1));
    const char *stamps[] = {"created_at", "updated_at"};
    for (int i = 0; i < 2; i++)
        json_object_set_new(props, stamps[i], json_pack(
            "{s:[ss], s:s, s:s, s:b}", "type", "string", "null", "format", "date-time",
            "description", "Null: a preview is not saved.", "readOnly", 1));
    json_object_set_new(props, "warnings", json_pack(
        "{s:s, s:s, s:{s:s, s:{s:{s:s}, s:{s:s}}, s:[ss]}}", "type", "array", "description",
        "Legal but implausible values (a workload in production with a planned end in the "
        "past), each named by its field; they never refuse a save.",
        "items", "type", "object", "properties", "pointer", "type", "string", "detail", "type",
        "string", "required", "pointer", "detail"));
    json_object_set_new(s, "description", json_string(
        "A workload as it would be saved, with the risk it would have and any warnings; "
        "nothing is written."));
    json_object_set_new(schemas, "WorkloadPreview", s);
}

/* ---- operations of an entity's routes ------------------------------------- */

static json_t *json_body(const char *schema)
{
    return json_pack("{s:{s:o}}", "application/json", "schema", ref_to("schemas", schema));
}

static void add_error(json_t *responses, const char *code, const char *name)
{
    json_object_set_new(responses, code, ref_to("responses", name));
}

/* The list's filter parameters, in one fixed order. */
static json_t *list_parameters(const entity_ops *ops)
{
    static const struct { int flag; const char *ref, *name; } FILTERS[] = {
        {LF_TRACK, "TrackFilter", NULL}, {LF_STATUS, "StatusFilter", NULL},
        {LF_CRITICALITY, "CriticalityFilter", NULL}, {LF_KIND, "KindFilter", NULL},
        {LF_VENDOR, NULL, "vendor"}, {LF_OFFERING, NULL, "offering"},
        {LF_CATEGORY, "CategoryFilter", NULL}, {LF_RISK, "RiskLevelFilter", NULL},
        {LF_RISK, "FlaggedFilter", NULL}, {LF_RISK, "PriorityFilter", NULL}};
    json_t *sorts = json_array();
    for (const char *const *k = ops->desc->sorts; *k; k++)
        json_array_append_new(sorts, json_string(*k));
    json_t *p = json_pack(
        "[o, o, {s:s, s:s, s:s, s:{s:s, s:o, s:s, s:s}}, o]",
        REF("parameters", "Limit"), REF("parameters", "Offset"), "name", "sort", "in", "query",
        "description", "Order: a field name, descending with a leading '-'.", "schema", "type",
        "string", "enum", sorts, "description", "Sort key.", "default", "name",
        REF("parameters", "Q"));
    for (size_t i = 0; i < sizeof FILTERS / sizeof FILTERS[0]; i++) {
        if (!(entity_list_filters(ops) & FILTERS[i].flag))
            continue;
        if (FILTERS[i].ref)
            json_array_append_new(p, ref_to("parameters", FILTERS[i].ref));
        else
            json_array_append_new(p, json_pack("{s:s, s:s, s:{s:s, s:i, s:s}}", "name",
                                               FILTERS[i].name, "in", "query", "schema", "type",
                                               "integer", "minimum", 1, "format", "int64"));
    }
    if (entity_list_filters(ops) & LF_RISK) /* keyset paging (api/workloads.c) */
        json_array_append_new(p, json_pack(
            "{s:s, s:s, s:s, s:{s:s, s:i}}", "name", "cursor", "in", "query", "description",
            "The next of the page before: the rows after it, in the same order, however deep "
            "(no offset is skipped). Not with offset; a cursor of another sort is refused.",
            "schema", "type", "string", "maxLength", 1000));
    json_array_append_new(p, REF("parameters", "IfNoneMatch"));
    return p;
}

/* One operation of an entity route: which one follows from the method and
 * whether the pattern ends in {id}. */
static json_t *entity_operation(const route *r)
{
    const entity_ops *ops = r->entity;
    const entity_desc *d = ops->desc;
    int one = strstr(r->pattern, "{id}") != NULL;
    char sing[64], plural[72], id[96], input[96], list[96], patch[96];
    capitalised(d->name, sing, sizeof sing);
    snprintf(plural, sizeof plural, "%ss", sing);
    snprintf(input, sizeof input, "%sInput", d->schema);
    snprintf(list, sizeof list, "%sList", d->schema);
    snprintf(patch, sizeof patch, "%sPatch", d->schema);
    json_t *op = json_pack("{s:[s], s:s}", "tags", plural, "summary", r->summary);
    json_t *responses = json_object();
    const char *verb = NULL, *what = sing;
    json_t *params = NULL, *body = NULL;
    const char *text = NULL;
    if (strcmp(r->method, "GET") == 0) {
        verb = one ? "get" : "list";
        what = one ? sing : plural;
        params = one ? json_pack("[o, o]", REF("parameters", "Id"), REF("parameters", "IfNoneMatch"))
                     : list_parameters(ops);
        if (!one)
            text = "Lists answer a page and the total. Unknown query parameters are refused (400).";
        char ok[256];
        snprintf(ok, sizeof ok, "%s%s", one ? "The record." : "A page.",
                 r->flags & RF_CACHEABLE ? CACHED_NOTE : "");
        json_object_set_new(responses, "200", json_pack(
            "{s:s, s:o, s:{s:o}}", "description", ok, "content", json_body(one ? d->schema : list),
            "headers", "ETag", REF("headers", "ETag")));
        add_error(responses, "304", "NotModified");
        if (!one)
            add_error(responses, "400", "BadQuery");
        add_error(responses, "401", "Unauthorized");
        if (one)
            add_error(responses, "404", "NotFound");
    } else if (strcmp(r->method, "DELETE") == 0) {
        verb = "delete";
        text = "With If-Match, a concurrent change answers 412. Audited.";
        params = json_pack("[o, o]", REF("parameters", "Id"), REF("parameters", "IfMatch"));
        json_object_set_new(responses, "204", json_pack("{s:s}", "description", "Deleted."));
        add_error(responses, "401", "Unauthorized");
        add_error(responses, "403", "Forbidden");
        add_error(responses, "404", "NotFound");
        add_error(responses, "412", "PreconditionFailed");
    } else {
        int create = strcmp(r->method, "POST") == 0, is_patch = strcmp(r->method, "PATCH") == 0;
        verb = create ? "create" : is_patch ? "patch" : "replace";
        text = create ? "Takes what a GET returns minus the read-only fields (ignored if sent); "
                        "unknown fields are refused. References must name existing records "
                        "(400). Audited."
             : is_patch ? "A JSON merge patch (RFC 7396) applied to the current representation; "
                          "the result is validated exactly like a PUT. Without If-Match it "
                          "patches the version it read; a concurrent change still answers 412. "
                          "Audited."
                        : "Replaces the whole record (absent optional fields take their "
                          "defaults). An id in the body must match the URL. With If-Match, a "
                          "concurrent change answers 412. Audited.";
        if (!create)
            params = json_pack("[o, o]", REF("parameters", "Id"), REF("parameters", "IfMatch"));
        json_t *content = json_body(is_patch ? patch : input);
        if (is_patch)
            json_object_set_new(content, "application/merge-patch+json",
                                json_pack("{s:o}", "schema", ref_to("schemas", patch)));
        body = json_pack("{s:b, s:s, s:o}", "required", 1, "description",
                         create ? "The new record." : is_patch ? "The merge patch."
                                                        : "The record as it should be.",
                         "content", content);
        json_t *headers = json_pack("{s:o}", "ETag", REF("headers", "ETag"));
        if (create)
            json_object_set_new(headers, "Location", REF("headers", "Location"));
        json_object_set_new(responses, create ? "201" : "200", json_pack(
            "{s:s, s:o, s:o}", "description", create ? "Created." : "Saved.", "content",
            json_body(d->schema), "headers", headers));
        add_error(responses, "400", "BadRequest");
        add_error(responses, "401", "Unauthorized");
        add_error(responses, "403", "Forbidden");
        if (!create)
            add_error(responses, "404", "NotFound");
        add_error(responses, "409", "Conflict");
        if (!create)
            add_error(responses, "412", "PreconditionFailed");
        add_error(responses, "413", "ContentTooLarge");
        add_error(responses, "415", "UnsupportedMediaType");
    }
    snprintf(id, sizeof id, "%s%s", verb, what);
    json_object_set_new(op, "operationId", json_string(id));
    if (text)
        json_object_set_new(op, "description", json_string(text));
    if (params)
        json_object_set_new(op, "parameters", params);
    if (body)
        json_object_set_new(op, "requestBody", body);
    json_object_set_new(op, "responses", responses);
    json_object_set_new(op, "x-switchyard-role", json_string(role_name(r->role)));
    return op;
}

/* ---- the document ------------------------------------------------------------ */

static void lower(const char *in, char *out, size_t size)
{
    size_t i = 0;
    for (; in[i] && i + 1 < size; i++)
        out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] - 'A' + 'a' : in[i]);
    out[i] = '\0';
}

/* The paths in route order; 0, or -1 when a route has no operation. */
static int build_paths(json_t *doc, json_t *hand_paths)
{
    json_t *paths = json_object();
    int bad = 0;
    for (const route *r = API_ROUTES; r->method; r++) {
        char method[16];
        lower(r->method, method, sizeof method);
        json_t *item = json_object_get(paths, r->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, r->pattern, item);
        }
        json_t *hand = json_object_get(json_object_get(hand_paths, r->pattern), method);
        json_t *gen = r->entity ? entity_operation(r) : NULL;
        if (!gen && !hand) {
            fprintf(stderr, "openapi_gen: %s %s has no operation\n", r->method, r->pattern);
            bad = 1;
            continue;
        }
        json_object_set_new(item, method, gen && hand ? merged(gen, hand)
                                          : gen ? gen : json_deep_copy(hand));
        json_decref(hand && gen ? gen : NULL);
    }
    json_object_set_new(doc, "paths", paths);
    return bad ? -1 : 0;
}

/* The hand-written schemas in their order, each generated one merged under
 * its hand-written part (or appended). */
static void build_schemas(json_t *doc)
{
    static const entity_desc *const ENTITIES[] = {&VENDOR_DESC,   &OFFERING_DESC,
                                                  &CONTRACT_DESC, &WORKLOAD_DESC,
                                                  &SCENARIO_DESC, &DRILL_DESC,
                                                  &ACCEPTANCE_DESC};
    json_t *gen = json_object();
    for (size_t i = 0; i < sizeof ENTITIES / sizeof ENTITIES[0]; i++)
        entity_schemas(ENTITIES[i], gen);
    preview_schema(gen);
    json_t *components = json_object_get(doc, "components");
    json_t *hand = json_object_get(components, "schemas");
    json_t *out = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(hand, key, v) {
        json_t *g = json_object_get(gen, key);
        json_object_set_new(out, key, g ? merged(g, v) : json_deep_copy(v));
    }
    json_object_foreach(gen, key, v)
        if (!json_object_get(out, key))
            json_object_set(out, key, v);
    json_object_set_new(components, "schemas", out);
    json_decref(gen);
}

/* Adds the members of `part` to `into` (objects created as needed); 0, or
 * -1 naming the first member both define. `depth` levels are merged: 2 for
 * paths (path, method), 2 for components (section, name). */
static int add_members(json_t *into, json_t *part, int depth, const char *file)
{
    const char *key;
    json_t *v;
    json_object_foreach(part, key, v) {
        json_t *have = json_object_get(into, key);
        if (depth > 1 && json_is_object(v)) {
            if (!have) {
                have = json_object();
                json_object_set_new(into, key, have);
            }
            if (add_members(have, v, depth - 1, file) != 0)
                return -1;
        } else if (have) {
            fprintf(stderr, "openapi_gen: %s: %s is already defined\n", file, key);
            return -1;
        } else {
            json_object_set(into, key, v);
        }
    }
    return 0;
}

/* BASE with every PART's paths and components added; NULL on error. */
static json_t *load_sources(int count, char **files)
{
    json_error_t err;
    json_t *base = json_load_file(files[0], JSON_REJECT_DUPLICATES, &err);
    if (!base) {
        fprintf(stderr, "openapi_gen: %s:%d: %s\n", files[0], err.line, err.text);
        return NULL;
    }
    for (int i = 1; i < count; i++) {
        json_t *part = json_load_file(files[i], JSON_REJECT_DUPLICATES, &err);
        int rc = -1;
        if (!part)
            fprintf(stderr, "openapi_gen: %s:%d: %s\n", files[i], err.line, err.text);
        else
            rc = add_members(json_object_get(base, "paths"),
                             json_object_get(part, "paths"), 2, files[i]) == 0 &&
                 add_members(json_object_get(base, "components"),
                             json_object_get(part, "components"), 2, files[i]) == 0
                     ? 0 : -1;
        json_decref(part);
        if (rc != 0) {
            json_decref(base);
            return NULL;
        }
    }
    return base;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: openapi_gen BASE.json OUT.json [PART.json ...]\n");
        return 2;
    }
    char *sources[64];
    if (argc - 2 > (int)(sizeof sources / sizeof sources[0])) {
        fprintf(stderr, "openapi_gen: too many parts\n");
        return 2;
    }
    sources[0] = argv[1];
    for (int i = 3; i < argc; i++)
        sources[i - 2] = argv[i];
    json_t *base = load_sources(argc - 2, sources);
    if (!base)
        return 1;
    json_t *doc = json_deep_copy(base);
    if (doc)
        json_object_del(doc, "x-comment"); /* the base file's own purpose note */
    int rc = doc ? build_paths(doc, json_object_get(base, "paths")) : -1;
    if (rc == 0) {
        build_schemas(doc);
        rc = json_dump_file(doc, argv[2], JSON_INDENT(2)) == 0 ? 0 : -1;
        if (rc != 0)
            fprintf(stderr, "openapi_gen: cannot write %s\n", argv[2]);
    }
    json_decref(doc);
    json_decref(base);
    return rc == 0 ? 0 : 1;
}
