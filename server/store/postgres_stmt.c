/* postgres_stmt.c - the PostgreSQL engine's statements: prepare (the
 * store's ?N parameters rewritten to $N and prepared on the server under a
 * per-connection name), bind in text format, step through a kept PGresult,
 * read columns. See postgres.c for the whole engine. */
#include "store/postgres_int.h"

/* ---- statements ------------------------------------------------------------ */

void pg_stmt_free(pg_stmt *s)
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

/* Prepares s on the current session (on a new one, once, if the session
 * turns out to be gone outside a transaction: preparing changes nothing).
 * 0 or -1 (error set). */
int pg_server_prepare(pg_conn *pc, pg_stmt *s)
{
    int had_txn = pg_txn_open(pc);
    pg_trip(pc);
    PGresult *r = PQprepare(pc->pg, s->name, s->sql, s->nparams, s->types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && pg_may_retry(pc, had_txn)) {
        PQclear(r);
        pg_trip(pc);
        r = PQprepare(pc->pg, s->name, s->sql, s->nparams, s->types);
    }
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        pg_fail_result(pc, r, had_txn);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    s->epoch = pc->epoch;
    return 0;
}

dstmt *pg_prepare(dconn *c, const char *sql)
{
    pg_conn *pc = (pg_conn *)c;
    if (!sql) {
        pg_set_error(pc, DBE_OTHER, "postgres: no SQL", NULL);
        return NULL;
    }
    pg_stmt *s = calloc(1, sizeof *s);
    unsigned char *used = calloc(PG_MAX_PARAMS, 1);
    if (s)
        s->sql = malloc(strlen(sql) + 1);
    if (!s || !used || !s->sql) {
        free(used);
        pg_stmt_free(s);
        pg_set_error(pc, DBE_NOMEM, "postgres: out of memory", NULL);
        return NULL;
    }
    s->head.ops = &pg_ops;
    s->head.conn = c;
    s->row = -1;
    s->readonly = pg_starts_word(sql, "SELECT");
    const char *why = NULL;
    int top = pg_sql_rewrite(sql, s->sql, used, &why);
    if (top < 0) {
        free(used);
        pg_stmt_free(s);
        pg_set_error(pc, DBE_OTHER, "postgres: cannot prepare", why);
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
            pg_stmt_free(s);
            pg_set_error(pc, DBE_NOMEM, "postgres: out of memory", NULL);
            return NULL;
        }
        /* The server infers the type of every number the SQL uses; one it
         * skips appears nowhere, so it is declared TEXT. */
        for (int i = 0; gaps && i < top; i++)
            s->types[i] = used[i] ? 0 : PG_TEXT_OID;
    }
    free(used);
    snprintf(s->name, sizeof s->name, "s%u", ++pc->next_name);
    if (pg_ensure_conn(pc) != 0 || pg_server_prepare(pc, s) != 0) {
        pg_stmt_free(s);
        return NULL;
    }
    s->next = pc->stmts;
    pc->stmts = s;
    return &s->head;
}

/* Reads what is left of a streamed run, so that the connection is free. */
static void stream_drain(pg_stmt *s, pg_conn *pc)
{
    PGresult *r;
    PQclear(s->res);
    s->res = NULL;
    while ((r = PQgetResult(pc->pg)) != NULL)
        PQclear(r);
    s->streaming = 0;
}

void pg_reset(dstmt *d)
{
    pg_stmt *s = (pg_stmt *)d;
    if (s->streaming)
        stream_drain(s, (pg_conn *)d->conn);
    s->stream = 0;
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

int pg_param_count(const dstmt *d)
{
    return ((const pg_stmt *)d)->nparams;
}

/* 0 when idx can be bound now; -1 (error set) otherwise. */
static int bind_check(pg_stmt *s, int idx)
{
    pg_conn *pc = (pg_conn *)s->head.conn;
    if (idx < 1 || idx > s->nparams) {
        pg_set_error(pc, DBE_OTHER, "postgres: bind: no such parameter in the statement", NULL);
        return -1;
    }
    if (s->ran) {
        pg_set_error(pc, DBE_OTHER, "postgres: bind: the statement is running; reset it first", NULL);
        return -1;
    }
    return 0;
}

int pg_bind_i64(dstmt *d, int idx, int64_t v)
{
    pg_stmt *s = (pg_stmt *)d;
    if (bind_check(s, idx) != 0)
        return -1;
    snprintf(s->ints[idx - 1], sizeof s->ints[idx - 1], "%" PRId64, v);
    s->values[idx - 1] = s->ints[idx - 1];
    return 0;
}

int pg_bind_text(dstmt *d, int idx, const char *text)
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
            pg_set_error((pg_conn *)d->conn, DBE_NOMEM, "postgres: out of memory", NULL);
            return -1;
        }
        s->texts[idx - 1] = grown;
        s->text_caps[idx - 1] = cap;
    }
    memcpy(s->texts[idx - 1], text, need);
    s->values[idx - 1] = s->texts[idx - 1];
    return 0;
}

int pg_bind_null(dstmt *d, int idx)
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

int pg_stream(dstmt *d)
{
    ((pg_stmt *)d)->stream = 1;
    return 0;
}

/* Single-row mode: the next row, kept as a one-row result, or the end. */
static db_step stream_next(pg_stmt *s, pg_conn *pc)
{
    PQclear(s->res);
    s->res = PQgetResult(pc->pg);
    /* A run ends with a result of its own (no rows, or an error) before
     * NULL: NULL first means it was cut short. */
    ExecStatusType st = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
    if (st == PGRES_SINGLE_TUPLE) {
        s->row = 0;
        s->nrows = 1;
        return DB_ROW;
    }
    int ok = st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
    if (!ok)
        pg_fail_result(pc, s->res, 1);
    stream_drain(s, pc);
    s->row = s->nrows = 0;
    s->failed = !ok;
    return ok ? DB_DONE : DB_FAIL;
}

/* Sends s's run in single-row mode (inside a transaction, nothing queued:
 * a lost session is not retried there anyway). */
static db_step stream_start(pg_stmt *s, pg_conn *pc)
{
    pc->round_trips++;
    if (!PQsendQueryPrepared(pc->pg, s->name, s->nparams, s->values, NULL, NULL, 0)) {
        pg_set_error(pc, DBE_OTHER, "postgres: send", PQerrorMessage(pc->pg));
        s->failed = 1;
        return DB_FAIL;
    }
    s->streaming = 1;
    if (!PQsetSingleRowMode(pc->pg)) { /* not expected right after a send */
        pg_set_error(pc, DBE_OTHER, "postgres: single-row mode refused", NULL);
        stream_drain(s, pc);
        s->failed = 1;
        return DB_FAIL;
    }
    return stream_next(s, pc);
}

db_step pg_step(dstmt *d)
{
    pg_stmt *s = (pg_stmt *)d;
    pg_conn *pc = (pg_conn *)d->conn;
    if (s->failed) {
        pg_set_error(pc, DBE_OTHER, "postgres: step after a failure; reset the statement", NULL);
        return DB_FAIL;
    }
    if (s->streaming)
        return stream_next(s, pc);
    if (!s->ran) {
        s->ran = 1;
        if (pg_ensure_conn(pc) != 0 || (s->epoch != pc->epoch && pg_server_prepare(pc, s) != 0)) {
            s->failed = 1;
            return DB_FAIL;
        }
        int had_txn = pg_txn_open(pc);
        if (s->stream && had_txn && !pc->nqueue)
            return stream_start(s, pc);
        /* Commands queued meanwhile go out with this one (one round trip). */
        if (!pc->nqueue)
            pg_trip(pc);
        s->res = pc->nqueue ? pg_pipeline(pc, s, NULL)
                            : PQexecPrepared(pc->pg, s->name, s->nparams, s->values, NULL, NULL, 0);
        /* A read that found the session gone, outside a transaction: once
         * more on a new session (prepared there first). */
        ExecStatusType st = PQresultStatus(s->res);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && s->readonly &&
            pg_may_retry(pc, had_txn)) {
            PQclear(s->res);
            s->res = NULL;
            if (pg_server_prepare(pc, s) != 0) {
                s->failed = 1;
                return DB_FAIL;
            }
            pg_trip(pc);
            s->res = PQexecPrepared(pc->pg, s->name, s->nparams, s->values, NULL, NULL, 0);
        }
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
            pg_fail_result(pc, s->res, had_txn);
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

int pg_col_is_null(dstmt *d, int col)
{
    pg_stmt *s = (pg_stmt *)d;
    return !has_cell(s, col) || PQgetisnull(s->res, s->row, col);
}

/* NULL reads as 0, as in SQLite; booleans as 0/1. Text that is not an
 * integer reads as 0 and records an error on the connection. */
int64_t pg_col_i64(dstmt *d, int col)
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
        pg_set_error((pg_conn *)d->conn, DBE_OTHER, what, NULL);
        return 0;
    }
    return (int64_t)v;
}

const char *pg_col_text(dstmt *d, int col, size_t *len)
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

int64_t pg_changes(dstmt *d)
{
    return ((pg_stmt *)d)->changes;
}

