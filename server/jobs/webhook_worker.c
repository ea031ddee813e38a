/* webhook_worker.c - the webhook worker thread: on each tick (1 s, or
 * woken) it (1) compares the scored portfolio with the recorded state when
 * the data or the day changed, raising events into the durable queue in
 * the same transaction as the new state (after workload writes alone,
 * only the workloads written: a comparison of the whole portfolio cost
 * tens of milliseconds at 10,000 workloads), and (2) claims due deliveries,
 * sends them with no transaction open, and records each attempt. At
 * start and when the day turns it forgets deliveries done with for
 * WEBHOOK_KEEP_DAYS.
 *
 * Why a comparison after the commit and not inside every write: a write
 * and the state move in separate transactions, but the state is only
 * advanced together with the events it raises, so a crash between them
 * loses nothing: the next look (at start-up at the latest) sees the same
 * difference and raises it then. The comparison itself runs in a read
 * transaction pinned at one generation (store_begin_read_pinned), so that
 * writers wait for the worker only while it records what changed. Events
 * from explicit calls (webhooks_emit) commit with the caller's write. The worker's own writes
 * are bookkeeping (store_mark_quiet): they do not invalidate caches. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/snapshot.h"
#include "common/log.h"
#include "common/text.h"
#include "common/wait.h"
#include "core/webhook.h"
#include "jobs/webhook_send.h"
#include "jobs/webhooks.h"
#include "store/webhooks.h"

#define BASELINE_SETTING "webhooks.baseline"
/* A fresh random value written with every recording of changes: a
 * comparison made outside the write transaction is recorded only if no
 * one else (another process on the same SQLite file) recorded since. */
#define RECORDED_SETTING "webhooks.recorded"
#define CLAIM_BATCH 16
/* More workloads written since the last comparison than this: compare all. */
#define MAX_INCREMENTAL 512
/* This many data commits since the last comparison wake the worker early. */
#define WAKE_AFTER 128

static struct {
    sy_db *db;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    int pending, stop, running, hold;
    int64_t retry_base, tick_ms, lease;
    /* What the last comparison saw (the worker thread's own): the data and
     * catalogue generations and the day; compared once one succeeded. */
    uint64_t seen_gen, seen_cat;
    int64_t seen_today;
    int compared, force_full;
} wk = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The data generation the last comparison covered, for the commit hook
 * (wk.seen_gen is the worker thread's own); wake_asked: a wake-up is on
 * its way. */
static _Atomic uint64_t looked_gen;
static atomic_int wake_asked;

void webhooks_wake(void)
{
    if (!wk.running)
        return;
    pthread_mutex_lock(&wk.lock);
    wk.pending = 1;
    pthread_cond_signal(&wk.wake);
    pthread_mutex_unlock(&wk.lock);
}

static void looked(uint64_t gen)
{
    atomic_store(&looked_gen, gen);
    atomic_store(&wake_asked, 0);
}

/* After each commit that changed data (store_on_data_commit): wakes the
 * worker before more writes pile up than a comparison of only the
 * workloads written, and a derived snapshot, can cover (MAX_INCREMENTAL;
 * the change ring holds 1,024). At a steady 2,000 writes a second its
 * one-second tick alone would see more each time and compare, and
 * rebuild, everything. */
static void on_data_commit(uint64_t gen)
{
    if (gen - atomic_load(&looked_gen) >= WAKE_AFTER && !atomic_exchange(&wake_asked, 1))
        webhooks_wake();
}

/* Applies the changes: state rows, and an event for each that raises one. */
static int apply(sy_db *db, const wh_change *c, size_t n, int *raised, store_err *err)
{
    int code = ST_OK;
    for (size_t i = 0; code == ST_OK && i < n; i++) {
        if (c[i].op == WH_DELETE)
            code = store_webhook_state_delete(db, c[i].key, err);
        else
            code = store_webhook_state_put(db, c[i].key, c[i].value, err);
        if (code == ST_OK && c[i].event >= 0) {
            code = webhooks_emit(db, WH_EVENT_NAMES[c[i].event], c[i].data, err);
            (*raised)++;
        }
    }
    return code;
}

/* Comparisons since start, [0] full and [1] incremental (webhooks_stats). */
static struct {
    uint64_t count[2];
    double seconds[2], last[2], cpu[2];
} compares;
static pthread_mutex_t compares_lock = PTHREAD_MUTEX_INITIALIZER;

void webhooks_stats(webhook_compare_stats *out)
{
    pthread_mutex_lock(&compares_lock);
    for (int k = 0; k < 2; k++) {
        out->count[k] = compares.count[k];
        out->seconds[k] = compares.seconds[k];
        out->last[k] = compares.last[k];
        out->cpu[k] = compares.cpu[k];
    }
    pthread_mutex_unlock(&compares_lock);
}

/* This thread's CPU time in ms (what a busy machine does not inflate). */
static double thread_cpu_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void note_compare(int incremental, double ms, double cpu_ms)
{
    pthread_mutex_lock(&compares_lock);
    compares.cpu[incremental] += cpu_ms / 1000.0;
    compares.count[incremental]++;
    compares.seconds[incremental] += ms / 1000.0;
    compares.last[incremental] = ms / 1000.0;
    pthread_mutex_unlock(&compares_lock);
}

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* The workloads written after the last comparison up to generation gen,
 * sorted and unique, when they alone changed (same day, same catalogue,
 * known writes): their count, or -1 for a full comparison. */
static long written_since(sy_db *db, uint64_t gen, uint64_t cat, int64_t today, int64_t *ids)
{
    if (!wk.compared || wk.force_full || today != wk.seen_today || cat != wk.seen_cat)
        return -1;
    store_change *changes = malloc(MAX_INCREMENTAL * sizeof *changes);
    if (!changes)
        return -1;
    long n = store_changes_between(db, wk.seen_gen, gen, changes, MAX_INCREMENTAL);
    /* Workload writes alone: an offering, contract or governance change
     * (drills, acceptances) compares everything. */
    for (long k = 0; k < n; k++) {
        if (changes[k].kind != STORE_CHANGE_WORKLOAD) {
            n = -1;
            break;
        }
        ids[k] = changes[k].id;
    }
    free(changes);
    if (n <= 0)
        return n;
    qsort(ids, (size_t)n, sizeof *ids, cmp_id);
    long unique = 0;
    for (long k = 0; k < n; k++)
        if (unique == 0 || ids[unique - 1] != ids[k])
            ids[unique++] = ids[k];
    return unique;
}

/* The facts and the stored rows to compare: of every workload (n_ids < 0)
 * or of the workloads in ids alone. */
static int gather(sy_db *db, const snapshot_view *v, const int64_t *ids, long n_ids, arena *a,
                  wh_fact **facts, size_t *n_facts, wh_stored **stored, size_t *n_stored,
                  store_err *err)
{
    if (n_ids < 0) {
        if (webhook_facts(&v->p, v->risk, WEBHOOK_DEADLINE_DAYS, a, facts, n_facts) != 0)
            return ST_ERROR;
        return store_webhook_state_load(db, a, stored, n_stored, err);
    }
    const char **keys;
    size_t n_keys;
    if (webhook_facts_of(&v->p, v->risk, ids, (size_t)n_ids, a, facts, n_facts) != 0 ||
        webhook_state_keys(ids, (size_t)n_ids, *facts, *n_facts, a, &keys, &n_keys) != 0)
        return ST_ERROR;
    return store_webhook_state_some(db, keys, n_keys, a, stored, n_stored, err);
}

/* One comparison's findings: what it covered and what must change. */
typedef struct comparison {
    uint64_t gen, cat;          /* the generations its transaction shows */
    int64_t today;
    long n_ids;                 /* workloads compared; -1: all */
    int baseline;               /* the first look ever: record, raise nothing */
    const char *recorded;       /* RECORDED_SETTING as read (NULL: none) */
    wh_change *changes;         /* in the caller's arena */
    size_t n_changes;
} comparison;

/* Compares inside the caller's open transaction, which shows exactly
 * generation c->gen: after workload writes alone only those workloads
 * (webhook_facts_of); a first look, a new day, a catalogue or governance
 * change or another process's write compare everything. What is read of
 * the stored state holds when the changes are recorded in a later write
 * transaction if RECORDED_SETTING is still the same then (one worker per
 * PostgreSQL database, the job's lock; on SQLite each process on the
 * file runs one). ST_OK, ST_BUSY when the shared snapshot is already newer
 * than the transaction (look again), or an error. */
static int compare(sy_db *db, comparison *c, arena *a, store_err *err)
{
    int64_t ids[MAX_INCREMENTAL];
    c->n_changes = 0;
    c->baseline = 0;
    if (store_setting_get(db, RECORDED_SETTING, a, &c->recorded) != ST_OK)
        c->recorded = NULL;
    c->n_ids = written_since(db, c->gen, c->cat, c->today, ids);
    if (c->n_ids == 0) /* nothing a snapshot shows was written */
        return ST_OK;
    /* The shared snapshot at c->gen (derived from the last one after
     * workload writes, so the requests to come reuse it). */
    snapshot *s = snapshot_obtain_at(db, c->gen, c->cat, err);
    if (!s)
        return err->code == ST_OK ? ST_ERROR : err->code;
    const char *mark;
    c->baseline =
        c->n_ids < 0 && store_setting_get(db, BASELINE_SETTING, a, &mark) == ST_NOT_FOUND;
    wh_fact *facts = NULL;
    wh_stored *stored = NULL;
    size_t n_facts = 0, n_stored = 0;
    snapshot_view v;
    snapshot_get_view(s, &v);
    int code = gather(db, &v, ids, c->n_ids, a, &facts, &n_facts, &stored, &n_stored, err);
    if (code == ST_OK) {
        webhook_sort_stored(stored, n_stored);
        if (webhook_diff(facts, n_facts, stored, n_stored, c->baseline, a, &c->changes,
                         &c->n_changes) != 0)
            code = ST_ERROR;
    }
    snapshot_release(s);
    return code;
}

/* A pinned read this many times in a row found the shared snapshot newer
 * (requests derived it meanwhile): compare inside a write transaction. */
#define PINNED_TRIES 3

/* Compares in a pinned read (store_begin_read_pinned), so that writers
 * wait for the worker only while it records what changed, not while it
 * derives the snapshot and compares (20 to 35 ms at 10,000 workloads).
 * *in_write: 1 when it fell back to comparing inside a write transaction,
 * left open for the caller. */
static int compare_pinned(sy_db *db, comparison *c, arena *a, int *in_write, store_err *err)
{
    int code = ST_BUSY;
    *in_write = 0;
    for (int tries = 0; code == ST_BUSY && tries < PINNED_TRIES; tries++) {
        if ((code = store_begin_read_pinned(db, &c->gen, &c->cat, err)) != ST_OK)
            return code;
        code = compare(db, c, a, err);
        store_end_read(db);
    }
    if (code != ST_BUSY)
        return code;
    if ((code = store_begin_write(db, err)) != ST_OK)
        return code;
    *in_write = 1;
    store_mark_quiet(db);
    store_generations(db, &c->gen, &c->cat);
    return compare(db, c, a, err);
}

/* 1 when RECORDED_SETTING is still what the comparison read, in the open
 * write transaction: nobody recorded changes since. */
static int still_recorded(sy_db *db, const comparison *c, arena *a)
{
    const char *now;
    if (store_setting_get(db, RECORDED_SETTING, a, &now) != ST_OK)
        now = NULL;
    return now && c->recorded ? strcmp(now, c->recorded) == 0 : now == c->recorded;
}

/* Records a comparison's changes in the open write transaction: state
 * rows, and an event for each that raises one, the baseline mark and a
 * fresh RECORDED_SETTING. */
static int record(sy_db *db, const comparison *c, int *raised, store_err *err)
{
    int code = apply(db, c->changes, c->n_changes, raised, err);
    if (code == ST_OK && c->baseline) {
        char now[21];
        clock_now_rfc3339(now);
        code = store_setting_set(db, BASELINE_SETTING, now, err);
    }
    unsigned char r[8];
    char hex[2 * sizeof r + 1];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(hex, sizeof hex, r, sizeof r);
    if (code == ST_OK)
        code = store_setting_set(db, RECORDED_SETTING, hex, err);
    return code;
}

/* One comparison (compare_pinned), then what changed recorded in one
 * write transaction. 0, or -1 (logged; tried again next tick). */
static int reconcile(sy_db *db)
{
    store_err err;
    comparison c = {.today = clock_today()};
    arena a;
    arena_init(&a);
    double started = clock_mono_ms(), cpu_started = thread_cpu_ms();
    int in_write, raised = 0;
    int code = compare_pinned(db, &c, &a, &in_write, &err);
    if (code == ST_OK && (c.n_changes || c.baseline) && !in_write) {
        code = store_begin_write(db, &err);
        in_write = code == ST_OK;
        if (in_write)
            store_mark_quiet(db);
        /* Another process recorded meanwhile: compare again, in here. */
        if (in_write && !still_recorded(db, &c, &a)) {
            store_generations(db, &c.gen, &c.cat);
            code = compare(db, &c, &a, &err);
        }
    }
    if (code == ST_OK && in_write)
        code = record(db, &c, &raised, &err);
    /* The comparison's time, without the commit's fsync (which recording
     * any event costs, compared in full or not). */
    double ms = clock_mono_ms() - started, cpu_ms = thread_cpu_ms() - cpu_started;
    if (code == ST_OK && in_write && (c.n_changes || c.baseline))
        code = store_commit(db, &err);
    else if (in_write)
        store_rollback(db);
    arena_free(&a);
    if (code != ST_OK) {
        log_msg(LOG_WARN, "webhooks: cannot compare the portfolio: %s", err.detail);
        return -1;
    }
    wk.seen_gen = c.gen;
    looked(c.gen);
    if (c.n_ids == 0)
        return 0;
    note_compare(c.n_ids > 0, ms, cpu_ms);
    wk.compared = 1;
    wk.seen_cat = c.cat;
    wk.seen_today = c.today;
    if (raised)
        log_msg(LOG_INFO, "webhooks: %d event(s) raised", raised);
    return 0;
}

/* Sends one claimed delivery and records the attempt. */
static void deliver(sy_db *db, int64_t id)
{
    arena a;
    arena_init(&a);
    webhook_job job;
    store_err err;
    char secret[128], sig[160], at[21];
    webhook_result r;
    if (store_webhook_job(db, id, &a, &job, &err) != ST_OK) {
        arena_free(&a);
        return;
    }
    int64_t t = clock_now();
    if (webhooks_unseal(job.secret_sealed, secret, sizeof secret) != 0) {
        memset(&r, 0, sizeof r);
        snprintf(r.error, sizeof r.error, "the signing secret cannot be read (key directory)");
    } else if (webhook_signature_header((const unsigned char *)secret, strlen(secret), t,
                                        job.body, strlen(job.body), sig, sizeof sig) != 0) {
        memset(&r, 0, sizeof r);
        snprintf(r.error, sizeof r.error, "cannot sign");
    } else {
        webhook_post(job.url, job.body, job.event_id, sig, &r);
    }
    sodium_memzero(secret, sizeof secret);
    int64_t now = clock_now(), next = 0;
    const char *status = "delivered";
    if (!r.ok) {
        int jitter = (int)randombytes_uniform(401) - 200;
        next = webhook_next_attempt(now, job.first_at, job.attempts + 1, wk.retry_base, jitter);
        status = next ? "pending" : "failed";
    }
    clock_now_rfc3339(at);
    if (store_begin_write(db, &err) == ST_OK) {
        store_mark_quiet(db);
        if (store_webhook_attempt(db, id, status, next, r.ok ? NULL : r.error, r.code, at, &err) !=
                ST_OK ||
            store_commit(db, &err) != ST_OK)
            store_rollback(db);
    }
    if (!r.ok)
        log_msg(LOG_INFO, "webhooks: delivery %lld to webhook %lld: %s (%s)", (long long)id,
                (long long)job.webhook, r.error, status);
    arena_free(&a);
}

static void send_due(sy_db *db)
{
    int64_t ids[CLAIM_BATCH];
    size_t n = 0;
    store_err err;
    int64_t now = clock_now();
    if (!store_webhook_due(db, now) || store_begin_write(db, &err) != ST_OK)
        return;
    store_mark_quiet(db);
    if (store_webhook_claim(db, now, now + wk.lease, ids, CLAIM_BATCH, &n, &err) != ST_OK ||
        store_commit(db, &err) != ST_OK) {
        store_rollback(db);
        log_msg(LOG_WARN, "webhooks: cannot claim deliveries: %s", err.detail);
        return;
    }
    for (size_t i = 0; i < n && !wk.stop; i++)
        deliver(db, ids[i]);
}

/* Once a day: deliveries done with for WEBHOOK_KEEP_DAYS go. */
static void prune(sy_db *db)
{
    store_err err;
    if (store_begin_write(db, &err) != ST_OK)
        return;
    store_mark_quiet(db);
    if (store_webhook_prune(db, clock_now() - (int64_t)WEBHOOK_KEEP_DAYS * 86400, &err) != ST_OK ||
        store_commit(db, &err) != ST_OK) {
        store_rollback(db);
        log_msg(LOG_WARN, "webhooks: cannot prune old deliveries: %s", err.detail);
    }
}

/* Compares when the data or the day moved on (reconcile records what it saw). */
static void look(sy_db *db)
{
    uint64_t gen = store_generation(db);
    int64_t today = clock_today();
    if (today != wk.seen_today)
        prune(db);
    if (gen != wk.seen_gen || today != wk.seen_today)
        reconcile(db);
}

static void *run(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&wk.lock);
    while (!wk.stop) {
        if (!wk.pending) {
            struct timespec until = monotonic_in(wk.tick_ms);
            pthread_cond_timedwait(&wk.wake, &wk.lock, &until);
        }
        wk.pending = 0;
        if (wk.stop)
            break;
        pthread_mutex_unlock(&wk.lock);
        /* One instance at a time scans (PostgreSQL: the job's advisory
         * lock); one that finds it taken skips this tick. */
        if (store_job_begin(wk.db, STORE_JOB_WEBHOOKS) == 1) {
            look(wk.db);
            if (!wk.hold)
                send_due(wk.db);
            store_job_end(wk.db, STORE_JOB_WEBHOOKS, JOB_RAN);
        }
        pthread_mutex_lock(&wk.lock);
    }
    pthread_mutex_unlock(&wk.lock);
    return NULL;
}

static int64_t env_number(const char *name, int64_t min, int64_t max, int64_t fallback)
{
    const char *v = getenv(name);
    int64_t n;
    return v && parse_i64(v, min, max, &n) == 0 ? n : fallback;
}

int webhooks_start(const char *db_path, const char *key_dir)
{
    store_err err;
    if (webhooks_load_key(key_dir) != 0)
        return -1;
    if (webhook_send_init() != 0) {
        log_msg(LOG_ERROR, "webhooks: cannot start libcurl");
        return -1;
    }
    wk.hold = env_number("SWITCHYARD_WEBHOOK_HOLD", 0, 1, 0) == 1;
    wk.force_full = env_number("SWITCHYARD_WEBHOOK_FULL", 0, 1, 0) == 1;
    wk.retry_base = env_number("SWITCHYARD_WEBHOOK_RETRY_BASE", 1, 86400, 30);
    wk.tick_ms = env_number("SWITCHYARD_WEBHOOK_TICK_MS", 20, 60000, 1000);
    /* How long a claim holds: longer than one attempt (10 s), so that only
     * a crashed instance's claims lapse. */
    wk.lease = env_number("SWITCHYARD_WEBHOOK_LEASE", 1, 3600, 60);
    if (store_open(db_path, &wk.db, &err) != ST_OK) {
        log_msg(LOG_ERROR, "webhooks: %s", err.detail);
        webhook_send_cleanup();
        return -1;
    }
    /* The first look before serving: what changed while no server ran
     * (in full; if it fails, seen_gen stays 0 and the first tick retries). */
    prune(wk.db);
    wk.compared = 0;
    wk.seen_gen = 0;
    wk.seen_today = clock_today();
    reconcile(wk.db);
    int rc = cond_init_monotonic(&wk.wake);
    wk.stop = 0;
    if (rc != 0 || pthread_create(&wk.thread, NULL, run, NULL) != 0) {
        store_close(wk.db);
        wk.db = NULL;
        webhook_send_cleanup();
        return -1;
    }
    wk.running = 1;
    looked(wk.seen_gen);
    store_on_data_commit(on_data_commit);
    return 0;
}

void webhooks_stop(void)
{
    if (!wk.running)
        return;
    store_on_data_commit(NULL);
    pthread_mutex_lock(&wk.lock);
    wk.stop = 1;
    pthread_cond_signal(&wk.wake);
    pthread_mutex_unlock(&wk.lock);
    pthread_join(wk.thread, NULL);
    wk.running = 0;
    pthread_cond_destroy(&wk.wake);
    store_close(wk.db);
    wk.db = NULL;
    webhook_send_cleanup();
    webhooks_forget_key();
}
