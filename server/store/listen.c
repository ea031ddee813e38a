/* listen.c - one PostgreSQL connection per instance that LISTENs for
 * switchyard_changes (migration 0014: every writer's commit moves the
 * change counter and notifies), in a thread of its own, so that a request
 * learns of others' commits without asking the database.
 *
 * The thread waits on the connection's socket (poll on PQsocket, then
 * PQconsumeInput and PQnotifies) and publishes the highest counter value
 * seen. Every BEAT_MS it also reads the counter itself: a heartbeat that
 * proves the connection alive and catches up on anything missed. It
 * reconnects by itself when the connection drops (pg_terminate_backend, a
 * restart).
 *
 * Read-your-writes across instances: each listener answers every change
 * notification with an acknowledgement (NOTIFY switchyard_acks, "PID
 * VALUE"), and a writer waits, briefly and bounded, after its commit until
 * its own listener and every other instance's (counted at each heartbeat)
 * have seen it. So once a write is answered, the next request through any
 * healthy instance already knows of it.
 *
 * Correctness never depends on a notification arriving: listen_value()
 * vouches for the published value only while the connection is up, was
 * heard from within STALE_MS, and has no unread bytes waiting on its socket
 * (a notification the thread has not yet read); otherwise the caller reads
 * the counter from the database, as it did before. SQLite (or a build
 * without PostgreSQL) has no listener: listen_value() says no. */
#include "store/internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/text.h"

#define BEAT_MS 1000.0
#define STALE_MS 3000.0

static struct {
    _Atomic int healthy;          /* connected, listening, value current */
    _Atomic int fd;               /* its socket, -1 when down */
    _Atomic int64_t value;        /* highest counter value seen */
    _Atomic int64_t contact_ms;   /* monotonic ms of the last word from it */
    _Atomic uint64_t notifications, reconnects, fallbacks, running, late;
    _Atomic int64_t lag_us;       /* latest notification's lag */
    _Atomic int others;           /* other instances listening (heartbeat) */
    pthread_mutex_t lock;         /* with moved: waiting for a value; peers */
    pthread_cond_t moved;
    struct peer {
        int pid;                  /* the other listener's backend */
        int64_t acked;            /* the highest change it acknowledged */
    } peers[32];
    int next_peer;
} L = {.fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER, .moved = PTHREAD_COND_INITIALIZER};

static void publish(int64_t v)
{
    if (v <= L.value)
        return;
    pthread_mutex_lock(&L.lock);
    if (v > L.value)
        L.value = v;
    pthread_cond_broadcast(&L.moved);
    pthread_mutex_unlock(&L.lock);
}

/* Under L.lock: how many other instances acknowledged value. */
static int acked(int64_t value)
{
    int n = 0;
    for (size_t i = 0; i < sizeof L.peers / sizeof L.peers[0]; i++)
        n += L.peers[i].pid != 0 && L.peers[i].acked >= value;
    return n;
}

static void note_ack(int pid, int64_t value)
{
    pthread_mutex_lock(&L.lock);
    struct peer *p = NULL;
    for (size_t i = 0; !p && i < sizeof L.peers / sizeof L.peers[0]; i++)
        if (L.peers[i].pid == pid)
            p = &L.peers[i];
    if (!p) { /* a new one takes the oldest place */
        p = &L.peers[L.next_peer];
        L.next_peer = (L.next_peer + 1) % (int)(sizeof L.peers / sizeof L.peers[0]);
        p->pid = pid;
        p->acked = 0;
    }
    if (value > p->acked)
        p->acked = value;
    pthread_cond_broadcast(&L.moved);
    pthread_mutex_unlock(&L.lock);
}

void store_listen_stats(store_listen_info *out)
{
    memset(out, 0, sizeof *out);
    out->running = L.running != 0;
    out->connected = L.healthy != 0;
    out->notifications = L.notifications;
    out->reconnects = L.reconnects;
    out->fallbacks = L.fallbacks;
    out->lag_ms = (double)L.lag_us / 1000.0;
    out->value = L.value;
    out->others = L.others;
    out->late = L.late;
}

#ifdef SY_WITH_POSTGRES

#include <errno.h>
#include <poll.h>
#include <sys/time.h>
#include <time.h>

#include <libpq-fe.h>

static struct {
    pthread_t thread;
    int started;
    _Atomic int stop;
    char *url;
    PGconn *pg;                   /* the thread's alone */
} T;

static int64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* 1 when the socket has bytes the thread has not read yet. */
static int unread(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return fd < 0 || poll(&p, 1, 0) != 0;
}

int listen_value(int64_t *value)
{
    if (!L.healthy)
        return 0;
    int fd = L.fd;
    if ((double)L.contact_ms + STALE_MS < clock_mono_ms() || unread(fd)) {
        L.fallbacks++;
        return 0;
    }
    *value = L.value;
    return 1;
}

/* 1 after a wait ran out (an instance that listens but does not answer:
 * stopped, overloaded): waits are then short until one succeeds again, so
 * a hung instance costs the others milliseconds per write, not 100. */
static _Atomic int straggling;
#define STRAGGLER_WAIT_MS 5

void listen_wait_for(int64_t value, int timeout_ms)
{
    if (!L.healthy)
        return;
    if (straggling && timeout_ms > STRAGGLER_WAIT_MS)
        timeout_ms = STRAGGLER_WAIT_MS;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)timeout_ms * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&L.lock);
    int rc = 0;
    while (L.healthy && (L.value < value || acked(value) < L.others) && rc == 0)
        rc = pthread_cond_timedwait(&L.moved, &L.lock, &until);
    int late = rc != 0 && L.healthy;
    pthread_mutex_unlock(&L.lock);
    if (late && !straggling)
        log_msg(LOG_WARN, "listen: an instance did not acknowledge change %lld in %d ms; "
                          "waiting at most %d ms from now on",
                (long long)value, timeout_ms, STRAGGLER_WAIT_MS);
    straggling = late;
    L.late += late;
}

static void drop(const char *why)
{
    if (L.healthy)
        log_msg(LOG_WARN, "listen: %s; reading the change counter per request until back",
                why);
    L.healthy = 0;
    L.fd = -1;
    PQfinish(T.pg);
    T.pg = NULL;
    pthread_mutex_lock(&L.lock);
    pthread_cond_broadcast(&L.moved); /* waiters stop waiting for it */
    pthread_mutex_unlock(&L.lock);
}

/* Tells the other instances this one has seen change `value`. */
static int acknowledge(int self, int64_t value)
{
    char payload[64];
    snprintf(payload, sizeof payload, "%d %lld", self, (long long)value);
    const char *params[1] = {payload};
    PGresult *r = PQexecParams(T.pg, "SELECT pg_notify('switchyard_acks', $1)", 1, NULL, params,
                               NULL, NULL, 0);
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok ? 0 : -1;
}

/* Reads the notifications libpq has collected, and acknowledges the
 * newest change among them (whose round trip may bring more: read again).
 * 0 or -1 (connection bad). */
static int drain(void)
{
    int self = PQbackendPID(T.pg);
    for (;;) {
        PGnotify *n;
        int64_t newest = 0;
        while ((n = PQnotifies(T.pg)) != NULL) {
            char *end = NULL;
            long long a = strtoll(n->extra, &end, 10);
            long long b = end && end != n->extra ? strtoll(end, NULL, 10) : 0;
            if (strcmp(n->relname, "switchyard_acks") == 0) {
                if (a > 0 && a != self && b > 0)
                    note_ack((int)a, (int64_t)b);
            } else if (end && end != n->extra) {
                publish((int64_t)a);
                if (a > newest)
                    newest = (int64_t)a;
                if (b > 0)
                    L.lag_us = (wall_ms() - (int64_t)b) * 1000;
                L.notifications++;
            }
            PQfreemem(n);
        }
        L.contact_ms = (int64_t)clock_mono_ms();
        if (newest == 0)
            return 0;
        if (acknowledge(self, newest) != 0)
            return -1;
    }
}

/* The heartbeat: the counter read directly. 0 or -1 (connection bad). */
static int beat(void)
{
    /* With it, how many other instances listen: a writer waits for their
     * acknowledgements. */
    PGresult *r = PQexec(T.pg, "SELECT value, (SELECT count(*) FROM pg_stat_activity "
                               "WHERE datname = current_database() "
                               "AND application_name = 'switchyard-listen') - 1 "
                               "FROM store_changes WHERE id = 1");
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (ok) {
        publish((int64_t)strtoll(PQgetvalue(r, 0, 0), NULL, 10));
        long others = strtol(PQgetvalue(r, 0, 1), NULL, 10);
        L.others = others > 0 && others < 32 ? (int)others : 0;
    }
    PQclear(r);
    return ok ? drain() : -1;
}

static int connect_listen(void)
{
    static const char *const keys[] = {"connect_timeout", "dbname", "application_name",
                                       "options", NULL};
    const char *const values[] = {"5", T.url, "switchyard-listen",
                                  "-c TimeZone=UTC -c statement_timeout=5s", NULL};
    T.pg = PQconnectdbParams(keys, values, 1);
    if (!T.pg || PQstatus(T.pg) != CONNECTION_OK) {
        PQfinish(T.pg);
        T.pg = NULL;
        return -1;
    }
    PGresult *r = PQexec(T.pg, "LISTEN switchyard_changes; LISTEN switchyard_acks");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    /* Listening first, then the counter: a commit in between is either
     * in the value read or notified. */
    if (!ok || beat() != 0) {
        PQfinish(T.pg);
        T.pg = NULL;
        return -1;
    }
    L.fd = PQsocket(T.pg);
    L.healthy = 1;
    return 0;
}

static void *run(void *arg)
{
    (void)arg;
    double retry_at = 0, next_beat = 0;
    int was_up = 0;
    while (!T.stop) {
        if (!T.pg) {
            struct timespec nap = {0, 50 * 1000000L};
            if (clock_mono_ms() < retry_at) {
                nanosleep(&nap, NULL);
                continue;
            }
            if (connect_listen() != 0) {
                retry_at = clock_mono_ms() + 500;
                continue;
            }
            if (was_up) {
                L.reconnects++;
                log_msg(LOG_INFO, "listen: listening again");
            }
            was_up = 1;
            next_beat = clock_mono_ms() + BEAT_MS;
        }
        struct pollfd p = {.fd = PQsocket(T.pg), .events = POLLIN};
        int r = poll(&p, 1, 200);
        if (r < 0 && errno != EINTR) {
            drop("poll failed");
            continue;
        }
        if (r > 0) {
            if (!PQconsumeInput(T.pg) || drain() != 0) {
                drop("the listening connection was lost");
                continue;
            }
        }
        if (clock_mono_ms() >= next_beat) {
            if (beat() != 0) {
                drop("the listening connection does not answer");
                continue;
            }
            next_beat = clock_mono_ms() + BEAT_MS;
        }
    }
    drop("stopping");
    return NULL;
}

int store_listen_start(const char *target)
{
    if (T.started || !target || store_target_is_file(target))
        return 0;
    if (!(T.url = strdup(target)))
        return -1;
    T.stop = 0;
    if (pthread_create(&T.thread, NULL, run, NULL) != 0) {
        free(T.url);
        T.url = NULL;
        return -1;
    }
    T.started = 1;
    L.running = 1;
    return 0;
}

void store_listen_stop(void)
{
    if (!T.started)
        return;
    T.stop = 1;
    pthread_join(T.thread, NULL);
    T.started = 0;
    L.running = 0;
    free(T.url);
    T.url = NULL;
}

#else /* no PostgreSQL in this build */

int listen_value(int64_t *value)
{
    (void)value;
    return 0;
}

void listen_wait_for(int64_t value, int timeout_ms)
{
    (void)value;
    (void)timeout_ms;
}

int store_listen_start(const char *target)
{
    (void)target;
    return 0;
}

void store_listen_stop(void) {}

#endif
