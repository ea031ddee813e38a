/* history_rebuild.c - `switchyard snapshot rebuild`: the missing past days
 * of the portfolio history, recomputed from the audit trail (each day as it
 * stood at its start; see history_state.h for what is and is not replayed)
 * and stored as 'rebuilt'. Days with an observed row keep it; at most the
 * last ten years, from the day of the first audit event. */
#include "api/history.h"

#include <string.h>

#include "api/history_state.h"
#include "api/snapshot.h"
#include "common/text.h"
#include "core/history.h"
#include "store/history.h"

#define REBUILD_MAX_DAYS 3650

static int fail(store_err *err, const char *detail)
{
    err->code = ST_ERROR;
    copy_str(err->detail, sizeof err->detail, detail);
    return ST_ERROR;
}

/* Stores one day's five rows as rebuilt, in one quiet write. */
static int store_day(sy_db *db, const past *ps, int64_t day, store_err *err)
{
    arena a;
    arena_init(&a);
    history_figures f[HISTORY_SCOPES];
    int failed = history_compute_all(&ps->p, ps->risk, &a, f);
    arena_free(&a);
    if (failed)
        return fail(err, "Out of memory.");
    char d[11], now[21];
    date_format(day, d);
    clock_now_rfc3339(now);
    int code = store_begin_write(db, err);
    if (code != ST_OK)
        return code;
    store_mark_quiet(db);
    for (int i = 0; code == ST_OK && i < HISTORY_SCOPES; i++) {
        buf b;
        buf_init(&b);
        history_figures_json(&b, &f[i]);
        code = buf_failed(&b) ? fail(err, "Out of memory.")
                              : store_history_put(db, d, HISTORY_SCOPE_NAMES[i], "rebuilt",
                                                  b.data, now, err);
        buf_free(&b);
    }
    if (code == ST_OK)
        code = store_commit(db, err);
    if (code != ST_OK)
        store_rollback(db);
    return code;
}

int history_rebuild(sy_db *db, long *days, store_err *err)
{
    *days = 0;
    snapshot *s = snapshot_obtain(db, 1, err);
    if (!s)
        return err->code ? err->code : ST_ERROR;
    snapshot_view v;
    snapshot_get_view(s, &v);
    trail t;
    int code = trail_load(db, &t, err);
    int64_t today = v.p.today;
    int64_t start = t.first_day > today - REBUILD_MAX_DAYS ? t.first_day : today - REBUILD_MAX_DAYS;
    arena a;
    arena_init(&a);
    history_row *rows = NULL;
    size_t n = 0;
    if (code == ST_OK && t.first_day >= 0) {
        char from[11], to[11];
        date_format(start, from);
        date_format(today - 1, to);
        code = store_history_range(db, "all", from, to, &a, &rows, &n, err);
    }
    size_t k = 0; /* rows are by day: walk them beside the days */
    for (int64_t day = start; code == ST_OK && t.first_day >= 0 && day < today; day++) {
        char d[11];
        date_format(day, d);
        while (k < n && strcmp(rows[k].day, d) < 0)
            k++;
        if (k < n && strcmp(rows[k].day, d) == 0 && strcmp(rows[k].source, "observed") == 0)
            continue;
        past ps;
        char cutoff[21];
        day_start(day, cutoff);
        code = past_build(&t, &v.p, &v.weights, cutoff, &ps, err);
        if (code == ST_OK)
            code = store_day(db, &ps, day, err);
        past_free(&ps);
        if (code == ST_OK)
            (*days)++;
    }
    arena_free(&a);
    trail_free(&t);
    snapshot_release(s);
    return code;
}
