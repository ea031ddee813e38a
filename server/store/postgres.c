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
 * A session the server ended while the connection sat idle (a restart,
 * pg_terminate_backend) is found before use where possible (revive: the
 * idle socket has something to say, which can only be the end), else by
 * the first command that fails on it: outside a transaction, a read
 * (SELECT), a prepare or the BEGIN of a transaction is sent once more on a
 * new session, since none of them can have changed anything. A write in
 * autocommit is never sent twice (it may have committed).
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
#include "store/postgres_int.h"

#include <poll.h>

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
void pg_set_error(pg_conn *pc, db_error e, const char *what, const char *detail)
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

int pg_txn_open(const pg_conn *pc)
{
    PGTransactionStatusType t = PQtransactionStatus(pc->pg);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* Records why a command failed. res may be NULL (libpq out of memory or
 * the connection gone); had_txn says whether a transaction was open when
 * the command was sent. */
void pg_fail_result(pg_conn *pc, const PGresult *res, int had_txn)
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
    } else if (pc->pipe_qerr) {
        /* A queued command (another write's) failed, not the caller's: the
         * transaction is lost for reasons not the caller's input. */
        e = DBE_IO;
    } else {
        e = map_sqlstate(state);
    }
    pc->pipe_qerr = 0;
    char what[16];
    snprintf(what, sizeof what, "postgres %s", state && *state ? state : "error");
    pg_set_error(pc, e, what, msg);
}

/* Makes sure there is a usable session: after a transaction was lost,
 * refuses until the caller ends it; after the connection broke, tries
 * one reset. 0 or -1 (error set). */
int pg_ensure_conn(pg_conn *pc)
{
    if (pc->lost_txn) {
        pg_set_error(pc, DBE_IO, "postgres: the connection was lost inside a transaction",
                  "roll it back");
        return -1;
    }
    if (PQstatus(pc->pg) == CONNECTION_OK)
        return 0;
    PQreset(pc->pg);
    if (PQstatus(pc->pg) != CONNECTION_OK) {
        pg_set_error(pc, DBE_IO, "postgres: connection lost, reconnecting failed",
                  PQerrorMessage(pc->pg));
        return -1;
    }
    pc->epoch++; /* a new session: nothing is prepared there yet */
    pg_queue_clear(pc); /* meant for the transaction the old session lost */
    if (PQpipelineStatus(pc->pg) != PQ_PIPELINE_OFF && PQexitPipelineMode(pc->pg) != 1)
        log_msg(LOG_ERROR, "postgres: cannot leave pipeline mode after a reset");
    log_msg(LOG_WARN, "postgres: reconnected after losing the connection");
    return 0;
}

/* The command just sent outside a transaction failed: when the reason is
 * that the session was gone, reconnects so that the caller may send it
 * once more. 1 when it may (the new session is up), else 0. */
int pg_may_retry(pg_conn *pc, int had_txn)
{
    if (had_txn || pc->lost_txn || PQstatus(pc->pg) != CONNECTION_BAD)
        return 0;
    return pg_ensure_conn(pc) == 0;
}

/* An idle connection's socket is silent unless the server ended the
 * session (its last words and the end of the stream) or sent a notice:
 * when readable, reads it, and reconnects if the session is gone. Cheap
 * (one poll) when nothing is there. 0, or -1 when a reconnect failed. */
static int pg_revive(dconn *c)
{
    pg_conn *pc = (pg_conn *)c;
    if (pc->lost_txn || PQstatus(pc->pg) != CONNECTION_OK || pg_txn_open(pc))
        return 0;
    struct pollfd p = {.fd = PQsocket(pc->pg), .events = POLLIN};
    /* The error and the end of the stream may take two reads. */
    for (int i = 0; i < 3 && p.fd >= 0 && poll(&p, 1, 0) > 0; i++)
        if (!PQconsumeInput(pc->pg))
            break;
    return PQstatus(pc->pg) == CONNECTION_OK ? 0 : pg_ensure_conn(pc);
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
int pg_starts_word(const char *sql, const char *word)
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

/* Runs sql; may_retry: it may be sent again on a new session when the
 * first attempt, outside a transaction, finds the session gone. */
static int exec_sql(pg_conn *pc, const char *sql, int may_retry)
{
    if (!sql) {
        pg_set_error(pc, DBE_OTHER, "postgres: no SQL", NULL);
        return -1;
    }
    int rolls_back = pg_starts_word(sql, "ROLLBACK") || pg_starts_word(sql, "ABORT");
    if (pc->lost_txn) {
        /* The server ended the transaction when the connection broke. */
        int commits = pg_starts_word(sql, "COMMIT") || pg_starts_word(sql, "END");
        if (rolls_back || commits) {
            pc->lost_txn = 0;
            pg_queue_clear(pc);
            if (commits) {
                pg_set_error(pc, DBE_IO, "postgres: the connection was lost; the transaction "
                                      "was rolled back", NULL);
                return -1;
            }
            return 0;
        }
    }
    /* A ROLLBACK of the whole transaction: what is queued need not run. */
    if (rolls_back && !strstr(sql, "TO SAVEPOINT"))
        pg_queue_clear(pc);
    if (pg_ensure_conn(pc) != 0)
        return -1;
    int had_txn = pg_txn_open(pc);
    PGresult *r;
    if (pc->nqueue && !strchr(sql, ';')) {
        r = pg_pipeline(pc, NULL, sql); /* the queue and sql, one round trip */
    } else {
        if (pc->nqueue && pg_flush(&pc->head) != 0)
            return -1;
        pg_trip(pc);
        r = PQexec(pc->pg, sql);
    }
    ExecStatusType st = PQresultStatus(r);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
    if (!ok && may_retry && pg_may_retry(pc, had_txn)) {
        PQclear(r);
        pg_trip(pc);
        r = PQexec(pc->pg, sql);
        st = PQresultStatus(r);
        ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
    }
    if (!ok) {
        pg_fail_result(pc, r, had_txn);
    } else if (!rolls_back && had_txn && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        /* COMMIT of a transaction an earlier error had aborted. */
        pg_set_error(pc, DBE_OTHER, "postgres: the transaction had failed and was rolled back",
                  NULL);
        ok = 0;
    }
    PQclear(r);
    return ok ? 0 : -1;
}

/* A lone SELECT (no second statement) reads only: it may be sent again. */
static int pg_exec(dconn *c, const char *sql)
{
    return exec_sql((pg_conn *)c, sql,
                    sql && pg_starts_word(sql, "SELECT") && !strchr(sql, ';'));
}

static int pg_in_transaction(const dconn *c)
{
    const pg_conn *pc = (const pg_conn *)c;
    return pc->lost_txn || pg_txn_open(pc);
}

/* Starts a transaction with sql (BEGIN ...; more); if any part fails, rolls
 * back what was started and keeps the first error. */
static int begin_with(pg_conn *pc, const char *sql)
{
    if (!pc->lost_txn && PQstatus(pc->pg) == CONNECTION_OK && pg_txn_open(pc)) {
        pg_set_error(pc, DBE_OTHER, "postgres: a transaction is already open", NULL);
        return -1;
    }
    pg_queue_clear(pc); /* nothing queued outlives its transaction */
    /* A transaction's start changes nothing: sent again if the session
     * turns out to be gone (a restart while the connection was idle). */
    if (exec_sql(pc, sql, 1) == 0)
        return 0;
    if (PQstatus(pc->pg) == CONNECTION_OK && pg_txn_open(pc)) {
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
        pg_set_error(pc, DBE_OTHER, what, "no value");
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

/* Migration 0014's switchyard_note_change() exists: the counter then moves
 * (once per transaction) with every writer's commit, through triggers.
 * Checked until found: a connection may predate the migration. */
static int pg_has_note_fn(pg_conn *pc)
{
    if (!pc->have_note_fn) {
        pg_stmt *s = own_stmt(pc, &pc->st_has_note_fn,
                              "SELECT CASE WHEN to_regprocedure('switchyard_note_change()') "
                              "IS NULL THEN 0 ELSE 1 END");
        if (query_i64(pc, s, "postgres: change triggers") > 0)
            pc->have_note_fn = 1;
    }
    return pc->have_note_fn;
}

static int pg_sees_all_writes(dconn *c)
{
    return pg_has_note_fn((pg_conn *)c);
}

static int pg_note_change(dconn *c, int64_t *value)
{
    pg_conn *pc = (pg_conn *)c;
    *value = -1;
    /* With the triggers, the same function they call (so the transaction
     * counts once); before migration 0014, the plain bump. */
    pg_stmt *s = pg_has_note_fn(pc)
                     ? own_stmt(pc, &pc->st_note_fn, "SELECT switchyard_note_change()")
                     : own_stmt(pc, &pc->st_note,
                                "UPDATE store_changes SET value = value + 1 WHERE id = 1 "
                                "RETURNING value");
    *value = query_i64(pc, s, "postgres: bumping store_changes");
    return *value < 0 ? -1 : 0;
}

/* What the triggers noted in this transaction (driver.h): the deferred ones
 * run now; switchyard_note_change() leaves its value in the transaction's
 * settings. Without the triggers nothing is noted. */
static int pg_noted_change(dconn *c, int64_t *value)
{
    pg_conn *pc = (pg_conn *)c;
    *value = -1;
    if (!pg_has_note_fn(pc))
        return 0;
    if (pg_exec(c, "SET CONSTRAINTS ALL IMMEDIATE") != 0)
        return -1;
    pg_stmt *s = own_stmt(pc, &pc->st_noted,
                          "SELECT CASE WHEN current_setting('switchyard.noted', true) = 'on' "
                          "THEN current_setting('switchyard.noted_value')::BIGINT ELSE 0 END");
    int64_t v = query_i64(pc, s, "postgres: change noted");
    if (v < 0)
        return -1;
    *value = v > 0 ? v : -1;
    return 0;
}

/* Session-level advisory locks of periodic jobs (driver.h). */
static int pg_try_lock(dconn *c, int64_t key)
{
    pg_conn *pc = (pg_conn *)c;
    pg_stmt *s = own_stmt(pc, &pc->st_try_lock, "SELECT pg_try_advisory_lock(?1)");
    if (!s || pg_bind_i64(&s->head, 1, key) != 0)
        return -1;
    int64_t got = query_i64(pc, s, "postgres: job lock");
    return got < 0 ? -1 : got > 0;
}

static int pg_unlock(dconn *c, int64_t key)
{
    pg_conn *pc = (pg_conn *)c;
    pg_stmt *s = own_stmt(pc, &pc->st_unlock, "SELECT pg_advisory_unlock(?1)");
    if (!s || pg_bind_i64(&s->head, 1, key) != 0)
        return -1;
    return query_i64(pc, s, "postgres: job unlock") < 0 ? -1 : 0;
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
    pg_set_error((pg_conn *)c, DBE_OTHER, "postgres: no online backup", NULL);
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
        pg_stmt_free(s);
        s = next;
    }
    PQfinish(pc->pg); /* NULL-safe; the server rolls back an open transaction */
    pg_queue_clear(pc);
    free(pc->queue);
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
        if (pg_txn_open(pc))
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

static uint64_t pg_round_trips(const dconn *c)
{
    return ((const pg_conn *)c)->round_trips;
}

const dconn_ops pg_ops = {
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
    .noted_change = pg_noted_change,
    .sees_all_writes = pg_sees_all_writes,
    .schema_version = pg_schema_version,
    .set_schema_version = pg_set_schema_version,
    .integrity = pg_integrity,
    .backup = pg_backup,
    .revive = pg_revive,
    .try_lock = pg_try_lock,
    .unlock = pg_unlock,
    .queue = pg_queue,
    .queue_stmt = pg_queue_stmt,
    .queue_failed = pg_queue_failed,
    .flush = pg_flush,
    .round_trips = pg_round_trips,
    .prefetch = pg_prefetch,
    .stream = pg_stream,
    .prefetch_alone = pg_prefetch_alone,
};

