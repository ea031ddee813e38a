/* history.c - daily portfolio figures, reviews and calendar feeds in SQL;
 * see store/history.h. Portable to SQLite and PostgreSQL (ON CONFLICT
 * upsert, bound parameters only). Writing a day's figures or a feed is
 * bookkeeping for the portfolio's answers: callers mark such writes quiet
 * where they must not start a new data generation. */
#include "store/history.h"

#include <string.h>

#include "store/internal.h"

static const char SQL_HISTORY_PUT[] =
    "INSERT INTO portfolio_history(day, scope, source, figures, taken_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (scope, day) DO UPDATE SET "
    "source = excluded.source, figures = excluded.figures, taken_at = excluded.taken_at "
    "WHERE excluded.source = 'observed' OR portfolio_history.source = 'rebuilt'";
static const char SQL_HISTORY_OBSERVED[] =
    "SELECT COUNT(*) FROM portfolio_history WHERE day = ?1 AND source = 'observed'";
static const char SQL_HISTORY_RANGE[] =
    "SELECT day, source, figures FROM portfolio_history "
    "WHERE scope = ?1 AND day >= ?2 AND day <= ?3 ORDER BY day";

static const char SQL_REVIEW_ADD[] =
    "INSERT INTO reviews(name, held_on, notes, created_by, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
static const char SQL_REVIEW_LIST[] =
    "SELECT id, name, held_on, notes, created_by, created_at FROM reviews "
    "ORDER BY held_on DESC, id DESC";

#define FEED_COLS \
    "SELECT f.id, f.user_id, u.name, u.disabled, f.name, f.track, f.prefix, f.secret_hash, " \
    "f.created_at, f.revoked_at FROM calendar_feeds f JOIN users u ON u.id = f.user_id "
static const char SQL_FEED_INSERT[] =
    "INSERT INTO calendar_feeds(user_id, name, track, prefix, secret_hash, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_FEED_ALL[] = FEED_COLS "ORDER BY f.id DESC";
static const char SQL_FEED_OF[] = FEED_COLS "WHERE f.user_id = ?1 ORDER BY f.id DESC";
static const char SQL_FEED_ONE[] = FEED_COLS "WHERE f.id = ?1";
static const char SQL_FEED_HASH[] = FEED_COLS "WHERE f.secret_hash = ?1";
static const char SQL_FEED_REVOKE[] =
    "UPDATE calendar_feeds SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";

int store_history_put(sy_db *db, const char *day, const char *scope, const char *source,
                      const char *figures, const char *taken_at, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_HISTORY_PUT);
    if (!st)
        return db_fail(db, err, "history");
    bind_text(st, 1, day);
    bind_text(st, 2, scope);
    bind_text(st, 3, source);
    bind_text(st, 4, figures);
    bind_text(st, 5, taken_at);
    return db_exec_stmt(db, st, err, "history");
}

int store_history_observed(sy_db *db, const char *day, int64_t *n, store_err *err)
{
    *n = 0;
    dstmt *st = db_stmt(db, SQL_HISTORY_OBSERVED);
    if (!st)
        return db_fail(db, err, "history");
    bind_text(st, 1, day);
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW)
        *n = col_i64(st, 0);
    dstmt_reset(st);
    return rc == DB_ROW ? ST_OK : db_fail(db, err, "history");
}

int store_history_range(sy_db *db, const char *scope, const char *from, const char *to,
                        arena *a, history_row **rows, size_t *n, store_err *err)
{
    *rows = NULL;
    *n = 0;
    dstmt *st = db_stmt(db, SQL_HISTORY_RANGE);
    if (!st)
        return db_fail(db, err, "history");
    bind_text(st, 1, scope);
    bind_text(st, 2, from);
    bind_text(st, 3, to);
    size_t cap = 0;
    db_step rc;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            history_row *grown = arena_alloc(a, ncap * sizeof *grown);
            if (!grown) {
                dstmt_reset(st);
                return db_fail_nomem(db, err, "history");
            }
            if (*n)
                memcpy(grown, *rows, *n * sizeof *grown);
            *rows = grown;
            cap = ncap;
        }
        history_row *r = &(*rows)[(*n)++];
        r->day = col_text(st, 0, a);
        r->source = col_text(st, 1, a);
        r->figures = col_text(st, 2, a);
    }
    dstmt_reset(st);
    return rc == DB_DONE ? ST_OK : db_fail(db, err, "history");
}

int store_review_add(sy_db *db, review_rec *r, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_REVIEW_ADD);
    if (!st)
        return db_fail(db, err, "review");
    bind_text(st, 1, r->name);
    bind_text(st, 2, r->held_on);
    bind_text(st, 3, r->notes ? r->notes : "");
    bind_text(st, 4, r->created_by);
    bind_text(st, 5, r->created_at);
    return db_insert_id(db, st, &r->id, err, "review");
}

static void read_review(dstmt *st, arena *a, void *item)
{
    review_rec *r = item;
    r->id = col_i64(st, 0);
    r->name = col_text(st, 1, a);
    r->held_on = col_text(st, 2, a);
    r->notes = col_text(st, 3, a);
    r->created_by = col_text(st, 4, a);
    r->created_at = col_text(st, 5, a);
}

int store_review_list(sy_db *db, arena *a, review_rec **items, size_t *n, store_err *err)
{
    void *out;
    int code = db_rows(db, SQL_REVIEW_LIST, 0, 8, a, sizeof(review_rec), read_review, &out, n,
                       err, "reviews");
    *items = out;
    return code;
}

static void read_feed(dstmt *st, arena *a, void *item)
{
    feed_rec *f = item;
    f->id = col_i64(st, 0);
    f->user_id = col_i64(st, 1);
    f->user_name = col_text(st, 2, a);
    f->user_disabled = (int)col_i64(st, 3);
    f->name = col_text(st, 4, a);
    f->track = col_text(st, 5, a);
    f->prefix = col_text(st, 6, a);
    f->secret_hash = col_text(st, 7, a);
    f->created_at = col_text(st, 8, a);
    f->revoked_at = col_text(st, 9, a);
}

int store_feed_insert(sy_db *db, feed_rec *f, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_FEED_INSERT);
    if (!st)
        return db_fail(db, err, "feed");
    bind_i64(st, 1, f->user_id);
    bind_text(st, 2, f->name);
    bind_text(st, 3, f->track);
    bind_text(st, 4, f->prefix);
    bind_text(st, 5, f->secret_hash);
    bind_text(st, 6, f->created_at);
    return db_insert_id(db, st, &f->id, err, "feed");
}

int store_feed_list(sy_db *db, int64_t user_id, arena *a, feed_rec **items, size_t *n,
                    store_err *err)
{
    void *out;
    int code = db_rows(db, user_id ? SQL_FEED_OF : SQL_FEED_ALL, user_id, 8, a,
                       sizeof(feed_rec), read_feed, &out, n, err, "feeds");
    *items = out;
    return code;
}

int store_feed_get(sy_db *db, int64_t id, arena *a, feed_rec *out, store_err *err)
{
    return db_get_row(db, SQL_FEED_ONE, NULL, id, a, read_feed, out,
                      "No calendar feed with this ID.", err);
}

int store_feed_by_hash(sy_db *db, const char *hash, arena *a, feed_rec *out, store_err *err)
{
    return db_get_row(db, SQL_FEED_HASH, hash, 0, a, read_feed, out,
                      "No calendar feed with this address.", err);
}

int store_feed_revoke(sy_db *db, int64_t id, const char *now, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_FEED_REVOKE);
    if (!st)
        return db_fail(db, err, "feed");
    bind_i64(st, 1, id);
    bind_text(st, 2, now);
    return db_exec_stmt(db, st, err, "feed");
}
