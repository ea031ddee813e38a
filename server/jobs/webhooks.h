/* webhooks.h (jobs) - the webhook service beside the server: the signing
 * secrets' sealing key, raising events into the durable queue, and the
 * background worker that notices transitions of the scored portfolio and
 * sends what is due. Requests never wait for a delivery: they only write
 * rows; the worker (its own thread and database connection) sends.
 *
 * Test hooks (environment): SWITCHYARD_WEBHOOK_HOLD=1 queues but never
 * sends (to stop a server between enqueue and delivery);
 * SWITCHYARD_WEBHOOK_RETRY_BASE=N seconds before the first retry
 * (default 30, doubling, +-20 % jitter, at most 6 h, for a day);
 * SWITCHYARD_WEBHOOK_TICK_MS=N how often the worker looks (default 1000);
 * SWITCHYARD_WEBHOOK_LEASE=N seconds a claim holds before another worker
 * may send the delivery again (default 60: a crash mid-send);
 * SWITCHYARD_WEBHOOK_FULL=1 compares the whole portfolio after every
 * change, never only the workloads written (bench/webhook_bench.mjs's
 * "before"). */
#ifndef SY_JOBS_WEBHOOKS_H
#define SY_JOBS_WEBHOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "store/store.h"

/* The file in the key directory holding the key that seals secrets. */
#define WEBHOOK_KEY_FILE "webhook-secrets.key"
#define WEBHOOK_SECRET_PREFIX "whsec_"

/* Loads (creating when missing) the sealing key, records the first state
 * of the portfolio, and starts the worker on its own connection to
 * db_path. 0, or -1 (logged). */
int webhooks_start(const char *db_path, const char *key_dir);
/* Stops the worker (waits for a delivery in flight, at most its 10 s
 * timeout) and forgets the key. Safe when not started. */
void webhooks_stop(void);
/* Asks the worker to look now (cheap; any thread). */
void webhooks_wake(void);

/* The worker's comparisons of the portfolio with the recorded state since
 * start: [0] full, [1] incremental (only the workloads written); their
 * count, seconds in all (each from its transaction's start to just before
 * its commit), and the latest one's seconds (for /metrics). */
typedef struct webhook_compare_stats {
    uint64_t count[2];
    double seconds[2], last[2];
    double cpu[2];              /* the worker thread's CPU seconds in them */
} webhook_compare_stats;
void webhooks_stats(webhook_compare_stats *out);

/* Loads the sealing key alone (for tests and tools); 0 or -1. */
int webhooks_load_key(const char *key_dir);
/* Forgets the loaded key (webhooks_stop does). */
void webhooks_forget_key(void);
/* A new secret "whsec_<64 hex>" into out (at least 71 bytes), and its
 * sealed form (arena) for the database. 0, or -1 without a key. */
int webhooks_new_secret(char *out, size_t size, arena *a, const char **sealed);
/* The secret a sealed value holds, into out. 0, or -1 (no key, tampered). */
int webhooks_unseal(const char *sealed, char *out, size_t size);

/* Raises an event of type (core/webhook.h WH_EVENT_NAMES) with data (a
 * JSON object's text): one event row and a delivery to each enabled
 * webhook that wants it, inside the caller's open write transaction, so
 * the event commits or rolls back with the write. For import.applied and
 * the like. ST_OK or a store error. */
int webhooks_emit(sy_db *db, const char *type, const char *data_json, store_err *err);

/* Raises audit.verify_failed in a transaction of its own (a verification
 * writes nothing else); source names who verified ("api", "cli").
 * Failures are logged, never the caller's problem. */
void webhooks_audit_failed(sy_db *db, int64_t events, int64_t first_broken, const char *problem,
                           const char *source);

#endif
