/* test_pinned_read.c - store_begin_read_pinned() and snapshot_obtain_at(),
 * what the webhook worker compares with outside the writers' lock: a
 * pinned read names the generation it shows, keeps showing it while
 * others commit, lists only the changes up to it (store_changes_between),
 * and the snapshot derived for it shows that generation's data; a cached
 * snapshot newer than the read is refused (ST_BUSY), and the next
 * derivation past it equals a full build. */
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

/* Renames workload id on db in its own write transaction. */
static void rename_workload(sy_db *db, int64_t id, const char *name)
{
    arena a;
    arena_init(&a);
    store_err err;
    workload w;
    assert_int_equal(store_begin_write(db, &err), ST_OK);
    assert_int_equal(store_workload_get(db, id, &a, &w, &err), ST_OK);
    w.name = name;
    assert_int_equal(store_workload_update(db, id, 0, &w, &err), ST_OK);
    assert_int_equal(store_commit(db, &err), ST_OK);
    arena_free(&a);
}

/* The name snapshot s shows for workload id (NULL: none). */
static const char *name_in(const snapshot *s, int64_t id)
{
    snapshot_view v;
    snapshot_get_view(s, &v);
    for (size_t i = 0; i < v.p.n_workloads; i++)
        if (v.p.workloads[i].id == id)
            return v.p.workloads[i].name;
    return NULL;
}

static void pinned(void **state)
{
    (void)state;
    setenv("SWITCHYARD_TODAY", "2026-05-01", 1);
    log_set_level(LOG_ERROR);
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(db_path, sizeof db_path, "%s/sy_pinned_XXXXXX", dir);
    int fd = mkstemp(db_path);
    assert_true(fd >= 0);
    close(fd);
    sy_db *reader, *writer;
    store_err err;
    int applied;
    seed_report report;
    char msg[256];
    assert_int_equal(store_open(db_path, &writer, &err), ST_OK);
    assert_int_equal(store_migrate(writer, &applied, &err), ST_OK);
    assert_int_equal(seed_load(writer, 1, &report, msg, sizeof msg), 0);
    assert_int_equal(store_open(db_path, &reader, &err), ST_OK);

    snapshot *s = snapshot_obtain(writer, 1, &err);
    assert_non_null(s);
    snapshot_view v;
    snapshot_get_view(s, &v);
    assert_true(v.p.n_workloads > 1);
    int64_t wid = v.p.workloads[1].id;
    snapshot_release(s);

    rename_workload(writer, wid, "pinned one");
    uint64_t g1 = store_generation(writer), gen, cat;
    assert_int_equal(store_begin_read_pinned(reader, &gen, &cat, &err), ST_OK);
    assert_int_equal(gen, g1);
    /* Not inside a transaction. */
    store_err nested;
    uint64_t g_n, c_n;
    assert_int_equal(store_begin_read_pinned(reader, &g_n, &c_n, &nested), ST_ERROR);

    /* A commit after the pin: the read still shows the pinned generation. */
    rename_workload(writer, wid, "pinned two");
    assert_int_equal(store_generation(writer), g1 + 1);
    arena a;
    arena_init(&a);
    workload w;
    assert_int_equal(store_workload_get(reader, wid, &a, &w, &err), ST_OK);
    assert_string_equal(w.name, "pinned one");
    store_change ch[4];
    assert_int_equal(store_changes_between(reader, g1 - 1, gen, ch, 4), 1);
    assert_int_equal(ch[0].kind, STORE_CHANGE_WORKLOAD);
    assert_int_equal(ch[0].id, wid);
    assert_int_equal(store_changes_since(reader, g1 - 1, ch, 4), 2);
    assert_int_equal(store_changes_between(reader, gen, gen, ch, 4), 0);

    /* The snapshot of the pinned generation, derived without a full build. */
    snapshot_build_stats before, after;
    snapshot_stats(&before);
    s = snapshot_obtain_at(reader, gen, cat, &err);
    assert_non_null(s);
    assert_string_equal(name_in(s, wid), "pinned one");
    snapshot_release(s);
    store_end_read(reader);
    snapshot_stats(&after);
    assert_int_equal(after.count[0], before.count[0]);
    assert_int_equal(after.count[1], before.count[1] + 1);

    /* Pinned again, then the cache moves past it: refused. */
    assert_int_equal(store_begin_read_pinned(reader, &gen, &cat, &err), ST_OK);
    assert_int_equal(gen, g1 + 1);
    rename_workload(writer, wid, "pinned three");
    s = snapshot_obtain(writer, 1, &err);
    assert_non_null(s);
    assert_string_equal(name_in(s, wid), "pinned three");
    snapshot_release(s);
    assert_null(snapshot_obtain_at(reader, gen, cat, &err));
    assert_int_equal(err.code, ST_BUSY);
    store_end_read(reader);

    /* What the chain of derivations shows equals a full build. */
    s = snapshot_obtain(reader, 1, &err);
    assert_non_null(s);
    snapshot *full = snapshot_build_private(writer, &err);
    assert_non_null(full);
    snapshot_view d, f;
    snapshot_get_view(s, &d);
    snapshot_get_view(full, &f);
    assert_int_equal(d.p.n_workloads, f.p.n_workloads);
    for (size_t i = 0; i < f.p.n_workloads; i++) {
        assert_int_equal(d.p.workloads[i].id, f.p.workloads[i].id);
        assert_string_equal(d.p.workloads[i].name, f.p.workloads[i].name);
        assert_int_equal(d.risk[i].score, f.risk[i].score);
        assert_int_equal(d.risk[i].priority, f.risk[i].priority);
        assert_int_equal(d.risk[i].flagged, f.risk[i].flagged);
    }
    snapshot_release(full);
    snapshot_release(s);
    arena_free(&a);
    store_close(reader);
    store_close(writer);
}

static int teardown(void **state)
{
    (void)state;
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char name[128];
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s%s", db_path, suffixes[i]);
        unlink(name);
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(pinned, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
