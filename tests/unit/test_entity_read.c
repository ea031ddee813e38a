/* test_entity_read.c - the batched read of the store (store/entity_read.c,
 * store_entity_get_some): the records of a list of IDs read 32 a statement
 * equal, field by field and child row by child row, what store_entity_get
 * reads one at a time; IDs with no record (never there, or deleted) are
 * reported missing; lists longer than one statement, shorter, and empty.
 * Works on its own temporary SQLite database file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/log.h"
#include "db_fixture.h"
#include "store/store.h"

#define N_WORKLOADS 75

typedef struct fixture {
    db_fixture base; /* first: db_fixture_setup and _teardown work on it */
    int64_t ids[N_WORKLOADS];
} fixture;

static int64_t add_offering(sy_db *db, int64_t provider, const char *name)
{
    offering o;
    memset(&o, 0, sizeof o);
    o.name = name;
    o.provider = provider;
    o.track = "openai";
    o.category = "model_api";
    o.interface = "openai_compatible";
    o.description = "";
    o.url = "";
    store_err err;
    assert_int_equal(store_offering_insert(db, &o, &err), ST_OK);
    return o.id;
}

/* N_WORKLOADS workloads; the k-th has k % 4 dependencies (alternating
 * offerings, so that their order matters), k % 3 features. */
static void fill(fixture *f)
{
    store_err err;
    assert_int_equal(store_begin_write(f->base.db, &err), ST_OK);
    vendor v;
    memset(&v, 0, sizeof v);
    v.name = "Vendor";
    v.website = v.country = v.description = "";
    assert_int_equal(store_vendor_insert(f->base.db, &v, &err), ST_OK);
    int64_t o[2] = {add_offering(f->base.db, v.id, "Model A"), add_offering(f->base.db, v.id, "Model B")};
    static const char *const roles[] = {"model", "hosting", "data", "assistant"};
    static const char *features[] = {"Feature one", "Feature two"};
    for (int k = 0; k < N_WORKLOADS; k++) {
        char name[32], notes[32];
        snprintf(name, sizeof name, "Workload %02d", k);
        snprintf(notes, sizeof notes, "note %d", k * 7);
        dependency deps[3];
        for (int i = 0; i < k % 4; i++) {
            deps[i].offering = o[(k + i) % 2];
            deps[i].role = roles[(k + i) % 4];
        }
        workload w;
        memset(&w, 0, sizeof w);
        w.name = name;
        w.purpose = w.owner = w.team = "";
        w.notes = notes;
        w.track = k % 2 ? "azure" : "openai";
        w.status = "production";
        w.criticality = "high";
        w.data_classification = "internal";
        w.ai_act_tier = "minimal";
        w.users = k;
        w.dependencies = deps;
        w.n_dependencies = (size_t)(k % 4);
        w.features = features;
        w.n_features = (size_t)(k % 3);
        assert_int_equal(store_workload_insert(f->base.db, &w, &err), ST_OK);
        f->ids[k] = w.id;
    }
    assert_int_equal(store_commit(f->base.db, &err), ST_OK);
}

static int setup(void **state)
{
    if (db_fixture_setup(state, sizeof(fixture), "read", 1) != 0)
        return -1;
    fill(*state);
    return 0;
}

static void same_workload(const workload *x, const workload *y)
{
    assert_int_equal(x->id, y->id);
    assert_string_equal(x->name, y->name);
    assert_string_equal(x->notes, y->notes);
    assert_string_equal(x->track, y->track);
    assert_int_equal(x->users, y->users);
    assert_int_equal(x->version, y->version);
    assert_string_equal(x->created_at, y->created_at);
    assert_int_equal(x->n_dependencies, y->n_dependencies);
    for (size_t i = 0; i < x->n_dependencies; i++) {
        assert_int_equal(x->dependencies[i].offering, y->dependencies[i].offering);
        assert_string_equal(x->dependencies[i].role, y->dependencies[i].role);
    }
    assert_int_equal(x->n_features, y->n_features);
    for (size_t i = 0; i < x->n_features; i++)
        assert_string_equal(x->features[i], y->features[i]);
}

/* Every record, over three statements, and each equal to its own read. */
static void some_equals_one_at_a_time(void **state)
{
    fixture *f = *state;
    store_err err;
    workload got[N_WORKLOADS];
    unsigned char found[N_WORKLOADS];
    assert_int_equal(store_begin_read(f->base.db, &err), ST_OK);
    assert_int_equal(store_entity_get_some(f->base.db, &WORKLOAD_STORE, f->ids, N_WORKLOADS, &f->base.a,
                                           got, found, &err),
                     ST_OK);
    size_t deps = 0;
    for (int k = 0; k < N_WORKLOADS; k++) {
        assert_int_equal(found[k], 1);
        workload one;
        assert_int_equal(store_workload_get(f->base.db, f->ids[k], &f->base.a, &one, &err), ST_OK);
        same_workload(&got[k], &one);
        assert_int_equal(got[k].n_dependencies, (size_t)(k % 4));
        deps += got[k].n_dependencies;
    }
    store_end_read(f->base.db);
    assert_int_equal(deps, 111); /* 0+1+2+3 per 4 workloads, 75 of them */
}

/* IDs with no record are missing; the others are read around them. */
static void missing_ids_are_reported(void **state)
{
    fixture *f = *state;
    store_err err;
    assert_int_equal(store_begin_write(f->base.db, &err), ST_OK);
    assert_int_equal(store_workload_delete(f->base.db, f->ids[3], 0, &err), ST_OK);
    assert_int_equal(store_commit(f->base.db, &err), ST_OK);
    int64_t ids[] = {f->ids[0], f->ids[3], f->ids[5], f->ids[N_WORKLOADS - 1] + 1000};
    workload got[4];
    unsigned char found[4];
    assert_int_equal(
        store_entity_get_some(f->base.db, &WORKLOAD_STORE, ids, 4, &f->base.a, got, found, &err), ST_OK);
    assert_int_equal(found[0], 1);
    assert_int_equal(found[1], 0);
    assert_int_equal(found[2], 1);
    assert_int_equal(found[3], 0);
    assert_int_equal(got[2].id, f->ids[5]);
    assert_int_equal(got[2].n_dependencies, 1);
    assert_int_equal(got[2].n_features, 2);
    assert_string_equal(got[2].notes, "note 35");
    /* None asked: nothing read, nothing touched. */
    assert_int_equal(store_entity_get_some(f->base.db, &WORKLOAD_STORE, ids, 0, &f->base.a, got, found, &err),
                     ST_OK);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(some_equals_one_at_a_time, setup, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(missing_ids_are_reported, setup, db_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
