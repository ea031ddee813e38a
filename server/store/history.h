/* history.h - the store side of the portfolio over time (issue 19): the
 * daily figures (portfolio_history), reviews and secret calendar feeds.
 * Kept apart from store.h so that the area's statements sit together. */
#ifndef SY_STORE_HISTORY_H
#define SY_STORE_HISTORY_H

#include "store/store.h"

typedef struct history_row {
    const char *day;           /* YYYY-MM-DD */
    const char *source;        /* observed | rebuilt */
    const char *figures;       /* compact JSON (core/history.h) */
} history_row;

/* Inserts or replaces the row of (day, scope). A 'rebuilt' row never
 * replaces an 'observed' one. Inside the caller's write transaction. */
int store_history_put(sy_db *db, const char *day, const char *scope, const char *source,
                      const char *figures, const char *taken_at, store_err *err);
/* How many 'observed' rows day has (of any scope). */
int store_history_observed(sy_db *db, const char *day, int64_t *n, store_err *err);
/* The rows of scope with from <= day <= to, oldest first. */
int store_history_range(sy_db *db, const char *scope, const char *from, const char *to,
                        arena *a, history_row **rows, size_t *n, store_err *err);

typedef struct review_rec {
    int64_t id;
    const char *name;
    const char *held_on;       /* YYYY-MM-DD */
    const char *notes;
    const char *created_by;
    const char *created_at;
} review_rec;

int store_review_add(sy_db *db, review_rec *r, store_err *err);     /* sets r->id */
/* Every review, latest held_on first (then latest id). */
int store_review_list(sy_db *db, arena *a, review_rec **items, size_t *n, store_err *err);

typedef struct feed_rec {
    int64_t id;
    int64_t user_id;
    const char *user_name;     /* joined */
    int user_disabled;         /* joined */
    const char *name;
    const char *track;         /* NULL: every track */
    const char *prefix;
    const char *secret_hash;
    const char *created_at;
    const char *revoked_at;
} feed_rec;

int store_feed_insert(sy_db *db, feed_rec *f, store_err *err);     /* sets f->id */
/* A user's feeds (user_id 0: everyone's), newest first. */
int store_feed_list(sy_db *db, int64_t user_id, arena *a, feed_rec **items, size_t *n,
                    store_err *err);
int store_feed_get(sy_db *db, int64_t id, arena *a, feed_rec *out, store_err *err);
int store_feed_by_hash(sy_db *db, const char *hash, arena *a, feed_rec *out, store_err *err);
int store_feed_revoke(sy_db *db, int64_t id, const char *now, store_err *err);

#endif
