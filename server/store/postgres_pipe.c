/* postgres_pipe.c - the PostgreSQL engine's queued commands (driver.h,
 * dconn_queue): a command whose result the caller does not need at once
 * waits in the connection's queue and goes out with the next command, all
 * in one pipeline (libpq's pipeline mode: every command sent, one Sync,
 * then the results read in order), so several statements of a write cost
 * one round trip instead of one each. Queued inside write transactions
 * only (group commit's savepoints, audit events whose chain head is
 * certain, a write's child rows, the webhook worker's state rows). Also
 * here: reads sent together (pg_prefetch), and a lone read snapshot whose
 * BEGIN, reads and COMMIT share one pipeline (pg_prefetch_alone).
 *
 * Errors: PostgreSQL skips what follows a failed command up to the Sync
 * (PGRES_PIPELINE_ABORTED), and the transaction is aborted as after any
 * failed statement. The command the queue went out with then fails with
 * the queued command's error, and queue_failed records that a queued
 * command (not the caller's own) failed. A lost connection ends pipeline
 * mode with the session; the queue is dropped with the transaction. */
#include "store/postgres_int.h"

static void queued_free(pg_queued *q)
{
    free(q->sql);
    for (int i = 0; q->values && i < q->nparams; i++)
        free(q->values[i]);
    free(q->values);
    memset(q, 0, sizeof *q);
}

void pg_queue_clear(pg_conn *pc)
{
    for (int i = 0; i < pc->nqueue; i++)
        queued_free(&pc->queue[i]);
    pc->nqueue = 0;
}

/* A new slot at the queue's end, zeroed; NULL (error set) when out of
 * memory. */
static pg_queued *queue_slot(pg_conn *pc)
{
    if (pc->nqueue == pc->queue_cap) {
        int cap = pc->queue_cap ? pc->queue_cap * 2 : 8;
        pg_queued *grown = realloc(pc->queue, (size_t)cap * sizeof *grown);
        if (!grown) {
            pg_set_error(pc, DBE_NOMEM, "postgres: out of memory", NULL);
            return NULL;
        }
        pc->queue = grown;
        pc->queue_cap = cap;
    }
    pg_queued *q = &pc->queue[pc->nqueue];
    memset(q, 0, sizeof *q);
    return q;
}

int pg_queue(dconn *c, const char *sql)
{
    pg_conn *pc = (pg_conn *)c;
    if (!sql || strchr(sql, ';')) {
        pg_set_error(pc, DBE_OTHER, "postgres: queue: one statement only", NULL);
        return -1;
    }
    pg_queued *q = queue_slot(pc);
    if (!q)
        return -1;
    size_t n = strlen(sql) + 1;
    q->sql = malloc(n);
    if (!q->sql) {
        pg_set_error(pc, DBE_NOMEM, "postgres: out of memory", NULL);
        return -1;
    }
    memcpy(q->sql, sql, n);
    pc->nqueue++;
    return 0;
}

/* Copies the statement's bound values into q. 0 or -1 (out of memory). */
static int copy_values(pg_queued *q, const pg_stmt *s)
{
    q->nparams = s->nparams;
    if (s->nparams == 0)
        return 0;
    q->values = calloc((size_t)s->nparams, sizeof *q->values);
    if (!q->values)
        return -1;
    for (int i = 0; i < s->nparams; i++) {
        if (!s->values[i])
            continue;
        size_t n = strlen(s->values[i]) + 1;
        if (!(q->values[i] = malloc(n)))
            return -1;
        memcpy(q->values[i], s->values[i], n);
    }
    return 0;
}

/* A longer queue is sent before the next command joins it: what a
 * pipeline sends before reading must stay well below what the sockets
 * buffer, or both sides would wait on each other. */
#define QUEUE_MAX 64

int pg_queue_stmt(dstmt *d)
{
    pg_stmt *s = (pg_stmt *)d;
    pg_conn *pc = (pg_conn *)d->conn;
    int rc = -1;
    pg_queued *q = NULL;
    if (pc->nqueue >= QUEUE_MAX && pg_flush(d->conn) != 0)
        pg_reset(d);
    else if (s->ran || s->failed)
        pg_set_error(pc, DBE_OTHER, "postgres: queue: the statement ran; reset it first", NULL);
    else if (pg_ensure_conn(pc) == 0 && (s->epoch == pc->epoch || pg_server_prepare(pc, s) == 0))
        q = queue_slot(pc);
    if (q) {
        copy_str(q->name, sizeof q->name, s->name);
        if (copy_values(q, s) == 0) {
            pc->nqueue++;
            rc = 0;
        } else {
            queued_free(q);
            pg_set_error(pc, DBE_NOMEM, "postgres: out of memory", NULL);
        }
    }
    pg_reset(d);
    return rc;
}

int pg_queue_failed(dconn *c)
{
    pg_conn *pc = (pg_conn *)c;
    int failed = pc->queue_failed;
    pc->queue_failed = 0;
    return failed;
}

/* Sends the queue, then the n prepared statements s (or the plain
 * statement sql, or neither), and one Sync. 1, or 0 when a send failed. */
static int send_all(pg_conn *pc, pg_stmt *const *s, int n, const char *sql)
{
    int ok = 1;
    for (int i = 0; ok && i < pc->nqueue; i++) {
        const pg_queued *q = &pc->queue[i];
        ok = q->sql ? PQsendQueryParams(pc->pg, q->sql, 0, NULL, NULL, NULL, NULL, 0)
                    : PQsendQueryPrepared(pc->pg, q->name, q->nparams,
                                          (const char *const *)q->values, NULL, NULL, 0);
    }
    for (int i = 0; ok && i < n; i++)
        ok = PQsendQueryPrepared(pc->pg, s[i]->name, s[i]->nparams, s[i]->values, NULL, NULL, 0);
    if (ok && sql)
        ok = PQsendQueryParams(pc->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
    /* The Sync also flushes what was sent; without it nothing is read. */
    return PQpipelineSync(pc->pg) == 1 && ok;
}

/* Reads the results up to the Sync: the first failure of a queued command
 * into *qerr, the main commands' results into out[0..nmain). 1 when the
 * Sync came. */
static int read_all(pg_conn *pc, int nmain, PGresult **qerr, PGresult **out)
{
    int total = pc->nqueue + nmain;
    int idx = 0;
    for (int guard = 0; guard < 4 * total + 8; guard++) {
        PGresult *r = PQgetResult(pc->pg);
        if (!r) {
            if (PQstatus(pc->pg) == CONNECTION_BAD)
                return 0;
            idx++; /* the end of one command's results */
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            return 1;
        }
        int failed = st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
                     st != PGRES_EMPTY_QUERY && st != PGRES_PIPELINE_ABORTED;
        if (idx < pc->nqueue && failed && !*qerr)
            *qerr = r;
        else if (idx >= pc->nqueue && idx < total && !out[idx - pc->nqueue])
            out[idx - pc->nqueue] = r;
        else
            PQclear(r);
    }
    return 0;
}

/* The queue, n statements and then sql (each may be absent) in one
 * pipeline; out[i] receives statement i's result, out[n] sql's. Returns
 * 0, or -1 when a queued command failed (its result in *qerr) or the
 * pipeline broke (results not known to have run are dropped, connection
 * lost). */
static int pipeline_n(pg_conn *pc, pg_stmt *const *s, int n, const char *sql, PGresult **out,
                      PGresult **qerr)
{
    int nmain = n + (sql != NULL);
    for (int i = 0; i < nmain; i++)
        out[i] = NULL;
    *qerr = NULL;
    pc->pipe_qerr = 0;
    if (PQenterPipelineMode(pc->pg) != 1) {
        pg_queue_clear(pc);
        pc->queue_failed = 1;
        return -1;
    }
    pg_trip(pc);
    int sent = send_all(pc, s, n, sql);
    int synced = read_all(pc, nmain, qerr, out);
    if (PQstatus(pc->pg) == CONNECTION_OK && PQexitPipelineMode(pc->pg) != 1)
        log_msg(LOG_ERROR, "postgres: cannot leave pipeline mode: %s", PQerrorMessage(pc->pg));
    if (!sent || !synced || *qerr)
        pc->queue_failed = 1;
    pg_queue_clear(pc);
    for (int i = 0; (!sent || !synced) && i < nmain; i++)
        if (out[i] && PQresultStatus(out[i]) != PGRES_FATAL_ERROR) {
            PQclear(out[i]); /* not known to have run: a failure (connection lost) */
            out[i] = NULL;
        }
    if (*qerr)
        pc->pipe_qerr = 1; /* pg_fail_result reports it as DBE_IO */
    return *qerr || !sent || !synced ? -1 : 0;
}

PGresult *pg_pipeline(pg_conn *pc, const pg_stmt *s, const char *sql)
{
    PGresult *out = NULL, *qerr = NULL;
    pg_stmt *one = (pg_stmt *)s;
    if (s && sql)
        sql = NULL; /* one or the other (callers pass one) */
    int rc = pipeline_n(pc, &one, s ? 1 : 0, sql, &out, &qerr);
    if (qerr) {
        PQclear(out);
        return qerr;
    }
    if (!s && !sql && rc == 0)
        return PQmakeEmptyPGresult(pc->pg, PGRES_COMMAND_OK);
    return out;
}

#define PREFETCH_MAX 16

/* The prefetched results become the statements' own, walked by pg_step. */
static void hand_results(pg_stmt **s, PGresult **out, int n)
{
    for (int i = 0; i < n; i++) {
        s[i]->res = out[i];
        s[i]->ran = 1;
        s[i]->row = -1;
        s[i]->nrows = PQntuples(out[i]);
        s[i]->changes = 0;
    }
}

int pg_prefetch(dstmt **d, int n)
{
    pg_stmt *s[PREFETCH_MAX] = {0};
    PGresult *out[PREFETCH_MAX], *qerr = NULL;
    if (n <= 0)
        return 0;
    pg_conn *pc = (pg_conn *)d[0]->conn;
    if (n > PREFETCH_MAX)
        n = PREFETCH_MAX; /* the rest run at their first step */
    for (int i = 0; i < n; i++) {
        s[i] = (pg_stmt *)d[i];
        if (s[i]->ran || s[i]->failed || d[i]->conn != d[0]->conn) {
            pg_set_error(pc, DBE_OTHER, "postgres: prefetch: a statement ran already", NULL);
            return -1;
        }
    }
    if (pg_ensure_conn(pc) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (s[i]->epoch != pc->epoch && pg_server_prepare(pc, s[i]) != 0)
            return -1;
    int had_txn = pg_txn_open(pc);
    int rc = pipeline_n(pc, s, n, NULL, out, &qerr);
    PGresult *bad = qerr;
    for (int i = 0; !bad && i < n; i++)
        if (!out[i] || PQresultStatus(out[i]) != PGRES_TUPLES_OK)
            bad = out[i] ? out[i] : NULL;
    if (rc != 0 || bad || qerr) {
        pg_fail_result(pc, bad, had_txn);
        PQclear(qerr);
        for (int i = 0; i < n; i++) {
            PQclear(out[i]);
            pg_reset(d[i]);
        }
        return -1;
    }
    hand_results(s, out, n);
    return 0;
}

/* Checks the statements of a prefetch: bound, none run, one connection.
 * 0, or -1 (error set). */
static int prefetchable(pg_stmt **s, dstmt **d, int n)
{
    pg_conn *pc = (pg_conn *)d[0]->conn;
    for (int i = 0; i < n; i++) {
        s[i] = (pg_stmt *)d[i];
        if (s[i]->ran || s[i]->failed || d[i]->conn != d[0]->conn) {
            pg_set_error(pc, DBE_OTHER, "postgres: prefetch: a statement ran already", NULL);
            return -1;
        }
    }
    return 0;
}

/* Makes sure each statement is prepared on the current session. */
static int prepared(pg_conn *pc, pg_stmt **s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i]->epoch != pc->epoch && pg_server_prepare(pc, s[i]) != 0)
            return -1;
    return 0;
}

#define SNAPSHOT_BEGIN "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

/* One attempt of pg_prefetch_alone: BEGIN, the statements, COMMIT in one
 * pipeline. 0 with the results in out[0..n), or -1 (a failure's result,
 * if any, in *bad; nothing kept). */
static int snapshot_once(pg_conn *pc, pg_stmt **s, int n, PGresult **out, PGresult **bad)
{
    PGresult *qerr = NULL;
    *bad = NULL;
    if (pg_ensure_conn(pc) != 0 || prepared(pc, s, n) != 0 || pg_queue(&pc->head, SNAPSHOT_BEGIN) != 0)
        return -1;
    int rc = pipeline_n(pc, s, n, "COMMIT", out, &qerr);
    pc->queue_failed = 0; /* the queue was this call's own BEGIN */
    for (int i = 0; !qerr && i <= n; i++) {
        ExecStatusType st = out[i] ? PQresultStatus(out[i]) : PGRES_FATAL_ERROR;
        if (st != (i < n ? PGRES_TUPLES_OK : PGRES_COMMAND_OK) && !*bad) {
            *bad = out[i];
            out[i] = NULL;
        }
    }
    if (qerr) {
        *bad = qerr;
        rc = -1;
    }
    PQclear(out[n]);
    if (rc == 0 && !*bad)
        return 0;
    for (int i = 0; i < n; i++) {
        PQclear(out[i]);
        out[i] = NULL;
    }
    /* A failed statement leaves the transaction open (aborted): end it. */
    if (PQstatus(pc->pg) == CONNECTION_OK && pg_txn_open(pc)) {
        pg_trip(pc);
        PQclear(PQexec(pc->pg, "ROLLBACK"));
    }
    return -1;
}

int pg_prefetch_alone(dstmt **d, int n)
{
    pg_stmt *s[PREFETCH_MAX] = {0};
    PGresult *out[PREFETCH_MAX + 1], *bad = NULL;
    if (n <= 0 || n > PREFETCH_MAX)
        return 0; /* the caller reads them the usual way */
    pg_conn *pc = (pg_conn *)d[0]->conn;
    if (prefetchable(s, d, n) != 0)
        return -1;
    int rc = -1;
    if (pc->lost_txn || pg_txn_open(pc) || pc->nqueue)
        pg_set_error(pc, DBE_OTHER, "postgres: prefetch alone: a transaction is open", NULL);
    else
        rc = snapshot_once(pc, s, n, out, &bad);
    /* A session found gone (a restart while the connection was idle):
     * once more on a new one, as a lone statement would be. */
    if (rc != 0 && !pg_txn_open(pc) && pg_may_retry(pc, 0)) {
        PQclear(bad);
        rc = snapshot_once(pc, s, n, out, &bad);
    }
    if (rc != 0) {
        if (bad || PQstatus(pc->pg) == CONNECTION_BAD)
            pg_fail_result(pc, bad, 0);
        PQclear(bad);
        for (int i = 0; i < n; i++)
            pg_reset(d[i]);
        return -1;
    }
    hand_results(s, out, n);
    return 1;
}

int pg_flush(dconn *c)
{
    pg_conn *pc = (pg_conn *)c;
    if (pc->nqueue == 0)
        return 0;
    if (pg_ensure_conn(pc) != 0) {
        pg_queue_clear(pc);
        pc->queue_failed = 1;
        return -1;
    }
    int had_txn = pg_txn_open(pc);
    PGresult *r = pg_pipeline(pc, NULL, NULL);
    int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        pg_fail_result(pc, r, had_txn);
    PQclear(r);
    return ok ? 0 : -1;
}
