/* webhooks.c (store) - SQL of webhooks; see webhooks.h. */
#include "store/webhooks.h"

#include <string.h>

#include "store/internal.h"

#define HOOK_COLS "SELECT id, url, events, description, enabled, secret_sealed, created_at, " \
                  "updated_at FROM webhooks "
static const char SQL_HOOK_INSERT[] =
    "INSERT INTO webhooks(url, events, description, enabled, secret_sealed, created_at, "
    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id";
static const char SQL_HOOK_GET[] = HOOK_COLS "WHERE id = ?1";
static const char SQL_HOOK_LIST[] = HOOK_COLS "ORDER BY id";
static const char SQL_HOOK_ENABLED[] = HOOK_COLS "WHERE enabled = 1 ORDER BY id";
static const char SQL_HOOK_UPDATE[] =
    "UPDATE webhooks SET url = ?2, events = ?3, description = ?4, enabled = ?5, "
    "secret_sealed = ?6, updated_at = ?7 WHERE id = ?1";
static const char SQL_HOOK_DELETE_DELIVERIES[] = "DELETE FROM webhook_deliveries WHERE webhook_id = ?1";
static const char SQL_HOOK_DELETE[] = "DELETE FROM webhooks WHERE id = ?1";

#define DELIVERY_COLS                                                                   \
    "SELECT d.id, d.webhook_id, e.event_id, e.type, e.created_at, d.status, d.attempts, " \
    "d.first_at, d.next_at, d.last_error, d.response_code, d.last_attempt_at, "          \
    "d.delivered_at FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event "
static const char SQL_DELIVERIES[] =
    DELIVERY_COLS "WHERE d.webhook_id = ?1 ORDER BY d.id DESC LIMIT 200";
static const char SQL_DELIVERY_GET[] = DELIVERY_COLS "WHERE d.id = ?1";
static const char SQL_DELIVERY_REPLAY[] =
    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, first_at = ?2, "
    "next_at = ?2, claimed_until = 0 WHERE id = ?1";

static const char SQL_EVENT_INSERT[] =
    "INSERT INTO webhook_events(event_id, type, created_at, body) VALUES (?1, ?2, ?3, ?4) "
    "RETURNING id";
static const char SQL_DELIVERY_INSERT[] =
    "INSERT INTO webhook_deliveries(webhook_id, event, status, attempts, first_at, next_at) "
    "VALUES (?1, ?2, 'pending', 0, ?3, ?3) RETURNING id";

static const char SQL_STATE_LOAD[] = "SELECT key, value FROM webhook_state";
/* STATE_BATCH keys a statement (unused ones bound to NULL, which matches
 * nothing): after a burst of writes the worker asks for two keys per
 * workload written, and one round trip for each was most of its cost. */
#define STATE_BATCH 16
static const char SQL_STATE_GET[] =
    "SELECT key, value FROM webhook_state WHERE key IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char SQL_STATE_PUT[] =
    "INSERT INTO webhook_state(key, value) VALUES (?1, ?2) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
static const char SQL_STATE_DELETE[] = "DELETE FROM webhook_state WHERE key = ?1";

#define CLAIM_SELECT                                                                    \
    "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_at <= ?1 "    \
    "AND claimed_until <= ?1 AND webhook_id IN (SELECT id FROM webhooks WHERE enabled = 1) " \
    "ORDER BY next_at, id LIMIT 16"
static const char SQL_CLAIM_SQLITE[] = CLAIM_SELECT;
/* Several instances on one PostgreSQL: each takes rows no other holds. */
static const char SQL_CLAIM_PG[] = CLAIM_SELECT " FOR UPDATE SKIP LOCKED";
/* Kept WEBHOOK_KEEP_DAYS after they were queued; pending ones stay. */
static const char SQL_PRUNE_DELIVERIES[] =
    "DELETE FROM webhook_deliveries WHERE status <> 'pending' AND first_at < ?1";
static const char SQL_PRUNE_EVENTS[] =
    "DELETE FROM webhook_events WHERE NOT EXISTS "
    "(SELECT 1 FROM webhook_deliveries d WHERE d.event = webhook_events.id)";
static const char SQL_DUE[] =
    "SELECT 1 FROM webhook_deliveries WHERE status = 'pending' AND next_at <= ?1 "
    "AND claimed_until <= ?1 LIMIT 1";
static const char SQL_CLAIM_SET[] =
    "UPDATE webhook_deliveries SET claimed_until = ?2 WHERE id = ?1";
static const char SQL_JOB[] =
    "SELECT d.id, d.webhook_id, w.url, w.secret_sealed, e.event_id, e.body, d.attempts, "
    "d.first_at FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
    "JOIN webhook_events e ON e.id = d.event WHERE d.id = ?1";
static const char SQL_ATTEMPT[] =
    "UPDATE webhook_deliveries SET status = ?2, next_at = ?3, last_error = ?4, "
    "response_code = ?5, last_attempt_at = ?6, attempts = attempts + 1, claimed_until = 0, "
    "delivered_at = CASE WHEN ?2 = 'delivered' THEN ?6 ELSE delivered_at END WHERE id = ?1";

static void read_hook(dstmt *st, arena *a, void *item)
{
    webhook_rec *w = item;
    memset(w, 0, sizeof *w);
    w->id = col_i64(st, 0);
    w->url = col_text(st, 1, a);
    w->events = col_text(st, 2, a);
    w->description = col_text(st, 3, a);
    w->enabled = (int)col_i64(st, 4);
    w->secret_sealed = col_text(st, 5, a);
    w->created_at = col_text(st, 6, a);
    w->updated_at = col_text(st, 7, a);
}

static void read_delivery(dstmt *st, arena *a, void *item)
{
    webhook_delivery *d = item;
    memset(d, 0, sizeof *d);
    d->id = col_i64(st, 0);
    d->webhook_id = col_i64(st, 1);
    d->event_id = col_text(st, 2, a);
    d->type = col_text(st, 3, a);
    d->event_created = col_text(st, 4, a);
    d->status = col_text(st, 5, a);
    d->attempts = col_i64(st, 6);
    d->first_at = col_i64(st, 7);
    d->next_at = col_i64(st, 8);
    d->last_error = col_text(st, 9, a);
    d->response_code = col_i64(st, 10);
    d->last_attempt_at = col_text(st, 11, a);
    d->delivered_at = col_text(st, 12, a);
}

int store_webhook_insert(sy_db *db, webhook_rec *w, store_err *err)
{
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_HOOK_INSERT);
    if (!st)
        return db_fail(db, err, "webhook insert");
    bind_text(st, 1, w->url);
    bind_text(st, 2, w->events);
    bind_text(st, 3, w->description ? w->description : "");
    bind_i64(st, 4, w->enabled ? 1 : 0);
    bind_text(st, 5, w->secret_sealed);
    bind_text(st, 6, now);
    return db_insert_id(db, st, &w->id, err, "webhook insert");
}

int store_webhook_get(sy_db *db, int64_t id, arena *a, webhook_rec *out, store_err *err)
{
    return db_get_row(db, SQL_HOOK_GET, NULL, id, a, read_hook, out, "No webhook with this ID.",
                      err);
}

int store_webhook_list(sy_db *db, arena *a, webhook_rec **items, size_t *n, store_err *err)
{
    return db_rows(db, SQL_HOOK_LIST, 0, 8, a, sizeof **items, read_hook, (void **)items, n, err,
                   "webhooks");
}

int store_webhook_update(sy_db *db, webhook_rec *w, store_err *err)
{
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_HOOK_UPDATE);
    if (!st)
        return db_fail(db, err, "webhook update");
    bind_i64(st, 1, w->id);
    bind_text(st, 2, w->url);
    bind_text(st, 3, w->events);
    bind_text(st, 4, w->description ? w->description : "");
    bind_i64(st, 5, w->enabled ? 1 : 0);
    bind_text(st, 6, w->secret_sealed);
    bind_text(st, 7, now);
    return db_exec_stmt(db, st, err, "webhook update");
}

static int exec_id(sy_db *db, const char *sql, int64_t id, store_err *err, const char *what)
{
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, err, what);
    bind_i64(st, 1, id);
    return db_exec_stmt(db, st, err, what);
}

int store_webhook_delete(sy_db *db, int64_t id, store_err *err)
{
    int code = exec_id(db, SQL_HOOK_DELETE_DELIVERIES, id, err, "webhook delete");
    return code == ST_OK ? exec_id(db, SQL_HOOK_DELETE, id, err, "webhook delete") : code;
}

int store_webhook_deliveries(sy_db *db, int64_t webhook_id, int64_t limit, arena *a,
                             webhook_delivery **items, size_t *n, store_err *err)
{
    int code = db_rows(db, SQL_DELIVERIES, webhook_id, 16, a, sizeof **items, read_delivery,
                       (void **)items, n, err, "webhook deliveries");
    if (code == ST_OK && limit > 0 && *n > (size_t)limit)
        *n = (size_t)limit;
    return code;
}

int store_webhook_delivery_get(sy_db *db, int64_t id, arena *a, webhook_delivery *out,
                               store_err *err)
{
    return db_get_row(db, SQL_DELIVERY_GET, NULL, id, a, read_delivery, out,
                      "No webhook delivery with this ID.", err);
}

int store_webhook_delivery_replay(sy_db *db, int64_t id, int64_t now, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_DELIVERY_REPLAY);
    if (!st)
        return db_fail(db, err, "webhook replay");
    bind_i64(st, 1, id);
    bind_i64(st, 2, now);
    return db_exec_stmt(db, st, err, "webhook replay");
}

int store_webhook_enqueue(sy_db *db, const char *event_id, const char *type,
                          const char *created, const char *body, int64_t now, int *queued,
                          store_err *err)
{
    arena a;
    arena_init(&a);
    webhook_rec *hooks;
    size_t n;
    *queued = 0;
    int code = db_rows(db, SQL_HOOK_ENABLED, 0, 8, &a, sizeof *hooks, read_hook,
                       (void **)&hooks, &n, err, "webhooks");
    int code_of = webhook_event_code(type);
    int64_t event = 0;
    for (size_t i = 0; code == ST_OK && i < n; i++) {
        if (code_of < 0 || !(webhook_events_mask(hooks[i].events) & (1u << code_of)))
            continue;
        if (!event) {
            dstmt *st = db_stmt(db, SQL_EVENT_INSERT);
            if (!st) {
                code = db_fail(db, err, "webhook event");
                break;
            }
            bind_text(st, 1, event_id);
            bind_text(st, 2, type);
            bind_text(st, 3, created);
            bind_text(st, 4, body);
            if ((code = db_insert_id(db, st, &event, err, "webhook event")) != ST_OK)
                break;
        }
        dstmt *st = db_stmt(db, SQL_DELIVERY_INSERT);
        if (!st) {
            code = db_fail(db, err, "webhook delivery");
            break;
        }
        bind_i64(st, 1, hooks[i].id);
        bind_i64(st, 2, event);
        bind_i64(st, 3, now);
        int64_t id;
        if ((code = db_insert_id(db, st, &id, err, "webhook delivery")) == ST_OK)
            (*queued)++;
    }
    arena_free(&a);
    return code;
}

static void read_state(dstmt *st, arena *a, void *item)
{
    wh_stored *s = item;
    s->key = col_text(st, 0, a);
    s->value = col_i64(st, 1);
}

int store_webhook_state_load(sy_db *db, arena *a, wh_stored **items, size_t *n, store_err *err)
{
    return db_rows(db, SQL_STATE_LOAD, 0, 256, a, sizeof **items, read_state, (void **)items, n,
                   err, "webhook state");
}

int store_webhook_state_some(sy_db *db, const char *const *keys, size_t n_keys, arena *a,
                             wh_stored **items, size_t *n, store_err *err)
{
    wh_stored *out = arena_alloc(a, (n_keys ? n_keys : 1) * sizeof *out);
    *items = out;
    *n = 0;
    if (!out) {
        err_set(err, ST_ERROR, "", "Out of memory.");
        return ST_ERROR;
    }
    for (size_t i = 0; i < n_keys; i += STATE_BATCH) {
        dstmt *st = db_stmt(db, SQL_STATE_GET);
        if (!st)
            return db_fail(db, err, "webhook state");
        for (size_t k = 0; k < STATE_BATCH; k++)
            bind_text(st, (int)k + 1, i + k < n_keys ? keys[i + k] : NULL);
        db_step rc;
        const char *key = "";
        /* At most one row per key (the key is the primary key), so out
         * has room; the caller sorts them. */
        while (key && (rc = dstmt_step(st)) == DB_ROW && *n < n_keys)
            if ((key = col_text(st, 0, a)))
                out[(*n)++] = (wh_stored){key, col_i64(st, 1)};
        dstmt_reset(st);
        if (!key) {
            err_set(err, ST_ERROR, "", "Out of memory.");
            return ST_ERROR;
        }
        if (rc != DB_DONE && rc != DB_ROW)
            return db_fail(db, err, "webhook state");
    }
    return ST_OK;
}

/* Inside a write transaction (the worker's own, never a shared batch) the
 * state rows are queued: they go out with the transaction's next
 * statement or its COMMIT, which fails if one of them did (PostgreSQL:
 * one round trip for many; SQLite runs them at once). */
static int state_write(sy_db *db, dstmt *st, store_err *err)
{
    if (!db->in_write || db->group)
        return db_exec_stmt(db, st, err, "webhook state");
    return dstmt_queue(st) == 0 ? ST_OK : db_fail(db, err, "webhook state");
}

int store_webhook_state_put(sy_db *db, const char *key, int64_t value, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_STATE_PUT);
    if (!st)
        return db_fail(db, err, "webhook state");
    bind_text(st, 1, key);
    bind_i64(st, 2, value);
    return state_write(db, st, err);
}

int store_webhook_state_delete(sy_db *db, const char *key, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_STATE_DELETE);
    if (!st)
        return db_fail(db, err, "webhook state");
    bind_text(st, 1, key);
    return state_write(db, st, err);
}

int store_webhook_due(sy_db *db, int64_t now)
{
    dstmt *st = db_stmt(db, SQL_DUE);
    if (!st)
        return 1; /* let the claim find out */
    bind_i64(st, 1, now);
    db_step rc = dstmt_step(st);
    dstmt_reset(st);
    return rc != DB_DONE;
}

int store_webhook_claim(sy_db *db, int64_t now, int64_t lease_until, int64_t *ids, size_t cap,
                        size_t *n, store_err *err)
{
    const char *sql = dconn_engine(db->conn) == DB_POSTGRES ? SQL_CLAIM_PG : SQL_CLAIM_SQLITE;
    dstmt *st = db_stmt(db, sql);
    *n = 0;
    if (!st)
        return db_fail(db, err, "webhook claim");
    bind_i64(st, 1, now);
    db_step rc;
    while ((rc = dstmt_step(st)) == DB_ROW)
        if (*n < cap)
            ids[(*n)++] = col_i64(st, 0);
    int code = rc == DB_DONE ? ST_OK : db_fail(db, err, "webhook claim");
    dstmt_reset(st);
    for (size_t i = 0; code == ST_OK && i < *n; i++) {
        if (!(st = db_stmt(db, SQL_CLAIM_SET)))
            return db_fail(db, err, "webhook claim");
        bind_i64(st, 1, ids[i]);
        bind_i64(st, 2, lease_until);
        code = db_exec_stmt(db, st, err, "webhook claim");
    }
    return code;
}

static void read_job(dstmt *st, arena *a, void *item)
{
    webhook_job *j = item;
    j->delivery = col_i64(st, 0);
    j->webhook = col_i64(st, 1);
    j->url = col_text(st, 2, a);
    j->secret_sealed = col_text(st, 3, a);
    j->event_id = col_text(st, 4, a);
    j->body = col_text(st, 5, a);
    j->attempts = col_i64(st, 6);
    j->first_at = col_i64(st, 7);
}

int store_webhook_job(sy_db *db, int64_t delivery, arena *a, webhook_job *out, store_err *err)
{
    return db_get_row(db, SQL_JOB, NULL, delivery, a, read_job, out,
                      "No webhook delivery with this ID.", err);
}

int store_webhook_attempt(sy_db *db, int64_t delivery, const char *status, int64_t next_at,
                          const char *error, int64_t code, const char *at, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_ATTEMPT);
    if (!st)
        return db_fail(db, err, "webhook attempt");
    bind_i64(st, 1, delivery);
    bind_text(st, 2, status);
    bind_i64(st, 3, next_at);
    bind_text(st, 4, error);
    bind_id(st, 5, code);
    bind_text(st, 6, at);
    return db_exec_stmt(db, st, err, "webhook attempt");
}

int store_webhook_prune(sy_db *db, int64_t before, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_PRUNE_DELIVERIES);
    if (!st)
        return db_fail(db, err, "webhook prune");
    bind_i64(st, 1, before);
    int code = db_exec_stmt(db, st, err, "webhook prune");
    if (code == ST_OK && !(st = db_stmt(db, SQL_PRUNE_EVENTS)))
        return db_fail(db, err, "webhook prune");
    return code == ST_OK ? db_exec_stmt(db, st, err, "webhook prune") : code;
}
