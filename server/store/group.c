/* group.c - group commit for the server's write requests, on SQLite and
 * PostgreSQL; see store.h (store_group_*).
 *
 * The disk flushes a commit in a few ms and writers commit one at a time
 * (the audit chain needs order), so one COMMIT per write caps writes near
 * the disk's fsyncs per second. Here the write requests that wait for the
 * writer turn meanwhile run in the SAME transaction, one after the other,
 * on one connection (the batch connection), each write inside its own
 * SAVEPOINT: a write that fails rolls back to its savepoint alone. A
 * write's store_commit records what it changed and hands the turn on (its
 * savepoint is released by the next member, in the round trip that sets
 * that member's own, or by the COMMIT); the batch commits once, when nobody waits for the turn
 * or at GROUP_MAX writes or GROUP_MS, and only then does each member's
 * store_commit return (ST_OK, or an error for every member when the COMMIT
 * failed: nothing of theirs is acknowledged). What follows a commit (the
 * change counter and generations, one change record per member, the audit
 * head, the checkpointer's hook) runs once for the batch (db.c,
 * db_batch_commit). After its commit a member continues (reads back,
 * scores, answers) on a pooled connection of its own, which sees the
 * committed data.
 *
 * A request's handle (a "shell" sy_db) runs on a pooled connection until
 * its store_begin_write, which gives that back and waits for the turn (the
 * window the writer lock covered before: from BEGIN to COMMIT); in the
 * turn it borrows the batch connection and its statement cache; after its
 * commit it runs on a pooled connection again. Members waiting for the
 * turn or for their batch's COMMIT hold no connection. The fields of `g` that the batch owns (open, failed,
 * started, the audit head) are touched only by the turn's holder; the
 * member list and counts under g.lock. */
#include "store/internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/text.h"
#include "common/wait.h"
#include "store/dbpool.h"

#define GROUP_MAX 64          /* writes in one batch */
#define GROUP_MS 10.0         /* age of a batch after which it commits */
#define GROUP_CHANGES 128     /* change records kept; beyond: "unknown" */
#define GROUP_POST_WAIT_MS 10000

enum { SHELL_NONE = 0, SHELL_TURN = 1, SHELL_POOLED = 2 };

typedef struct member {
    struct member *next;
    int done, code;
    int64_t settle;
} member;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t turn, done;
    dbpool *pool;               /* NULL: group commit is off */
    const char *target;
    sy_db *batch;               /* the batch connection, opened on first use */
    int busy, waiting;          /* the turn is held; threads waiting for it */
    /* the open batch; held: the last member's savepoint is still open (the
     * next member releases it with the same round trip that sets its own,
     * or the COMMIT does) */
    int open, failed, held;
    double started;
    int64_t audit_seq;
    char audit_hash[65];
    int members, loud, catalogue, audited, overflow, n_changes;
    db_change changes[GROUP_CHANGES];
    member *list;
    group_stats stats;
} g = {.lock = PTHREAD_MUTEX_INITIALIZER,
       .turn = PTHREAD_COND_INITIALIZER,
       .done = PTHREAD_COND_INITIALIZER};

int store_group_start(dbpool *pool, const char *target)
{
    /* A wait for the turn times out on the monotonic clock (nobody waits
     * yet: group commit is off until g.pool is set). */
    pthread_cond_destroy(&g.turn);
    if (cond_init_monotonic(&g.turn) != 0)
        return -1;
    g.pool = pool;
    g.target = target;
    return 0;
}

void store_group_stop(void)
{
    /* Round trips on the batch connection: what the turns and the commits
     * cost, to divide by the writes (bench/pg_writes.sh prints this line). */
    if (g.stats.batches)
        log_msg(LOG_INFO,
                "group commit: %llu writes in %llu commits (largest %llu, %llu failed), "
                "%llu round trips on the batch connection",
                (unsigned long long)g.stats.writes, (unsigned long long)g.stats.batches,
                (unsigned long long)g.stats.largest, (unsigned long long)g.stats.failed,
                (unsigned long long)g.stats.round_trips);
    store_close(g.batch);
    g.batch = NULL;
    g.pool = NULL;
}

void store_group_stats(group_stats *out)
{
    pthread_mutex_lock(&g.lock);
    *out = g.stats;
    pthread_mutex_unlock(&g.lock);
    out->all_round_trips = dconn_round_trips_total();
}

int store_group_on(void)
{
    return g.pool != NULL;
}

/* Moves connection, statement cache and what was last seen through the
 * connection from `from` to `to` (SQLite's data_version counts per
 * connection: a value seen through one compared with another's would
 * look like a move). */
static void move_conn(sy_db *to, sy_db *from)
{
    to->conn = from->conn;
    to->cache = from->cache;
    to->cached = from->cached;
    to->cache_cap = from->cache_cap;
    to->last_change = from->last_change;
    from->conn = NULL;
    from->cache = NULL;
    from->cached = from->cache_cap = 0;
}

/* Waits for the turn; 0, or -1 after timeout_ms. */
static int take_turn(int timeout_ms)
{
    struct timespec dl = monotonic_in(timeout_ms);
    int rc = 0;
    pthread_mutex_lock(&g.lock);
    g.waiting++;
    while (g.busy && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&g.turn, &g.lock, &dl);
    g.waiting--;
    int got = !g.busy;
    if (got)
        g.busy = 1;
    pthread_mutex_unlock(&g.lock);
    return got ? 0 : -1;
}

/* The turn's holder borrows the batch connection (opening it first). */
static int borrow_batch(sy_db *shell)
{
    if (!g.batch) {
        store_err err;
        if (store_open(g.target, &g.batch, &err) != ST_OK) {
            log_msg(LOG_ERROR, "group commit: cannot open the database: %s", err.detail);
            return -1;
        }
    } else if (!g.open) {
        store_revive(g.batch);
    }
    move_conn(shell, g.batch);
    shell->group = SHELL_TURN;
    return 0;
}

/* Ends the open batch: COMMIT (or ROLLBACK when it failed or holds no
 * write), then answers its members and frees the turn. */
static void finish_batch(void)
{
    int code = ST_OK;
    int64_t settle = -1;
    if (g.failed || g.members == 0) {
        if (dconn_exec(g.batch->conn, "ROLLBACK") != 0)
            log_msg(LOG_ERROR, "group commit: rollback: %s", dconn_errmsg(g.batch->conn));
        db_writer_give();
        code = g.members ? ST_IO : ST_OK;
    } else {
        store_err err;
        code = db_batch_commit(g.batch, g.changes, g.n_changes, g.overflow, g.loud, g.catalogue,
                               g.audited, g.audit_seq, g.audit_hash, &settle, &err);
    }
    /* Read by the turn's holder, which alone uses the connection. */
    uint64_t trips = g.batch->conn ? dconn_round_trips(g.batch->conn) : 0;
    pthread_mutex_lock(&g.lock);
    g.stats.round_trips = trips;
    for (member *m = g.list; m; m = m->next) {
        m->code = code;
        m->settle = settle;
        m->done = 1;
    }
    if (g.members) {
        g.stats.batches++;
        g.stats.writes += (uint64_t)g.members;
        if ((uint64_t)g.members > g.stats.largest)
            g.stats.largest = (uint64_t)g.members;
        if (code != ST_OK)
            g.stats.failed++;
    }
    g.list = NULL;
    g.open = g.failed = g.held = 0;
    g.members = g.loud = g.catalogue = g.audited = g.overflow = g.n_changes = 0;
    g.audit_seq = 0;
    g.busy = 0;
    pthread_cond_broadcast(&g.done);
    if (g.waiting)
        pthread_cond_signal(&g.turn);
    pthread_mutex_unlock(&g.lock);
}

/* The turn's holder (its connection already given back) leaves: it hands
 * the turn to a waiting writer while the batch may grow, else ends it. */
static void leave_turn(void)
{
    pthread_mutex_lock(&g.lock);
    if (!g.open)
        g.failed = 0;
    int grow = g.waiting > 0 && !g.failed && g.members < GROUP_MAX &&
               clock_mono_ms() - g.started < GROUP_MS;
    if (!g.open || grow) {
        g.busy = 0;
        if (g.waiting)
            pthread_cond_signal(&g.turn);
        pthread_mutex_unlock(&g.lock);
        return;
    }
    pthread_mutex_unlock(&g.lock);
    finish_batch();
}

/* Lends a pooled connection to the shell (writer: from the writers'
 * quota, for the part of a request before its write). */
static int lend_pooled(sy_db *shell, int writer, int timeout_ms)
{
    sy_db *p = dbpool_acquire(g.pool, writer, timeout_ms);
    if (!p)
        return -1;
    move_conn(shell, p);
    shell->post = p;
    shell->post_writer = writer;
    shell->group = SHELL_POOLED;
    return 0;
}

sy_db *store_group_enter(int timeout_ms)
{
    sy_db *shell = calloc(1, sizeof *shell);
    if (shell && lend_pooled(shell, 1, timeout_ms) != 0) {
        free(shell);
        shell = NULL;
    }
    return shell;
}

/* Gives the batch connection back and leaves the turn. */
static void shell_leave_turn(sy_db *shell)
{
    if (shell->in_write)
        group_rollback(shell);
    /* A read snapshot left open outside a batch (never inside one: the
     * batch's transaction is the snapshot there). */
    if (!g.open && dconn_in_transaction(shell->conn) && dconn_exec(shell->conn, "ROLLBACK") != 0)
        log_msg(LOG_ERROR, "group commit: rollback: %s", dconn_errmsg(shell->conn));
    shell->in_read = 0;
    move_conn(g.batch, shell);
    shell->group = SHELL_NONE;
    leave_turn();
}

/* Gives the pooled connection back. */
static void shell_leave_post(sy_db *shell)
{
    sy_db *p = shell->post;
    move_conn(p, shell);
    p->in_read = 0;
    shell->in_read = 0;
    shell->post = NULL;
    shell->group = SHELL_NONE;
    dbpool_release(g.pool, p, shell->post_writer);
}

void store_group_leave(sy_db *shell)
{
    if (!shell)
        return;
    if (shell->group == SHELL_TURN)
        shell_leave_turn(shell);
    else if (shell->group == SHELL_POOLED)
        shell_leave_post(shell);
    free(shell);
}

int group_begin_write(sy_db *db, store_err *err)
{
    if (db->group != SHELL_TURN) {
        /* The write's turn: the pooled connection goes back meanwhile. */
        if (db->in_read) {
            err_set(err, ST_ERROR, "", "A read snapshot is open.");
            return ST_ERROR;
        }
        if (db->group == SHELL_POOLED)
            shell_leave_post(db);
        int got = take_turn(GROUP_POST_WAIT_MS) == 0;
        if (!got || borrow_batch(db) != 0) {
            if (got)
                leave_turn();
            err_set(err, ST_BUSY, "", "The server is busy; try again shortly.");
            return ST_BUSY;
        }
    }
    int code;
    if (g.failed) {
        /* The batch's transaction is lost: it will roll back; join none. */
        err_set(err, ST_IO, "", "The write could not be committed; nothing of it was saved.");
        return ST_IO;
    }
    if (!g.open) {
        db_writer_take();
        if (dconn_begin_write(db->conn) != 0) {
            code = db_fail(db, err, "begin write");
            db_writer_give();
            return code;
        }
        g.open = 1;
        g.started = clock_mono_ms();
        g.audit_seq = 0;
        (void)dconn_queue_failed(db->conn); /* a new transaction */
    }
    /* Queued: they go out with the member's first statement, one round
     * trip (a failure there fails the batch, see group_rollback). */
    if ((g.held && dconn_queue(db->conn, "RELEASE SAVEPOINT sy_write") != 0) ||
        dconn_queue(db->conn, "SAVEPOINT sy_write") != 0) {
        g.failed = 1; /* the batch's transaction is in doubt */
        return db_fail(db, err, "begin write");
    }
    g.held = 0;
    db->in_write = 1;
    db->audit_seq = g.audit_seq;
    memcpy(db->audit_hash, g.audit_hash, sizeof db->audit_hash);
    return ST_OK;
}

static void clear_write(sy_db *db)
{
    db_forget_write(db);
    db->audit_seq = 0;
    db->in_write = 0;
}

void group_rollback(sy_db *db)
{
    if (db->in_write &&
        dconn_exec(db->conn, "ROLLBACK TO SAVEPOINT sy_write; RELEASE SAVEPOINT sy_write") != 0) {
        log_msg(LOG_ERROR, "group commit: rollback to savepoint: %s", dconn_errmsg(db->conn));
        g.failed = 1;
    }
    /* A lost connection takes the whole batch with it; so does a queued
     * command that failed (another member's audit event, a savepoint):
     * the savepoint rolled back to may not be this member's. */
    if (db->in_write && (!dconn_in_transaction(db->conn) || dconn_queue_failed(db->conn)))
        g.failed = 1;
    clear_write(db);
}

/* Adds the member's write to the batch (under g.lock). */
static void record_member(sy_db *db, member *m)
{
    if (!db->quiet_write) {
        g.loud = 1;
        int kind;
        int64_t id;
        db_member_change(db, &kind, &id);
        if (g.n_changes < GROUP_CHANGES)
            g.changes[g.n_changes++] = (db_change){kind, id, db->touched_identity};
        else
            g.overflow = 1;
    }
    g.catalogue |= db->touched_catalogue;
    g.audited |= db->audited;
    if (db->audit_seq > 0) {
        g.audit_seq = db->audit_seq;
        memcpy(g.audit_hash, db->audit_hash, sizeof g.audit_hash);
    }
    m->next = g.list;
    g.list = m;
    g.members++;
}

int group_commit(sy_db *db, store_err *err)
{
    if (!db->in_write)
        return ST_OK;
    member m = {0};
    pthread_mutex_lock(&g.lock);
    g.held = 1; /* its savepoint: released by the next member or the COMMIT */
    record_member(db, &m);
    pthread_mutex_unlock(&g.lock);
    clear_write(db);
    shell_leave_turn(db);
    pthread_mutex_lock(&g.lock);
    while (!m.done)
        pthread_cond_wait(&g.done, &g.lock);
    pthread_mutex_unlock(&g.lock);
    if (m.code != ST_OK) {
        err_set(err, ST_IO, "", "The write could not be committed; nothing of it was saved.");
        return ST_IO;
    }
    db_settle_after(m.settle);
    /* The rest of the request (reading back, scoring, answering) runs on a
     * pooled connection, which sees what was committed. */
    if (lend_pooled(db, 0, GROUP_POST_WAIT_MS) != 0) {
        err_set(err, ST_BUSY, "", "The server is busy; try again shortly.");
        return ST_BUSY;
    }
    return ST_OK;
}
