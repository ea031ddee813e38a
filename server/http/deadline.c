/* deadline.c - the watchdog that interrupts reads past their deadline; see
 * deadline.h.
 *
 * One watchdog thread sleeps until the earliest armed deadline, then sends
 * SIGURG to each thread whose deadline has passed. Its handler does nothing:
 * it only makes the worker's blocking poll() return EINTR, which CivetWeb
 * treats as a failed read. SIGURG is ignored by default, so one arriving
 * from elsewhere is harmless.
 *
 * A thread is never interrupted outside its armed window: the watchdog
 * signals only armed slots (under the lock), sends another signal only after
 * the last one was handled (in case it landed outside poll()), and
 * deadline_disarm() waits until every signal sent has been handled, so no
 * signal stays pending to break a later write or database call. */
#include "http/deadline.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/text.h"
#include "common/wait.h"

#define SY_DEADLINE_SIGNAL SIGURG
/* How soon a thread still armed after an interruption is interrupted again. */
#define SY_REKICK_MS 20.0

enum { FREE, ARMED, DRAINING };

typedef struct slot {
    pthread_t thread;
    double deadline;
    int state;              /* FREE, ARMED, or DRAINING (disarmed, not yet free) */
    unsigned sent;          /* signals sent while armed (under the lock) */
    atomic_uint seen;       /* signals handled (by the handler) */
} slot;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    pthread_t thread;
    int running, stopping;
    int n;
    slot *slots;
    double wake_at;             /* when the watchdog wakes next; -1: only when told */
    unsigned long interrupts;
} wd = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The armed slot's counter of the thread the handler runs on. */
static _Thread_local atomic_uint *tl_seen;

static void on_signal(int sig)
{
    (void)sig;
    atomic_uint *seen = tl_seen;
    if (seen)
        atomic_fetch_add(seen, 1u);
}

/* Signals the expired slots; returns when to look again (ms), or -1. */
static double kick_expired(double now)
{
    double next = -1;
    for (int i = 0; i < wd.n; i++) {
        slot *s = &wd.slots[i];
        if (s->state != ARMED)
            continue;
        double wake = s->deadline;
        if (now >= s->deadline) {
            /* One signal at a time: the next only once this one was handled. */
            if (atomic_load(&s->seen) == s->sent && pthread_kill(s->thread, SY_DEADLINE_SIGNAL) == 0) {
                s->sent++;
                wd.interrupts++;
            }
            wake = now + SY_REKICK_MS;
        }
        if (next < 0 || wake < next)
            next = wake;
    }
    return next;
}

static void *watchdog(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&wd.mu);
    while (!wd.stopping) {
        double now = clock_mono_ms();
        double next = kick_expired(now);
        wd.wake_at = next;
        if (next < 0) {
            pthread_cond_wait(&wd.cond, &wd.mu);
            continue;
        }
        struct timespec ts = monotonic_in(next - now);
        pthread_cond_timedwait(&wd.cond, &wd.mu, &ts);
    }
    pthread_mutex_unlock(&wd.mu);
    return NULL;
}

int deadline_start(int slots)
{
    if (slots <= 0 || wd.running) {
        errno = EINVAL;
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: the point is to interrupt */
    if (sigaction(SY_DEADLINE_SIGNAL, &sa, NULL) != 0)
        return -1;
    wd.slots = calloc((size_t)slots, sizeof *wd.slots);
    if (!wd.slots)
        return -1;
    for (int i = 0; i < slots; i++)
        atomic_init(&wd.slots[i].seen, 0u);
    int rc = cond_init_monotonic(&wd.cond);
    if (rc != 0) {
        free(wd.slots);
        wd.slots = NULL;
        errno = rc;
        return -1;
    }
    wd.n = slots;
    wd.wake_at = -1;
    wd.stopping = 0;
    wd.interrupts = 0;
    if ((rc = pthread_create(&wd.thread, NULL, watchdog, NULL)) != 0) {
        pthread_cond_destroy(&wd.cond);
        free(wd.slots);
        wd.slots = NULL;
        wd.n = 0;
        errno = rc;
        return -1;
    }
    wd.running = 1;
    return 0;
}

void deadline_stop(void)
{
    if (!wd.running)
        return;
    pthread_mutex_lock(&wd.mu);
    wd.stopping = 1;
    pthread_cond_signal(&wd.cond);
    pthread_mutex_unlock(&wd.mu);
    pthread_join(wd.thread, NULL);
    pthread_mutex_lock(&wd.mu);
    wd.running = 0;
    free(wd.slots);
    wd.slots = NULL;
    wd.n = 0;
    pthread_mutex_unlock(&wd.mu);
    pthread_cond_destroy(&wd.cond);
}

int deadline_arm(double deadline_ms)
{
    int found = -1;
    pthread_mutex_lock(&wd.mu);
    for (int i = 0; wd.running && !wd.stopping && i < wd.n; i++) {
        slot *s = &wd.slots[i];
        if (s->state == FREE) {
            s->thread = pthread_self();
            s->deadline = deadline_ms;
            s->sent = 0;
            atomic_store(&s->seen, 0u);
            s->state = ARMED;
            tl_seen = &s->seen;
            found = i;
            /* Woken only when this deadline comes before its next look:
             * most requests arm and disarm without waking it at all. */
            if (wd.wake_at < 0 || deadline_ms < wd.wake_at)
                pthread_cond_signal(&wd.cond);
            break;
        }
    }
    pthread_mutex_unlock(&wd.mu);
    return found;
}

void deadline_disarm(int slot_index)
{
    if (slot_index < 0)
        return;
    pthread_mutex_lock(&wd.mu);
    slot *s = &wd.slots[slot_index];
    s->state = DRAINING; /* no more signals, and not reused yet */
    unsigned sent = s->sent;
    atomic_uint *seen = &s->seen;
    pthread_mutex_unlock(&wd.mu);
    /* A signal sent just before disarming may still be pending for this
     * thread: any system call delivers it, and sched_yield is the cheapest.
     * Each signal was sent only after the previous one was handled, so
     * every one sent is handled exactly once. (Bounded, in case a caller
     * ever runs with the signal blocked: then it cannot interrupt anyway.) */
    for (int tries = 0; atomic_load(seen) != sent && tries < 100000; tries++)
        sched_yield();
    tl_seen = NULL;
    pthread_mutex_lock(&wd.mu);
    s->state = FREE;
    pthread_mutex_unlock(&wd.mu);
}

/* This thread's header deadline slot, or -1. */
static _Thread_local int tl_header_slot = -1;

void deadline_headers_start(double timeout_ms)
{
    deadline_headers_done();
    tl_header_slot = deadline_arm(clock_mono_ms() + timeout_ms);
}

void deadline_headers_done(void)
{
    deadline_disarm(tl_header_slot);
    tl_header_slot = -1;
}

unsigned long deadline_interrupts(void)
{
    pthread_mutex_lock(&wd.mu);
    unsigned long n = wd.interrupts;
    pthread_mutex_unlock(&wd.mu);
    return n;
}
