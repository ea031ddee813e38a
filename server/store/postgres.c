/* postgres.c - the PostgreSQL engine behind driver.h, over libpq.
 *
 * Statements. The store's SQL numbers its parameters SQLite-style (?1..?N);
 * prepare rewrites them to $1..$N (pg_sql.c), leaving string literals ('...' with ''
 * and E'...' with backslash escapes), dollar-quoted strings, double-quoted
 * identifiers and comments alone, and prepares the result on the server
 * under a name unique to the connection ("s12"), letting the server infer
 * each parameter's type. A statement may skip numbers (?1, ?2, ?5): the
 * server cannot infer a type for a number the SQL never mentions, so those
 * alone are declared TEXT (whatever is bound there is ignored). Everything
 * travels in text format: an int64 is formatted into a buffer of its own
 * parameter, text is copied into a buffer the statement keeps and reuses,
 * NULL is a NULL pointer. The first dstmt_step runs the statement and
 * keeps the whole PGresult; the following steps walk its rows.
 *
 * Errors. SQLSTATE classes map onto db_error (see map_sqlstate); the
 * server's message goes to dconn_errmsg for the log only. PostgreSQL
 * aborts the whole transaction on any error (SQLite only the statement),
 * and COMMIT of such a transaction answers "ROLLBACK": exec reports that as
 * a failure, so a caller never mistakes a rolled-back transaction for a
 * committed one.
 *
 * Lost connections. When libpq reports the connection broken, the next call
 * tries one PQreset; statements are prepared again lazily, since each knows
 * the session (epoch) it was prepared in. If the connection broke inside a
 * transaction, that transaction is gone: until the caller ends it (ROLLBACK,
 * or COMMIT, which then fails), every call fails and in_transaction stays 1,
 * so no statement meant for the transaction runs in autocommit instead.
 *
 * Session settings, passed as connection options so that they survive a
 * reset: application_name=switchyard, client_encoding=UTF8, TimeZone=UTC,
 * statement_timeout=15s (no request waits forever on a lock or a runaway
 * query), and synchronous_commit=on: a COMMIT returns only once its WAL is
 * flushed to disk (and to synchronous standbys, if configured), so a write
 * the API has acknowledged survives a crash of the database server. They
 * override the same settings in the URL; anything else in the URL (host,
 * sslmode, password, ...) is libpq's as usual.
 *
 * Writers. begin_write takes a transaction-scoped advisory lock with one
 * fixed key, so writers are serialised across every instance sharing the
 * database and the audit chain stays linear; waiting for it is bounded by
 * lock_timeout (a timeout is DBE_BUSY).
 *
 * Not thread-safe: one connection per thread, as driver.h says. */
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
    pg_stmt *st_counter, *st_has_counter, *st_note, *st_version, *st_version_set,
        *st_version_add;
};

static const dconn_ops pg_ops;

/* ---- errors -------------------------------------------------------------- */

/* SQLSTATE -> db_error. */
static db_error map_sqlstate(const char *s)
{
    if (!s || strlen(s) != 5)
        return DBE_OTHER;
    if (strcmp(s, "23505") == 0)
        return DBE_UNIQUE;
    if (strcmp(s, "23503") == 0)
        return DBE_FOREIGN_KEY;
    /* Other integrity violations (check, not null, exclusion, restrict)
     * and RAISE EXCEPTION from a trigger (the audit trail's guard). */
    if (strncmp(s, "23", 2) == 0 || strcmp(s, "P0001") == 0)
        return DBE_CONSTRAINT;
    /* character_not_in_repertoire (text that is not UTF-8) and
     * untranslatable_character: the value, not the server, is at fault */
    if (strcmp(s, "22021") == 0 || strcmp(s, "22P05") == 0)
        return DBE_INVALID;
    /* serialization_failure, deadlock_detected, lock_not_available */
    if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0 || strcmp(s, "55P03") == 0)
        return DBE_BUSY;
    if (strcmp(s, "53100") == 0)
        return DBE_FULL;
    if (strcmp(s, "53200") == 0)
        return DBE_NOMEM;
    /* data_corrupted, index_corrupted */
    if (strcmp(s, "XX001") == 0 || strcmp(s, "XX002") == 0)
        return DBE_CORRUPT;
    /* connection exceptions, operator intervention that ends sessions
     * (admin/crash shutdown, cannot connect now), system and I/O errors */
    if (strncmp(s, "08", 2) == 0 || strncmp(s, "57P0", 4) == 0 || strncmp(s, "58", 2) == 0)
        return DBE_IO;
    return DBE_OTHER;
}

/* Records an error with a message made of up to two parts, without the
 * trailing newline libpq puts on its messages. */
static void set_error(pg_conn *pc, db_error e, const char *what, const char *detail)
{
    char msg[sizeof pc->head.errmsg];
    if (detail && *detail)
        snprintf(msg, sizeof msg, "%s: %s", what, detail);
    else
        copy_str(msg, sizeof msg, what);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    dconn_set_error(&pc->head, e, msg);
}

static int txn_open(const pg_conn *pc)
{
    PGTransactionStatusType t = PQtransactionStatus(pc->pg);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* Records why a command failed. res may be NULL (libpq out of memory or
 * the connection gone); had_txn says whether a transaction was open when
 * the command was sent. */
static void fail_result(pg_conn *pc, const PGresult *res, int had_txn)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(pc->pg);
    db_error e;
    if (PQstatus(pc->pg) == CONNECTION_BAD) {
        e = DBE_IO;
        if (had_txn)
            pc->lost_txn = 1;
    } else if (!res) {
        e = DBE_NOMEM;
    } else {
        e = map_sqlstate(state);
    }
    char what[16];
    snprintf(what, sizeof what, "postgres %s", state && *state ? state : "error");
    set_error(pc, e, what, msg);
}

/* Makes sure there is a usable session: after a transaction was lost,
 * refuses until the caller ends it; after the connection broke, tries
 * one reset. 0 or -1 (error set). */
static int ensure_conn(pg_conn *pc)
{
    if (pc->lost_txn) {
        set_error(pc, DBE_IO, "postgres: the connection was lost inside a transaction",
                  "roll it back");
        return -1;
    }
    if (PQstatus(pc->pg) == CONNECTION_OK)
        return 0;
    PQreset(pc->pg);
    if (PQstatus(pc->pg) != CONNECTION_OK) {
        set_error(pc, DBE_IO, "postgres: connection lost, reconnecting failed",
                  PQerrorMessage(pc->pg));
        return -1;
    }
    pc->epoch++; /* a new session: nothing is prepared there yet */
    log_msg(LOG_WARN, "postgres: reconnected after losing the connection");
    return 0;
}

/* ---- statements ------------------------------------------------------------ */

static void stmt_free(pg_stmt *s)
{
    if (!s)
        return;
    PQclear(s->res);
    if (s->texts)
        for (int i = 0; i < s->nparams; i++)
            free(s->texts[i]);
    free(s->texts);
    free(s->text_caps);
    free(s->ints);
    free(s->values);
    free(s->types);
    free(s->sql);
    free(s);
}

/* Prepares s on the current session. 0 or -1 (error set). */
static int server_prepare(pg_conn *pc, pg_stmt *s)
{
    int had_txn = txn_open(pc);
    PGresult *r = PQprepare(pc->pg, s->name, s->sql, s->nparams, s->types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fail_result(pc, r, had_txn);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    s->epoch = pc->epoch;
    return 0;
}

static dstmt *pg_prepare(dconn *c, const char *sql)
{
    pg_conn *pc = (pg_conn *)c;
    if (!sql) {
        set_error(pc, DBE_OTHER, "postgres: no SQL", NULL);
        return NULL;
    }
    pg_stmt *s = calloc(1, sizeof *s);
    unsigned char *used = calloc(PG_MAX_PARAMS, 1);
    if (s)
        s->sql = malloc(strlen(sql) + 1);
    if (!s || !used || !s->sql) {
        free(used);
        stmt_free(s);
        set_error(pc, DBE_NOMEM, "postgres: out of memory", NULL);
        return NULL;
    }
    s->head.ops = &pg_ops;
    s->head.conn = c;
    s->row = -1;
    const char *why = NULL;
    int top = pg_sql_rewrite(sql, s->sql, used, &why);
    if (top < 0) {
        free(used);
        stmt_free(s);
        set_error(pc, DBE_OTHER, "postgres: cannot prepare", why);
        return NULL;
    }
    s->nparams = top;
    int gaps = 0;
    for (int i = 0; i < top; i++)
        gaps += !used[i];
    if (top > 0) {
        s->values = calloc((size_t)top, sizeof *s->values);
        s->ints = calloc((size_t)top, sizeof *s->ints);
        s->texts = calloc((size_t)top, sizeof *s->texts);
        s->text_caps = calloc((size_t)top, sizeof *s->text_caps);
        if (gaps)
            s->types = calloc((size_t)top, sizeof *s->types);
        if (!s->values || !s->ints || !s->texts || !s->text_caps || (gaps && !s->types)) {
            free(used);
            stmt_free(s);
            set_error(pc, DBE_NOMEM, "postgres: out of memory", NULL);
            return NULL;
        }
        /* The server infers the type of every number the SQL uses; one it
         * skips appears nowhere, so it is declared TEXT. */
        for (int i = 0; gaps && i < top; i++)
            s->types[i] = used[i] ? 0 : PG_TEXT_OID;
    }
    free(used);
    snprintf(s->name, sizeof s->name, "s%u", ++pc->next_name);
    if (ensure_conn(pc) != 0 || server_prepare(pc, s) != 0) {
        stmt_free(s);
        return NULL;
    }
    s->next = pc->stmts;
    pc->stmts = s;
    return &s->head;
}

static void pg_reset(dstmt *d)
{
    pg_stmt *s = (pg_stmt *)d;
    PQclear(s->res);
    s->res = NULL;
    s->ran = 0;
    s->failed = 0;
    s->row = -1;
    s->nrows = 0;
    s->changes = 0;
    for (int i = 0; i < s->nparams; i++)
        s->values[i] = NULL;
}

static int pg_param_count(const dstmt *d)
{
    return ((const pg_stmt *)d)->nparams;
}

/* 0 when idx can be bound now; -1 (error set) otherwise. */
static int bind_check(pg_stmt *s, int idx)
{
    pg_conn *pc = (pg_conn *)s->head.conn;
    if (idx < 1 || idx > s->nparams) {
        set_error(pc, DBE_OTHER, "postgres: bind: no such parameter in the statement", NULL);
        return -1;
    }
    if (s->ran) {
        set_error(pc, DBE_OTHER, "postgres: bind: the statement is running; reset it first", NULL);
        return -1;
    }
    return 0;
}

static int pg_bind_i64(dstmt *d, int idx, int64_t v)
{
    pg_stmt *s = (pg_stmt *)d;
    if (bind_check(s, idx) != 0)
        return -1;
    snprintf(s->ints[idx - 1], sizeof s->ints[idx - 1], "%" PRId64, v);
    s->values[idx - 1] = s->ints[idx - 1];
    return 0;
}

static int pg_bind_text(dstmt *d, int idx, const char *text)
{
    pg_stmt *s = (pg_stmt *)d;
    if (bind_check(s, idx) != 0)
        return -1;
    if (!text) {
        s->values[idx - 1] = NULL;
        return 0;
    }
    size_t need = strlen(text) + 1;
    if (need > s->text_caps[idx - 1]) {
        size_t cap = s->text_caps[idx - 1] * 2;
        if (cap < need)
            cap = need < 32 ? 32 : need;
        char *grown = realloc(s->texts[idx - 1], cap);
        if (!grown) {
            set_error((pg_conn *)d->conn, DBE_NOMEM, "postgres: out of memory", NULL);
            return -1;
        }
        s->texts[idx - 1] = grown;
        s->text_caps[idx - 1] = cap;
    }
    memcpy(s->texts[idx - 1], text, need);
    s->values[idx - 1] = s->texts[idx - 1];
    return 0;
}

static int pg_bind_null(dstmt *d, int idx)
{
    pg_stmt *s = (pg_stmt *)d;
    if (bind_check(s, idx) != 0)
        return -1;
    s->values[idx - 1] = NULL;
    return 0;
}

/* Rows an INSERT, UPDATE, DELETE or MERGE changed (with or without
 * RETURNING); 0 for anything else. */
static int64_t dml_changes(PGresult *res)
{
    const char *tag = PQcmdStatus(res);
    if (!tag || !(strncmp(tag, "INSERT ", 7) == 0 || strncmp(tag, "UPDATE ", 7) == 0 ||
                  strncmp(tag, "DELETE ", 7) == 0 || strncmp(tag, "MERGE ", 6) == 0))
        return 0;
    const char *n = PQcmdTuples(res);
    char *end = NULL;
    errno = 0;
    long long v = n && *n ? strtoll(n, &end, 10) : 0;
    if (errno || (end && *end) || v < 0)
        return 0;
    return (int64_t)v;
}

static db_step pg_step(dstmt *d)
{
    pg_stmt *s = (pg_stmt *)d;
    pg_conn *pc = (pg_conn *)d->conn;
    if (s->failed) {
        set_error(pc, DBE_OTHER, "postgres: step after a failure; reset the statement", NULL);
        return DB_FAIL;
    }
    if (!s->ran) {
        s->ran = 1;
        if (ensure_conn(pc) != 0 || (s->epoch != pc->epoch && server_prepare(pc, s) != 0)) {
            s->failed = 1;
            return DB_FAIL;
        }
        int had_txn = txn_open(pc);
        s->res = PQexecPrepared(pc->pg, s->name, s->nparams, s->values, NULL, NULL, 0);
        switch (PQresultStatus(s->res)) {
        case PGRES_TUPLES_OK:
            s->nrows = PQntuples(s->res);
            s->changes = dml_changes(s->res);
            break;
        case PGRES_COMMAND_OK:
        case PGRES_EMPTY_QUERY:
            s->nrows = 0;
            s->changes = dml_changes(s->res);
            break;
        default:
            fail_result(pc, s->res, had_txn);
            PQclear(s->res);
            s->res = NULL;
            s->failed = 1;
            return DB_FAIL;
        }
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return DB_ROW;
    }
    s->row = s->nrows;
    return DB_DONE;
}

/* 1 when (current row, col) exists. */
static int has_cell(const pg_stmt *s, int col)
{
    return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res);
}

static int pg_col_is_null(dstmt *d, int col)
{
    pg_stmt *s = (pg_stmt *)d;
    return !has_cell(s, col) || PQgetisnull(s->res, s->row, col);
}

/* NULL reads as 0, as in SQLite; booleans as 0/1. Text that is not an
 * integer reads as 0 and records an error on the connection. */
static int64_t pg_col_i64(dstmt *d, int col)
{
    pg_stmt *s = (pg_stmt *)d;
    if (!has_cell(s, col) || PQgetisnull(s->res, s->row, col))
        return 0;
    const char *t = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) == PG_BOOL_OID)
        return t[0] == 't';
    char *end = NULL;
    errno = 0;
    long long v = strtoll(t, &end, 10);
    if (errno || end == t || *end) {
        char what[64];
        snprintf(what, sizeof what, "postgres: column %d is not a 64-bit integer", col);
        set_error((pg_conn *)d->conn, DBE_OTHER, what, NULL);
        return 0;
    }
    return (int64_t)v;
}

static const char *pg_col_text(dstmt *d, int col, size_t *len)
{
    pg_stmt *s = (pg_stmt *)d;
    if (!has_cell(s, col) || PQgetisnull(s->res, s->row, col)) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = (size_t)PQgetlength(s->res, s->row, col);
    return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_changes(dstmt *d)
{
    return ((pg_stmt *)d)->changes;
}

/* ---- connection ------------------------------------------------------------ */

/* Skips blanks and comments; for recognising COMMIT and ROLLBACK. */
static const char *skip_blank(const char *p)
{
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else {
            return p;
        }
    }
}

/* 1 when sql starts with word (case-insensitive) followed by a
 * non-identifier character. */
static int starts_word(const char *sql, const char *word)
{
    const char *p = skip_blank(sql);
    size_t n = strlen(word);
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != word[i])
            return 0;
    }
    return !pg_sql_ident_char((unsigned char)p[n]);
}

static int pg_exec(dconn *c, const char *sql)
{
    pg_conn *pc = (pg_conn *)c;
    if (!sql) {
        set_error(pc, DBE_OTHER, "postgres: no SQL", NULL);
        return -1;
    }
    int rolls_back = starts_word(sql, "ROLLBACK") || starts_word(sql, "ABORT");
    if (pc->lost_txn) {
        /* The server ended the transaction when the connection broke. */
        int commits = starts_word(sql, "COMMIT") || starts_word(sql, "END");
        if (rolls_back || commits) {
            pc->lost_txn = 0;
            if (commits) {
                set_error(pc, DBE_IO, "postgres: the connection was lost; the transaction "
                                      "was rolled back", NULL);
                return -1;
            }
            return 0;
        }
    }
    if (ensure_conn(pc) != 0)
        return -1;
    int had_txn = txn_open(pc);
    PGresult *r = PQexec(pc->pg, sql);
    ExecStatusType st = PQresultStatus(r);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
    if (!ok) {
        fail_result(pc, r, had_txn);
    } else if (!rolls_back && had_txn && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        /* COMMIT of a transaction an earlier error had aborted. */
        set_error(pc, DBE_OTHER, "postgres: the transaction had failed and was rolled back",
                  NULL);
        ok = 0;
    }
    PQclear(r);
    return ok ? 0 : -1;
}

static int pg_in_transaction(const dconn *c)
{
    const pg_conn *pc = (const pg_conn *)c;
    return pc->lost_txn || txn_open(pc);
}

/* Starts a transaction with sql (BEGIN ...; more); if any part fails, rolls
 * back what was started and keeps the first error. */
static int begin_with(pg_conn *pc, const char *sql)
{
    if (!pc->lost_txn && PQstatus(pc->pg) == CONNECTION_OK && txn_open(pc)) {
        set_error(pc, DBE_OTHER, "postgres: a transaction is already open", NULL);
        return -1;
    }
    if (pg_exec(&pc->head, sql) == 0)
        return 0;
    if (PQstatus(pc->pg) == CONNECTION_OK && txn_open(pc)) {
        db_error e = pc->head.error;
        char msg[sizeof pc->head.errmsg];
        copy_str(msg, sizeof msg, pc->head.errmsg);
        PQclear(PQexec(pc->pg, "ROLLBACK"));
        dconn_set_error(&pc->head, e, msg);
    }
    return -1;
}

static int pg_begin_write(dconn *c)
{
    return begin_with((pg_conn *)c,
                      "BEGIN ISOLATION LEVEL READ COMMITTED; "
                      "SET LOCAL lock_timeout = '" WRITER_LOCK_WAIT "'; "
                      "SELECT pg_advisory_xact_lock(" WRITER_LOCK_KEY ")");
}

static int pg_begin_read(dconn *c)
{
    return begin_with((pg_conn *)c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

/* A statement of the driver's own, prepared on first use and kept. */
static pg_stmt *own_stmt(pg_conn *pc, pg_stmt **slot, const char *sql)
{
    if (!*slot)
        *slot = (pg_stmt *)pg_prepare(&pc->head, sql);
    if (*slot)
        pg_reset(&(*slot)->head);
    return *slot;
}

/* Runs a one-row, one-integer-column query; -1 on error (set). */
static int64_t query_i64(pg_conn *pc, pg_stmt *s, const char *what)
{
    if (!s)
        return -1;
    int64_t v = -1;
    db_step r = pg_step(&s->head);
    if (r == DB_ROW && !pg_col_is_null(&s->head, 0)) {
        pc->head.error = DBE_NONE;
        v = pg_col_i64(&s->head, 0);
        if (pc->head.error != DBE_NONE || v < 0)
            v = -1;
    } else if (r != DB_FAIL) {
        set_error(pc, DBE_OTHER, what, "no value");
    }
    pg_reset(&s->head);
    return v;
}

/* Before migration 0001 there is no store_changes table, and nothing to
 * notice: the counter reads 0. That is found out with a catalogue lookup
 * (which cannot fail on a missing table), not by a failing SELECT: a failed
 * statement would abort the caller's transaction, if one is open. */
static int64_t pg_change_counter(dconn *c)
{
    pg_conn *pc = (pg_conn *)c;
    if (!pc->have_counter) {
        pg_stmt *s = own_stmt(pc, &pc->st_has_counter,
                              "SELECT CASE WHEN to_regclass('store_changes') IS NULL "
                              "THEN 0 ELSE 1 END");
        int64_t has = query_i64(pc, s, "postgres: change counter table");
        if (has <= 0)
            return has;
        pc->have_counter = 1;
    }
    pg_stmt *s = own_stmt(pc, &pc->st_counter, "SELECT value FROM store_changes WHERE id = 1");
    return query_i64(pc, s, "postgres: change counter");
}

static int pg_note_change(dconn *c, int64_t *value)
{
    pg_conn *pc = (pg_conn *)c;
    *value = -1;
    pg_stmt *s = own_stmt(pc, &pc->st_note,
                          "UPDATE store_changes SET value = value + 1 WHERE id = 1 "
                          "RETURNING value");
    *value = query_i64(pc, s, "postgres: bumping store_changes");
    return *value < 0 ? -1 : 0;
}

static int pg_schema_version(dconn *c)
{
    pg_conn *pc = (pg_conn *)c;
    pg_stmt *s = own_stmt(pc, &pc->st_version,
                          "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    int64_t v = query_i64(pc, s, "postgres: schema version");
    return v < 0 || v > 1000000 ? -1 : (int)v;
}

static int pg_set_schema_version(dconn *c, int version)
{
    pg_conn *pc = (pg_conn *)c;
    pg_stmt *s = own_stmt(pc, &pc->st_version_set, "UPDATE schema_version SET version = ?1");
    if (!s || pg_bind_i64(&s->head, 1, version) != 0)
        return -1;
    db_step r = pg_step(&s->head);
    int64_t n = s->changes;
    pg_reset(&s->head);
    if (r != DB_DONE)
        return -1;
    if (n > 0)
        return 0;
    s = own_stmt(pc, &pc->st_version_add, "INSERT INTO schema_version(version) VALUES (?1)");
    if (!s || pg_bind_i64(&s->head, 1, version) != 0)
        return -1;
    r = pg_step(&s->head);
    pg_reset(&s->head);
    return r == DB_DONE ? 0 : -1;
}

/* The server checks its own pages; what is left to check is that it
 * answers and, for the full check, that the schema is there. The quick
 * check (at start-up, before migrating) accepts an empty database, as
 * SQLite's quick_check accepts an empty file. */
static int pg_integrity(dconn *c, int quick, char *msg, size_t size)
{
    pg_conn *pc = (pg_conn *)c;
    if (pg_exec(c, "SELECT 1") != 0) {
        snprintf(msg, size, "the database does not answer: %s", pc->head.errmsg);
        return -1;
    }
    int v = pg_schema_version(c);
    if (v < 0) {
        snprintf(msg, size, "cannot read the schema version: %s", pc->head.errmsg);
        return -1;
    }
    if (v == 0 && !quick) {
        copy_str(msg, size, "the schema is missing (no migration applied)");
        dconn_set_error(c, DBE_CORRUPT, msg);
        return -1;
    }
    copy_str(msg, size, "ok");
    return 0;
}

static int pg_backup(dconn *c, const char *path, char *msg, size_t size)
{
    (void)path;
    set_error((pg_conn *)c, DBE_OTHER, "postgres: no online backup", NULL);
    copy_str(msg, size,
             "backup copies SQLite databases only; for PostgreSQL use pg_dump "
             "(e.g. pg_dump --format=custom --file=switchyard.dump URL)");
    return -1;
}

static void pg_close(dconn *c)
{
    pg_conn *pc = (pg_conn *)c;
    pg_stmt *s = pc->stmts;
    while (s) {
        pg_stmt *next = s->next;
        stmt_free(s);
        s = next;
    }
    PQfinish(pc->pg); /* NULL-safe; the server rolls back an open transaction */
    free(pc);
}

/* Server warnings go to the log; notices ("relation already exists,
 * skipping") and lower are dropped instead of libpq printing them. */
static void on_notice(void *arg, const PGresult *res)
{
    (void)arg;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char *text = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (sev && strcmp(sev, "WARNING") == 0)
        log_msg(LOG_WARN, "postgres: %s", text ? text : "(warning)");
}

/* Creates the schema version table on a database that has none. Opening
 * connections may race here, so the creation holds the writers' lock. */
static int ensure_schema_table(pg_conn *pc, char *msg, size_t size)
{
    PGresult *r = PQexec(pc->pg, "SELECT to_regclass('schema_version') IS NOT NULL");
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    int exists = ok && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    if (!ok)
        snprintf(msg, size, "cannot read the catalogue: %s", PQresultErrorMessage(r));
    PQclear(r);
    if (!ok || exists)
        return ok ? 0 : -1;
    if (pg_exec(&pc->head, "BEGIN; SELECT pg_advisory_xact_lock(" WRITER_LOCK_KEY "); "
                           "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL); "
                           "COMMIT") != 0) {
        snprintf(msg, size, "cannot create the schema_version table: %s", pc->head.errmsg);
        if (txn_open(pc))
            PQclear(PQexec(pc->pg, "ROLLBACK"));
        return -1;
    }
    return 0;
}

dconn *postgres_open(const char *url, char *msg, size_t size)
{
    /* Defaults the URL may override come before it, settings it may not
     * after it (libpq: a later keyword wins; dbname is the URL, expanded). */
    static const char *const keys[] = {"connect_timeout", "dbname", "application_name",
                                       "client_encoding", "options", NULL};
    const char *const values[] = {
        "10", url, "switchyard", "UTF8",
        "-c TimeZone=UTC -c statement_timeout=15s -c synchronous_commit=on", NULL};
    if (!url) {
        copy_str(msg, size, "no PostgreSQL URL");
        return NULL;
    }
    PGconn *pg = PQconnectdbParams(keys, values, 1);
    if (!pg) {
        copy_str(msg, size, "cannot connect to PostgreSQL: out of memory");
        return NULL;
    }
    if (PQstatus(pg) != CONNECTION_OK) {
        char detail[256];
        copy_str(detail, sizeof detail, PQerrorMessage(pg));
        size_t n = strlen(detail);
        while (n > 0 && detail[n - 1] == '\n')
            detail[--n] = '\0';
        snprintf(msg, size, "cannot connect to PostgreSQL: %s", detail);
        PQfinish(pg);
        return NULL;
    }
    PQsetNoticeReceiver(pg, on_notice, NULL);
    pg_conn *pc = calloc(1, sizeof *pc);
    if (!pc) {
        PQfinish(pg);
        copy_str(msg, size, "cannot connect to PostgreSQL: out of memory");
        return NULL;
    }
    pc->head.ops = &pg_ops;
    pc->pg = pg;
    pc->epoch = 1;
    if (ensure_schema_table(pc, msg, size) != 0) {
        pg_close(&pc->head);
        return NULL;
    }
    return &pc->head;
}

static const dconn_ops pg_ops = {
    .engine = DB_POSTGRES,
    .close = pg_close,
    .exec = pg_exec,
    .in_transaction = pg_in_transaction,
    .prepare = pg_prepare,
    .reset = pg_reset,
    .param_count = pg_param_count,
    .bind_i64 = pg_bind_i64,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_is_null = pg_col_is_null,
    .col_i64 = pg_col_i64,
    .col_text = pg_col_text,
    .changes = pg_changes,
    .begin_write = pg_begin_write,
    .begin_read = pg_begin_read,
    .change_counter = pg_change_counter,
    .note_change = pg_note_change,
    .schema_version = pg_schema_version,
    .set_schema_version = pg_set_schema_version,
    .integrity = pg_integrity,
    .backup = pg_backup,
};
