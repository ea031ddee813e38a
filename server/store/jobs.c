/* jobs.c - periodic jobs (the day's portfolio history, the webhook
 * worker's scan) run by one instance at a time when several share a
 * PostgreSQL database: each job has a session-level advisory lock, tried
 * without waiting; an instance that finds it taken skips its turn, since
 * the holder is doing the same work. Counts every turn by outcome for
 * /metrics. On SQLite the lock is always granted. */
#include <stdatomic.h>

#include "common/log.h"
#include "store/internal.h"

/* "SWITCHYD" as a big-endian 64-bit number, the writers' lock (postgres_int.h);
 * job n locks STORE_JOB_KEY_BASE + 1 + n: 6005349254376741189 (history),
 * 6005349254376741190 (webhooks). */
#define STORE_JOB_KEY_BASE INT64_C(6005349254376741188)

const char *const STORE_JOB_NAMES[STORE_JOB_COUNT] = {"history", "webhooks"};
const char *const STORE_JOB_OUTCOMES[JOB_OUTCOMES] = {"ran", "busy", "done"};

static _Atomic uint64_t counts[STORE_JOB_COUNT][JOB_OUTCOMES];

static int64_t key_of(store_job job)
{
    return STORE_JOB_KEY_BASE + 1 + (int64_t)job;
}

int store_shared(const sy_db *db)
{
    return dconn_engine(db->conn) == DB_POSTGRES;
}

int store_job_begin(sy_db *db, store_job job)
{
    int got = dconn_try_lock(db->conn, key_of(job));
    if (got < 0)
        log_msg(LOG_WARN, "jobs: cannot take the %s lock: %s", STORE_JOB_NAMES[job],
                dconn_errmsg(db->conn));
    else if (got == 0)
        counts[job][JOB_BUSY]++;
    return got;
}

void store_job_end(sy_db *db, store_job job, store_job_outcome outcome)
{
    counts[job][outcome == JOB_DONE ? JOB_DONE : JOB_RAN]++;
    /* A failed unlock leaves the lock to the session's end: logged. */
    if (dconn_unlock(db->conn, key_of(job)) != 0)
        log_msg(LOG_WARN, "jobs: cannot release the %s lock: %s", STORE_JOB_NAMES[job],
                dconn_errmsg(db->conn));
}

uint64_t store_job_count(store_job job, store_job_outcome outcome)
{
    return counts[job][outcome];
}

void store_revive(sy_db *db)
{
    if (dconn_revive(db->conn) != 0)
        log_msg(LOG_WARN, "store: reconnecting an idle connection failed: %s",
                dconn_errmsg(db->conn));
}
