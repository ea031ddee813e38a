/* test_narrow_update.c - the narrow UPDATE (store/entity.c,
 * entity_sql_narrow_update): an edit that keeps every keyed column of a
 * record (one an index, foreign key or trigger reads) sets the plain
 * columns alone, so SQLite leaves the indexes be; any other edit, or an
 * update without the record as read before, sets every column. Checked
 * through SQLite's own account: which columns' UPDATE OF triggers fire
 * (a temporary trigger per column logs into a temporary table), the
 * values read back, the indexes (forced with INDEXED BY) and
 * integrity_check. Each test works on its own temporary database file. */
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
#include "store/internal.h"
#include "store/store.h"

typedef db_fixture fixture;

static int setup(void **state)
{
    return db_fixture_setup(state, sizeof(fixture), "narrow", 1);
}

/* One integer from a query without parameters. */
static int64_t scalar(sy_db *db, const char *sql)
{
    dstmt *st = dconn_prepare(db->conn, sql);
    assert_non_null(st);
    assert_int_equal(dstmt_step(st), DB_ROW);
    int64_t v = dstmt_col_i64(st, 0);
    dstmt_reset(st);
    return v;
}

static void new_workload(workload *w, const char *name)
{
    memset(w, 0, sizeof *w);
    w->name = name;
    w->purpose = "";
    w->owner = "Ann";
    w->team = "";
    w->track = "azure";
    w->status = "production";
    w->criticality = "medium";
    w->data_classification = "internal";
    w->ai_act_tier = "minimal";
    w->notes = "";
    w->users = 250;
}

/* Logs into temp table `fired` the columns named in the SET of every
 * later UPDATE of workloads, for a few plain and keyed columns. */
static void watch_columns(sy_db *db)
{
    static const char *const cols[] = {"name", "status", "track", "users", "notes", "owner"};
    assert_int_equal(dconn_exec(db->conn, "CREATE TEMP TABLE fired(col TEXT NOT NULL)"), 0);
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "CREATE TEMP TRIGGER fired_%s AFTER UPDATE OF %s ON main.workloads "
                 "BEGIN INSERT INTO fired VALUES ('%s'); END",
                 cols[i], cols[i], cols[i]);
        assert_int_equal(dconn_exec(db->conn, sql), 0);
    }
}

static int64_t fired(sy_db *db, const char *col)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM fired WHERE col = '%s'", col);
    return scalar(db, sql);
}

/* SQLite's schema names the keyed columns of workloads: the UNIQUE name
 * (and its folded expression index), the indexed track and status, the
 * provider (an index and a foreign key); the rest are plain. */
static void keyed_columns_come_from_the_schema(void **state)
{
    fixture *f = *state;
    const char *cols[] = {"name",  "track", "status", "ai_system_provider_id",
                          "users", "notes", "purpose", "monthly_spend"};
    unsigned char keyed[8];
    assert_int_equal(dconn_keyed_columns(f->db->conn, "workloads", cols, 8, keyed), 0);
    static const unsigned char want[8] = {1, 1, 1, 1, 0, 0, 0, 0};
    assert_memory_equal(keyed, want, sizeof want);
    /* A later index on a plain column makes it keyed for a new look. */
    assert_int_equal(dconn_exec(f->db->conn, "CREATE INDEX test_users ON workloads(users)"), 0);
    assert_int_equal(dconn_keyed_columns(f->db->conn, "workloads", cols, 8, keyed), 0);
    assert_int_equal(keyed[4], 1);
    assert_int_equal(keyed[5], 0);
}

static void edit(fixture *f, const workload *before, const workload *after)
{
    store_err err;
    store_stamp stamp;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(
        store_entity_update_from(f->db, &WORKLOAD_STORE, before, after, &stamp, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_int_equal(stamp.version, before->version + 1);
}

/* Plain edits set plain columns only; a keyed edit sets them all; every
 * value and index stays right either way. */
static void edits_set_what_they_must(void **state)
{
    fixture *f = *state;
    store_err err;
    workload w;
    new_workload(&w, "Alpha");
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_insert(f->db, &w, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    watch_columns(f->db);

    workload before, after;
    assert_int_equal(store_workload_get(f->db, w.id, &f->a, &before, &err), ST_OK);
    after = before;
    after.users = 99;
    after.notes = "moved to the EU region";
    edit(f, &before, &after);
    assert_int_equal(fired(f->db, "users"), 1);
    assert_int_equal(fired(f->db, "notes"), 1);
    assert_int_equal(fired(f->db, "owner"), 1); /* plain: set, to its own value */
    assert_int_equal(fired(f->db, "name"), 0);
    assert_int_equal(fired(f->db, "status"), 0);
    assert_int_equal(fired(f->db, "track"), 0);

    workload got;
    assert_int_equal(store_workload_get(f->db, w.id, &f->a, &got, &err), ST_OK);
    assert_int_equal(got.users, 99);
    assert_string_equal(got.notes, "moved to the EU region");
    assert_string_equal(got.name, "Alpha");
    assert_string_equal(got.status, "production");
    assert_int_equal(got.version, 2);

    /* A keyed column changes: every column is set. */
    after = got;
    after.status = "retired";
    after.name = "Beta";
    edit(f, &got, &after);
    assert_int_equal(fired(f->db, "name"), 1);
    assert_int_equal(fired(f->db, "status"), 1);
    assert_int_equal(fired(f->db, "track"), 1);
    assert_int_equal(fired(f->db, "users"), 2);

    /* Without the record as read before: every column, too. */
    workload plain = after;
    plain.users = 7;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_update(f->db, w.id, 3, &plain, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    assert_int_equal(fired(f->db, "name"), 2);

    int64_t id;
    assert_int_equal(store_workload_find(f->db, "Alpha", &id), ST_NOT_FOUND);
    assert_int_equal(store_workload_find(f->db, "Beta", &id), ST_OK);
    assert_int_equal(id, w.id);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM workloads INDEXED BY workloads_status "
                                   "WHERE status = 'retired'"),
                     1);
    assert_int_equal(scalar(f->db, "SELECT COUNT(*) FROM workloads INDEXED BY workloads_status "
                                   "WHERE status = 'production'"),
                     0);
    char msg[256];
    assert_int_equal(store_integrity_check(f->db, 0, msg, sizeof msg), ST_OK);
}

/* A stale version refuses the narrow update as it does the full one. */
static void stale_version_is_refused(void **state)
{
    fixture *f = *state;
    store_err err;
    workload w;
    new_workload(&w, "Gamma");
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(store_workload_insert(f->db, &w, &err), ST_OK);
    assert_int_equal(store_commit(f->db, &err), ST_OK);
    workload before, after;
    assert_int_equal(store_workload_get(f->db, w.id, &f->a, &before, &err), ST_OK);
    after = before;
    after.users = 5;
    edit(f, &before, &after); /* now version 2 */
    after.users = 6;
    store_stamp stamp;
    assert_int_equal(store_begin_write(f->db, &err), ST_OK);
    assert_int_equal(
        store_entity_update_from(f->db, &WORKLOAD_STORE, &before, &after, &stamp, &err),
        ST_PRECONDITION);
    store_rollback(f->db);
    workload got;
    assert_int_equal(store_workload_get(f->db, w.id, &f->a, &got, &err), ST_OK);
    assert_int_equal(got.users, 5);
    assert_int_equal(got.version, 2);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(keyed_columns_come_from_the_schema, setup, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(edits_set_what_they_must, setup, db_fixture_teardown),
        cmocka_unit_test_setup_teardown(stale_version_is_refused, setup, db_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
