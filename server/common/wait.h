/* wait.h - timed waits on condition variables measured on the monotonic
 * clock, so that a step of the wall clock (NTP, an administrator's `date`)
 * neither stretches nor cuts a wait. One place for what every waiting
 * thread (the pool, the writer turn, the watchdog, the workers) needs. */
#ifndef SY_COMMON_WAIT_H
#define SY_COMMON_WAIT_H

#include <pthread.h>
#include <time.h>

/* Initialises c to time its waits on CLOCK_MONOTONIC. 0, or an errno. */
int cond_init_monotonic(pthread_cond_t *c);

/* The CLOCK_MONOTONIC instant ms from now, for pthread_cond_timedwait on
 * a condition from cond_init_monotonic. */
struct timespec monotonic_in(double ms);

#endif
