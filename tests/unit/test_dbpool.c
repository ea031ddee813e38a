/* test_dbpool.c - the pool of database connections (server/store/dbpool):
 * connections open on demand and are reused, a full pool makes the next
 * caller wait and then time out, writers are held to their quota while
 * readers still get in, a release wakes a waiter in another thread, an
 * unopenable database gives NULL without leaking a slot, and a borrowed
 * connection comes back with its transaction rolled back. The waiter is
 * observed through the pool's wait event (dbpool_on_wait), not a sleep. */
#include <pthread.h>
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
#include "common/text.h"
#include "store/dbpool.h"

typedef struct fixture {
    char path[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->path, sizeof f->path, "/tmp/sy-pool-%ld.db", (long)getpid());
    sy_db *db = NULL;
    store_err err;
    int applied;
    if (store_open(f->path, &db, &err) != ST_OK || store_migrate(db, &applied, &err) != ST_OK) {
        store_close(db);
        free(f);
        return -1;
    }
    store_close(db);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[96];
        snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    free(f);
    return 0;
}

static void reuses_connections_and_times_out_when_full(void **state)
{
    fixture *f = *state;
    dbpool *p = dbpool_create(f->path, 2, 1);
    assert_non_null(p);
    sy_db *a = dbpool_acquire(p, 0, 1000);
    sy_db *b = dbpool_acquire(p, 0, 1000);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    double t0 = clock_mono_ms();
    assert_null(dbpool_acquire(p, 0, 100));
    assert_true(clock_mono_ms() - t0 >= 90);
    dbpool_release(p, a, 0);
    sy_db *c = dbpool_acquire(p, 0, 100);
    assert_ptr_equal(c, a); /* reused, not opened again */
    dbpool_release(p, b, 0);
    dbpool_release(p, c, 0);
    dbpool_release(p, NULL, 0); /* nothing to return */
    dbpool_destroy(p);
    dbpool_destroy(NULL);
}

static void writers_keep_to_their_quota(void **state)
{
    fixture *f = *state;
    dbpool *p = dbpool_create(f->path, 3, 1);
    assert_non_null(p);
    sy_db *w = dbpool_acquire(p, 1, 1000);
    assert_non_null(w);
    assert_null(dbpool_acquire(p, 1, 50)); /* the one writer turn is taken */
    sy_db *r = dbpool_acquire(p, 0, 50);   /* readers still get in */
    assert_non_null(r);
    dbpool_release(p, w, 1);
    sy_db *w2 = dbpool_acquire(p, 1, 50);
    assert_non_null(w2);
    dbpool_release(p, w2, 1);
    dbpool_release(p, r, 0);
    dbpool_destroy(p);
}

typedef struct waiter {
    dbpool *pool;
    sy_db *got;
} waiter;

/* The pool's wait event, observed: set once a caller queues. */
typedef struct queued {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int waiting;
} queued;

static void on_wait(void *arg)
{
    queued *q = arg;
    pthread_mutex_lock(&q->lock);
    q->waiting++;
    pthread_cond_signal(&q->cond);
    pthread_mutex_unlock(&q->lock);
}

static void wait_until_queued(queued *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->waiting == 0)
        pthread_cond_wait(&q->cond, &q->lock);
    pthread_mutex_unlock(&q->lock);
}

static void *wait_for_connection(void *arg)
{
    waiter *w = arg;
    w->got = dbpool_acquire(w->pool, 0, 5000);
    return NULL;
}

static void release_wakes_a_waiter(void **state)
{
    fixture *f = *state;
    dbpool *p = dbpool_create(f->path, 1, 1);
    assert_non_null(p);
    sy_db *only = dbpool_acquire(p, 0, 1000);
    assert_non_null(only);
    queued q = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    dbpool_on_wait(p, on_wait, &q);
    waiter w = {p, NULL};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, wait_for_connection, &w), 0);
    wait_until_queued(&q); /* the other thread is waiting: no sleep, no race */
    /* Left in a transaction: the pool rolls it back on the way in. */
    store_err err;
    assert_int_equal(store_begin_write(only, &err), ST_OK);
    dbpool_release(p, only, 0);
    pthread_join(t, NULL);
    assert_ptr_equal(w.got, only);
    assert_false(store_in_transaction(w.got));
    dbpool_release(p, w.got, 0);
    dbpool_destroy(p);
}

static void unopenable_database_frees_its_slot(void **state)
{
    (void)state;
    dbpool *p = dbpool_create("/nonexistent-dir/x/y.db", 1, 1);
    assert_non_null(p);
    assert_null(dbpool_acquire(p, 1, 100));
    assert_null(dbpool_acquire(p, 1, 100)); /* not "full": the slot came back */
    dbpool_destroy(p);
}

int main(void)
{
    log_set_level(-1); /* the unopenable case logs an error; keep quiet */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reuses_connections_and_times_out_when_full, setup, teardown),
        cmocka_unit_test_setup_teardown(writers_keep_to_their_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(release_wakes_a_waiter, setup, teardown),
        cmocka_unit_test_setup_teardown(unopenable_database_frees_its_slot, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
