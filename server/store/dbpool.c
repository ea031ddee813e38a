/* dbpool.c - the shared database connections; see dbpool.h.
 *
 * One mutex guards a stack of idle connections. Waiters sleep on one of two
 * condition variables (a free connection; a free writer turn) and each
 * release wakes exactly one, so a busy pool does not stampede. */
#include "store/dbpool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/text.h"
#include "common/wait.h"

struct dbpool {
    pthread_mutex_t lock;
    pthread_cond_t conn_free;     /* an idle connection or room to open one */
    pthread_cond_t writer_free;   /* a writer turn */
    const char *target;
    int size, writers;
    int opened;                   /* connections that exist */
    int idle;                     /* of which on the stack */
    int writing;                  /* writer turns taken */
    int conn_waiters, writer_waiters;
    sy_db **stack;                /* idle connections, `idle` of them */
    void (*on_wait)(void *arg);   /* called as a caller starts to wait */
    void *on_wait_arg;
    dbpool_stats_t stats;         /* waits and their time, timeouts */
};

int dbpool_default_size(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int n = cpus > 0 && cpus < 64 ? (int)cpus * 2 : 4;
    return n < 4 ? 4 : n;
}

dbpool *dbpool_create(const char *target, int size, int writers)
{
    dbpool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->stack = calloc((size_t)size, sizeof *p->stack);
    int ok = p->stack && cond_init_monotonic(&p->conn_free) == 0;
    if (ok && cond_init_monotonic(&p->writer_free) != 0) {
        pthread_cond_destroy(&p->conn_free);
        ok = 0;
    }
    if (!ok || pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p->stack);
        free(p);
        return NULL;
    }
    p->target = target;
    p->size = size;
    p->writers = writers < 1 ? 1 : writers > size ? size : writers;
    return p;
}

void dbpool_destroy(dbpool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->idle; i++)
        store_close(p->stack[i]);
    pthread_cond_destroy(&p->conn_free);
    pthread_cond_destroy(&p->writer_free);
    pthread_mutex_destroy(&p->lock);
    free(p->stack);
    free(p);
}

void dbpool_stats(dbpool *p, dbpool_stats_t *out)
{
    pthread_mutex_lock(&p->lock);
    *out = p->stats;
    out->size = p->size;
    out->opened = p->opened;
    out->idle = p->idle;
    pthread_mutex_unlock(&p->lock);
}

void dbpool_on_wait(dbpool *p, void (*fn)(void *arg), void *arg)
{
    pthread_mutex_lock(&p->lock);
    p->on_wait = fn;
    p->on_wait_arg = arg;
    pthread_mutex_unlock(&p->lock);
}

/* Waits on cond until ready() or the deadline; 0 when ready. */
static int wait_for(dbpool *p, pthread_cond_t *cond, int *waiters,
                    int (*ready)(const dbpool *), const struct timespec *deadline)
{
    int rc = 0;
    if (ready(p))
        return 0;
    (*waiters)++;
    if (p->on_wait)
        p->on_wait(p->on_wait_arg);
    double started = clock_mono_ms();
    while (!ready(p) && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(cond, &p->lock, deadline);
    (*waiters)--;
    p->stats.waits++;
    p->stats.wait_seconds += (clock_mono_ms() - started) / 1000.0;
    if (!ready(p))
        p->stats.timeouts++;
    return ready(p) ? 0 : -1;
}

static int conn_ready(const dbpool *p)
{
    return p->idle > 0 || p->opened < p->size;
}

static int writer_ready(const dbpool *p)
{
    return p->writing < p->writers;
}

/* A waiter that leaves (timed out, or done) passes on a wake-up it may have
 * swallowed, so that a free resource never sits beside a sleeper. */
static void pass_on(dbpool *p)
{
    if (p->conn_waiters && conn_ready(p))
        pthread_cond_signal(&p->conn_free);
    if (p->writer_waiters && writer_ready(p))
        pthread_cond_signal(&p->writer_free);
}

sy_db *dbpool_acquire(dbpool *p, int writer, int timeout_ms)
{
    struct timespec deadline = monotonic_in(timeout_ms);
    sy_db *db = NULL;
    int open_new = 0;
    pthread_mutex_lock(&p->lock);
    if (writer && wait_for(p, &p->writer_free, &p->writer_waiters, writer_ready, &deadline) != 0)
        goto out;
    if (wait_for(p, &p->conn_free, &p->conn_waiters, conn_ready, &deadline) != 0)
        goto out;
    if (writer)
        p->writing++;
    if (p->idle > 0) {
        db = p->stack[--p->idle];
    } else {
        p->opened++; /* reserve the slot; open outside the lock */
        open_new = 1;
    }
out:
    pass_on(p);
    pthread_mutex_unlock(&p->lock);
    if (db && !open_new)
        store_revive(db); /* the server may have ended its session meanwhile */
    if (open_new) {
        store_err err;
        if (store_open(p->target, &db, &err) != ST_OK) {
            log_msg(LOG_ERROR, "pool: cannot open the database: %s", err.detail);
            pthread_mutex_lock(&p->lock);
            p->opened--;
            if (writer)
                p->writing--;
            pass_on(p);
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
    }
    return db;
}

void dbpool_release(dbpool *p, sy_db *db, int writer)
{
    if (!db)
        return;
    store_rollback(db); /* a handler that forgot its transaction */
    pthread_mutex_lock(&p->lock);
    p->stack[p->idle++] = db;
    if (writer)
        p->writing--;
    pass_on(p);
    pthread_mutex_unlock(&p->lock);
}
