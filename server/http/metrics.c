/* metrics.c - request counters and the Prometheus text; see metrics.h. */
#include "http/metrics.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/text.h"
#include "http/authcache.h"
#include "http/cache.h"
#include "http/server.h"
#include "store/dbpool.h"
#include "version.h"

/* The statuses counted one by one; anything else is "other". */
static const int HTTP_STATUSES[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
                               408, 409, 412, 413, 415, 429, 500, 503};
#define N_STATUS (sizeof HTTP_STATUSES / sizeof HTTP_STATUSES[0] + 1)
/* Histogram bounds in seconds (the last bucket is +Inf). */
static const double BOUNDS[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                0.1,    0.25,  0.5,    1,     2.5,   5};
#define N_BOUND (sizeof BOUNDS / sizeof BOUNDS[0])

typedef struct row {
    _Atomic uint64_t status[N_STATUS];
    _Atomic uint64_t bucket[N_BOUND + 1]; /* not cumulative; +Inf last */
    _Atomic uint64_t micros, count;
} row;

static const route *table;
static size_t n_routes;       /* rows: the routes, then "static", then "unmatched" */
static row *rows;
static char instance[17];
static const char *store_kind = "sqlite";
static int64_t started_at;
static char scrape[256];
static size_t scrape_len;

int metrics_init(const route *routes, const char *db_target)
{
    size_t n = 0;
    while (routes[n].method)
        n++;
    row *fresh = calloc(n + 2, sizeof *fresh);
    if (!fresh)
        return -1;
    free(rows);
    rows = fresh;
    table = routes;
    n_routes = n;
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(instance, sizeof instance, raw, sizeof raw);
    store_kind = db_target && !store_target_is_file(db_target) ? "postgres" : "sqlite";
    started_at = clock_now();
    return 0;
}

void metrics_free(void)
{
    free(rows);
    rows = NULL;
    n_routes = 0;
}

const char *metrics_instance_id(void)
{
    return instance;
}

void metrics_note(const route *r, int api, int status, double ms)
{
    if (!rows)
        return;
    size_t i = r ? (size_t)(r - table) : n_routes + (api ? 1 : 0);
    if (i > n_routes + 1)
        return;
    row *w = &rows[i];
    size_t s = N_STATUS - 1;
    for (size_t k = 0; k + 1 < N_STATUS; k++)
        if (HTTP_STATUSES[k] == status)
            s = k;
    w->status[s]++;
    double seconds = ms / 1000.0;
    size_t b = 0;
    while (b < N_BOUND && seconds > BOUNDS[b])
        b++;
    w->bucket[b]++;
    w->micros += ms > 0 ? (uint64_t)(ms * 1000.0) : 0;
    w->count++;
}

/* The calling worker thread's request, armed by the dispatcher. */
static _Thread_local struct {
    const route *r;
    int api;
    int armed;
    double started;
} pending;

void metrics_arm(int api, double started)
{
    pending.r = NULL;
    pending.api = api;
    pending.started = started;
    pending.armed = 1;
}

void metrics_arm_route(const route *r)
{
    pending.r = r;
}

void metrics_take(int status)
{
    if (!pending.armed)
        return;
    pending.armed = 0;
    metrics_note(pending.r, pending.api, status, clock_mono_ms() - pending.started);
}

int metrics_set_scrape_token_file(const char *path, char *why, size_t size)
{
    char *data = NULL;
    size_t len = 0;
    if (file_read_all(path, 4096, &data, &len) != 0) {
        snprintf(why, size, "cannot read %s", path);
        return -1;
    }
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' ||
                       data[len - 1] == ' ' || data[len - 1] == '\t'))
        len--;
    int ok = len >= 16 && len < sizeof scrape && memchr(data, '\0', len) == NULL;
    if (ok) {
        memcpy(scrape, data, len);
        scrape_len = len;
    } else {
        snprintf(why, size, "%s must hold a token of 16 to 255 characters", path);
    }
    sodium_memzero(data, len);
    free(data);
    return ok ? 0 : -1;
}

int metrics_is_scrape_token(const char *secret)
{
    return scrape_len > 0 && strlen(secret) == scrape_len &&
           sodium_memcmp(secret, scrape, scrape_len) == 0;
}

/* The route's labels: method and pattern, or the two catch-alls. */
static void labels(buf *out, size_t i)
{
    if (i < n_routes)
        buf_printf(out, "method=\"%s\",route=\"%s\"", table[i].method, table[i].pattern);
    else
        buf_printf(out, "method=\"\",route=\"%s\"", i == n_routes ? "static" : "unmatched");
}

static void family(buf *out, const char *name, const char *type, const char *help)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void write_requests(buf *out)
{
    family(out, "switchyard_http_requests_total", "counter",
           "HTTP requests answered, by route pattern and status.");
    for (size_t i = 0; i < n_routes + 2; i++)
        for (size_t s = 0; s < N_STATUS; s++) {
            uint64_t n = rows[i].status[s];
            if (!n)
                continue;
            buf_puts(out, "switchyard_http_requests_total{");
            labels(out, i);
            if (s + 1 < N_STATUS)
                buf_printf(out, ",status=\"%d\"} %llu\n", HTTP_STATUSES[s], (unsigned long long)n);
            else
                buf_printf(out, ",status=\"other\"} %llu\n", (unsigned long long)n);
        }
    family(out, "switchyard_http_request_duration_seconds", "histogram",
           "Time from the request's arrival to the start of its answer, by route pattern.");
    for (size_t i = 0; i < n_routes + 2; i++) {
        uint64_t count = rows[i].count;
        if (!count)
            continue;
        uint64_t cumulative = 0;
        for (size_t b = 0; b <= N_BOUND; b++) {
            cumulative += rows[i].bucket[b];
            buf_puts(out, "switchyard_http_request_duration_seconds_bucket{");
            labels(out, i);
            if (b < N_BOUND)
                buf_printf(out, ",le=\"%g\"} %llu\n", BOUNDS[b], (unsigned long long)cumulative);
            else
                buf_printf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cumulative);
        }
        buf_puts(out, "switchyard_http_request_duration_seconds_sum{");
        labels(out, i);
        buf_printf(out, "} %.6f\n", (double)rows[i].micros / 1e6);
        buf_puts(out, "switchyard_http_request_duration_seconds_count{");
        labels(out, i);
        /* the buckets' total, so that +Inf and _count agree within one scrape */
        buf_printf(out, "} %llu\n", (unsigned long long)cumulative);
    }
}

static double ratio(uint64_t hits, uint64_t misses)
{
    return hits + misses ? (double)hits / (double)(hits + misses) : 0.0;
}

static void write_caches(buf *out)
{
    uint64_t rh, rm, ch, cm;
    cache_stats(&rh, &rm);
    authcache_stats(&ch, &cm);
    family(out, "switchyard_cache_lookups_total", "counter",
           "Lookups of the response cache and the verified-credential cache.");
    buf_printf(out,
               "switchyard_cache_lookups_total{cache=\"response\",result=\"hit\"} %llu\n"
               "switchyard_cache_lookups_total{cache=\"response\",result=\"miss\"} %llu\n"
               "switchyard_cache_lookups_total{cache=\"credentials\",result=\"hit\"} %llu\n"
               "switchyard_cache_lookups_total{cache=\"credentials\",result=\"miss\"} %llu\n",
               (unsigned long long)rh, (unsigned long long)rm, (unsigned long long)ch,
               (unsigned long long)cm);
    family(out, "switchyard_cache_hit_ratio", "gauge",
           "Hits over lookups since start (0 before the first lookup).");
    buf_printf(out,
               "switchyard_cache_hit_ratio{cache=\"response\"} %.6f\n"
               "switchyard_cache_hit_ratio{cache=\"credentials\"} %.6f\n",
               ratio(rh, rm), ratio(ch, cm));
    family(out, "switchyard_credential_cache_entries", "gauge",
           "Verified API tokens and sessions held in memory.");
    buf_printf(out, "switchyard_credential_cache_entries %zu\n", authcache_count());
}

static void write_store(buf *out, const struct sy_app *app)
{
    dbpool_stats_t ps;
    memset(&ps, 0, sizeof ps);
    if (app && app->pool)
        dbpool_stats(app->pool, &ps);
    family(out, "switchyard_db_pool_waits_total", "counter",
           "Requests that waited for a database connection or a writer turn.");
    buf_printf(out, "switchyard_db_pool_waits_total %llu\n", (unsigned long long)ps.waits);
    family(out, "switchyard_db_pool_wait_seconds_total", "counter", "Time spent waiting so.");
    buf_printf(out, "switchyard_db_pool_wait_seconds_total %.6f\n", ps.wait_seconds);
    family(out, "switchyard_db_pool_timeouts_total", "counter",
           "Waits that ran out (answered 503).");
    buf_printf(out, "switchyard_db_pool_timeouts_total %llu\n", (unsigned long long)ps.timeouts);
    family(out, "switchyard_db_pool_connections", "gauge",
           "Pooled database connections: the pool's size, those open, those idle.");
    buf_printf(out,
               "switchyard_db_pool_connections{state=\"size\"} %d\n"
               "switchyard_db_pool_connections{state=\"open\"} %d\n"
               "switchyard_db_pool_connections{state=\"idle\"} %d\n",
               ps.size, ps.opened, ps.idle);
    store_listen_info li;
    store_listen_stats(&li);
    family(out, "switchyard_notify_listening", "gauge",
           "1 while the PostgreSQL change listener is connected (0 on SQLite).");
    buf_printf(out, "switchyard_notify_listening %d\n", li.connected);
    family(out, "switchyard_notify_notifications_total", "counter",
           "Change notifications received.");
    buf_printf(out, "switchyard_notify_notifications_total %llu\n",
               (unsigned long long)li.notifications);
    family(out, "switchyard_notify_reconnects_total", "counter",
           "Times the listener came back after losing its connection.");
    buf_printf(out, "switchyard_notify_reconnects_total %llu\n",
               (unsigned long long)li.reconnects);
    family(out, "switchyard_notify_fallbacks_total", "counter",
           "Generation reads that asked the database because the listener could not vouch.");
    buf_printf(out, "switchyard_notify_fallbacks_total %llu\n",
               (unsigned long long)li.fallbacks);
    family(out, "switchyard_notify_lag_seconds", "gauge",
           "The latest notification: from the change being noted to its arrival here.");
    buf_printf(out, "switchyard_notify_lag_seconds %.6f\n", li.lag_ms / 1000.0);
    family(out, "switchyard_notify_unacknowledged_total", "counter",
           "Commits that some other instance did not acknowledge in time.");
    buf_printf(out, "switchyard_notify_unacknowledged_total %llu\n", (unsigned long long)li.late);
    family(out, "switchyard_notify_other_instances", "gauge",
           "Other instances listening on the same database.");
    buf_printf(out, "switchyard_notify_other_instances %d\n", li.others);
    family(out, "switchyard_job_runs_total", "counter",
           "Turns of the periodic jobs: run here (ran), skipped while another instance held "
           "the job's lock (busy), found already done by another instance (done).");
    for (int j = 0; j < STORE_JOB_COUNT; j++)
        for (int o = 0; o < JOB_OUTCOMES; o++)
            buf_printf(out, "switchyard_job_runs_total{job=\"%s\",outcome=\"%s\"} %llu\n",
                       STORE_JOB_NAMES[j], STORE_JOB_OUTCOMES[o],
                       (unsigned long long)store_job_count((store_job)j, (store_job_outcome)o));
}

/* Group commit (store/group.c): writes and the commits they shared; and
 * the commits made outside this instance that it noticed. */
static void write_group(buf *out)
{
    group_stats gs;
    store_group_stats(&gs);
    family(out, "switchyard_group_commit_writes_total", "counter",
           "Writes committed in shared transactions (group commit).");
    buf_printf(out, "switchyard_group_commit_writes_total %llu\n", (unsigned long long)gs.writes);
    family(out, "switchyard_group_commit_batches_total", "counter",
           "Shared transactions with at least one write (writes per commit: the ratio).");
    buf_printf(out, "switchyard_group_commit_batches_total %llu\n", (unsigned long long)gs.batches);
    family(out, "switchyard_group_commit_failed_total", "counter",
           "Shared transactions whose COMMIT failed (each member answered 503).");
    buf_printf(out, "switchyard_group_commit_failed_total %llu\n", (unsigned long long)gs.failed);
    family(out, "switchyard_group_commit_largest", "gauge", "The most writes one commit carried.");
    buf_printf(out, "switchyard_group_commit_largest %llu\n", (unsigned long long)gs.largest);
    family(out, "switchyard_group_commit_round_trips_total", "counter",
           "Round trips to PostgreSQL on the batch connection (the writers' turns and the "
           "commits; per write: divide by the writes).");
    buf_printf(out, "switchyard_group_commit_round_trips_total %llu\n",
               (unsigned long long)gs.round_trips);
    family(out, "switchyard_db_round_trips_total", "counter",
           "Round trips to PostgreSQL on every connection of this instance (reads, writes, "
           "jobs; 0 on SQLite).");
    buf_printf(out, "switchyard_db_round_trips_total %llu\n",
               (unsigned long long)gs.all_round_trips);
    family(out, "switchyard_outside_changes_total", "counter",
           "Commits by another process or instance noticed here (psql, the command line, "
           "another server); each makes the next snapshot a full build.");
    buf_printf(out, "switchyard_outside_changes_total %llu\n",
               (unsigned long long)store_outside_changes());
}

void metrics_write(buf *out, const struct sy_app *app)
{
    family(out, "switchyard_info", "gauge", "This instance: its ID (new at each start), "
                                            "version and store.");
    buf_printf(out, "switchyard_info{instance_id=\"%s\",version=\"%s\",store=\"%s\"} 1\n",
               instance, SWITCHYARD_VERSION, store_kind);
    family(out, "switchyard_start_time_seconds", "gauge", "When this instance started.");
    buf_printf(out, "switchyard_start_time_seconds %lld\n", (long long)started_at);
    if (rows)
        write_requests(out);
    write_caches(out);
    write_store(out, app);
    write_group(out);
}
