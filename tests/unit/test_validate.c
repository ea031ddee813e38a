/* test_validate.c - JSON -> entity validation (core/validate.c) for vendors,
 * offerings, contracts and workloads: valid documents land in the struct,
 * defaults apply, read-only fields are ignored, and every kind of invalid
 * field is reported with a JSON Pointer naming it. Also json_merge_patch
 * (the RFC 7396 examples) and json_to_cents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/entity.h"
#include "core/validate.h"

/* ---- helpers -------------------------------------------------------------- */

static json_t *J(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &err);
    if (!v)
        fail_msg("bad JSON in test: %s: %s", text, err.text);
    return v;
}

/* A JSON string of n copies of c. */
static json_t *long_string(size_t n, char c)
{
    char s[4200];
    assert_true(n < sizeof s);
    memset(s, c, n);
    s[n] = '\0';
    return json_string(s);
}

typedef int (*parse_fn)(const json_t *in, arena *a, void *out, sy_errors *e);

static int p_vendor(const json_t *in, arena *a, void *out, sy_errors *e)
{
    return vendor_from_json(in, a, out, e);
}
static int p_offering(const json_t *in, arena *a, void *out, sy_errors *e)
{
    return offering_from_json(in, a, out, e);
}
static int p_contract(const json_t *in, arena *a, void *out, sy_errors *e)
{
    return contract_from_json(in, a, out, e);
}
static int p_workload(const json_t *in, arena *a, void *out, sy_errors *e)
{
    return workload_from_json(in, a, out, e);
}

/* Room for any entity struct. */
typedef union any_entity {
    vendor v;
    offering o;
    contract c;
    workload w;
} any_entity;

/* Parses doc and expects exactly one error, at pointer. */
static void expect_one_error(parse_fn fn, const json_t *doc, const char *pointer,
                             const char *label)
{
    arena a;
    arena_init(&a);
    any_entity out;
    sy_errors e;
    errors_init(&e);
    int rc = fn(doc, &a, &out, &e);
    arena_free(&a);
    if (rc != -1 || e.count != 1 || strcmp(e.items[0].pointer, pointer) != 0) {
        char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
        print_error("case %s: %s\n  want rc -1 and one error at \"%s\"; got rc %d, %d error(s)",
                    label, text ? text : "?", pointer, rc, e.count);
        for (int i = 0; i < e.count; i++)
            print_error(" [\"%s\": %s]", e.items[i].pointer, e.items[i].detail);
        print_error("\n");
        free(text);
        fail();
    }
    assert_true(e.items[0].detail[0] != '\0');
}

/* One invalid variant of a valid base document: key set to the JSON text
 * value (or removed when value is NULL); the error must be at pointer. */
typedef struct bad_case {
    const char *key;
    const char *value;
    const char *pointer;
} bad_case;

static void run_bad_cases(parse_fn fn, const char *base, const bad_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_t *doc = J(base);
        if (cases[i].value)
            assert_int_equal(json_object_set_new(doc, cases[i].key, J(cases[i].value)), 0);
        else
            assert_int_equal(json_object_del(doc, cases[i].key), 0);
        char label[160];
        snprintf(label, sizeof label, "#%zu %s=%s", i, cases[i].key,
                 cases[i].value ? cases[i].value : "(absent)");
        expect_one_error(fn, doc, cases[i].pointer, label);
        json_decref(doc);
    }
}

/* Parses base with key set to value (a new reference, consumed). */
static void expect_field_error(parse_fn fn, const char *base, const char *key,
                               json_t *value, const char *pointer)
{
    json_t *doc = J(base);
    assert_int_equal(json_object_set_new(doc, key, value), 0);
    expect_one_error(fn, doc, pointer, key);
    json_decref(doc);
}

/* Parses doc and expects no error. */
static void expect_ok(parse_fn fn, const json_t *doc, const char *label)
{
    arena a;
    arena_init(&a);
    any_entity out;
    sy_errors e;
    errors_init(&e);
    int rc = fn(doc, &a, &out, &e);
    if (rc != 0)
        fail_msg("%s: unexpected error at \"%s\": %s", label, e.items[0].pointer,
                 e.items[0].detail);
    assert_int_equal(e.count, 0);
    arena_free(&a);
}

static void expect_field_ok(parse_fn fn, const char *base, const char *key, json_t *value)
{
    json_t *doc = J(base);
    assert_int_equal(json_object_set_new(doc, key, value), 0);
    expect_ok(fn, doc, key);
    json_decref(doc);
}

/* ---- vendors -------------------------------------------------------------- */

static const char VENDOR_MIN[] = "{\"name\":\"Acme\"}";

static void vendor_valid_full(void **state)
{
    (void)state;
    json_t *doc = J("{\"id\":99,\"created_at\":\"2020-01-01T00:00:00Z\","
                    "\"updated_at\":\"2020-01-02T00:00:00Z\",\"group\":{\"id\":1,\"name\":\"G\"},"
                    "\"name\":\"Microsoft\",\"parent\":4,\"website\":\"https://microsoft.com\","
                    "\"country\":\"US\",\"description\":\"Cloud\\nand AI\","
                    "\"connections\":[{\"vendor\":2,\"reason\":\"equity stake\"},{\"vendor\":3}]}");
    arena a;
    arena_init(&a);
    vendor v;
    sy_errors e;
    errors_init(&e);
    assert_int_equal(vendor_from_json(doc, &a, &v, &e), 0);
    assert_int_equal(e.count, 0);
    assert_int_equal(v.id, 0);                  /* read-only: ignored */
    assert_null(v.created_at);
    assert_null(v.updated_at);
    assert_int_equal(v.group_id, 0);
    assert_string_equal(v.name, "Microsoft");
    assert_int_equal(v.parent, 4);
    assert_string_equal(v.website, "https://microsoft.com");
    assert_string_equal(v.country, "US");
    assert_string_equal(v.description, "Cloud\nand AI");  /* multi-line allowed */
    assert_int_equal(v.n_connections, 2);
    assert_int_equal(v.connections[0].vendor, 2);
    assert_string_equal(v.connections[0].reason, "equity stake");
    assert_int_equal(v.connections[1].vendor, 3);
    assert_string_equal(v.connections[1].reason, "");
    arena_free(&a);
    json_decref(doc);
}

static void vendor_defaults(void **state)
{
    (void)state;
    json_t *doc = J(VENDOR_MIN);
    arena a;
    arena_init(&a);
    vendor v;
    sy_errors e;
    errors_init(&e);
    assert_int_equal(vendor_from_json(doc, &a, &v, &e), 0);
    assert_string_equal(v.name, "Acme");
    assert_int_equal(v.parent, 0);
    assert_string_equal(v.website, "");
    assert_string_equal(v.country, "");
    assert_string_equal(v.description, "");
    assert_int_equal(v.n_connections, 0);
    assert_null(v.connections);
    arena_free(&a);
    json_decref(doc);

    /* Explicit null parent, empty website/country, empty connections. */
    doc = J("{\"name\":\"Acme\",\"parent\":null,\"website\":\"\",\"country\":\"\","
            "\"connections\":[]}");
    arena_init(&a);
    errors_init(&e);
    assert_int_equal(vendor_from_json(doc, &a, &v, &e), 0);
    assert_int_equal(v.parent, 0);
    assert_int_equal(v.n_connections, 0);
    arena_free(&a);
    json_decref(doc);
}

static void vendor_invalid_fields(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"name", NULL, "/name"},                    /* missing required */
        {"name", "5", "/name"},                     /* wrong type */
        {"name", "null", "/name"},
        {"name", "\"\"", "/name"},                  /* empty */
        {"name", "\"   \"", "/name"},               /* blank */
        {"name", "\"a\\nb\"", "/name"},             /* one line only */
        {"name", "\"tab\\there\"", "/name"},
        {"nickname", "\"x\"", "/nickname"},         /* unknown field */
        {"version", "3", "/version"},               /* not a vendor field */
        {"parent", "0", "/parent"},
        {"parent", "-1", "/parent"},
        {"parent", "\"3\"", "/parent"},
        {"parent", "1.5", "/parent"},
        {"website", "\"ftp://example.com\"", "/website"},   /* bad URL */
        {"website", "\"example.com\"", "/website"},
        {"website", "\"javascript:alert(1)\"", "/website"},
        {"website", "\"https://a\\nb\"", "/website"},
        {"website", "null", "/website"},
        {"country", "\"us\"", "/country"},          /* bad country codes */
        {"country", "\"USA\"", "/country"},
        {"country", "\"U\"", "/country"},
        {"country", "\"U1\"", "/country"},
        {"country", "1", "/country"},
        {"description", "true", "/description"},
        {"connections", "{}", "/connections"},
        {"connections", "[5]", "/connections/0"},
        {"connections", "[{\"reason\":\"x\"}]", "/connections/0/vendor"},
        {"connections", "[{\"vendor\":0}]", "/connections/0/vendor"},
        {"connections", "[{\"vendor\":2},{\"vendor\":\"3\"}]", "/connections/1/vendor"},
        {"connections", "[{\"vendor\":2,\"weight\":1}]", "/connections/0/weight"},
        {"connections", "[{\"vendor\":2,\"reason\":\"a\\nb\"}]", "/connections/0/reason"},
        {"connections", "[{\"vendor\":2},{\"vendor\":3},{\"vendor\":2}]", "/connections/2"},
    };
    run_bad_cases(p_vendor, VENDOR_MIN, cases, sizeof cases / sizeof cases[0]);
}

static void vendor_lengths(void **state)
{
    (void)state;
    expect_field_ok(p_vendor, VENDOR_MIN, "name", long_string(120, 'n'));
    expect_field_error(p_vendor, VENDOR_MIN, "name", long_string(121, 'n'), "/name");
    expect_field_ok(p_vendor, VENDOR_MIN, "description", long_string(2000, 'd'));
    expect_field_error(p_vendor, VENDOR_MIN, "description", long_string(2001, 'd'),
                       "/description");
    /* "https://" + 292 = 300 characters. */
    char url[320];
    memcpy(url, "https://", 8);
    memset(url + 8, 'u', 292);
    url[300] = '\0';
    expect_field_ok(p_vendor, VENDOR_MIN, "website", json_string(url));
    url[300] = 'u';
    url[301] = '\0';
    expect_field_error(p_vendor, VENDOR_MIN, "website", json_string(url), "/website");

    json_t *many = json_array();
    for (int i = 1; i <= 33; i++)
        json_array_append_new(many, json_pack("{s:i}", "vendor", i));
    expect_field_error(p_vendor, VENDOR_MIN, "connections", many, "/connections");
    many = json_array();
    for (int i = 1; i <= 32; i++)
        json_array_append_new(many, json_pack("{s:i}", "vendor", i));
    expect_field_ok(p_vendor, VENDOR_MIN, "connections", many);
}

static void not_an_object(void **state)
{
    (void)state;
    json_t *doc = J("[1,2]");
    expect_one_error(p_vendor, doc, "", "array body");
    expect_one_error(p_offering, doc, "", "array body");
    expect_one_error(p_contract, doc, "", "array body");
    expect_one_error(p_workload, doc, "", "array body");
    json_decref(doc);
}

static void errors_are_collected_and_capped(void **state)
{
    (void)state;
    json_t *doc = J("{\"name\":\"\",\"country\":\"usa\",\"zzz\":1}");
    arena a;
    arena_init(&a);
    vendor v;
    sy_errors e;
    errors_init(&e);
    assert_int_equal(vendor_from_json(doc, &a, &v, &e), -1);
    assert_int_equal(e.count, 3);
    int seen = 0;
    for (int i = 0; i < e.count; i++) {
        if (strcmp(e.items[i].pointer, "/name") == 0)
            seen |= 1;
        else if (strcmp(e.items[i].pointer, "/country") == 0)
            seen |= 2;
        else if (strcmp(e.items[i].pointer, "/zzz") == 0)
            seen |= 4;
    }
    assert_int_equal(seen, 7);
    arena_free(&a);
    json_decref(doc);

    doc = J(VENDOR_MIN);
    for (int i = 0; i < 20; i++) {
        char key[16];
        snprintf(key, sizeof key, "x%d", i);
        json_object_set_new(doc, key, json_true());
    }
    arena_init(&a);
    errors_init(&e);
    assert_int_equal(vendor_from_json(doc, &a, &v, &e), -1);
    assert_int_equal(e.count, SY_MAX_ERRORS);
    arena_free(&a);
    json_decref(doc);
}

static void pointers_escape_keys(void **state)
{
    (void)state;
    json_t *doc = J("{\"name\":\"Acme\",\"a/b\":1}");
    expect_one_error(p_vendor, doc, "/a~1b", "slash key");
    json_decref(doc);
    doc = J("{\"name\":\"Acme\",\"m~n\":1}");
    expect_one_error(p_vendor, doc, "/m~0n", "tilde key");
    json_decref(doc);

    char out[16];
    pointer_join(out, sizeof out, "/terms", "0");
    assert_string_equal(out, "/terms/0");
    pointer_join(out, sizeof out, "", "x/y~z");
    assert_string_equal(out, "/x~1y~0z");
    /* Bounded and terminated: a truncated prefix of "/abc/defgh". */
    memset(out, 'X', sizeof out);
    pointer_join(out, 8, "/abc", "defgh");
    assert_true(memchr(out, '\0', 8) != NULL);
    assert_true(strlen(out) >= 5);
    assert_memory_equal(out, "/abc/defgh", strlen(out));
    assert_int_equal(out[8], 'X');
}

/* ---- offerings ------------------------------------------------------------ */

static const char OFFERING_BASE[] =
    "{\"name\":\"GPT-4o\",\"provider\":1,\"track\":\"openai\",\"category\":\"model_api\","
    "\"interface\":\"openai_compatible\"}";

static void offering_valid_full(void **state)
{
    (void)state;
    json_t *doc = J("{\"id\":5,\"created_at\":\"x\",\"updated_at\":\"y\","
                    "\"name\":\"Azure OpenAI GPT-4o\",\"provider\":1,\"publisher\":2,\"host\":3,"
                    "\"track\":\"azure\",\"category\":\"platform\",\"interface\":\"proprietary\","
                    "\"open_weight\":true,\"description\":\"hosted\",\"url\":\"http://x.example\"}");
    arena a;
    arena_init(&a);
    offering o;
    sy_errors e;
    errors_init(&e);
    assert_int_equal(offering_from_json(doc, &a, &o, &e), 0);
    assert_int_equal(o.id, 0);
    assert_null(o.created_at);
    assert_string_equal(o.name, "Azure OpenAI GPT-4o");
    assert_int_equal(o.provider, 1);
    assert_int_equal(o.publisher, 2);
    assert_int_equal(o.host, 3);
    assert_string_equal(o.track, "azure");
    assert_string_equal(o.category, "platform");
    assert_string_equal(o.interface, "proprietary");
    assert_int_equal(o.open_weight, 1);
    assert_string_equal(o.description, "hosted");
    assert_string_equal(o.url, "http://x.example");
    arena_free(&a);
    json_decref(doc);

    doc = J(OFFERING_BASE);
    arena_init(&a);
    errors_init(&e);
    assert_int_equal(offering_from_json(doc, &a, &o, &e), 0);
    assert_int_equal(o.publisher, 0);
    assert_int_equal(o.host, 0);
    assert_int_equal(o.open_weight, 0);
    assert_string_equal(o.description, "");
    assert_string_equal(o.url, "");
    arena_free(&a);
    json_decref(doc);

    expect_field_ok(p_offering, OFFERING_BASE, "publisher", json_null());
    expect_field_ok(p_offering, OFFERING_BASE, "host", json_null());
}

static void offering_invalid_fields(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"name", NULL, "/name"},
        {"provider", NULL, "/provider"},
        {"provider", "null", "/provider"},
        {"provider", "0", "/provider"},
        {"provider", "\"1\"", "/provider"},
        {"publisher", "-2", "/publisher"},
        {"host", "true", "/host"},
        {"track", NULL, "/track"},
        {"track", "\"aws\"", "/track"},             /* enum violation */
        {"track", "\"OpenAI\"", "/track"},          /* case matters */
        {"track", "1", "/track"},
        {"category", "\"database\"", "/category"},
        {"interface", "\"rest\"", "/interface"},
        {"interface", "null", "/interface"},
        {"open_weight", "\"yes\"", "/open_weight"},
        {"open_weight", "1", "/open_weight"},
        {"url", "\"openai.com\"", "/url"},
        {"url", "\"https://a b\\u0001\"", "/url"},
        {"description", "[]", "/description"},
        {"risk", "1", "/risk"},                     /* not an offering field */
    };
    run_bad_cases(p_offering, OFFERING_BASE, cases, sizeof cases / sizeof cases[0]);
    expect_field_error(p_offering, OFFERING_BASE, "name", long_string(121, 'o'), "/name");
}

/* ---- contracts ------------------------------------------------------------ */

static const char CUSTOMER_BASE[] =
    "{\"name\":\"Acme support\",\"kind\":\"customer\",\"counterparty\":5,"
    "\"start_date\":\"2025-01-01\",\"end_date\":\"2025-12-31\"}";
static const char UPSTREAM_BASE[] =
    "{\"name\":\"Azure commit\",\"kind\":\"upstream\",\"counterparty\":1,\"other_party\":2,"
    "\"start_date\":\"2024-01-01\"}";

static void contract_valid_full(void **state)
{
    (void)state;
    json_t *doc = J(
        "{\"id\":3,\"created_at\":\"c\",\"updated_at\":\"u\",\"notice_deadline\":\"2026-10-02\","
        "\"name\":\"Azure OpenAI via Microsoft\",\"kind\":\"upstream\",\"counterparty\":1,"
        "\"other_party\":2,\"offerings\":[3,4],\"start_date\":\"2024-01-01\","
        "\"end_date\":\"2026-12-31\",\"notice_days\":90,\"auto_renew\":true,"
        "\"renewal_months\":12,\"annual_value\":1234.56,\"currency\":\"EUR\","
        "\"committed_spend\":100000,\"exclusive\":true,\"exit_clause\":\"partial\","
        "\"data_portability\":true,\"substitutability\":\"hard\",\"exit_plan\":\"plan B\","
        "\"notes\":\"n\",\"terms\":[{\"kind\":\"cloud_priority\",\"text\":\"Azure first\","
        "\"effective\":\"2024-01-01\",\"until\":\"2025-01-01\"},"
        "{\"kind\":\"equity\",\"text\":\"49% stake\"}]}");
    arena a;
    arena_init(&a);
    contract c;
    sy_errors e;
    errors_init(&e);
    assert_int_equal(contract_from_json(doc, &a, &c, &e), 0);
    assert_int_equal(e.count, 0);
    assert_int_equal(c.id, 0);
    assert_null(c.created_at);
    assert_string_equal(c.name, "Azure OpenAI via Microsoft");
    assert_string_equal(c.kind, "upstream");
    assert_int_equal(c.counterparty, 1);
    assert_int_equal(c.other_party, 2);
    assert_int_equal(c.n_offerings, 2);
    assert_int_equal(c.offerings[0], 3);
    assert_int_equal(c.offerings[1], 4);
    assert_string_equal(c.start_date, "2024-01-01");
    assert_string_equal(c.end_date, "2026-12-31");
    assert_int_equal(c.notice_days, 90);
    assert_int_equal(c.auto_renew, 1);
    assert_int_equal(c.renewal_months, 12);
    assert_int_equal(c.annual_value, 123456);
    assert_string_equal(c.currency, "EUR");
    assert_int_equal(c.committed_spend, 10000000);
    assert_int_equal(c.exclusive, 1);
    assert_string_equal(c.exit_clause, "partial");
    assert_int_equal(c.data_portability, 1);
    assert_string_equal(c.substitutability, "hard");
    assert_string_equal(c.exit_plan, "plan B");
    assert_string_equal(c.notes, "n");
    assert_int_equal(c.n_terms, 2);
    assert_string_equal(c.terms[0].kind, "cloud_priority");
    assert_string_equal(c.terms[0].text, "Azure first");
    assert_string_equal(c.terms[0].effective, "2024-01-01");
    assert_string_equal(c.terms[0].until, "2025-01-01");
    assert_string_equal(c.terms[1].kind, "equity");
    assert_string_equal(c.terms[1].text, "49% stake");
    assert_null(c.terms[1].effective);
    assert_null(c.terms[1].until);
    arena_free(&a);
    json_decref(doc);
}

static void contract_defaults(void **state)
{
    (void)state;
    json_t *doc = J(CUSTOMER_BASE);
    arena a;
    arena_init(&a);
    contract c;
    sy_errors e;
    errors_init(&e);
    assert_int_equal(contract_from_json(doc, &a, &c, &e), 0);
    assert_string_equal(c.kind, "customer");
    assert_int_equal(c.other_party, 0);
    assert_int_equal(c.n_offerings, 0);
    assert_int_equal(c.notice_days, 0);
    assert_int_equal(c.auto_renew, 0);
    assert_int_equal(c.renewal_months, 0);
    assert_int_equal(c.annual_value, 0);
    assert_string_equal(c.currency, "USD");
    assert_int_equal(c.committed_spend, 0);
    assert_int_equal(c.exclusive, 0);
    assert_string_equal(c.exit_clause, "none");
    assert_int_equal(c.data_portability, 0);
    assert_string_equal(c.substitutability, "medium");
    assert_string_equal(c.exit_plan, "");
    assert_string_equal(c.notes, "");
    assert_int_equal(c.n_terms, 0);
    arena_free(&a);
    json_decref(doc);

    doc = J(UPSTREAM_BASE);
    arena_init(&a);
    errors_init(&e);
    assert_int_equal(contract_from_json(doc, &a, &c, &e), 0);
    assert_null(c.end_date);                    /* open-ended upstream */
    arena_free(&a);
    json_decref(doc);

    /* Boundaries that are allowed. */
    expect_field_ok(p_contract, CUSTOMER_BASE, "end_date", json_string("2025-01-01"));
    expect_field_ok(p_contract, CUSTOMER_BASE, "notice_days", json_integer(3650));
    expect_field_ok(p_contract, CUSTOMER_BASE, "renewal_months", json_integer(120));
    expect_field_ok(p_contract, CUSTOMER_BASE, "annual_value", json_integer(10000000000LL));
    expect_field_ok(p_contract, CUSTOMER_BASE, "annual_value", json_real(0.01));
    expect_field_ok(p_contract, UPSTREAM_BASE, "end_date", json_null());
    expect_field_ok(p_contract, UPSTREAM_BASE, "terms",
                    J("[{\"kind\":\"licence\",\"text\":\"t\",\"effective\":\"2024-05-05\","
                      "\"until\":\"2024-05-05\"}]"));
}

static void contract_invalid_fields(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"name", NULL, "/name"},
        {"kind", NULL, "/kind"},
        {"kind", "\"partner\"", "/kind"},
        {"counterparty", NULL, "/counterparty"},
        {"counterparty", "0", "/counterparty"},
        {"start_date", NULL, "/start_date"},
        {"start_date", "\"2024-02-30\"", "/start_date"},        /* bad date */
        {"start_date", "\"01/02/2025\"", "/start_date"},
        {"start_date", "20250101", "/start_date"},
        {"end_date", "\"2023-02-29\"", "/end_date"},
        {"end_date", "\"2024-12-31\"", "/end_date"},            /* before start_date */
        {"notice_days", "-1", "/notice_days"},                  /* int out of range */
        {"notice_days", "3651", "/notice_days"},
        {"notice_days", "1.5", "/notice_days"},
        {"notice_days", "\"30\"", "/notice_days"},
        {"renewal_months", "121", "/renewal_months"},
        {"auto_renew", "\"true\"", "/auto_renew"},
        {"annual_value", "-1", "/annual_value"},                /* negative money */
        {"annual_value", "-0.01", "/annual_value"},
        {"annual_value", "12.345", "/annual_value"},            /* 3 decimals */
        {"annual_value", "0.001", "/annual_value"},
        {"annual_value", "\"100\"", "/annual_value"},
        {"annual_value", "10000000001", "/annual_value"},       /* above the maximum */
        {"annual_value", "10000000000.01", "/annual_value"},
        {"annual_value", "null", "/annual_value"},
        {"committed_spend", "10000.001", "/committed_spend"},   /* 3 decimals, larger */
        {"committed_spend", "123456789.125", "/committed_spend"},
        {"currency", "\"usd\"", "/currency"},                   /* bad currency codes */
        {"currency", "\"US\"", "/currency"},
        {"currency", "\"EURO\"", "/currency"},
        {"currency", "\"U5D\"", "/currency"},
        {"currency", "\"\"", "/currency"},
        {"currency", "null", "/currency"},
        {"exit_clause", "\"some\"", "/exit_clause"},
        {"substitutability", "\"trivial\"", "/substitutability"},
        {"exclusive", "0", "/exclusive"},
        {"offerings", "3", "/offerings"},
        {"offerings", "[3,0]", "/offerings/1"},
        {"offerings", "[\"3\"]", "/offerings/0"},
        {"offerings", "[3,4,3]", "/offerings/2"},               /* duplicate */
        {"notice", "1", "/notice"},                             /* unknown */
        {"end_date", NULL, "/end_date"},                        /* customer needs an end */
        {"end_date", "null", "/end_date"},
        {"other_party", "7", "/other_party"},                   /* customer + other_party */
        {"terms", "[{\"kind\":\"equity\",\"text\":\"x\"}]", "/terms"},  /* customer + terms */
        {"auto_renew", "true", "/renewal_months"},              /* without renewal_months */
    };
    run_bad_cases(p_contract, CUSTOMER_BASE, cases, sizeof cases / sizeof cases[0]);
    expect_field_error(p_contract, CUSTOMER_BASE, "name", long_string(161, 'c'), "/name");
    expect_field_ok(p_contract, CUSTOMER_BASE, "name", long_string(160, 'c'));
    expect_field_error(p_contract, CUSTOMER_BASE, "exit_plan", long_string(4001, 'p'),
                       "/exit_plan");

    /* auto_renew with renewal_months 0 is the same as without. */
    json_t *doc = J(CUSTOMER_BASE);
    json_object_set_new(doc, "auto_renew", json_true());
    json_object_set_new(doc, "renewal_months", json_integer(0));
    expect_one_error(p_contract, doc, "/renewal_months", "auto_renew, renewal_months 0");
    json_object_set_new(doc, "renewal_months", json_integer(6));
    expect_ok(p_contract, doc, "auto_renew, renewal_months 6");
    json_decref(doc);
}

static void contract_upstream_rules(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"other_party", NULL, "/other_party"},                  /* upstream needs one */
        {"other_party", "null", "/other_party"},
        {"other_party", "1", "/other_party"},                   /* == counterparty */
        {"other_party", "0", "/other_party"},
        {"terms", "{}", "/terms"},
        {"terms", "[7]", "/terms/0"},
        {"terms", "[{\"kind\":\"bribe\",\"text\":\"x\"}]", "/terms/0/kind"},
        {"terms", "[{\"kind\":\"equity\"}]", "/terms/0/text"},
        {"terms", "[{\"kind\":\"equity\",\"text\":\" \"}]", "/terms/0/text"},
        {"terms", "[{\"kind\":\"equity\",\"text\":\"a\\nb\"}]", "/terms/0/text"},
        {"terms", "[{\"kind\":\"equity\",\"text\":\"x\",\"effective\":\"2024-13-01\"}]",
         "/terms/0/effective"},
        {"terms",
         "[{\"kind\":\"equity\",\"text\":\"x\",\"effective\":\"2025-06-01\","
         "\"until\":\"2025-05-31\"}]",
         "/terms/0/until"},                                     /* until before effective */
        {"terms",
         "[{\"kind\":\"equity\",\"text\":\"ok\"},{\"kind\":\"licence\",\"text\":\"x\","
         "\"effective\":\"2025-06-01\",\"until\":\"2024-06-01\"}]",
         "/terms/1/until"},
        {"terms", "[{\"kind\":\"equity\",\"text\":\"x\",\"position\":1}]", "/terms/0/position"},
    };
    run_bad_cases(p_contract, UPSTREAM_BASE, cases, sizeof cases / sizeof cases[0]);
    expect_field_error(p_contract, UPSTREAM_BASE, "terms",
                       J("[{\"kind\":\"equity\",\"text\":\"x\",\"until\":\"2025-02-29\"}]"),
                       "/terms/0/until");
}

/* ---- workloads ------------------------------------------------------------ */

static const char WORKLOAD_BASE[] =
    "{\"name\":\"Sales assistant\",\"track\":\"copilot\",\"status\":\"pilot\","
    "\"criticality\":\"high\",\"owner\":\"Ann\",\"ai_act_tier\":\"limited\","
    "\"data_classification\":\"confidential\"}";

static void workload_valid_full(void **state)
{
    (void)state;
    json_t *doc = J(
        "{\"id\":8,\"created_at\":\"c\",\"updated_at\":\"u\",\"risk\":{\"score\":40},"
        "\"name\":\"Sales copilot\",\"purpose\":\"Draft\\nreplies\",\"owner\":\"Ann\","
        "\"team\":\"Sales\",\"track\":\"openai\",\"status\":\"production\","
        "\"criticality\":\"critical\",\"data_classification\":\"confidential\","
        "\"users\":250,\"monthly_spend\":4999.99,\"planned_end\":\"2027-06-30\","
        "\"ai_act_tier\":\"limited\",\"swap_layer\":true,"
        "\"proprietary_features\":[\"Graph grounding\",\"Teams plugin\"],"
        "\"dependencies\":[{\"offering\":1,\"role\":\"model\"},{\"offering\":2,\"role\":\"hosting\"},"
        "{\"offering\":1,\"role\":\"hosting\"}],\"notes\":\"n\"}");
    arena a;
    arena_init(&a);
    workload w;
    sy_errors e;
    errors_init(&e);
    assert_int_equal(workload_from_json(doc, &a, &w, &e), 0);
    assert_int_equal(e.count, 0);
    assert_int_equal(w.id, 0);
    assert_null(w.created_at);
    assert_string_equal(w.name, "Sales copilot");
    assert_string_equal(w.purpose, "Draft\nreplies");
    assert_string_equal(w.owner, "Ann");
    assert_string_equal(w.team, "Sales");
    assert_string_equal(w.track, "openai");
    assert_string_equal(w.status, "production");
    assert_string_equal(w.criticality, "critical");
    assert_string_equal(w.data_classification, "confidential");
    assert_int_equal(w.users, 250);
    assert_int_equal(w.monthly_spend, 499999);
    assert_string_equal(w.planned_end, "2027-06-30");
    assert_string_equal(w.ai_act_tier, "limited");
    assert_int_equal(w.swap_layer, 1);
    assert_int_equal(w.n_features, 2);
    assert_string_equal(w.features[0], "Graph grounding");
    assert_string_equal(w.features[1], "Teams plugin");
    assert_int_equal(w.n_dependencies, 3);
    assert_int_equal(w.dependencies[0].offering, 1);
    assert_string_equal(w.dependencies[0].role, "model");
    assert_int_equal(w.dependencies[1].offering, 2);
    assert_string_equal(w.dependencies[1].role, "hosting");
    assert_int_equal(w.dependencies[2].offering, 1);       /* same offering, other role */
    assert_string_equal(w.dependencies[2].role, "hosting");
    assert_string_equal(w.notes, "n");
    arena_free(&a);
    json_decref(doc);
}

static void workload_defaults(void **state)
{
    (void)state;
    json_t *doc = J(WORKLOAD_BASE);
    arena a;
    arena_init(&a);
    workload w;
    sy_errors e;
    errors_init(&e);
    assert_int_equal(workload_from_json(doc, &a, &w, &e), 0);
    assert_string_equal(w.purpose, "");
    assert_string_equal(w.owner, "Ann");
    assert_string_equal(w.team, "");
    assert_string_equal(w.data_classification, "confidential");
    assert_true(w.users == SY_INT_NULL); /* absent: not known, not 0 */
    assert_int_equal(w.monthly_spend, 0);
    assert_null(w.planned_end);
    assert_string_equal(w.ai_act_tier, "limited");
    assert_int_equal(w.swap_layer, 0);
    assert_int_equal(w.n_features, 0);
    assert_int_equal(w.n_dependencies, 0);
    assert_string_equal(w.notes, "");
    arena_free(&a);
    json_decref(doc);

    expect_field_ok(p_workload, WORKLOAD_BASE, "users", json_integer(10000000));
    expect_field_ok(p_workload, WORKLOAD_BASE, "users", json_integer(0));
    expect_field_ok(p_workload, WORKLOAD_BASE, "users", json_null());
    expect_field_ok(p_workload, WORKLOAD_BASE, "monthly_spend", json_integer(1000000000));
    expect_field_ok(p_workload, WORKLOAD_BASE, "planned_end", json_null());
    expect_field_ok(p_workload, WORKLOAD_BASE, "planned_end", json_string("2024-02-29"));
}

static void workload_invalid_fields(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"name", NULL, "/name"},
        {"track", NULL, "/track"},
        {"status", NULL, "/status"},
        {"criticality", NULL, "/criticality"},
        {"owner", NULL, "/owner"},             /* required: no default hides a decision */
        {"owner", "\"\"", "/owner"},
        {"owner", "\"   \"", "/owner"},
        {"owner", "null", "/owner"},
        {"ai_act_tier", NULL, "/ai_act_tier"},
        {"ai_act_tier", "null", "/ai_act_tier"},
        {"data_classification", NULL, "/data_classification"},
        {"status", "\"live\"", "/status"},
        {"criticality", "\"extreme\"", "/criticality"},
        {"data_classification", "\"secret\"", "/data_classification"},
        {"ai_act_tier", "\"banned\"", "/ai_act_tier"},
        {"users", "-1", "/users"},
        {"users", "10000001", "/users"},
        {"users", "2.5", "/users"},
        {"monthly_spend", "-0.01", "/monthly_spend"},
        {"monthly_spend", "1.001", "/monthly_spend"},
        {"monthly_spend", "1000000000.01", "/monthly_spend"},
        {"monthly_spend", "true", "/monthly_spend"},
        {"planned_end", "\"2026-02-29\"", "/planned_end"},
        {"planned_end", "\"2026-1-1\"", "/planned_end"},
        {"owner", "\"Ann\\nBob\"", "/owner"},
        {"team", "7", "/team"},
        {"swap_layer", "\"no\"", "/swap_layer"},
        {"proprietary_features", "\"Graph\"", "/proprietary_features"},
        {"proprietary_features", "[\"\"]", "/proprietary_features/0"},
        {"proprietary_features", "[\"ok\",1]", "/proprietary_features/1"},
        {"proprietary_features", "[\"a\\tb\"]", "/proprietary_features/0"},
        {"dependencies", "{}", "/dependencies"},
        {"dependencies", "[{\"role\":\"model\"}]", "/dependencies/0/offering"},
        {"dependencies", "[{\"offering\":1,\"role\":\"model\"},{\"offering\":2,\"role\":\"cook\"}]",
         "/dependencies/1/role"},
        {"dependencies", "[{\"offering\":1,\"role\":\"model\"},{\"offering\":1,\"role\":\"model\"}]",
         "/dependencies/1"},                                    /* duplicate */
        {"dependencies", "[{\"offering\":1,\"role\":\"model\",\"why\":\"x\"}]",
         "/dependencies/0/why"},
        /* An earlier item that failed must not upset the duplicate check of
         * a later one (it has no role). */
        {"dependencies", "[{\"offering\":5},{\"offering\":5,\"role\":\"model\"}]",
         "/dependencies/0/role"},
        {"dependencies", "[{\"offering\":5,\"role\":\"x\"},{\"offering\":5,\"role\":\"data\"}]",
         "/dependencies/0/role"},
        {"version", "2", "/version"},
    };
    run_bad_cases(p_workload, WORKLOAD_BASE, cases, sizeof cases / sizeof cases[0]);
    expect_field_error(p_workload, WORKLOAD_BASE, "name", long_string(161, 'w'), "/name");
    expect_field_error(p_workload, WORKLOAD_BASE, "owner", long_string(121, 'o'), "/owner");
    expect_field_error(p_workload, WORKLOAD_BASE, "notes", long_string(2001, 'z'), "/notes");

    json_t *feats = json_array();
    for (int i = 0; i < 21; i++)
        json_array_append_new(feats, json_string("f"));
    expect_field_error(p_workload, WORKLOAD_BASE, "proprietary_features", feats,
                       "/proprietary_features");
    feats = json_array();
    json_array_append_new(feats, long_string(121, 'f'));
    expect_field_error(p_workload, WORKLOAD_BASE, "proprietary_features", feats,
                       "/proprietary_features/0");
}

/* The errors said in sentences: the field's label before a fragment, a
 * sentence as it is, array items by number, at most three then a count. */
static void errors_in_words(void **state)
{
    (void)state;
    char out[600];
    sy_errors e;
    errors_init(&e);
    errors_add(&e, "/owner", "is required");
    errors_add(&e, "/ai_act_tier", "must be one of minimal, limited, high, unacceptable");
    entity_errors_text(&WORKLOAD_DESC, &e, out, sizeof out);
    assert_string_equal(out, "Owner is required. AI Act tier must be one of minimal, limited, "
                             "high, unacceptable.");
    errors_init(&e);
    errors_add(&e, "/dependencies/1/role", "must be one of model, hosting");
    errors_add(&e, "/dependencies/0/offering", "No offering with this ID.");
    errors_add(&e, "", "must be a JSON object");
    errors_add(&e, "/colour", "is not a known field");
    errors_add(&e, "/users", "must be a whole number from 0 up to 10,000,000");
    entity_errors_text(&WORKLOAD_DESC, &e, out, sizeof out);
    assert_string_equal(out, "Dependencies item 2, Role must be one of model, hosting. No "
                             "offering with this ID. The request body must be a JSON object. "
                             "And 2 more, listed under errors.");
    errors_init(&e);
    errors_add(&e, "/due", "must be a real date");
    entity_errors_text(NULL, &e, out, sizeof out);   /* no descriptor: the key */
    assert_string_equal(out, "Due must be a real date.");
    char small[12];
    entity_errors_text(&WORKLOAD_DESC, &e, small, sizeof small);  /* truncated, terminated */
    assert_true(strlen(small) < sizeof small);
}

/* ---- json_to_cents -------------------------------------------------------- */

static int cents_of(json_t *v, int64_t *out)
{
    int rc = json_to_cents(v, out);
    json_decref(v);
    return rc;
}

static void to_cents(void **state)
{
    (void)state;
    int64_t c = -1;
    assert_int_equal(cents_of(json_integer(12), &c), 0);
    assert_int_equal(c, 1200);
    assert_int_equal(cents_of(json_integer(0), &c), 0);
    assert_int_equal(c, 0);
    assert_int_equal(cents_of(json_real(12.34), &c), 0);
    assert_int_equal(c, 1234);
    assert_int_equal(cents_of(json_real(0.07), &c), 0);      /* 7.000000000000001 */
    assert_int_equal(c, 7);
    assert_int_equal(cents_of(json_real(19.99), &c), 0);     /* 1998.9999999999998 */
    assert_int_equal(c, 1999);
    assert_int_equal(cents_of(json_real(0.1 + 0.2), &c), 0);
    assert_int_equal(c, 30);
    assert_int_equal(cents_of(json_real(12.0), &c), 0);
    assert_int_equal(c, 1200);
    assert_int_equal(cents_of(json_real(-2.5), &c), 0);      /* sign is the caller's job */
    assert_int_equal(c, -250);
    assert_int_equal(cents_of(json_real(10000000000.01), &c), 0);
    assert_int_equal(c, 1000000000001LL);
    assert_int_equal(cents_of(json_integer(92233720368547758LL), &c), 0);
    assert_true(c == 9223372036854775800LL);

    c = 42;
    assert_int_equal(cents_of(json_real(12.345), &c), -1);   /* three decimals */
    assert_int_equal(cents_of(json_real(1.005), &c), -1);
    assert_int_equal(cents_of(json_real(0.001), &c), -1);
    assert_int_equal(cents_of(json_real(10000.001), &c), -1);
    assert_int_equal(cents_of(json_real(123456789.125), &c), -1);
    assert_int_equal(cents_of(json_real(1234567.891), &c), -1);
    assert_int_equal(cents_of(json_integer(92233720368547759LL), &c), -1); /* overflow */
    assert_int_equal(cents_of(json_integer(INT64_MIN), &c), -1);
    assert_int_equal(cents_of(json_real(1e300), &c), -1);
    assert_int_equal(cents_of(json_string("12"), &c), -1);
    assert_int_equal(cents_of(json_null(), &c), -1);
    assert_int_equal(cents_of(json_true(), &c), -1);
    assert_int_equal(c, 42);
}

/* ---- json_merge_patch ----------------------------------------------------- */

/* Applies patch to target and compares with want (all JSON texts). */
static void merge_case(const char *target, const char *patch, const char *want)
{
    json_t *t = J(target), *p = J(patch), *w = J(want);
    json_t *p_copy = json_deep_copy(p);
    assert_int_equal(json_merge_patch(t, p), 0);
    if (!json_equal(t, w)) {
        char *got = json_dumps(t, JSON_COMPACT | JSON_SORT_KEYS);
        fail_msg("%s + %s: got %s, want %s", target, patch, got ? got : "?", want);
    }
    /* The patch itself is left as it was. */
    assert_true(json_equal(p, p_copy));
    json_decref(t);
    json_decref(p);
    json_decref(w);
    json_decref(p_copy);
}

static void merge_patch_rfc7396_examples(void **state)
{
    (void)state;
    /* RFC 7396 appendix A (the object-target cases). */
    merge_case("{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");            /* replace */
    merge_case("{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"); /* add */
    merge_case("{\"a\":\"b\"}", "{\"a\":null}", "{}");                        /* remove */
    merge_case("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}");
    merge_case("{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
    merge_case("{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}");
    merge_case("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}",
               "{\"a\":{\"b\":\"d\"}}");                                      /* nested */
    merge_case("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}");      /* arrays replace */
    merge_case("{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}");
    merge_case("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}");
    merge_case("{\"a\":\"x\"}", "{\"a\":{\"b\":null,\"c\":1}}", "{\"a\":{\"c\":1}}");
    merge_case("{\"a\":1}", "{\"missing\":null}", "{\"a\":1}");
    merge_case("{\"a\":1}", "{}", "{\"a\":1}");

    /* RFC 7396 section 3. */
    merge_case("{\"title\":\"Goodbye!\",\"author\":{\"givenName\":\"John\",\"familyName\":\"Doe\"},"
               "\"tags\":[\"example\",\"sample\"],\"content\":\"This will be unchanged\"}",
               "{\"title\":\"Hello!\",\"phoneNumber\":\"+01-555-1234\","
               "\"author\":{\"familyName\":null},\"tags\":[\"example\"]}",
               "{\"title\":\"Hello!\",\"author\":{\"givenName\":\"John\"},\"tags\":[\"example\"],"
               "\"content\":\"This will be unchanged\",\"phoneNumber\":\"+01-555-1234\"}");
}

static void merge_patch_refuses_non_objects(void **state)
{
    (void)state;
    json_t *t = J("{\"a\":1}"), *arr = J("[1]"), *obj = J("{\"a\":2}");
    assert_int_not_equal(json_merge_patch(t, arr), 0);
    assert_int_not_equal(json_merge_patch(arr, obj), 0);
    json_decref(t);
    json_decref(arr);
    json_decref(obj);
}

static void merge_result_is_independent_of_patch(void **state)
{
    (void)state;
    /* Later changes to the target must not reach back into the patch. */
    json_t *t = J("{}"), *p = J("{\"a\":{\"b\":1}}");
    assert_int_equal(json_merge_patch(t, p), 0);
    json_object_set_new(json_object_get(t, "a"), "c", json_integer(2));
    json_t *want = J("{\"a\":{\"b\":1}}");
    assert_true(json_equal(p, want));
    json_decref(want);
    json_decref(t);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vendor_valid_full),
        cmocka_unit_test(vendor_defaults),
        cmocka_unit_test(vendor_invalid_fields),
        cmocka_unit_test(vendor_lengths),
        cmocka_unit_test(not_an_object),
        cmocka_unit_test(errors_are_collected_and_capped),
        cmocka_unit_test(pointers_escape_keys),
        cmocka_unit_test(offering_valid_full),
        cmocka_unit_test(offering_invalid_fields),
        cmocka_unit_test(contract_valid_full),
        cmocka_unit_test(contract_defaults),
        cmocka_unit_test(contract_invalid_fields),
        cmocka_unit_test(contract_upstream_rules),
        cmocka_unit_test(workload_valid_full),
        cmocka_unit_test(workload_defaults),
        cmocka_unit_test(workload_invalid_fields),
        cmocka_unit_test(errors_in_words),
        cmocka_unit_test(to_cents),
        cmocka_unit_test(merge_patch_rfc7396_examples),
        cmocka_unit_test(merge_patch_refuses_non_objects),
        cmocka_unit_test(merge_result_is_independent_of_patch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
