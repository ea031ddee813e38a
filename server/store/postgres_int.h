/* postgres_int.h - what the PostgreSQL engine's two files share: the
 * connection and statement structs, the error helpers (postgres.c) and the
 * statement operations (postgres_stmt.c). See postgres.c for how the
 * engine works. Nothing outside server/store/postgres*.c includes this. */
#ifndef SY_POSTGRES_INT_H
#define SY_POSTGRES_INT_H

#include "store/driver_impl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "common/log.h"
#include "common/text.h"
#include "store/pg_sql.h"

/* Type OIDs are fixed in PostgreSQL's catalogue (pg_type.dat). */
#define PG_BOOL_OID 16
#define PG_TEXT_OID 25
/* The writers' advisory lock: "SWITCHYD" as a big-endian 64-bit number. */
#define WRITER_LOCK_KEY "6005349254376741188"
/* How long begin_write waits for another instance's write to finish; the
 * same as SQLite's busy timeout in db.c. */
#define WRITER_LOCK_WAIT "5s"
#define INT_TEXT_SIZE 24 /* "-9223372036854775808" and its NUL */

typedef struct pg_conn pg_conn;
typedef struct pg_stmt pg_stmt;

/* A queued command (postgres_pipe.c): plain SQL, or a prepared statement
 * by name with copies of its values. */
typedef struct pg_queued {
    char *sql;                 /* NULL: the prepared statement `name` */
    char name[16];
    int nparams;
    char **values;             /* nparams copies; NULL is SQL NULL */
} pg_queued;

struct pg_stmt {
    dstmt head;                /* first: driver.c sees a dstmt */
    pg_stmt *next;             /* the connection's list, freed on close */
    char name[16];             /* server-side name, "s12" */
    char *sql;                 /* with $N parameters */
    int nparams;               /* highest number used */
    Oid *types;                /* NULL, or 0 (infer) / TEXT for skipped numbers */
    const char **values;       /* per parameter; NULL is SQL NULL */
    char (*ints)[INT_TEXT_SIZE]; /* per parameter: a formatted int64 */
    char **texts;              /* per parameter: copied text, reused */
    size_t *text_caps;
    unsigned epoch;            /* session it is prepared in; 0: none */
    PGresult *res;             /* result of the current run */
    int ran;                   /* executed since the last reset */
    int failed;                /* the current run failed */
    int readonly;              /* a SELECT: safe to send again on a new session */
    int stream;                /* the next run in single-row mode (dstmt_stream) */
    int streaming;             /* rows still arriving one at a time */
    int row;                   /* current row; -1 before the first */
    int nrows;
    int64_t changes;
};

struct pg_conn {
    dconn head;                /* first: driver.c sees a dconn */
    PGconn *pg;
    pg_stmt *stmts;
    unsigned epoch;            /* server session number; bumps on reset */
    unsigned next_name;
    int lost_txn;              /* the connection broke inside a transaction */
    int have_counter;          /* store_changes exists (migration 0001 ran) */
    int have_note_fn;          /* switchyard_note_change() exists (migration 0014) */
    pg_queued *queue;          /* commands to send with the next one */
    int nqueue, queue_cap;
    int queue_failed;          /* a queued command failed (dconn_queue_failed) */
    int pipe_qerr;             /* the last pipeline failed in a queued command */
    uint64_t round_trips;      /* commands and pipelines sent (dconn_round_trips) */
    pg_stmt *st_counter, *st_has_counter, *st_note, *st_version, *st_version_set,
        *st_version_add, *st_has_note_fn, *st_note_fn, *st_try_lock, *st_unlock,
        *st_noted;
};


/* The engine's operations table (postgres.c). */
extern const dconn_ops pg_ops;

/* Errors (postgres.c). */
void pg_set_error(pg_conn *pc, db_error e, const char *what, const char *detail);
void pg_fail_result(pg_conn *pc, const PGresult *res, int had_txn);
int pg_txn_open(const pg_conn *pc);
int pg_stream(dstmt *d);
int pg_ensure_conn(pg_conn *pc);
int pg_may_retry(pg_conn *pc, int had_txn);
int pg_starts_word(const char *sql, const char *word);

/* Statements (postgres_stmt.c). */
void pg_stmt_free(pg_stmt *s);
dstmt *pg_prepare(dconn *c, const char *sql);
void pg_reset(dstmt *d);
int pg_param_count(const dstmt *d);
int pg_bind_i64(dstmt *d, int idx, int64_t v);
int pg_bind_text(dstmt *d, int idx, const char *text);
int pg_bind_null(dstmt *d, int idx);
db_step pg_step(dstmt *d);
int pg_col_is_null(dstmt *d, int col);
int64_t pg_col_i64(dstmt *d, int col);
const char *pg_col_text(dstmt *d, int col, size_t *len);
int64_t pg_changes(dstmt *d);
int pg_server_prepare(pg_conn *pc, pg_stmt *s);

/* Queued commands and pipelines (postgres_pipe.c). */
int pg_queue(dconn *c, const char *sql);
int pg_queue_stmt(dstmt *d);
int pg_queue_failed(dconn *c);
int pg_flush(dconn *c);
void pg_queue_clear(pg_conn *pc);
PGresult *pg_pipeline(pg_conn *pc, const pg_stmt *s, const char *sql);
int pg_prefetch(dstmt **d, int n);
/* Counts one round trip on pc (and in the process's total). */
static inline void pg_trip(pg_conn *pc)
{
    pc->round_trips++;
    atomic_fetch_add_explicit(&dconn_trips_all, 1, memory_order_relaxed);
}
int pg_prefetch_alone(dstmt **d, int n);

#endif
