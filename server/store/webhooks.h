/* webhooks.h (store) - SQL of webhooks: endpoints, events, the durable
 * delivery queue and the transition state (db/migrations/0011). Writes run
 * inside the caller's write transaction (store_begin_write). */
#ifndef SY_STORE_WEBHOOKS_H
#define SY_STORE_WEBHOOKS_H

#include "core/webhook.h"
#include "store/store.h"

typedef struct webhook_rec {
    int64_t id;
    const char *url;
    const char *events;          /* comma-separated, canonical order */
    const char *description;
    int enabled;
    const char *secret_sealed;
    const char *created_at, *updated_at;
} webhook_rec;

typedef struct webhook_delivery {
    int64_t id, webhook_id;
    const char *event_id, *type, *event_created;
    const char *status;          /* pending | delivered | failed */
    int64_t attempts, first_at, next_at;
    const char *last_error;      /* NULL: none */
    int64_t response_code;       /* 0: none */
    const char *last_attempt_at, *delivered_at;
} webhook_delivery;

/* What the worker needs to send one claimed delivery. */
typedef struct webhook_job {
    int64_t delivery, webhook;
    const char *url, *secret_sealed, *event_id, *body;
    int64_t attempts, first_at;
} webhook_job;

int store_webhook_insert(sy_db *db, webhook_rec *w, store_err *err);   /* sets id */
int store_webhook_get(sy_db *db, int64_t id, arena *a, webhook_rec *out, store_err *err);
int store_webhook_list(sy_db *db, arena *a, webhook_rec **items, size_t *n, store_err *err);
/* Writes url, events, description, enabled, secret_sealed; sets updated_at. */
int store_webhook_update(sy_db *db, webhook_rec *w, store_err *err);
int store_webhook_delete(sy_db *db, int64_t id, store_err *err);       /* with its deliveries */

/* A webhook's deliveries, newest first, at most limit. */
int store_webhook_deliveries(sy_db *db, int64_t webhook_id, int64_t limit, arena *a,
                             webhook_delivery **items, size_t *n, store_err *err);
int store_webhook_delivery_get(sy_db *db, int64_t id, arena *a, webhook_delivery *out,
                               store_err *err);
/* Queues it again from now: pending, due now, attempts 0, a new day. */
int store_webhook_delivery_replay(sy_db *db, int64_t id, int64_t now, store_err *err);

/* One event and a delivery of it to every enabled webhook whose events
 * include its type; nothing when none does (*queued: how many). */
int store_webhook_enqueue(sy_db *db, const char *event_id, const char *type,
                          const char *created, const char *body, int64_t now, int *queued,
                          store_err *err);

/* The transition state: every row (unsorted), one upsert, one delete. */
int store_webhook_state_load(sy_db *db, arena *a, wh_stored **items, size_t *n, store_err *err);
/* The rows of these keys alone (those that exist; unsorted), 16 keys a
 * statement. */
int store_webhook_state_some(sy_db *db, const char *const *keys, size_t n_keys, arena *a,
                             wh_stored **items, size_t *n, store_err *err);
int store_webhook_state_put(sy_db *db, const char *key, int64_t value, store_err *err);
int store_webhook_state_delete(sy_db *db, const char *key, store_err *err);

/* 1 when some delivery may be due (a cheap look before claiming, outside
 * any transaction, so an idle worker takes no write lock), else 0. */
int store_webhook_due(sy_db *db, int64_t now);
/* Claims up to cap due deliveries of enabled webhooks (pending, next_at <=
 * now, unclaimed or whose claim lapsed) until lease_until; on PostgreSQL
 * rows other instances hold are skipped (FOR UPDATE SKIP LOCKED). */
int store_webhook_claim(sy_db *db, int64_t now, int64_t lease_until, int64_t *ids, size_t cap,
                        size_t *n, store_err *err);
int store_webhook_job(sy_db *db, int64_t delivery, arena *a, webhook_job *out, store_err *err);
/* Records an attempt: status, next_at, error (NULL on success), HTTP code
 * (0: none), when; releases the claim. */
int store_webhook_attempt(sy_db *db, int64_t delivery, const char *status, int64_t next_at,
                          const char *error, int64_t code, const char *at, store_err *err);

/* Forgets delivered and failed deliveries queued before `before` (unix
 * seconds), and events no delivery refers to any more. */
int store_webhook_prune(sy_db *db, int64_t before, store_err *err);

#endif
