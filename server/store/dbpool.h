/* dbpool.h - a fixed set of database connections shared by the worker
 * threads.
 *
 * CivetWeb gives every open connection its own thread, so there may be
 * hundreds of threads; only a few should touch the database at once. The
 * pool bounds both the memory held by database connections and the number
 * of requests computing at the same time, which keeps a fresh request's
 * wait short on a busy machine: it queues behind a few short requests
 * instead of sharing the CPU with every busy connection. Writers have a
 * smaller quota of their own, so a burst of writes (which queue on the
 * store's writer lock anyway) never takes every connection from readers. */
#ifndef SY_DBPOOL_H
#define SY_DBPOOL_H

#include "store/store.h"

typedef struct dbpool dbpool;

/* A pool of up to `size` connections to `target` (opened on demand), of
 * which at most `writers` go to write requests at once. NULL when out of
 * memory. */
dbpool *dbpool_create(const char *target, int size, int writers);
/* Closes every connection; nothing may be borrowed. NULL-safe. */
void dbpool_destroy(dbpool *p);

/* Borrows a connection, waiting up to timeout_ms for one. NULL on timeout
 * or when a connection cannot be opened (logged). */
sy_db *dbpool_acquire(dbpool *p, int writer, int timeout_ms);
/* Returns a borrowed connection (NULL: nothing to return). Any open
 * transaction is rolled back first. */
void dbpool_release(dbpool *p, sy_db *db, int writer);

/* Calls fn(arg) whenever a caller has to wait (for a connection or a
 * writer turn), under the pool's lock and just before it sleeps: a test
 * waits for this event instead of sleeping and hoping the other thread has
 * queued. fn must not call the pool. NULL fn: no call. */
void dbpool_on_wait(dbpool *p, void (*fn)(void *arg), void *arg);

/* What /metrics shows of the pool: how often a caller had to wait (for a
 * connection or a writer turn), for how long in all, how often in vain. */
typedef struct dbpool_stats_t {
    uint64_t waits, timeouts;
    double wait_seconds;
    int size, opened, idle;
} dbpool_stats_t;
void dbpool_stats(dbpool *p, dbpool_stats_t *out);

/* The default pool size for this machine: two per CPU, at least 4. */
int dbpool_default_size(void);

#endif
