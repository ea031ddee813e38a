/* test_entity.c - the entity descriptors (core/entities.c) and what is
 * derived from them without a server: the tables are consistent (every
 * sort key names a field or a computed value, filterable fields have a
 * column, arrays have their sub-table), the LEI check (ISO 17442 / ISO
 * 7064 MOD 97-10), a vendor's lei through validation, and the JSON writer
 * in the API's and the report's forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/entity.h"
#include "core/risk.h"

static const entity_desc *const ALL[] = {&VENDOR_DESC, &OFFERING_DESC, &CONTRACT_DESC,
                                         &WORKLOAD_DESC, &SCENARIO_DESC};

static void tables_are_consistent(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ALL / sizeof ALL[0]; i++) {
        const entity_desc *d = ALL[i];
        assert_non_null(entity_field(d, "id"));
        assert_non_null(entity_field(d, "name"));
        assert_int_equal(entity_field(d, "id")->kind, FK_ID);
        for (const char *const *k = d->sorts; *k; k++) {
            const char *key = **k == '-' ? *k + 1 : *k;
            /* priority sorts by a member of the computed risk field. */
            const field_desc *f = entity_field(d, strcmp(key, "priority") == 0 ? "risk" : key);
            assert_non_null(f);
            assert_true(f->column || f->kind == FK_COMPUTED);
        }
        for (const field_desc *f = d->fields; f->key; f++) {
            assert_non_null(f->doc);
            if (f->flags & FD_FILTER)
                assert_non_null(f->column);
            if (f->kind == FK_ENUM)
                assert_non_null(f->enum_table);
            if (f->kind == FK_COMPUTED)
                assert_non_null(f->write);
            if (f->kind == FK_ARRAY) {
                assert_non_null(f->sub);
                assert_true(f->item_size > 0 && f->max > 0);
            }
        }
    }
}

static void lei_check_digits(void **state)
{
    (void)state;
    assert_true(lei_valid(""));
    assert_true(lei_valid("INR2EJN1ERAN0W5ZP974"));   /* Microsoft Corporation */
    assert_true(lei_valid("ZXTILKJKG63JELOEG630"));   /* Amazon.com, Inc. */
    assert_false(lei_valid("INR2EJN1ERAN0W5ZP975"));  /* one check digit off */
    assert_false(lei_valid("INR2EJN1ERAN0W5ZP97"));   /* 19 characters */
    assert_false(lei_valid("inr2ejn1eran0w5zp974"));  /* lower case */
    assert_false(lei_valid("INR2EJN1ERAN0W5ZP9A4"));  /* a letter among the check digits */
}

static void vendor_lei_validation(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    sy_errors e;
    vendor v;
    errors_init(&e);
    json_t *doc = json_pack("{s:s, s:s}", "name", "Microsoft", "lei", "INR2EJN1ERAN0W5ZP974");
    assert_int_equal(vendor_from_json(doc, &a, &v, &e), 0);
    assert_string_equal(v.lei, "INR2EJN1ERAN0W5ZP974");
    json_decref(doc);

    doc = json_pack("{s:s}", "name", "No LEI");
    assert_int_equal(vendor_from_json(doc, &a, &v, &e), 0);
    assert_string_equal(v.lei, "");
    json_decref(doc);

    const char *bad[] = {"INR2EJN1ERAN0W5ZP975", "SHORT", "INR2EJN1ERAN0W5ZP9741"};
    for (size_t i = 0; i < 3; i++) {
        errors_init(&e);
        doc = json_pack("{s:s, s:s}", "name", "Bad", "lei", bad[i]);
        assert_int_equal(vendor_from_json(doc, &a, &v, &e), -1);
        assert_int_equal(e.count, 1);
        assert_string_equal(e.items[0].pointer, "/lei");
        json_decref(doc);
    }
    arena_free(&a);
}

static char *written(const entity_desc *d, const void *item, const entity_ctx *ctx)
{
    buf b;
    buf_init(&b);
    jw w;
    jw_init(&w, &b);
    entity_write(&w, d, item, ctx);
    return buf_take(&b, NULL);
}

static const char *names(const void *data, ref_kind kind, int64_t id)
{
    (void)data;
    (void)id;
    return kind == REF_VENDOR ? "Vendor X" : "Offering Y";
}

static void writer_forms(void **state)
{
    (void)state;
    vendor_link link = {2, "equity"};
    vendor v = {.id = 1, .name = "A", .parent = 0, .website = "", .country = "US",
                .lei = "", .kind = "company", .description = "",
                .source = "https://example.com/a", .as_of = "2026-11-30",
                .connections = &link, .n_connections = 1,
                .created_at = "2026-01-01T00:00:00Z", .updated_at = "2026-01-02T00:00:00Z"};
    char *api = written(&VENDOR_DESC, &v, NULL);
    assert_string_equal(api,
        "{\"id\":1,\"name\":\"A\",\"parent\":null,\"group\":{\"id\":1,\"name\":\"A\"},"
        "\"website\":\"\",\"country\":\"US\",\"lei\":\"\",\"kind\":\"company\","
        "\"description\":\"\",\"source\":\"https://example.com/a\",\"as_of\":\"2026-11-30\","
        "\"connections\":[{\"vendor\":2,\"reason\":\"equity\"}],"
        "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-02T00:00:00Z\"}");
    free(api);
    entity_ctx ctx = {.report = 1, .name_of = names};
    char *report = written(&VENDOR_DESC, &v, &ctx);
    assert_non_null(strstr(report, "\"parent\":null,\"parent_name\":null,"));
    assert_non_null(strstr(report, "{\"vendor\":2,\"vendor_name\":\"Vendor X\",\"reason\":\"equity\"}"));
    free(report);

    int64_t ids[] = {7};
    contract c = {.id = 3, .name = "C", .kind = "customer", .counterparty = 1, .offerings = ids,
                  .n_offerings = 1, .start_date = "2026-01-01", .end_date = "2026-12-31",
                  .notice_days = 30, .currency = "USD"};
    char *plain = written(&CONTRACT_DESC, &c, NULL);
    assert_non_null(strstr(plain, "\"offerings\":[7],"));
    assert_non_null(strstr(plain, "\"notice_deadline\":\"2026-12-01\","));
    assert_null(strstr(plain, "\"active\""));
    free(plain);
    ctx.today = 20454; /* 2026-01-01 */
    report = written(&CONTRACT_DESC, &c, &ctx);
    assert_non_null(strstr(report, "\"offerings\":[{\"id\":7,\"name\":\"Offering Y\"}],"));
    assert_non_null(strstr(report, "\"notice_deadline\":\"2026-12-01\",\"active\":true,"));
    free(report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_are_consistent),
        cmocka_unit_test(lei_check_digits),
        cmocka_unit_test(vendor_lei_validation),
        cmocka_unit_test(writer_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
