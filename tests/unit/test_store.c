/* test_store.c - the SQLite store (server/store): migrations on an empty and
 * on an up-to-date database, foreign keys, insert/get/update/delete round
 * trips for vendors and workloads inside write transactions, If-Match
 * version checks, "in use" refusals, and lists with filters, sorting,
 * paging, totals and LIKE searches that take % and _ literally.
 * Every test works on its own temporary database file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/embedded.h"
#include "common/log.h"
#include "db_fixture.h"
#include "store/store.h"

typedef db_fixture fixture;

/* A fresh, empty database file (not migrated). */
static int setup_empty(void **state)
{
    return db_fixture_setup(state, sizeof(fixture), "store", 0);
}

/* A fresh database with every migration applied. */
static int setup_migrated(void **state)
{
    return db_fixture_setup(state, sizeof(fixture), "store", 1);
}

/* ---- builders ------------------------------------------------------------- */

static void new_vendor(vendor *v, const char *name)
{
    memset(v, 0, sizeof *v);
    v->name = name;
    v->website = "";
    v->country = "";
    v->description = "";
}

/* Inserts a vendor in its own transaction; returns its id. */
static int64_t add_vendor(sy_db *db, const char *name, int64_t parent)
{
    vendor v;
    new_vendor(&v, name);
    v.parent = parent;
    store_err err;
    assert_int_equal(store_begin_write(db, &err), ST_OK);
    assert_int_equal(store_vendor_insert(db, &v, &err), ST_OK);
    assert_int_equal(store_commit(db, &err), ST_OK);
    assert_true(v.id > 0);
    return v.id;
}

static void new_offering(offering *o, const char *name, int64_t provider)
{
    memset(o, 0, sizeof *o);
    o->name = name;
    o->provider = provider;
    o->track = "openai";
    o->category = "model_api";
    o->interface = "openai_compatible";
    o->description = "";
    o->url = "";
}

static int64_t add_offering(sy_db *db, const char *name, int64_t provider, int64_t host,
                            const char *track)
{
    offering o;
    new_offering(&o, name, provider);
    o.host = host;
    o.track = track;
    store_err err;
    assert_int_equal(store_begin_write(db, &err), ST_OK);
    assert_int_equal(store_offering_insert(db, &o, &err), ST_OK);
    assert_int_equal(store_commit(db, &err), ST_OK);
    return o.id;
}

static void new_workload(workload *w, const char *name)
{
    memset(w, 0, sizeof *w);
    w->name = name;
    w->purpose = "";
    w->owner = "";
    w->team = "";
    w->track = "copilot";
    w->status = "pilot";
    w->criticality = "medium";
    w->data_classification = "internal";
    w->ai_act_tier = "minimal";
    w->notes = "";
}

static int64_t count_vendors(sy_db *db)
{
    store_counts c;
    store_err err;
    assert_int_equal(store_counts_get(db, &c, &err), ST_OK);
    return c.vendors;
}

/* ---- migrations ----------------------------------------------------------- */

static void migrate_empty_database(void **state)
{
    fixture *f = *state;
    store_err err;
    int embedded = 0;
    for (const embedded_file *m = sy_migrations; m->name; m++)
        embedded++;
    assert_true(embedded >= 1);

    assert_int_equal(store_schema_version(f->db), 0);
    int applied = -1;
    assert_int_equal(store_migrate(f->db, &applied, &err), ST_OK);
    assert_int_equal(applied, embedded);
    assert_int_equal(store_schema_version(f->db), store_latest_schema());
    assert_true(store_latest_schema() >= 1);

    store_counts c = {-1, -1, -1, -1};
    assert_int_equal(store_counts_get(f->db, &c, &err), ST_OK);
    assert_int_equal(c.vendors, 0);
    assert_int_equal(c.offerings, 0);
    assert_int_equal(c.contracts, 0);
    assert_int_equal(c.workloads, 0);
}

/* The PostgreSQL set (db/postgres) numbers and names its files as the
 * SQLite set does, so one schema version means the same tables on either
 * engine and store_latest_schema() answers for both. */
static void migration_sets_match(void **state)
{
    (void)state;
    const embedded_file *s = sy_migrations, *p = sy_migrations_pg;
    for (; s->name && p->name; s++, p++)
        assert_string_equal(s->name, p->name);
    assert_null(s->name);
    assert_null(p->name);
}

static void migrate_up_to_date_database(void **state)
{
    fixture *f = *state;
    store_err err;
    int version = store_schema_version(f->db);
    assert_int_equal(version, store_latest_schema());
    int64_t id = add_vendor(f->db, "Kept", 0);

    int applied = -1;
    assert_int_equal(store_migrate(f->db, &applied, &err), ST_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(store_schema_version(f->db), version);
    assert_int_equal(count_vendors(f->db), 1);
    vendor v;
    assert_int_equal(store_vendor_get(f->db, id, &f->a, &v, &err), ST_OK);
    assert_string_equal(v.name, "Kept");

    /* A second connection to the same file sees the schema as current. */
    sy_db *other = NULL;
    assert_int_equal(store_open(f->path, &other, &err), ST_OK);
    assert_int_equal(store_schema_version(other), version);
    applied = -1;
    assert_int_equal(store_migrate(other, &applied, &err), ST_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(count_vendors(other), 1);
    store_close(other);
}

/* ---- foreign keys and references ------------------------------------------ */

static void bad_reference_names_the_field(void **state)
{
    fixture *f = *state;
    store_err err;
    offering o;
    new_offering(&o, "Orphan", 999);
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_offering_insert(f->db, &o, &err), ST_BAD_REF);
    assert_int_equal(err.code, ST_BAD_REF);
    assert_string_equal(err.pointer, "/provider");
    store_rollback(f->db);

    int64_t v = add_vendor(f->db, "Real", 0);
    new_offering(&o, "Orphan", v);
    o.host = 4242;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_offering_insert(f->db, &o, &err), ST_BAD_REF);
    assert_string_equal(err.pointer, "/host");
    store_rollback(f->db);

    workload w;
    new_workload(&w, "W");
    dependency deps[] = {{1, "model"}};
    deps[0].offering = 777;
    w.dependencies = deps;
    w.n_dependencies = 1;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_insert(f->db, &w, &err), ST_BAD_REF);
    assert_string_equal(err.pointer, "/dependencies/0/offering");
    store_rollback(f->db);

    vendor child;
    new_vendor(&child, "Child");
    child.parent = 555;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_insert(f->db, &child, &err), ST_BAD_REF);
    assert_string_equal(err.pointer, "/parent");
    store_rollback(f->db);

    store_counts c;
    assert_int_equal(store_counts_get(f->db, &c, &err), ST_OK);
    assert_int_equal(c.vendors, 1);
    assert_int_equal(c.offerings, 0);
    assert_int_equal(c.workloads, 0);
}

/* ON DELETE CASCADE only runs with foreign_keys=ON: deleting a vendor must
 * take its connection rows along, so the other side no longer lists it. */
static void foreign_keys_are_enforced(void **state)
{
    fixture *f = *state;
    store_err err;
    int64_t b = add_vendor(f->db, "B", 0);
    vendor a;
    new_vendor(&a, "A");
    vendor_link link = {0, "shared owner"};
    link.vendor = b;
    a.connections = &link;
    a.n_connections = 1;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_insert(f->db, &a, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);

    vendor got;
    assert_int_equal(store_vendor_get(f->db, b, &f->a, &got, &err), ST_OK);
    assert_int_equal(got.n_connections, 1);
    assert_int_equal(got.connections[0].vendor, a.id);
    assert_string_equal(got.connections[0].reason, "shared owner");

    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_delete(f->db, a.id, 0, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_get(f->db, b, &f->a, &got, &err), ST_OK);
    assert_int_equal(got.n_connections, 0);

    /* Likewise a workload's dependency rows go with it, freeing the offering. */
    int64_t o = add_offering(f->db, "O", b, 0, "openai");
    workload w;
    new_workload(&w, "W");
    dependency dep = {0, "model"};
    dep.offering = o;
    w.dependencies = &dep;
    w.n_dependencies = 1;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_insert(f->db, &w, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);

    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_offering_delete(f->db, o, 0, &err), ST_IN_USE);
    store_rollback(f->db);

    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_delete(f->db, w.id, 0, &err), ST_OK);
    assert_int_equal(store_offering_delete(f->db, o, 0, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
}

/* ---- round trips ---------------------------------------------------------- */

static void vendor_round_trip(void **state)
{
    fixture *f = *state;
    store_err err;
    int64_t parent = add_vendor(f->db, "Microsoft", 0);
    int64_t peer = add_vendor(f->db, "OpenAI", 0);

    vendor v;
    new_vendor(&v, "GitHub");
    v.website = "https://github.com";
    v.country = "US";
    v.description = "Code hosting";
    vendor_link link = {0, "partnership"};
    link.vendor = peer;
    v.connections = &link;
    v.n_connections = 1;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_insert(f->db, &v, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    int64_t id = v.id;
    assert_true(id > peer);

    vendor got;
    assert_int_equal(store_vendor_get(f->db, id, &f->a, &got, &err), ST_OK);
    assert_int_equal(got.id, id);
    assert_string_equal(got.name, "GitHub");
    assert_int_equal(got.parent, 0);
    assert_string_equal(got.website, "https://github.com");
    assert_string_equal(got.country, "US");
    assert_string_equal(got.description, "Code hosting");
    assert_int_equal(got.version, 1);
    assert_non_null(got.created_at);
    assert_int_equal(strlen(got.created_at), 20);            /* RFC 3339 UTC */
    assert_string_equal(got.created_at, got.updated_at);
    assert_int_equal(got.group_id, id);                       /* top of its own group */
    assert_string_equal(got.group_name, "GitHub");
    assert_int_equal(got.n_connections, 1);
    assert_int_equal(got.connections[0].vendor, peer);
    assert_string_equal(got.connections[0].reason, "partnership");

    int64_t found = 0;
    assert_int_equal(store_vendor_find(f->db, "GitHub", &found), ST_OK);
    assert_int_equal(found, id);
    assert_int_equal(store_vendor_find(f->db, "GitLab", &found), ST_NOT_FOUND);

    /* Update: new name, a parent, no connections. */
    vendor upd;
    new_vendor(&upd, "GitHub Inc");
    upd.parent = parent;
    upd.country = "US";
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_update(f->db, id, 1, &upd, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_get(f->db, id, &f->a, &got, &err), ST_OK);
    assert_string_equal(got.name, "GitHub Inc");
    assert_int_equal(got.parent, parent);
    assert_string_equal(got.website, "");
    assert_int_equal(got.version, 2);
    assert_int_equal(got.group_id, parent);
    assert_string_equal(got.group_name, "Microsoft");
    assert_int_equal(got.n_connections, 0);
    assert_int_equal(store_vendor_get(f->db, peer, &f->a, &got, &err), ST_OK);
    assert_int_equal(got.n_connections, 0);                   /* link gone both ways */

    /* Name taken by another vendor. */
    new_vendor(&upd, "OpenAI");
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_update(f->db, id, 0, &upd, &err), ST_CONFLICT);
    assert_string_equal(err.pointer, "/name");
    store_rollback(f->db);

    /* Delete with the right version. */
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_delete(f->db, id, 2, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_get(f->db, id, &f->a, &got, &err), ST_NOT_FOUND);
    assert_int_equal(err.code, ST_NOT_FOUND);
    assert_int_equal(count_vendors(f->db), 2);
}

static void workload_round_trip(void **state)
{
    fixture *f = *state;
    store_err err;
    int64_t v = add_vendor(f->db, "Vendor", 0);
    int64_t o1 = add_offering(f->db, "Model", v, 0, "openai");
    int64_t o2 = add_offering(f->db, "Cloud", v, 0, "azure");

    workload w;
    new_workload(&w, "Sales copilot");
    w.purpose = "Draft replies";
    w.owner = "Ann";
    w.team = "Sales";
    w.track = "azure";
    w.status = "production";
    w.criticality = "critical";
    w.data_classification = "confidential";
    w.users = 250;
    w.monthly_spend = 499999;
    w.planned_end = "2027-06-30";
    w.ai_act_tier = "limited";
    w.swap_layer = 1;
    const char *features[] = {"Graph grounding", "Teams plugin"};
    w.features = features;
    w.n_features = 2;
    dependency deps[3] = {{0, "model"}, {0, "hosting"}, {0, "hosting"}};
    deps[0].offering = o1;
    deps[1].offering = o2;
    deps[2].offering = o1;
    w.dependencies = deps;
    w.n_dependencies = 3;
    w.notes = "n";
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_insert(f->db, &w, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_true(w.id > 0);

    workload got;
    assert_int_equal(store_workload_get(f->db, w.id, &f->a, &got, &err), ST_OK);
    assert_int_equal(got.id, w.id);
    assert_string_equal(got.name, "Sales copilot");
    assert_string_equal(got.purpose, "Draft replies");
    assert_string_equal(got.owner, "Ann");
    assert_string_equal(got.team, "Sales");
    assert_string_equal(got.track, "azure");
    assert_string_equal(got.status, "production");
    assert_string_equal(got.criticality, "critical");
    assert_string_equal(got.data_classification, "confidential");
    assert_int_equal(got.users, 250);
    assert_int_equal(got.monthly_spend, 499999);
    assert_string_equal(got.planned_end, "2027-06-30");
    assert_string_equal(got.ai_act_tier, "limited");
    assert_int_equal(got.swap_layer, 1);
    assert_string_equal(got.notes, "n");
    assert_int_equal(got.version, 1);
    assert_int_equal(got.n_features, 2);
    assert_string_equal(got.features[0], "Graph grounding");
    assert_string_equal(got.features[1], "Teams plugin");
    assert_int_equal(got.n_dependencies, 3);
    assert_int_equal(got.dependencies[0].offering, o1);
    assert_string_equal(got.dependencies[0].role, "model");
    assert_int_equal(got.dependencies[1].offering, o2);
    assert_string_equal(got.dependencies[1].role, "hosting");
    assert_int_equal(got.dependencies[2].offering, o1);
    assert_string_equal(got.dependencies[2].role, "hosting");

    /* Update replaces the children. */
    workload upd;
    new_workload(&upd, "Sales copilot v2");
    dependency dep2 = {0, "data"};
    dep2.offering = o2;
    upd.dependencies = &dep2;
    upd.n_dependencies = 1;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_update(f->db, w.id, 1, &upd, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_int_equal(store_workload_get(f->db, w.id, &f->a, &got, &err), ST_OK);
    assert_string_equal(got.name, "Sales copilot v2");
    assert_string_equal(got.track, "copilot");
    assert_null(got.planned_end);
    assert_int_equal(got.users, 0);
    assert_int_equal(got.version, 2);
    assert_int_equal(got.n_features, 0);
    assert_int_equal(got.n_dependencies, 1);
    assert_int_equal(got.dependencies[0].offering, o2);
    assert_string_equal(got.dependencies[0].role, "data");

    /* o1 is free now, o2 is not. */
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_offering_delete(f->db, o2, 0, &err), ST_IN_USE);
    assert_int_equal(store_offering_delete(f->db, o1, 0, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);

    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_delete(f->db, w.id, 2, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_int_equal(store_workload_get(f->db, w.id, &f->a, &got, &err), ST_NOT_FOUND);
    store_counts c;
    assert_int_equal(store_counts_get(f->db, &c, &err), ST_OK);
    assert_int_equal(c.workloads, 0);
    assert_int_equal(c.offerings, 1);
}

/* ---- versions and refusals ------------------------------------------------ */

static void wrong_version_changes_nothing(void **state)
{
    fixture *f = *state;
    store_err err;
    int64_t id = add_vendor(f->db, "Original", 0);

    vendor upd;
    new_vendor(&upd, "Changed");
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_update(f->db, id, 2, &upd, &err), ST_PRECONDITION);
    assert_int_equal(err.code, ST_PRECONDITION);
    store_rollback(f->db);

    vendor got;
    assert_int_equal(store_vendor_get(f->db, id, &f->a, &got, &err), ST_OK);
    assert_string_equal(got.name, "Original");
    assert_int_equal(got.version, 1);

    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_delete(f->db, id, 7, &err), ST_PRECONDITION);
    store_rollback(f->db);
    assert_int_equal(store_vendor_get(f->db, id, &f->a, &got, &err), ST_OK);

    /* No such record: not found, whatever the version. */
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_update(f->db, id + 100, 1, &upd, &err), ST_NOT_FOUND);
    assert_int_equal(store_vendor_delete(f->db, id + 100, 0, &err), ST_NOT_FOUND);
    store_rollback(f->db);

    /* if_version 0 skips the check; the right one passes. */
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_update(f->db, id, 0, &upd, &err), ST_OK);
    assert_int_equal(store_vendor_update(f->db, id, 2, &upd, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_get(f->db, id, &f->a, &got, &err), ST_OK);
    assert_string_equal(got.name, "Changed");
    assert_int_equal(got.version, 3);
}

static void rollback_discards_writes(void **state)
{
    fixture *f = *state;
    store_err err;
    vendor v;
    new_vendor(&v, "Temp");
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_insert(f->db, &v, &err), ST_OK);
    store_rollback(f->db);
    assert_int_equal(count_vendors(f->db), 0);
    int64_t id;
    assert_int_equal(store_vendor_find(f->db, "Temp", &id), ST_NOT_FOUND);
}

static void vendor_delete_in_use(void **state)
{
    fixture *f = *state;
    store_err err;
    int64_t parent = add_vendor(f->db, "Parent", 0);
    int64_t child = add_vendor(f->db, "Child", parent);
    int64_t provider = add_vendor(f->db, "Provider", 0);
    int64_t host = add_vendor(f->db, "Host", 0);
    int64_t party = add_vendor(f->db, "Party", 0);
    add_offering(f->db, "Thing", provider, host, "other");

    contract c;
    memset(&c, 0, sizeof c);
    c.name = "Deal";
    c.kind = "customer";
    c.counterparty = party;
    c.start_date = "2025-01-01";
    c.end_date = "2025-12-31";
    c.currency = "USD";
    c.exit_clause = "none";
    c.substitutability = "medium";
    c.exit_plan = "";
    c.notes = "";
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_contract_insert(f->db, &c, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);

    const int64_t used[] = {parent, provider, host, party};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(store_begin_write(f->db, &err), ST_OK);
        assert_int_equal(store_vendor_delete(f->db, used[i], 0, &err), ST_IN_USE);
        assert_int_equal(err.code, ST_IN_USE);
        assert_true(err.detail[0] != '\0');
        store_rollback(f->db);
    }
    assert_int_equal(count_vendors(f->db), 5);

    /* The child is not in use; once it is gone the parent is free too. */
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_delete(f->db, child, 0, &err), ST_OK);
    assert_int_equal(store_vendor_delete(f->db, parent, 0, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_int_equal(count_vendors(f->db), 3);
}

static void vendor_parent_cycle_refused(void **state)
{
    fixture *f = *state;
    store_err err;
    int64_t a = add_vendor(f->db, "A", 0);
    int64_t b = add_vendor(f->db, "B", a);
    vendor upd;
    new_vendor(&upd, "A");
    upd.parent = b;                 /* A under its own child */
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_vendor_update(f->db, a, 0, &upd, &err), ST_INVALID);
    assert_string_equal(err.pointer, "/parent");
    upd.parent = a;                 /* A under itself */
    assert_int_equal(store_vendor_update(f->db, a, 0, &upd, &err), ST_INVALID);
    store_rollback(f->db);
}

/* ---- lists ---------------------------------------------------------------- */

typedef struct list_fixture {
    int64_t v1, v2, o1, o2, o3;
    int64_t w[5];
} list_fixture;

static void add_workload(sy_db *db, const char *name, const char *track, const char *status,
                         const char *crit, int64_t spend, const dependency *deps,
                         size_t n_deps, int64_t *id)
{
    workload w;
    new_workload(&w, name);
    w.track = track;
    w.status = status;
    w.criticality = crit;
    w.monthly_spend = spend;
    w.dependencies = (dependency *)deps;
    w.n_dependencies = n_deps;
    store_err err;
    assert_int_equal(store_begin_write(db, &err), ST_OK);
    assert_int_equal(store_workload_insert(db, &w, &err), ST_OK);
    assert_int_equal(store_commit(db, &err), ST_OK);
    *id = w.id;
}

/* Five workloads:
 *   Apollo   copilot pilot      high      500.00  O1 model
 *   Borealis azure   production critical  100.00  O2 hosting
 *   Cygnus   azure   proposed   low       900.00  O1 model, O2 data
 *   Draco    openai  production medium      0.00  -
 *   Eridanus azure   retired    high      250.00  O3 model
 * O1: provider V1. O2: provider V2. O3: provider V2, host V1. */
static void build_list_data(sy_db *db, list_fixture *d)
{
    d->v1 = add_vendor(db, "V1", 0);
    d->v2 = add_vendor(db, "V2", 0);
    d->o1 = add_offering(db, "O1", d->v1, 0, "openai");
    d->o2 = add_offering(db, "O2", d->v2, 0, "azure");
    d->o3 = add_offering(db, "O3", d->v2, d->v1, "azure");
    dependency a[] = {{d->o1, "model"}};
    dependency b[] = {{d->o2, "hosting"}};
    dependency c[] = {{d->o1, "model"}, {d->o2, "data"}};
    dependency e[] = {{d->o3, "model"}};
    /* Inserted out of name order so that sorting is visible. */
    add_workload(db, "Cygnus", "azure", "proposed", "low", 90000, c, 2, &d->w[2]);
    add_workload(db, "Apollo", "copilot", "pilot", "high", 50000, a, 1, &d->w[0]);
    add_workload(db, "Eridanus", "azure", "retired", "high", 25000, e, 1, &d->w[4]);
    add_workload(db, "Borealis", "azure", "production", "critical", 10000, b, 1, &d->w[1]);
    add_workload(db, "Draco", "openai", "production", "medium", 0, NULL, 0, &d->w[3]);
}

/* Runs a workload list and compares the names, joined by commas. */
static void expect_workloads(fixture *f, const list_query *q, int64_t want_total,
                             const char *want_names)
{
    workload *items = NULL;
    size_t n = 0;
    int64_t total = -1;
    store_err err;
    assert_int_equal(store_workload_list(f->db, q, &f->a, &items, &n, &total, &err), ST_OK);
    char got[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(got + len, sizeof got - len, "%s%s", i ? "," : "", items[i].name);
        assert_true(k > 0 && (size_t)k < sizeof got - len);
        len += (size_t)k;
    }
    assert_string_equal(got, want_names);
    assert_int_equal(total, want_total);
}

static list_query base_query(void)
{
    list_query q;
    memset(&q, 0, sizeof q);
    q.limit = 50;
    q.flagged = -1;
    return q;
}

static void workload_list_sort_and_page(void **state)
{
    fixture *f = *state;
    list_fixture d;
    build_list_data(f->db, &d);

    list_query q = base_query();
    expect_workloads(f, &q, 5, "Apollo,Borealis,Cygnus,Draco,Eridanus");
    q.sort = "name";
    q.limit = 2;
    expect_workloads(f, &q, 5, "Apollo,Borealis");
    q.offset = 2;
    expect_workloads(f, &q, 5, "Cygnus,Draco");
    q.offset = 4;
    expect_workloads(f, &q, 5, "Eridanus");
    q.offset = 5;
    expect_workloads(f, &q, 5, "");
    q.offset = 0;
    q.limit = 3;
    q.sort = "-name";
    expect_workloads(f, &q, 5, "Eridanus,Draco,Cygnus");
    q.limit = 50;
    q.sort = "monthly_spend";
    expect_workloads(f, &q, 5, "Draco,Borealis,Eridanus,Apollo,Cygnus");
    q.sort = "-monthly_spend";
    expect_workloads(f, &q, 5, "Cygnus,Apollo,Eridanus,Borealis,Draco");
    /* Criticality and status sort by rank, ties by name. */
    q.sort = "criticality";
    expect_workloads(f, &q, 5, "Cygnus,Draco,Apollo,Eridanus,Borealis");
    q.sort = "-criticality";
    expect_workloads(f, &q, 5, "Borealis,Apollo,Eridanus,Draco,Cygnus");
    q.sort = "status";
    expect_workloads(f, &q, 5, "Cygnus,Apollo,Borealis,Draco,Eridanus");
    q.sort = "id";
    expect_workloads(f, &q, 5, "Cygnus,Apollo,Eridanus,Borealis,Draco");
    q.sort = "-id";
    expect_workloads(f, &q, 5, "Draco,Borealis,Eridanus,Apollo,Cygnus");

    /* Items come with their children. */
    workload *items;
    size_t n;
    int64_t total;
    store_err err;
    q = base_query();
    q.sort = "name";
    q.limit = 1;
    q.offset = 2;
    assert_int_equal(store_workload_list(f->db, &q, &f->a, &items, &n, &total, &err), ST_OK);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].name, "Cygnus");
    assert_int_equal(items[0].n_dependencies, 2);
    assert_int_equal(items[0].dependencies[1].offering, d.o2);
    assert_string_equal(items[0].dependencies[1].role, "data");
}

static void workload_list_filters(void **state)
{
    fixture *f = *state;
    list_fixture d;
    build_list_data(f->db, &d);

    list_query q = base_query();
    q.sort = "name";
    q.track = "azure";
    expect_workloads(f, &q, 3, "Borealis,Cygnus,Eridanus");
    q.limit = 1;                                   /* total counts all matches */
    expect_workloads(f, &q, 3, "Borealis");
    q.limit = 50;
    q.status = "production";
    expect_workloads(f, &q, 1, "Borealis");
    q = base_query();
    q.criticality = "high";
    expect_workloads(f, &q, 2, "Apollo,Eridanus");
    q = base_query();
    q.vendor = d.v1;                               /* provider of O1, host of O3 */
    expect_workloads(f, &q, 3, "Apollo,Cygnus,Eridanus");
    q.vendor = d.v2;
    expect_workloads(f, &q, 3, "Borealis,Cygnus,Eridanus");
    q = base_query();
    q.offering = d.o1;
    expect_workloads(f, &q, 2, "Apollo,Cygnus");
    q.offering = d.o3;
    expect_workloads(f, &q, 1, "Eridanus");
    q = base_query();
    q.q = "OR";                                    /* case-insensitive substring */
    expect_workloads(f, &q, 1, "Borealis");
    q.q = "a";
    expect_workloads(f, &q, 4, "Apollo,Borealis,Draco,Eridanus");
    q.q = "";                                      /* empty search: everything */
    expect_workloads(f, &q, 5, "Apollo,Borealis,Cygnus,Draco,Eridanus");
    q.q = "zzz";
    expect_workloads(f, &q, 0, "");
    q = base_query();
    q.track = "openai";
    q.criticality = "low";
    expect_workloads(f, &q, 0, "");
}

static void offering_list_filters(void **state)
{
    fixture *f = *state;
    list_fixture d;
    build_list_data(f->db, &d);
    list_query q = base_query();
    q.track = "azure";
    offering *items;
    size_t n;
    int64_t total;
    store_err err;
    assert_int_equal(store_offering_list(f->db, &q, &f->a, &items, &n, &total, &err), ST_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 2);
    assert_string_equal(items[0].name, "O2");
    assert_string_equal(items[1].name, "O3");
    q = base_query();
    q.vendor = d.v1;
    q.sort = "-name";
    assert_int_equal(store_offering_list(f->db, &q, &f->a, &items, &n, &total, &err), ST_OK);
    assert_int_equal(total, 2);
    assert_string_equal(items[0].name, "O3");
    assert_string_equal(items[1].name, "O1");
    assert_int_equal(items[0].host, d.v1);
    assert_int_equal(items[0].provider, d.v2);
}

/* Vendor names joined by commas for a search. */
static void expect_vendor_search(fixture *f, const char *search, int64_t want_total,
                                 const char *want_names)
{
    list_query q = base_query();
    q.sort = "name";
    q.q = search;
    vendor *items = NULL;
    size_t n = 0;
    int64_t total = -1;
    store_err err;
    assert_int_equal(store_vendor_list(f->db, &q, &f->a, &items, &n, &total, &err), ST_OK);
    char got[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(got + len, sizeof got - len, "%s%s", i ? "|" : "", items[i].name);
        assert_true(k > 0 && (size_t)k < sizeof got - len);
        len += (size_t)k;
    }
    if (strcmp(got, want_names) != 0)
        fail_msg("search \"%s\": got \"%s\", want \"%s\"", search, got, want_names);
    assert_int_equal(total, want_total);
}

static void like_search_is_literal(void **state)
{
    fixture *f = *state;
    add_vendor(f->db, "100% Cloud", 0);
    add_vendor(f->db, "100X Cloud", 0);
    add_vendor(f->db, "A_B Labs", 0);
    add_vendor(f->db, "AXB Labs", 0);
    add_vendor(f->db, "Back\\slash", 0);

    expect_vendor_search(f, "cloud", 2, "100% Cloud|100X Cloud");
    expect_vendor_search(f, "100%", 1, "100% Cloud");      /* not "100" + anything */
    expect_vendor_search(f, "%", 1, "100% Cloud");
    expect_vendor_search(f, "0% c", 1, "100% Cloud");
    expect_vendor_search(f, "a_b", 1, "A_B Labs");         /* not "a" + any + "b" */
    expect_vendor_search(f, "_", 1, "A_B Labs");
    expect_vendor_search(f, "\\", 1, "Back\\slash");
    expect_vendor_search(f, "k\\s", 1, "Back\\slash");
    expect_vendor_search(f, "labs", 2, "AXB Labs|A_B Labs");  /* X (0x58) < _ (0x5f) */
    expect_vendor_search(f, "%%", 0, "");

    /* The same escaping holds for workloads. */
    workload w;
    new_workload(&w, "50% off");
    store_err err;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_insert(f->db, &w, &err), ST_OK);
    new_workload(&w, "500 off");
    assert_int_equal(store_workload_insert(f->db, &w, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    list_query q = base_query();
    q.q = "50%";
    expect_workloads(f, &q, 1, "50% off");
}

static void vendor_list_paging(void **state)
{
    fixture *f = *state;
    const char *names[] = {"Delta", "Alpha", "Echo", "Charlie", "Bravo"};
    for (size_t i = 0; i < 5; i++)
        add_vendor(f->db, names[i], 0);
    list_query q = base_query();
    q.sort = "name";
    q.limit = 2;
    q.offset = 1;
    vendor *items;
    size_t n;
    int64_t total;
    store_err err;
    assert_int_equal(store_vendor_list(f->db, &q, &f->a, &items, &n, &total, &err), ST_OK);
    assert_int_equal(total, 5);
    assert_int_equal(n, 2);
    assert_string_equal(items[0].name, "Bravo");
    assert_string_equal(items[1].name, "Charlie");
    q.sort = "-name";
    q.offset = 0;
    q.limit = 1;
    assert_int_equal(store_vendor_list(f->db, &q, &f->a, &items, &n, &total, &err), ST_OK);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].name, "Echo");
    q.sort = "-id";
    assert_int_equal(store_vendor_list(f->db, &q, &f->a, &items, &n, &total, &err), ST_OK);
    assert_string_equal(items[0].name, "Bravo");
}

int main(void)
{
    log_set_level(LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(migrate_empty_database, setup_empty, db_fixture_teardown),
        cmocka_unit_test(migration_sets_match),
        cmocka_unit_test_setup_teardown(migrate_up_to_date_database, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(bad_reference_names_the_field, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(foreign_keys_are_enforced, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(vendor_round_trip, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(workload_round_trip, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(wrong_version_changes_nothing, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(rollback_discards_writes, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(vendor_delete_in_use, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(vendor_parent_cycle_refused, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(workload_list_sort_and_page, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(workload_list_filters, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(offering_list_filters, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(like_search_is_literal, setup_migrated, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(vendor_list_paging, setup_migrated, db_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
