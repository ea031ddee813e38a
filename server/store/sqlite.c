/* sqlite.c - the SQLite 3 engine behind driver.h: opening a connection
 * (flags, busy timeout, PRAGMAs), prepared statements, mapping result codes
 * to db_error, change detection (PRAGMA data_version), the schema version
 * (PRAGMA user_version), integrity checks and the online backup.
 *
 * This is the only file that includes sqlite3.h. A failed bind is kept on
 * the statement and makes the next step fail, so callers check once. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/filemode.h"
#include "common/log.h"
#include "common/text.h"
#include "store/driver_impl.h"

/* Foreign keys on, WAL journal (readers never block the writer),
 * synchronous=FULL so an acknowledged write survives power loss, and a
 * page cache of 2 MB per connection: the server has a few pooled
 * connections (two per CPU, the batch connection, the workers'), and at
 * 256 KB the b-tree pages of a workload edit (its row, child rows, audit
 * append, counter, indexes) were read again from the OS on every write:
 * pread was a tenth of a PATCH's CPU. */
/* cache_spill: a write transaction keeps up to 4,096 changed pages (16 MB)
 * in memory before it writes any to the log: a shared transaction of many
 * writes (group commit) would otherwise write pages twice, and its first
 * spill after a checkpoint restarts the log, which moves every other
 * connection's data_version before the commit (each then reads the shared
 * counter for nothing). */
static const char SQL_SETUP[] =
    "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
    "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-2048; PRAGMA cache_spill=4096;";
enum { BUSY_TIMEOUT_MS = 5000 };

typedef struct sq_stmt sq_stmt;

typedef struct sq_conn {
    struct dconn head;          /* first, so a dconn * is an sq_conn * */
    sqlite3 *db;
    sqlite3_stmt *data_version; /* PRAGMA data_version, prepared on first use */
    sqlite3_stmt *counter;      /* the shared change counter, prepared on first use */
    int64_t began;              /* its value when the open write transaction began */
    sq_stmt *stmts;             /* every statement prepared, finalised on close */
} sq_conn;

struct sq_stmt {
    struct dstmt head;          /* first, so a dstmt * is an sq_stmt * */
    sqlite3_stmt *st;
    int bind_rc;                /* first failed bind since the last reset */
    sq_stmt *next;
};

static const dconn_ops SQLITE_OPS;

static sq_conn *conn_of(dconn *c) { return (sq_conn *)c; }
static const sq_conn *conn_of_const(const dconn *c) { return (const sq_conn *)c; }
static sq_stmt *stmt_of(dstmt *s) { return (sq_stmt *)s; }

static db_error map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DBE_BUSY;
    case SQLITE_FULL:
        return DBE_FULL;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
        return DBE_IO;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return DBE_CORRUPT;
    case SQLITE_NOMEM:
        return DBE_NOMEM;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return DBE_FOREIGN_KEY;
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return DBE_UNIQUE;
        return DBE_CONSTRAINT;
    default:
        return DBE_OTHER;
    }
}

/* Records rc on the connection with SQLite's message (or msg); returns -1. */
static int fail(sq_conn *c, int rc, const char *msg)
{
    c->head.error = map_rc(rc);
    snprintf(c->head.errmsg, sizeof c->head.errmsg, "%s (%d)",
             msg ? msg : sqlite3_errmsg(c->db), rc);
    return -1;
}

/* ---- connections ---------------------------------------------------------- */

static void sq_close(dconn *dc)
{
    sq_conn *c = conn_of(dc);
    sq_stmt *next;
    for (sq_stmt *s = c->stmts; s; s = next) {
        next = s->next;
        sqlite3_finalize(s->st); /* returns the last step's error: already seen */
        free(s);
    }
    sqlite3_finalize(c->data_version);
    sqlite3_finalize(c->counter);
    /* Every statement is finalised, so close cannot be busy; v2 still
     * releases the handle once the last one goes, should one be missed. */
    if (c->db && sqlite3_close_v2(c->db) != SQLITE_OK)
        log_msg(LOG_ERROR, "store: closing the database: %s", sqlite3_errmsg(c->db));
    free(c);
}

/* The database, its WAL and SHM are for their owner alone (0600), or also
 * readable by the file group (0640, common/filemode.h): a file created by
 * an older version or another umask with more bits, or another group, is
 * set right when opened. New files get the mode through the process umask;
 * SQLite gives the WAL and SHM the database file's mode and owner. */
static void tighten_modes(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    unsigned want = filemode_data_mode();
    for (int i = 0; i < 3; i++) {
        char name[4200];
        struct stat st;
        if (snprintf(name, sizeof name, "%s%s", path, suffixes[i]) >= (int)sizeof name ||
            stat(name, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
            continue;
        if (want == 0640) {
            if (filemode_apply(name) != 0)
                log_msg(LOG_WARN, "store: %s cannot be given to the file group: %s", name,
                        strerror(errno));
            continue;
        }
        if (!(st.st_mode & 0777 & ~want))
            continue;
        if (chmod(name, want) == 0)
            log_msg(LOG_WARN, "store: %s was mode %o; now %o", name, (unsigned)(st.st_mode & 0777),
                    want);
        else
            log_msg(LOG_WARN, "store: %s is mode %o and cannot be made %o: %s", name,
                    (unsigned)(st.st_mode & 0777), want, strerror(errno));
    }
}

/* Before SQLite's first use: no memory statistics, whose upkeep takes one
 * process-wide mutex on every allocation SQLite makes (the server's
 * connections allocate on many threads at once). SQLite refuses the call
 * once initialised (another component used it first): harmless. */
static pthread_once_t configured = PTHREAD_ONCE_INIT;

static void configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

dconn *sqlite_open(const char *path, char *msg, size_t size)
{
    (void)pthread_once(&configured, configure);
    sq_conn *c = calloc(1, sizeof *c);
    if (!c) {
        copy_str(msg, size, "out of memory");
        return NULL;
    }
    c->head.ops = &SQLITE_OPS;
    int rc = sqlite3_open_v2(path, &c->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                 SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                             NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_extended_result_codes(c->db, 1);
    if (rc == SQLITE_OK) {
        rc = sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, SQL_SETUP, NULL, NULL, NULL);
    if (rc == SQLITE_OK && strcmp(path, ":memory:") != 0)
        tighten_modes(path);
    if (rc != SQLITE_OK) {
        snprintf(msg, size, "%s: %s (%d)", path,
                 c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc), rc);
        sq_close(&c->head);
        return NULL;
    }
    return &c->head;
}

static int sq_exec(dconn *dc, const char *sql)
{
    sq_conn *c = conn_of(dc);
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : fail(c, rc, NULL);
}

static int sq_in_transaction(const dconn *dc)
{
    return !sqlite3_get_autocommit(conn_of_const(dc)->db);
}

/* ---- statements ------------------------------------------------------------ */

static dstmt *sq_prepare(dconn *dc, const char *sql)
{
    sq_conn *c = conn_of(dc);
    sq_stmt *s = calloc(1, sizeof *s);
    if (!s) {
        fail(c, SQLITE_NOMEM, "out of memory");
        return NULL;
    }
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
    if (rc != SQLITE_OK || !s->st) {
        fail(c, rc != SQLITE_OK ? rc : SQLITE_MISUSE, rc != SQLITE_OK ? NULL : "empty statement");
        sqlite3_finalize(s->st);
        free(s);
        return NULL;
    }
    s->head.ops = &SQLITE_OPS;
    s->head.conn = dc;
    s->next = c->stmts;
    c->stmts = s;
    return &s->head;
}

static void sq_reset(dstmt *ds)
{
    sq_stmt *s = stmt_of(ds);
    /* sqlite3_reset repeats the last step's error, already recorded then;
     * sqlite3_clear_bindings always succeeds. */
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    s->bind_rc = 0;
}

static int sq_param_count(const dstmt *ds)
{
    return sqlite3_bind_parameter_count(((const sq_stmt *)ds)->st);
}

static int bound(sq_stmt *s, int rc)
{
    if (rc == SQLITE_OK)
        return 0;
    if (!s->bind_rc)
        s->bind_rc = rc;
    return fail(conn_of(s->head.conn), rc, NULL);
}

static int sq_bind_i64(dstmt *ds, int idx, int64_t v)
{
    sq_stmt *s = stmt_of(ds);
    return bound(s, sqlite3_bind_int64(s->st, idx, (sqlite3_int64)v));
}

static int sq_bind_text(dstmt *ds, int idx, const char *text)
{
    sq_stmt *s = stmt_of(ds);
    return bound(s, text ? sqlite3_bind_text(s->st, idx, text, -1, SQLITE_TRANSIENT)
                         : sqlite3_bind_null(s->st, idx));
}

static int sq_bind_null(dstmt *ds, int idx)
{
    sq_stmt *s = stmt_of(ds);
    return bound(s, sqlite3_bind_null(s->st, idx));
}

static db_step sq_step(dstmt *ds)
{
    sq_stmt *s = stmt_of(ds);
    if (s->bind_rc) {
        fail(conn_of(s->head.conn), s->bind_rc, "a parameter could not be bound");
        return DB_FAIL;
    }
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    fail(conn_of(s->head.conn), rc, NULL);
    return DB_FAIL;
}

static int sq_col_is_null(dstmt *ds, int col)
{
    return sqlite3_column_type(stmt_of(ds)->st, col) == SQLITE_NULL;
}

static int64_t sq_col_i64(dstmt *ds, int col)
{
    return (int64_t)sqlite3_column_int64(stmt_of(ds)->st, col);
}

static const char *sq_col_text(dstmt *ds, int col, size_t *len)
{
    sqlite3_stmt *st = stmt_of(ds)->st;
    const char *t = NULL;
    if (sqlite3_column_type(st, col) != SQLITE_NULL)
        t = (const char *)sqlite3_column_text(st, col);
    if (len)
        *len = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    return t;
}

static int64_t sq_changes(dstmt *ds)
{
    return (int64_t)sqlite3_changes64(conn_of(ds->conn)->db);
}

/* ---- engine services -------------------------------------------------------- */

/* The shared change counter (migration 0020); -1 before that migration or
 * on error, which stays off the connection's error record: callers then
 * fall back to data_version alone. */
static int64_t read_counter(sq_conn *c)
{
    if (!c->counter &&
        sqlite3_prepare_v3(c->db, "SELECT value FROM store_changes WHERE id = 1", -1,
                           SQLITE_PREPARE_PERSISTENT, &c->counter, NULL) != SQLITE_OK) {
        sqlite3_finalize(c->counter);
        c->counter = NULL;
        return -1;
    }
    int64_t value = sqlite3_step(c->counter) == SQLITE_ROW ? sqlite3_column_int64(c->counter, 0) : -1;
    sqlite3_reset(c->counter);
    return value;
}

static int64_t sq_shared_counter(dconn *dc)
{
    return read_counter(conn_of(dc));
}

static int64_t sq_write_began(dconn *dc)
{
    return conn_of(dc)->began;
}

/* The counter's value as the write lock is taken: every commit before this
 * one is in it, none after. */
static int sq_begin_write(dconn *dc)
{
    sq_conn *c = conn_of(dc);
    if (sq_exec(dc, "BEGIN IMMEDIATE") != 0)
        return -1;
    c->began = read_counter(c);
    return 0;
}
static int sq_begin_read(dconn *dc) { return sq_exec(dc, "BEGIN"); }

/* Moves when another connection commits; this connection's own commits
 * leave it alone. Cheap: db.c reads the shared counter only after it moved. */
static int64_t sq_change_counter(dconn *dc)
{
    sq_conn *c = conn_of(dc);
    int rc;
    if (!c->data_version &&
        (rc = sqlite3_prepare_v3(c->db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                                 &c->data_version, NULL)) != SQLITE_OK)
        return fail(c, rc, NULL);
    int64_t version = -1;
    if ((rc = sqlite3_step(c->data_version)) == SQLITE_ROW)
        version = (int64_t)sqlite3_column_int64(c->data_version, 0);
    else
        fail(c, rc, NULL);
    sqlite3_reset(c->data_version);
    return version;
}

/* data_version moves with every other connection's commit, whoever's. */
static int sq_sees_all_writes(dconn *dc)
{
    (void)dc;
    return 1;
}

static int sq_note_change(dconn *dc, int64_t *value)
{
    sq_conn *c = conn_of(dc);
    *value = c->began >= 0 ? read_counter(c) : -1;
    return 0;
}
static int sq_schema_version(dconn *dc)
{
    sq_conn *c = conn_of(dc);
    sqlite3_stmt *st = NULL;
    int version = -1;
    int rc = sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    else
        fail(c, rc, NULL);
    sqlite3_finalize(st);
    return version;
}

static int sq_set_schema_version(dconn *dc, int version)
{
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", version);
    return sq_exec(dc, sql);
}

static int sq_integrity(dconn *dc, int quick, char *msg, size_t size)
{
    sq_conn *c = conn_of(dc);
    sqlite3_stmt *st = NULL;
    int ok = 0;
    int rc = sqlite3_prepare_v2(c->db, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *first = (const char *)sqlite3_column_text(st, 0);
        ok = first && strcmp(first, "ok") == 0;
        copy_str(msg, size, first ? first : "no answer");
        if (!ok)
            dconn_set_error(dc, DBE_CORRUPT, msg);
    } else {
        fail(c, rc, NULL);
        copy_str(msg, size, sqlite3_errmsg(c->db));
    }
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}

/* One step over the whole database: a consistent copy of one snapshot,
 * taken while the server keeps serving (WAL readers are not blocked). */
static int sq_backup(dconn *dc, const char *path, char *msg, size_t size)
{
    if (access(path, F_OK) == 0) {
        snprintf(msg, size, "%s already exists; choose a new file", path);
        dconn_set_error(dc, DBE_OTHER, msg);
        return -1;
    }
    sqlite3 *dest = NULL;
    int rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dest, "main", conn_of(dc)->db, "main");
        if (!b) {
            rc = sqlite3_errcode(dest);
        } else {
            rc = sqlite3_backup_step(b, -1);
            int fin = sqlite3_backup_finish(b);
            if (rc == SQLITE_DONE)
                rc = fin;
        }
    }
    if (rc == SQLITE_OK && (rc = sqlite3_close(dest)) == SQLITE_OK) {
        tighten_modes(path); /* a copy of the data is as private as the data */
        return 0;
    }
    snprintf(msg, size, "backup failed: %s", dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
    dconn_set_error(dc, map_rc(rc), msg);
    sqlite3_close_v2(dest);
    if (unlink(path) != 0 && errno != ENOENT)
        log_msg(LOG_WARN, "store: could not remove the failed backup %s", path);
    return -1;
}

/* 1 when sql names the identifier word (any case, not inside a longer
 * identifier). */
static int mentions(const char *sql, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = sql; n && *p; p++) {
        if (strncasecmp(p, word, n) != 0)
            continue;
        int before = p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
        int after = isalnum((unsigned char)p[n]) || p[n] == '_';
        if (!before && !after)
            return 1;
    }
    return 0;
}

/* The columns the table's indexes, foreign keys and triggers read: the
 * text of each CREATE INDEX and CREATE TRIGGER (expressions and partial
 * indexes included; a word that only looks like a column marks it, which
 * is harmless), the columns of UNIQUE and PRIMARY KEY indexes, and the
 * foreign keys' own columns. */
static int sq_keyed_columns(dconn *dc, const char *table, const char *const *cols, size_t n,
                            unsigned char *keyed)
{
    static const char SQL[] =
        "SELECT sql, NULL FROM sqlite_schema WHERE tbl_name = ?1 "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL "
        "UNION ALL SELECT NULL, ii.name FROM pragma_index_list(?1) AS il, "
        "pragma_index_info(il.name) AS ii WHERE il.origin <> 'c' "
        "UNION ALL SELECT NULL, fk.\"from\" FROM pragma_foreign_key_list(?1) AS fk";
    sq_conn *c = conn_of(dc);
    sqlite3_stmt *st = NULL;
    memset(keyed, 0, n);
    int rc = sqlite3_prepare_v2(c->db, SQL, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *sql = (const char *)sqlite3_column_text(st, 0);
        const char *column = (const char *)sqlite3_column_text(st, 1);
        for (size_t i = 0; i < n; i++)
            keyed[i] |= sql ? mentions(sql, cols[i]) : column && strcasecmp(column, cols[i]) == 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail(c, rc, NULL);
}

static const dconn_ops SQLITE_OPS = {
    .engine = DB_SQLITE,
    .close = sq_close,
    .exec = sq_exec,
    .in_transaction = sq_in_transaction,
    .prepare = sq_prepare,
    .reset = sq_reset,
    .param_count = sq_param_count,
    .bind_i64 = sq_bind_i64,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_is_null = sq_col_is_null,
    .col_i64 = sq_col_i64,
    .col_text = sq_col_text,
    .changes = sq_changes,
    .begin_write = sq_begin_write,
    .begin_read = sq_begin_read,
    .change_counter = sq_change_counter,
    .note_change = sq_note_change,
    .noted_change = sq_note_change,
    .write_began = sq_write_began,
    .shared_counter = sq_shared_counter,
    .sees_all_writes = sq_sees_all_writes,
    .schema_version = sq_schema_version,
    .set_schema_version = sq_set_schema_version,
    .integrity = sq_integrity,
    .backup = sq_backup,
    .keyed_columns = sq_keyed_columns,
};
