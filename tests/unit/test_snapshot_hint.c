/* test_snapshot_hint.c - what the webhook worker decides with before it
 * takes the writers' lock (jobs/webhook_worker.c): snapshot_needs_full()
 * says whether the next snapshot_obtain() would build in full, and
 * store_on_data_commit() calls its hook after each commit that moved the
 * data generation (not after bookkeeping ones), with that generation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/snapshot.h"
#include "common/log.h"
#include "seed/seed.h"
#include "store/store.h"

static char db_path[96];
static int hook_calls;
static uint64_t hook_gen;

static void on_commit(uint64_t gen)
{
    hook_calls++;
    hook_gen = gen;
}

/* Rewrites workload id unchanged (a workload write: derivable) or vendor
 * id (not a change a snapshot can derive) in its own transaction; quiet
 * marks it bookkeeping. */
static void rewrite(sy_db *db, int is_workload, int64_t id, int quiet)
{
    arena a;
    arena_init(&a);
    store_err err;
    assert_int_equal(store_begin_write(db, &err), ST_OK);
    if (quiet)
        store_mark_quiet(db);
    if (is_workload) {
        workload w;
        assert_int_equal(store_workload_get(db, id, &a, &w, &err), ST_OK);
        assert_int_equal(store_workload_update(db, id, 0, &w, &err), ST_OK);
    } else {
        vendor v;
        assert_int_equal(store_vendor_get(db, id, &a, &v, &err), ST_OK);
        assert_int_equal(store_vendor_update(db, id, 0, &v, &err), ST_OK);
    }
    assert_int_equal(store_commit(db, &err), ST_OK);
    arena_free(&a);
}

static void hint_and_hook(void **state)
{
    (void)state;
    setenv("SWITCHYARD_TODAY", "2026-05-01", 1);
    log_set_level(LOG_ERROR);
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(db_path, sizeof db_path, "%s/sy_hint_XXXXXX", dir);
    int fd = mkstemp(db_path);
    assert_true(fd >= 0);
    close(fd);
    sy_db *db;
    store_err err;
    int applied;
    seed_report report;
    char msg[256];
    assert_int_equal(store_open(db_path, &db, &err), ST_OK);
    assert_int_equal(store_migrate(db, &applied, &err), ST_OK);
    assert_int_equal(seed_load(db, 1, &report, msg, sizeof msg), 0);

    /* Nothing cached yet: a full build. */
    assert_int_equal(snapshot_needs_full(db), 1);
    snapshot *s = snapshot_obtain(db, 1, &err);
    assert_non_null(s);
    snapshot_view v;
    snapshot_get_view(s, &v);
    assert_true(v.p.n_workloads > 0);
    int64_t wid = v.p.workloads[0].id, vid = v.p.vendors[0].id;
    snapshot_release(s);
    assert_int_equal(snapshot_needs_full(db), 0);

    store_on_data_commit(on_commit);
    /* A workload write: one hook call with the new generation; the next
     * snapshot derives. */
    rewrite(db, 1, wid, 0);
    assert_int_equal(hook_calls, 1);
    assert_int_equal(hook_gen, store_generation(db));
    assert_int_equal(snapshot_needs_full(db), 0);
    /* Bookkeeping: no call, nothing to build. */
    rewrite(db, 1, wid, 1);
    assert_int_equal(hook_calls, 1);
    assert_int_equal(snapshot_needs_full(db), 0);
    s = snapshot_obtain(db, 1, &err);
    assert_non_null(s);
    snapshot_release(s);
    assert_int_equal(snapshot_needs_full(db), 0);
    /* A vendor write: a call, and a full build next. */
    rewrite(db, 0, vid, 0);
    assert_int_equal(hook_calls, 2);
    assert_int_equal(hook_gen, store_generation(db));
    assert_int_equal(snapshot_needs_full(db), 1);
    s = snapshot_obtain(db, 1, &err);
    assert_non_null(s);
    snapshot_release(s);
    assert_int_equal(snapshot_needs_full(db), 0);
    store_on_data_commit(NULL);
    rewrite(db, 1, wid, 0);
    assert_int_equal(hook_calls, 2);
    store_close(db);
}

static int teardown(void **state)
{
    (void)state;
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char name[128];
    for (size_t i = 0; db_path[0] && i < 3; i++) {
        snprintf(name, sizeof name, "%s%s", db_path, suffixes[i]);
        unlink(name);
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(hint_and_hook, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
