/* seed.c - the seed loader; see seed.h. */
#include "seed/seed.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "core/governance.h"
#include "common/embedded.h"
#include "common/text.h"

typedef struct loader {
    sy_db *db;
    arena arena;
    seed_report *report;
    char *msg;
    size_t msg_size;
    const char *file;
} loader;

static int fail(loader *l, const char *what, const char *name, const char *detail)
{
    snprintf(l->msg, l->msg_size, "%s: %s \"%s\": %s", l->file, what,
             name ? name : "?", detail);
    return -1;
}

/* Replaces a vendor/offering name at key with its ID (null stays null). */
static int resolve(loader *l, json_t *obj, const char *key,
                   int (*find)(sy_db *, const char *, int64_t *), const char *record)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return 0;
    int64_t id;
    if (!json_is_string(v) || find(l->db, json_string_value(v), &id) != ST_OK) {
        char detail[200];
        snprintf(detail, sizeof detail, "%s names unknown \"%s\"", key,
                 json_is_string(v) ? json_string_value(v) : "(not a string)");
        return fail(l, "record", record, detail);
    }
    return json_object_set_new(obj, key, json_integer(id));
}

/* "today+N" / "today-N" -> an ISO date relative to today. */
static int resolve_date(loader *l, json_t *obj, const char *key, const char *record)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v) || strncmp(json_string_value(v), "today", 5) != 0)
        return 0;
    const char *rest = json_string_value(v) + 5;
    int64_t offset = 0;
    if (*rest && parse_i64(rest[0] == '+' ? rest + 1 : rest, -36500, 36500, &offset) != 0)
        return fail(l, "record", record, "has a relative date that is not today+N");
    char day[11];
    date_format(clock_today() + offset, day);
    return json_object_set_new(obj, key, json_string(day));
}

static int (*finder(ref_kind kind))(sy_db *, const char *, int64_t *)
{
    return kind == REF_VENDOR ? store_vendor_find : kind == REF_OFFERING ? store_offering_find
                                                                          : NULL;
}

/* Walks a record against its fields: names in reference fields (also
 * inside arrays) become IDs, "today+N" dates become days. */
static int resolve_fields(loader *l, const field_desc *fields, json_t *obj, const char *record)
{
    for (const field_desc *f = fields; f->key; f++) {
        json_t *v = json_object_get(obj, f->key);
        if (!v)
            continue;
        if (f->kind == FK_REF && finder(f->ref)) {
            if (resolve(l, obj, f->key, finder(f->ref), record) != 0)
                return -1;
        } else if (f->kind == FK_DATE) {
            if (resolve_date(l, obj, f->key, record) != 0)
                return -1;
        } else if (f->kind == FK_ARRAY && json_is_array(v)) {
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item) {
                if (f->sub[0].key[0] == '\0') {
                    /* An array of bare references: resolve through a wrapper. */
                    if (f->sub[0].kind != FK_REF || !finder(f->sub[0].ref))
                        continue;
                    json_t *box = json_pack("{s:O}", "v", item);
                    int bad = !box || resolve(l, box, "v", finder(f->sub[0].ref), record);
                    if (!bad)
                        json_array_set(v, i, json_object_get(box, "v"));
                    json_decref(box);
                    if (bad)
                        return -1;
                } else if (json_is_object(item) &&
                           resolve_fields(l, f->sub, item, record) != 0) {
                    return -1;
                }
            }
        }
    }
    return 0;
}

static int save(loader *l, const entity_ops *ops, json_t *rec, const char *name)
{
    sy_errors e;
    store_err err;
    int changed = 0;
    errors_init(&e);
    memset(&err, 0, sizeof err);
    if (entity_upsert(l->db, ops, rec, &l->arena, &changed, &e, &err) != ST_OK) {
        char detail[512];
        if (e.count)
            snprintf(detail, sizeof detail, "%s %s", e.items[0].pointer, e.items[0].detail);
        else
            snprintf(detail, sizeof detail, "%s %s", err.pointer, err.detail);
        return fail(l, ops->desc->name, name, detail);
    }
    if (changed)
        l->report->inserted_or_updated++;
    else
        l->report->unchanged++;
    return 0;
}

/* Validates one drill or acceptance of the seed against its descriptor. */
static int seed_item(loader *l, const entity_desc *d, const json_t *in, void *out,
                     const char *record)
{
    sy_errors e;
    errors_init(&e);
    if (entity_from_json(d, in, &l->arena, out, &e) == 0)
        return 0;
    char detail[512];
    snprintf(detail, sizeof detail, "%s %s", e.items[0].pointer, e.items[0].detail);
    return fail(l, d->name, record, detail);
}

static json_t *load_file(loader *l, const char *name)
{
    l->file = name;
    const embedded_file *f = embedded_find(sy_seeds, name);
    if (!f) {
        fail(l, "file", name, "is not embedded in this build");
        return NULL;
    }
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)f->data, f->size, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc || !json_is_object(doc)) {
        snprintf(l->msg, l->msg_size, "%s: line %d: %s", name, jerr.line, jerr.text);
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static int load_contracts(loader *l, json_t *list)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        json_t *rec = json_deep_copy(c);
        const char *name = json_string_value(json_object_get(c, "name"));
        int bad = !rec || resolve_fields(l, CONTRACT_DESC.fields, rec, name) ||
                  save(l, &CONTRACT_OPS, rec, name);
        json_decref(rec);
        if (bad)
            return -1;
    }
    return 0;
}

/* Vendors first without their links, so every name resolves; then the
 * closely connected pairs, saved as vendor a's connections. */
static int load_vendors(loader *l, json_t *doc)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(doc, "vendors"), i, item) {
        json_t *rec = json_deep_copy(item);
        const char *name = json_string_value(json_object_get(item, "name"));
        int bad = !rec || resolve_fields(l, VENDOR_DESC.fields, rec, name) ||
                  save(l, &VENDOR_OPS, rec, name);
        json_decref(rec);
        if (bad)
            return -1;
    }
    json_array_foreach(json_object_get(doc, "connections"), i, item) {
        const char *a = json_string_value(json_object_get(item, "a"));
        json_t *rec = NULL;
        size_t j;
        json_t *v;
        json_array_foreach(json_object_get(doc, "vendors"), j, v)
            if (a && strcmp(json_string_value(json_object_get(v, "name")), a) == 0)
                rec = json_deep_copy(v);
        if (!rec)
            return fail(l, "connection", a, "names an unknown vendor");
        json_t *links = json_array();
        json_t *link = json_pack("{s:O,s:O}", "vendor", json_object_get(item, "b"),
                                 "reason", json_object_get(item, "reason"));
        json_array_append_new(links, link);
        json_object_set_new(rec, "connections", links);
        int bad = resolve_fields(l, VENDOR_DESC.fields, rec, a) || save(l, &VENDOR_OPS, rec, a);
        json_decref(rec);
        if (bad)
            return -1;
    }
    return 0;
}

/* Offerings in file order: a successor must come before what it succeeds. */
static int load_offerings(loader *l, json_t *list)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        json_t *rec = json_deep_copy(item);
        const char *name = json_string_value(json_object_get(item, "name"));
        int bad = !rec || resolve_fields(l, OFFERING_DESC.fields, rec, name) ||
                  save(l, &OFFERING_OPS, rec, name);
        json_decref(rec);
        if (bad)
            return -1;
    }
    return 0;
}

static int load_catalogue(loader *l)
{
    json_t *doc = load_file(l, "catalogue.json");
    if (!doc)
        return -1;
    int rc = -1;
    if (load_vendors(l, doc) == 0 && load_offerings(l, json_object_get(doc, "offerings")) == 0)
        rc = load_contracts(l, json_object_get(doc, "contracts"));
    json_decref(doc);
    return rc;
}

/* A demo workload's drills and acceptances, once: only when it has none. */
static int load_governance(loader *l, const char *name, json_t *drills, json_t *accepts)
{
    int64_t wid;
    store_err err;
    if ((!drills && !accepts) || store_workload_find(l->db, name, &wid) != ST_OK)
        return 0;
    size_t n_d, n_a;
    exit_drill *old_d;
    risk_acceptance *old_a;
    if (store_drills_of(l->db, wid, &l->arena, &old_d, &n_d, &err) != ST_OK ||
        store_acceptances_of(l->db, wid, &l->arena, &old_a, &n_a, &err) != ST_OK)
        return fail(l, "workload", name, err.detail);
    char now[21];
    clock_now_rfc3339(now);
    size_t i;
    json_t *item;
    json_array_foreach(n_d ? NULL : drills, i, item) {
        exit_drill d = {0};
        if (resolve_fields(l, DRILL_DESC.fields, item, name) != 0 ||
            seed_item(l, &DRILL_DESC, item, &d, name) != 0)
            return -1;
        d.workload = wid;
        d.recorded_by = "system:seed";
        d.created_at = now;
        if (store_drill_add(l->db, &d, &err) != ST_OK ||
            audit_record(l->db, "system:seed", "create", "drill", d.id, NULL, NULL, &err) != ST_OK)
            return fail(l, "drill", name, err.detail);
    }
    json_array_foreach(n_a ? NULL : accepts, i, item) {
        risk_acceptance r = {0};
        if (resolve_fields(l, ACCEPTANCE_DESC.fields, item, name) != 0 ||
            seed_item(l, &ACCEPTANCE_DESC, item, &r, name) != 0)
            return -1;
        r.workload = wid;
        r.created_by = "system:seed";
        r.created_at = now;
        if (store_acceptance_add(l->db, &r, &err) != ST_OK ||
            audit_record(l->db, "system:seed", "create", "acceptance", r.id, NULL, NULL,
                         &err) != ST_OK)
            return fail(l, "acceptance", name, err.detail);
    }
    return 0;
}

static int load_demo(loader *l)
{
    json_t *doc = load_file(l, "demo.json");
    if (!doc)
        return -1;
    int rc = -1;
    /* The demo organisation's settings: name, reporting currency, and the
     * classification printed on every page of its reports. */
    static const char *const settings[] = {"organisation", "currency", "report_classification",
                                           "entity_lei", "entity_country", "entity_type",
                                           "competent_authority"};
    store_err err;
    for (size_t s = 0; s < sizeof settings / sizeof settings[0]; s++) {
        const char *value = json_string_value(json_object_get(doc, settings[s]));
        if (value && store_setting_set(l->db, settings[s], value, &err) != ST_OK) {
            fail(l, "setting", settings[s], err.detail);
            goto done;
        }
    }
    /* The organisation itself (a vendor of kind self) and what it runs. */
    if (load_vendors(l, doc) != 0 || load_offerings(l, json_object_get(doc, "offerings")) != 0 ||
        load_contracts(l, json_object_get(doc, "contracts")) != 0)
        goto done;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(doc, "workloads"), i, item) {
        json_t *rec = json_deep_copy(item);
        const char *name = json_string_value(json_object_get(item, "name"));
        /* Drills and acceptances are records of their own, kept apart. */
        json_t *drills = json_incref(json_object_get(rec, "drills"));
        json_t *accepts = json_incref(json_object_get(rec, "acceptances"));
        json_object_del(rec, "drills");
        json_object_del(rec, "acceptances");
        int bad = !rec || resolve_fields(l, WORKLOAD_DESC.fields, rec, name) ||
                  save(l, &WORKLOAD_OPS, rec, name) ||
                  load_governance(l, name, drills, accepts);
        json_decref(drills);
        json_decref(accepts);
        json_decref(rec);
        if (bad)
            goto done;
    }
    rc = 0;
done:
    json_decref(doc);
    return rc;
}

int seed_load(sy_db *db, int demo, seed_report *report, char *msg, size_t msg_size)
{
    loader l = {db, {NULL}, report, msg, msg_size, ""};
    memset(report, 0, sizeof *report);
    msg[0] = '\0';
    store_err err;
    if (store_begin_write(db, &err) != ST_OK) {
        snprintf(msg, msg_size, "cannot start a transaction: %s", err.detail);
        return -1;
    }
    arena_init(&l.arena);
    int rc = load_catalogue(&l);
    if (rc == 0 && demo)
        rc = load_demo(&l);
    if (rc == 0 && store_commit(db, &err) != ST_OK) {
        snprintf(msg, msg_size, "cannot commit: %s", err.detail);
        rc = -1;
    }
    if (rc != 0)
        store_rollback(db);
    arena_free(&l.arena);
    return rc;
}

int seed_catalogue_empty(sy_db *db)
{
    store_counts c;
    store_err err;
    return store_counts_get(db, &c, &err) == ST_OK && c.vendors == 0;
}

int seed_portfolio_empty(sy_db *db)
{
    store_counts c;
    store_err err;
    return store_counts_get(db, &c, &err) == ST_OK && c.workloads == 0;
}
