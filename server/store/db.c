/* db.c - connections, transactions, data generations, settings and counts,
 * over the engine-neutral driver (driver.h; the engine sets its connection
 * up, e.g. SQLite's WAL journal and synchronous=FULL).
 *
 * Writers are serialised in this process by the writer token before they
 * reach the engine (which serialises them across processes: BEGIN
 * IMMEDIATE, or PostgreSQL's advisory lock), so they queue here rather than
 * in a busy handler. The server's write requests on PostgreSQL share
 * transactions (group commit, group.c): store_begin_write, store_commit
 * and store_rollback of their handles go there. */
#include "store/internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/text.h"

/* The writer token (db_writer_take): a flag under a mutex rather than a
 * mutex held across the transaction, since a group commit's batch may be
 * begun by one thread and committed by another. */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t writer_free = PTHREAD_COND_INITIALIZER;
static int writer_held;

void db_writer_take(void)
{
    pthread_mutex_lock(&writer_lock);
    while (writer_held)
        pthread_cond_wait(&writer_free, &writer_lock);
    writer_held = 1;
    pthread_mutex_unlock(&writer_lock);
}

void db_writer_give(void)
{
    pthread_mutex_lock(&writer_lock);
    writer_held = 0;
    pthread_cond_signal(&writer_free);
    pthread_mutex_unlock(&writer_lock);
}
static _Atomic uint64_t generation = 1;

/* What each recent generation changed, for store_changes_since: one
 * workload, offering or contract, or one workload's drills or acceptances
 * (a STORE_CHANGE_* kind and an id); 0 for nothing a portfolio snapshot
 * shows (a user, a scenario); CHANGE_UNKNOWN for anything else (vendors,
 * weights, several records, another process's write). Guarded by
 * changes_lock, which also orders every move of the generation with its
 * record. */
#define CHANGE_RING 1024
#define CHANGE_UNKNOWN (-1)
static pthread_mutex_t changes_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    uint64_t generation;
    int kind;
    int64_t id;
} changes[CHANGE_RING];

static _Atomic uint64_t catalogue_generation = 1;

/* What credentials are verified at (store_auth_generation): moves with the
 * data generation, and also whenever an SQLite connection sees any commit
 * it cannot prove was this process's own bookkeeping. */
static _Atomic uint64_t auth_generation = 1;

/* 1 when a committed change may take a credential away: all but one of
 * this process's own workload, offering or contract writes that touched no
 * user, token or session (db_note_identity). */
static int moves_credentials(int kind, int identity)
{
    return identity || (kind != STORE_CHANGE_WORKLOAD && kind != STORE_CHANGE_OFFERING &&
                        kind != STORE_CHANGE_CONTRACT);
}

/* Under changes_lock. */
static void next_generation_locked(int kind, int64_t id, int identity)
{
    if (moves_credentials(kind, identity))
        auth_generation++;
    uint64_t g = ++generation;
    changes[g % CHANGE_RING].generation = g;
    changes[g % CHANGE_RING].kind = kind;
    changes[g % CHANGE_RING].id = id;
}

/* Commits by another process or instance noticed (store_outside_changes). */
static _Atomic uint64_t outside_changes;

uint64_t store_outside_changes(void)
{
    return outside_changes;
}

static void next_generation(int kind, int64_t id, int identity)
{
    pthread_mutex_lock(&changes_lock);
    next_generation_locked(kind, id, identity);
    pthread_mutex_unlock(&changes_lock);
}

/* The shared change counter is one exact sequence for every process and
 * instance on the database, its values handed out in commit order (writers
 * are serialised: PostgreSQL's advisory lock, SQLite's write lock). On
 * PostgreSQL each noted commit moves it by one; on SQLite triggers move it
 * once per row written (migration 0020). This process has accounted for
 * every value up to known_counter: its own commits, and others' it has
 * already started a generation for. A higher value seen is another
 * process's or instance's commit. Guarded by changes_lock; -1 until the
 * first connection looks. */
static int64_t known_counter = -1;
/* known_counter for a look without the lock (the common case: nothing new). */
static _Atomic int64_t known_mirror = -1;

/* Under changes_lock: a commit this process did not make. */
static void outside_change_locked(void)
{
    next_generation_locked(CHANGE_UNKNOWN, 0, 1);
    catalogue_generation++;
    outside_changes++;
}

/* Accounts for the counter's move from `from` to `to`: values up to `from`
 * that this process has not accounted for are another's commits; those
 * after it, up to `to`, are accounted for now (a look: from == to; this
 * process's write transaction, before its COMMIT so that no reader here
 * takes it for another's: the values it produced). */
static void account_span(int64_t from, int64_t to)
{
    if (to <= known_mirror)
        return; /* nothing new */
    pthread_mutex_lock(&changes_lock);
    if (known_counter < 0)
        known_counter = from; /* the past is nobody's news */
    if (from > known_counter)
        outside_change_locked();
    if (to > known_counter)
        known_counter = to;
    known_mirror = known_counter;
    pthread_mutex_unlock(&changes_lock);
}

/* Where this process's write transaction, about to COMMIT with counter
 * value `counted`, took the counter from: SQLite's value as the write lock
 * was taken; PostgreSQL's one before (one move per transaction). */
static int64_t own_span_from(dconn *c, int64_t counted)
{
    int64_t began = dconn_write_began(c);
    return began >= 0 ? began : counted - 1;
}

/* A commit that accounted for `counted` failed: its values are free again. */
static void unaccount_own(dconn *c, int64_t counted)
{
    int64_t from = own_span_from(c, counted);
    pthread_mutex_lock(&changes_lock);
    if (known_counter == counted)
        known_counter = from;
    known_mirror = known_counter;
    pthread_mutex_unlock(&changes_lock);
}

long store_changes_since(sy_db *db, uint64_t since, store_change *out, size_t cap)
{
    return store_changes_between(db, since, UINT64_MAX, out, cap);
}

long store_changes_between(sy_db *db, uint64_t since, uint64_t until, store_change *out,
                           size_t cap)
{
    store_generation(db); /* notices other processes' writes */
    long n = 0;
    pthread_mutex_lock(&changes_lock);
    uint64_t now = generation < until ? generation : until;
    if (since > now || now - since >= CHANGE_RING)
        n = -1;
    for (uint64_t g = since + 1; n >= 0 && g <= now; g++) {
        int kind = changes[g % CHANGE_RING].kind;
        if (changes[g % CHANGE_RING].generation != g || kind < 0 || (kind > 0 && (size_t)n == cap))
            n = -1;
        else if (kind > 0)
            out[n++] = (store_change){kind, changes[g % CHANGE_RING].id};
    }
    pthread_mutex_unlock(&changes_lock);
    return n;
}

void db_note_identity(sy_db *db)
{
    db->touched_identity = 1;
}

void db_note_workload(sy_db *db, int64_t id)
{
    db->touched_workload = db->touched_workload == 0 || db->touched_workload == id ? id : -1;
}

void db_note_catalogue(sy_db *db, int kind, int64_t id)
{
    db->touched_catalogue = 1;
    if (kind <= 0 || id <= 0)
        db->touched_kind = -1;
    else if (db->touched_kind == 0) {
        db->touched_kind = kind;
        db->touched_id = id;
    } else if (db->touched_kind != kind || db->touched_id != id)
        db->touched_kind = -1;
}

/* What a committed write changed, as one record of the change ring. */
void db_member_change(const sy_db *db, int *kind, int64_t *id)
{
    int64_t w = db->touched_workload;
    *kind = w > 0 ? STORE_CHANGE_WORKLOAD : w < 0 ? CHANGE_UNKNOWN : 0;
    *id = w > 0 ? w : 0;
    if (!db->touched_catalogue)
        return;
    int k = db->touched_kind;
    /* A workload's drill or acceptance may come with that workload's own
     * write; a catalogue record only alone. Anything else: unknown. */
    int alone = k == STORE_CHANGE_GOVERNANCE ? (w == 0 || w == db->touched_id) : w == 0;
    *kind = k > 0 && alone ? k : CHANGE_UNKNOWN;
    *id = k > 0 && alone ? db->touched_id : 0;
}
void store_generations(sy_db *db, uint64_t *data, uint64_t *catalogue)
{
    *data = store_generation(db); /* notices other processes' writes */
    *catalogue = catalogue_generation;
}

void store_trust_names(sy_db *db, int on)
{
    db->trust_names = on;
}

void store_mark_quiet(sy_db *db)
{
    db->quiet_write = 1;
}

uint64_t store_auth_generation(sy_db *db)
{
    store_generation(db);
    return auth_generation;
}

int store_sees_all_writes(sy_db *db)
{
    return dconn_sees_all_writes(db->conn);
}

int store_in_write(const sy_db *db)
{
    return db->in_write;
}

int store_in_transaction(const sy_db *db)
{
    return dconn_in_transaction(db->conn);
}

uint64_t store_generation(sy_db *db)
{
    if (dconn_engine(db->conn) == DB_POSTGRES) {
        /* The listener's value when it vouches for it and every writer
         * notifies (migration 0014); else one look at the database. */
        int64_t seen;
        if (!dconn_in_transaction(db->conn) && dconn_sees_all_writes(db->conn) &&
            listen_value(&seen)) {
            account_span(seen, seen);
            return generation;
        }
        seen = dconn_change_counter(db->conn);
        if (seen >= 0)
            account_span(seen, seen);
        return generation;
    }
    /* SQLite: data_version moves with any other connection's commit, ours
     * included; only then is the shared counter read (migration 0020), and
     * a value beyond what this process accounted for is another process's
     * commit. Without the counter (an older schema), any move is. Not
     * inside this process's own write transaction (or a batch's): its
     * triggers have moved the counter already, uncommitted. */
    if (db->in_write || db->group == 1)
        return generation;
    int64_t seen = dconn_change_counter(db->conn);
    if (seen != db->last_change) {
        int64_t shared = dconn_shared_counter(db->conn);
        if (shared >= 0) {
            account_span(shared, shared);
        } else {
            pthread_mutex_lock(&changes_lock);
            outside_change_locked();
            pthread_mutex_unlock(&changes_lock);
        }
        db->last_change = seen;
    }
    return generation;
}

void store_now(char out[21])
{
    clock_now_rfc3339(out);
}

static int exec(sy_db *db, const char *sql, store_err *err)
{
    return dconn_exec(db->conn, sql) == 0 ? ST_OK : db_fail(db, err, sql);
}

int store_target_is_file(const char *target)
{
    return dconn_engine_of(target) == DB_SQLITE;
}

void store_target_redact(const char *target, char *out, size_t size)
{
    if (!size)
        return;
    out[0] = '\0';
    if (!target)
        return;
    if (store_target_is_file(target)) {
        copy_str(out, size, target);
        return;
    }
    /* postgres://user:password@host:port/db?password=...&... */
    const char *auth = strstr(target, "://") + 3;
    size_t auth_len = strcspn(auth, "/?");
    const char *at = NULL;
    for (const char *p = auth; p < auth + auth_len; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    size_t o = 0;
    for (const char *p = target; *p && o + 1 < size;) {
        if (colon && p == colon + 1) {
            for (const char *r = "***"; *r && o + 1 < size; r++)
                out[o++] = *r;
            p = at;
            continue;
        }
        /* password=VALUE in the query string */
        if (p > auth + auth_len && (p[-1] == '?' || p[-1] == '&') &&
            strncmp(p, "password=", 9) == 0) {
            for (const char *r = "password=***"; *r && o + 1 < size; r++)
                out[o++] = *r;
            p += 9 + strcspn(p + 9, "&");
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}

int store_open(const char *path, sy_db **out, store_err *err)
{
    *out = NULL;
    sy_db *db = calloc(1, sizeof *db);
    if (!db) {
        err_set(err, ST_ERROR, "", "Out of memory.");
        return ST_ERROR;
    }
    char msg[256];
    if (!(db->conn = dconn_open(path, msg, sizeof msg))) {
        /* The engine's message names the cause for the operator; the
         * detail stays free of paths and engine text. */
        log_msg(LOG_ERROR, "store: open: %s", msg);
        err_set(err, ST_IO, "", "The database could not be opened.");
        free(db);
        return ST_IO;
    }
    /* Start from what this connection sees now, so its first look at the
     * generation does not mistake the past for another process's write. */
    db->last_change = dconn_change_counter(db->conn);
    int64_t counter = dconn_engine(db->conn) == DB_POSTGRES ? db->last_change
                                                            : dconn_shared_counter(db->conn);
    if (counter >= 0)
        account_span(counter, counter);
    *out = db;
    return ST_OK;
}

void store_close(sy_db *db)
{
    if (!db)
        return;
    if (db->in_write)
        store_rollback(db);
    dconn_close(db->conn); /* finalises the cached statements */
    free(db->cache);
    free(db);
}


int store_begin_write(sy_db *db, store_err *err)
{
    if (db->group)
        return group_begin_write(db, err);
    db_writer_take();
    if (dconn_begin_write(db->conn) != 0) {
        int code = db_fail(db, err, "begin write");
        db_writer_give();
        return code;
    }
    db->in_write = 1;
    return ST_OK;
}

/* This thread's last commit others must see before its answer goes out
 * (store_settle); -1: none. */
static _Thread_local int64_t settle_value = -1;

/* Called after each commit that appended audit events (set once before
 * serving: the checkpointer's wake-up). */
static void (*audit_hook)(void);

void store_on_audit_commit(void (*fn)(void))
{
    audit_hook = fn;
}

/* Called after each data commit (set once before serving: the webhook
 * worker's early wake-up). */
static void (*_Atomic data_hook)(uint64_t generation);

void store_on_data_commit(void (*fn)(uint64_t generation))
{
    data_hook = fn;
}

void db_forget_write(sy_db *db)
{
    db->audited = 0;
    db->touched_catalogue = 0;
    db->touched_kind = 0;
    db->touched_id = 0;
    db->touched_workload = 0;
    db->touched_identity = 0;
    db->quiet_write = 0;
}

int store_commit(sy_db *db, store_err *err)
{
    if (db->group == 1)
        return group_commit(db, err);
    int code = ST_OK;
    int64_t counted = -1;
    /* A write others must notice (not bookkeeping) tells the engine before
     * it commits: PostgreSQL bumps the shared change counter. Bookkeeping
     * may still move it (PostgreSQL's triggers watch nearly every table):
     * that value is this process's own too, or the notification would
     * later start a generation, dropping cached answers (and their ETags)
     * for a write that changed none. */
    int quiet = db->quiet_write;
    if (db->in_write && (quiet ? dconn_noted_change(db->conn, &counted)
                               : dconn_note_change(db->conn, &counted)) != 0)
        code = db_fail(db, err, "note change");
    if (code == ST_OK && counted >= 0)
        account_span(own_span_from(db->conn, counted), counted);
    if (code == ST_OK)
        code = exec(db, "COMMIT", err);
    if (code != ST_OK) {
        store_rollback(db);
        if (counted >= 0)
            unaccount_own(db->conn, counted);
    }
    else if (db->in_write) {
        if (!db->quiet_write) {
            int kind;
            int64_t id;
            db_member_change(db, &kind, &id);
            next_generation(kind, id, db->touched_identity);
            void (*on_data)(uint64_t) = data_hook;
            if (on_data)
                on_data(generation);
        }
        if (db->touched_catalogue)
            catalogue_generation++;
        audit_committed(db);
        void (*hook)(void) = audit_hook;
        if (db->audited && hook)
            hook();
        db_forget_write(db);
        db->in_write = 0;
        db_writer_give();
        /* The notification gets a moment to reach the listeners before the
         * answer goes out (store_settle), so that the next request through
         * another instance already knows of this commit. */
        if (counted >= 0 && !quiet && dconn_sees_all_writes(db->conn))
            settle_value = counted;
    }
    return code;
}

void db_settle_after(int64_t value)
{
    settle_value = value;
}

int db_batch_commit(sy_db *b, const db_change *records, int n, int overflow, int loud,
                    int catalogue, int audited, int64_t audit_seq, const char *audit_hash,
                    int64_t *settle, store_err *err)
{
    int code = ST_OK;
    int64_t counted = -1;
    *settle = -1;
    /* As store_commit: a batch of bookkeeping alone counts the value the
     * triggers noted as this process's own. */
    if ((loud ? dconn_note_change(b->conn, &counted) : dconn_noted_change(b->conn, &counted)) != 0)
        code = db_fail(b, err, "note change");
    if (code == ST_OK && counted >= 0)
        account_span(own_span_from(b->conn, counted), counted);
    if (code == ST_OK)
        code = exec(b, "COMMIT", err);
    if (code != ST_OK) {
        if (dconn_in_transaction(b->conn) && dconn_exec(b->conn, "ROLLBACK") != 0)
            log_msg(LOG_ERROR, "store: rollback: %s", dconn_errmsg(b->conn));
        if (counted >= 0)
            unaccount_own(b->conn, counted);
        db_writer_give();
        return code;
    }
    if (loud) {
        pthread_mutex_lock(&changes_lock);
        if (overflow)
            next_generation_locked(CHANGE_UNKNOWN, 0, 1);
        for (int i = 0; !overflow && i < n; i++)
            next_generation_locked(records[i].kind, records[i].id, records[i].identity);
        pthread_mutex_unlock(&changes_lock);
        void (*on_data)(uint64_t) = data_hook; /* as store_commit, once per batch */
        if (on_data)
            on_data(generation);
    }
    if (catalogue)
        catalogue_generation++;
    b->audit_seq = audit_seq;
    memcpy(b->audit_hash, audit_hash, sizeof b->audit_hash);
    audit_committed(b);
    void (*hook)(void) = audit_hook;
    if (audited && hook)
        hook();
    db_writer_give();
    if (loud && counted >= 0 && dconn_sees_all_writes(b->conn))
        *settle = counted;
    return ST_OK;
}

void store_settle(void)
{
    int64_t value = settle_value;
    settle_value = -1;
    /* Ours stands for the others' listeners: it waits for their
     * acknowledgements too. */
    if (value >= 0)
        listen_wait_for(value, 100);
}

void store_rollback(sy_db *db)
{
    if (db->group == 1) {
        group_rollback(db);
        return;
    }
    if (!db->conn)
        return; /* a group member whose batch failed: nothing of its own */
    db_forget_write(db);
    db->audit_seq = 0;
    if (dconn_in_transaction(db->conn) && dconn_exec(db->conn, "ROLLBACK") != 0)
        log_msg(LOG_ERROR, "store: rollback: %s", dconn_errmsg(db->conn));
    db->in_read = 0;
    if (db->in_write) {
        db->in_write = 0;
        db_writer_give();
    }
}

/* in_read counts nested begin/end pairs, so that an inner pair (e.g.
 * analysis_load inside a report's snapshot) neither ends the outer
 * snapshot early nor leaves it open. */
int store_begin_read(sy_db *db, store_err *err)
{
    if (db->in_read > 0) {
        db->in_read++;
        return ST_OK;
    }
    if (dconn_in_transaction(db->conn))
        return ST_OK; /* inside a write transaction: it is the snapshot */
    if (dconn_begin_read(db->conn) != 0)
        return db_fail(db, err, "begin read");
    db->in_read = 1;
    return ST_OK;
}

void store_end_read(sy_db *db)
{
    if (db->in_read == 0)
        return;
    /* A read-only snapshot has nothing to lose if COMMIT fails; say so. */
    if (--db->in_read == 0 && dconn_in_transaction(db->conn) &&
        dconn_exec(db->conn, "COMMIT") != 0)
        log_msg(LOG_ERROR, "store: end read: %s", dconn_errmsg(db->conn));
}

/* ---- settings ------------------------------------------------------------ */

static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?1";
static const char SQL_SETTING_SET[] =
    "INSERT INTO settings(key, value) VALUES (?1, ?2) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value";

int store_setting_get(sy_db *db, const char *key, arena *a, const char **value)
{
    *value = NULL;
    dstmt *st = db_stmt(db, SQL_SETTING_GET);
    if (!st)
        return ST_ERROR;
    bind_text(st, 1, key);
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW)
        *value = col_text(st, 0, a);
    dstmt_reset(st);
    if (rc == DB_ROW)
        return ST_OK;
    return rc == DB_DONE ? ST_NOT_FOUND : ST_ERROR;
}

int store_setting_set(sy_db *db, const char *key, const char *value, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_SETTING_SET);
    if (!st)
        return db_fail(db, err, "setting");
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return db_exec_stmt(db, st, err, "setting");
}

static const char SQL_COUNTS[] =
    "SELECT (SELECT COUNT(*) FROM vendors), (SELECT COUNT(*) FROM offerings), "
    "(SELECT COUNT(*) FROM contracts), (SELECT COUNT(*) FROM workloads)";

int store_counts_get(sy_db *db, store_counts *out, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_COUNTS);
    if (!st)
        return db_fail(db, err, "counts");
    db_step rc = dstmt_step(st);
    if (rc != DB_ROW) {
        dstmt_reset(st);
        return db_fail(db, err, "counts");
    }
    out->vendors = col_i64(st, 0);
    out->offerings = col_i64(st, 1);
    out->contracts = col_i64(st, 2);
    out->workloads = col_i64(st, 3);
    dstmt_reset(st);
    return ST_OK;
}
