/* driver.h - the two database engines behind one small API.
 *
 * The store's SQL files (vendors.c, workloads.c, ...) speak only this
 * header; sqlite.c implements it over SQLite 3 and postgres.c over libpq.
 * SQL handed to a driver is portable between SQLite 3.40 and PostgreSQL 15:
 * parameters are numbered ?1..?N (the PostgreSQL driver rewrites them to
 * $1..$N outside string literals), new ids come back through RETURNING id,
 * and engine-specific work (PRAGMAs, backups, schema version, change
 * detection) goes through the functions below, never through store SQL.
 *
 * Ownership: a dconn owns its statements; dconn_close finalises them. Text
 * returned by dstmt_col_text belongs to the statement and is valid until the
 * next step or reset. Nothing here is thread-safe: one dconn per thread. */
#ifndef SY_STORE_DRIVER_H
#define SY_STORE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

typedef struct dconn dconn;
typedef struct dstmt dstmt;

typedef enum { DB_SQLITE = 1, DB_POSTGRES = 2 } db_engine;

/* Results of dstmt_step; any failure is DB_FAIL with the cause available
 * from dconn_error. */
typedef enum { DB_ROW = 1, DB_DONE = 2, DB_FAIL = 3 } db_step;

/* Why the last call on a connection failed, independent of engine. */
typedef enum {
    DBE_NONE = 0,
    DBE_BUSY,          /* lock contention or serialisation failure: retry */
    DBE_FULL,          /* no space left */
    DBE_IO,            /* I/O error, read-only, cannot open, connection lost */
    DBE_CORRUPT,       /* the database is damaged */
    DBE_UNIQUE,        /* unique or primary key constraint */
    DBE_FOREIGN_KEY,   /* foreign key constraint */
    DBE_CONSTRAINT,    /* check, not-null or trigger abort */
    DBE_INVALID,       /* a value the engine refuses, e.g. text not UTF-8 */
    DBE_NOMEM,
    DBE_OTHER
} db_error;

/* Which engine a --db argument names: postgres:// or postgresql:// URLs
 * are PostgreSQL, anything else is an SQLite file path. */
db_engine dconn_engine_of(const char *target);

/* Opens a connection; on failure returns NULL and writes a message fit for
 * an operator (never a client) into msg. */
dconn *dconn_open(const char *target, char *msg, size_t size);
void dconn_close(dconn *c);
db_engine dconn_engine(const dconn *c);

/* Runs one or more statements without parameters or results (DDL, BEGIN,
 * COMMIT). Returns 0 or -1. */
int dconn_exec(dconn *c, const char *sql);

/* The cause and message of the last failure on this connection. The
 * message is for the server log only. */
db_error dconn_error(const dconn *c);
const char *dconn_errmsg(const dconn *c);

/* 1 while a transaction is open on this connection. */
int dconn_in_transaction(const dconn *c);

/* Prepares a statement, kept until dconn_close. NULL on failure. */
dstmt *dconn_prepare(dconn *c, const char *sql);
/* Clears the result and bindings so the statement can run again. */
void dstmt_reset(dstmt *s);
/* Highest parameter number the statement uses. */
int dstmt_param_count(const dstmt *s);

/* Binds parameter idx (1-based). Return 0 or -1. Text is copied. Any
 * number up to dstmt_param_count may be bound, including one the SQL skips
 * (sparse ?N). A failed bind also makes the next dstmt_step return DB_FAIL
 * (until dstmt_reset), so callers may check binds once, at the step. */
int dstmt_bind_i64(dstmt *s, int idx, int64_t v);
int dstmt_bind_text(dstmt *s, int idx, const char *text); /* NULL binds NULL */
int dstmt_bind_null(dstmt *s, int idx);

/* Runs the statement on first call, then walks its rows. */
db_step dstmt_step(dstmt *s);

/* Columns of the current row (0-based). dstmt_col_i64 reads SQL NULL as 0. */
int dstmt_col_is_null(dstmt *s, int col);
int64_t dstmt_col_i64(dstmt *s, int col);
/* NULL for SQL NULL, else NUL-terminated; len (if not NULL) receives the
 * byte length. */
const char *dstmt_col_text(dstmt *s, int col, size_t *len);

/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t dstmt_changes(dstmt *s);

/* ---- queued commands (one round trip for several) ------------------------ */

/* For a command whose result the caller does not need at once, only that
 * it succeeds (a SAVEPOINT, an INSERT inside a write transaction): queue
 * it, to be sent with the next command on the connection. PostgreSQL:
 * the queue and that command go in one pipeline (libpq's pipeline mode),
 * one round trip; if a queued command fails, the rest up to that command
 * are skipped, the command fails with the queued one's error, and
 * dconn_queue_failed says so (the transaction is then aborted, as after
 * any failed statement). A full ROLLBACK drops the queue, as does a lost
 * connection. SQLite (no round trips): runs it at once. Only inside a
 * transaction. 0, or -1 (error set; SQLite: the command failed). */
int dconn_queue(dconn *c, const char *sql);        /* one statement, no parameters */
/* The same for a bound statement: its values are copied, and it is reset
 * on return (it may be bound and run again at once). It must not return
 * rows. */
int dstmt_queue(dstmt *s);
/* 1 when a queued command failed since the last call; clears the flag. */
int dconn_queue_failed(dconn *c);
/* Sends what is queued now (one round trip); 0, or -1 (error set). */
int dconn_flush(dconn *c);
/* Runs n bound read statements (SELECTs, none run yet, each distinct) and
 * what is queued in one round trip (PostgreSQL: one pipeline); their rows
 * are then walked with dstmt_step as usual. SQLite: nothing (each runs at
 * its first step). 0, or -1 when any of them failed (error set; the
 * statements are reset, and inside a transaction it is aborted). */
int dstmt_prefetch(dstmt **s, int n);
/* The next run of s (a large read inside a transaction) hands its rows
 * over one at a time as they arrive (PostgreSQL single-row mode) instead
 * of holding the whole result first; nothing else may run on the
 * connection until s is done or reset. Nothing to do on SQLite. 0. */
int dstmt_stream(dstmt *s);
/* Outside any transaction: runs n bound read statements (as for
 * dstmt_prefetch) as one read snapshot (REPEATABLE READ, READ ONLY) that
 * ends with them. PostgreSQL: BEGIN, the statements and COMMIT in one
 * pipeline, one round trip instead of n + 2; sent once more on a new
 * session when the old one turned out to be gone, as a lone read is.
 * 1 when done (their rows walked with dstmt_step), 0 when the engine
 * offers nothing of the kind (SQLite: the caller opens a read
 * transaction and steps them as usual), -1 on failure (error set; the
 * statements are reset). */
int dstmt_prefetch_alone(dstmt **s, int n);
/* Round trips to the server made on this connection so far (commands and
 * pipelines; for the server's closing statistics). SQLite: 0. */
uint64_t dconn_round_trips(const dconn *c);
/* The same summed over every connection of this process, closed ones
 * included (for /metrics: round trips per write). SQLite: 0. */
uint64_t dconn_round_trips_total(void);

/* ---- engine-specific services -------------------------------------------- */

/* Starts a transaction that writes. SQLite: BEGIN IMMEDIATE. PostgreSQL:
 * BEGIN plus a transaction-scoped advisory lock, so that writers are
 * serialised across every instance sharing the database (this keeps the
 * audit chain linear). Returns 0 or -1. */
int dconn_begin_write(dconn *c);
/* Starts a read-only snapshot (SQLite: BEGIN; PostgreSQL: BEGIN ISOLATION
 * LEVEL REPEATABLE READ READ ONLY). */
int dconn_begin_read(dconn *c);

/* A number that changes whenever anyone (this or another process or
 * instance) commits a change to the data. SQLite: PRAGMA data_version,
 * which moves with other connections' commits only. PostgreSQL: the change
 * counter row that every write transaction bumps by exactly one (see
 * dconn_note_change), the same number on every connection; 0 before the
 * first migration. -1 on error. */
int64_t dconn_change_counter(dconn *c);
/* SQLite (migration 0020): the shared change counter (store_changes),
 * which triggers on every table move for each row any writer changes, and
 * commits in order (one writer at a time). dconn_shared_counter reads it
 * (in a read transaction: as that transaction sees it); dconn_write_began
 * is its value when the open write transaction began. -1 on PostgreSQL
 * (dconn_change_counter is the counter there), before migration 0020, or
 * on error. */
int64_t dconn_shared_counter(dconn *c);
int64_t dconn_write_began(dconn *c);
/* Called inside a write transaction that changed data, before COMMIT.
 * SQLite: *value is the shared counter now (the transaction's triggers
 * have moved it from dconn_write_began's value). PostgreSQL:
 * bumps the shared counter and sets *value to its new value, which the
 * counter shows once this transaction commits. Returns 0 or -1. */
int dconn_note_change(dconn *c, int64_t *value);
/* For a bookkeeping transaction that did not call dconn_note_change, just
 * before its COMMIT: *value is the counter value the engine noted for it
 * by itself, or -1 when it noted none. SQLite: as dconn_note_change. PostgreSQL:
 * migration 0014's deferred triggers note a change at COMMIT for any row
 * they watch; they are run now (SET CONSTRAINTS ALL IMMEDIATE) so that the
 * caller can account the value as its own, not take it, once the
 * notification comes, for another instance's write. Returns 0 or -1. */
int dconn_noted_change(dconn *c, int64_t *value);
/* 1 when the change counter moves with every writer's commits, not only
 * those that call dconn_note_change. SQLite: always. PostgreSQL: once the
 * triggers of migration 0014 are there. */
int dconn_sees_all_writes(dconn *c);

/* The schema version applied (0 for an empty database) and setting it
 * inside the migration's transaction. SQLite: PRAGMA user_version.
 * PostgreSQL: the schema_version table. */
int dconn_schema_version(dconn *c);
int dconn_set_schema_version(dconn *c, int version);

/* Integrity check. SQLite: quick_check or integrity_check. PostgreSQL: the
 * connection answers and the schema is present (the server checks pages
 * itself). 0 when healthy; msg receives the first finding or "ok". */
int dconn_integrity(dconn *c, int quick, char *msg, size_t size);

/* Online consistent copy into a new SQLite file. PostgreSQL returns -1 with
 * a message pointing at pg_dump. */
int dconn_backup(dconn *c, const char *path, char *msg, size_t size);

/* Before an idle connection is used again: PostgreSQL reconnects now if
 * the server ended the session meanwhile (a restart, pg_terminate_backend)
 * and said so, rather than failing the next statement. SQLite: nothing.
 * 0, or -1 when a reconnect failed (the next statement fails). */
int dconn_revive(dconn *c);

/* Session-level locks for periodic jobs, so that one instance at a time
 * runs each across every instance sharing the database. PostgreSQL:
 * pg_try_advisory_lock(key), held until dconn_unlock or the session ends.
 * SQLite: always granted (one server per file). 1 granted, 0 another
 * session holds it, -1 error. */
int dconn_try_lock(dconn *c, int64_t key);
int dconn_unlock(dconn *c, int64_t key);

/* Marks keyed[i] when column cols[i] of table is read by an index, a
 * foreign key or a trigger of the table, so that an UPDATE that sets none
 * of those columns spares their upkeep (store/entity.c). A column marked
 * without need costs only that saving; correctness never depends on it.
 * SQLite: from its schema. PostgreSQL: unknown (its HOT updates already
 * skip indexes whose columns keep their values). 0, or -1 unknown. */
int dconn_keyed_columns(dconn *c, const char *table, const char *const *cols, size_t n,
                        unsigned char *keyed);

#endif
