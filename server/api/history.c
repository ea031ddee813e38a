/* history.c - GET /api/v1/portfolio/history?from=&to=&days=&track=: the daily
 * figures of one scope (the whole portfolio, or a track), oldest first,
 * each marked observed or rebuilt, with the missing days named as ranges;
 * and history_take(), which stores today's figures (the first API request
 * of each day, and `switchyard snapshot` for cron). */
#include "api/history.h"

#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/snapshot.h"
#include "common/log.h"
#include "common/text.h"
#include "core/history.h"
#include "http/query.h"
#include "store/history.h"

#define DEFAULT_DAYS 90
#define MAX_DAYS 3660 /* ten years and their leap days */

const char HISTORY_REBUILD_NOTE[] =
    "A day's row is 'observed' when the server took it that day (its first API request, or "
    "`switchyard snapshot`), from the figures as they stood then. 'rebuilt' rows are "
    "recomputed by `switchyard snapshot rebuild` from the audit trail, each as it stood at "
    "the start of that day: every audited write of a vendor, offering, contract or workload "
    "made that day or later is undone (its record's JSON before the write is put back; a record created "
    "then is left out), and exit drills and risk acceptances count when they had been "
    "recorded before (an acceptance revoked that day or later counts as in force). Not replayed: risk "
    "weights (today's apply) and records changed outside the audited API (by SQL). Days "
    "before the first audit event, and the days since it that nobody rebuilt, are missing.";

int history_take(sy_db *db, store_err *err)
{
    snapshot *s = snapshot_obtain(db, 1, err);
    if (!s)
        return err->code ? err->code : ST_ERROR;
    snapshot_view v;
    snapshot_get_view(s, &v);
    arena a;
    arena_init(&a);
    history_figures f[HISTORY_SCOPES];
    int failed = history_compute_all_kept(&v.p, v.risk, v.conc, &a, f);
    char day[11], now[21];
    date_format(v.p.today, day);
    snapshot_release(s);
    arena_free(&a);
    if (failed) {
        err->code = ST_ERROR;
        copy_str(err->detail, sizeof err->detail, "Out of memory.");
        return ST_ERROR;
    }
    clock_now_rfc3339(now);
    int code = store_begin_write(db, err);
    if (code != ST_OK)
        return code;
    store_mark_quiet(db); /* bookkeeping: the portfolio's answers do not change */
    for (int i = 0; code == ST_OK && i < HISTORY_SCOPES; i++) {
        buf b;
        buf_init(&b);
        history_figures_json(&b, &f[i]);
        if (buf_failed(&b)) {
            code = err->code = ST_ERROR;
            copy_str(err->detail, sizeof err->detail, "Out of memory.");
        } else {
            code = store_history_put(db, day, HISTORY_SCOPE_NAMES[i], "observed", b.data, now,
                                     err);
        }
        buf_free(&b);
    }
    if (code == ST_OK)
        code = store_commit(db, err);
    if (code != ST_OK)
        store_rollback(db);
    return code;
}

/* 1 when every scope's observed row of today is stored already. */
static int taken_today(sy_db *db)
{
    char day[11];
    date_format(clock_today(), day);
    int64_t n = 0;
    store_err err;
    return store_history_observed(db, day, &n, &err) == ST_OK && n >= HISTORY_SCOPES;
}

int history_daily(sy_db *db)
{
    if (store_job_begin(db, STORE_JOB_HISTORY) != 1)
        return 1; /* another instance takes them now, or the lock failed */
    store_err err;
    memset(&err, 0, sizeof err);
    store_job_outcome outcome = JOB_RAN;
    if (store_shared(db) && taken_today(db))
        outcome = JOB_DONE; /* by another instance, earlier today */
    else if (history_take(db, &err) != ST_OK)
        log_msg(LOG_WARN, "the day's portfolio history could not be stored: %s", err.detail);
    store_job_end(db, STORE_JOB_HISTORY, outcome);
    return 0;
}

typedef struct history_query {
    char scope[16];
    int64_t from, to;
} history_query;

static int parse_day(sy_request *rq, const char *name, const char *value, int64_t *out)
{
    if (date_parse(value, out) != 0)
        return problem_param(rq, name, "must be a date (YYYY-MM-DD)");
    return 0;
}

static int parse_history_query(sy_request *rq, history_query *q)
{
    copy_str(q->scope, sizeof q->scope, "all");
    int64_t today = clock_today();
    q->to = today;
    q->from = -1;
    int64_t days = 0; /* days=N: the N days up to to (the sparklines' range without a date) */
    const char *cursor = rq->query;
    char name[64], value[64];
    int rc, status;
    while ((rc = query_next(&cursor, name, sizeof name, value, sizeof value)) == 1) {
        if (strcmp(name, "track") == 0) {
            if (!history_scope_valid(value))
                return problem_param(rq, "track",
                                     "must be all, copilot, azure, openai or other");
            copy_str(q->scope, sizeof q->scope, value);
        } else if (strcmp(name, "from") == 0) {
            if ((status = parse_day(rq, "from", value, &q->from)) != 0)
                return status;
        } else if (strcmp(name, "to") == 0) {
            if ((status = parse_day(rq, "to", value, &q->to)) != 0)
                return status;
        } else if (strcmp(name, "days") == 0) {
            if (parse_i64(value, 1, MAX_DAYS, &days) != 0)
                return problem_param(rq, "days", "must be a whole number from 1 to 3660");
        } else {
            return problem_param(rq, name, "is not supported here");
        }
    }
    if (rc < 0)
        return problem(rq, 400, "A query parameter was not accepted", "The query string is malformed.");
    if (q->to > today)
        return problem_param(rq, "to", "must not be after today");
    if (days && q->from >= 0)
        return problem_param(rq, "days", "must not be given with from");
    if (q->from < 0)
        q->from = q->to - ((days ? days : DEFAULT_DAYS) - 1);
    if (q->from > q->to)
        return problem_param(rq, "from", "must not be after to");
    return 0;
}

/* Writes the days of [from, to] that have no row, as ranges. */
static void write_missing(jw *w, const history_row *rows, size_t n, int64_t from, int64_t to,
                          int64_t *missing)
{
    jw_key(w, "missing");
    jw_arr(w);
    int64_t next = from; /* the first day not yet accounted for */
    for (size_t i = 0; i <= n; i++) {
        int64_t day = to + 1;
        if (i < n && date_parse(rows[i].day, &day) != 0)
            continue;
        if (day > next) {
            char a[11], b[11];
            date_format(next, a);
            date_format(day - 1, b);
            jw_obj(w);
            jw_kstr(w, "from", a);
            jw_kstr(w, "to", b);
            jw_kint(w, "days", day - next);
            jw_obj_end(w);
            *missing += day - next;
        }
        next = day + 1;
    }
    jw_arr_end(w);
}

int history_get(sy_request *rq)
{
    history_query q;
    int status = parse_history_query(rq, &q);
    if (status)
        return status;
    char from[11], to[11];
    date_format(q.from, from);
    date_format(q.to, to);
    history_row *rows;
    size_t n;
    store_err err;
    if (store_history_range(rq->db, q.scope, from, to, &rq->arena, &rows, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    jw *w = &rq->jw;
    jw_obj(w);
    jw_kstr(w, "track", q.scope);
    jw_kstr(w, "from", from);
    jw_kstr(w, "to", to);
    int64_t observed = 0, rebuilt = 0, missing = 0;
    jw_key(w, "days");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].source, "observed") == 0)
            observed++;
        else
            rebuilt++;
        jw_obj(w);
        jw_kstr(w, "day", rows[i].day);
        jw_kstr(w, "source", rows[i].source);
        jw_key(w, "figures");
        jw_raw(w, rows[i].figures);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    write_missing(w, rows, n, q.from, q.to, &missing);
    jw_key(w, "coverage");
    jw_obj(w);
    jw_kint(w, "days", q.to - q.from + 1);
    jw_kint(w, "observed", observed);
    jw_kint(w, "rebuilt", rebuilt);
    jw_kint(w, "missing", missing);
    jw_obj_end(w);
    jw_kstr(w, "rebuild", HISTORY_REBUILD_NOTE);
    jw_obj_end(w);
    return 200;
}
