/* deadline.h - absolute deadlines for blocking reads on a worker thread.
 *
 * CivetWeb's mg_read() keeps reading until it has every byte it was asked
 * for, and its own timeout only fires when nothing at all arrives for
 * request_timeout_ms: a client dripping one byte a second holds the call,
 * and the worker thread, for as long as it likes. A deadline armed around
 * the read makes a watchdog thread interrupt the worker with a signal once
 * the deadline has passed; poll() inside CivetWeb then fails with EINTR and
 * mg_read() returns what it has, so the caller sees the deadline and stops. */
#ifndef SY_DEADLINE_H
#define SY_DEADLINE_H

/* Starts the watchdog with room for `slots` armed threads at once (one per
 * worker thread); installs the signal handler. 0, or -1 with errno. */
int deadline_start(int slots);

/* Stops the watchdog (no thread is interrupted afterwards). */
void deadline_stop(void);

/* Arms a deadline (clock_mono_ms() time) for the calling thread. Returns a
 * slot for deadline_disarm, or -1 when the watchdog is not running or full
 * (the read then runs without the interruption). */
int deadline_arm(double deadline_ms);

/* Disarms a slot from deadline_arm (-1 is ignored). After it returns the
 * calling thread is not interrupted again. */
void deadline_disarm(int slot);

/* The calling thread's deadline for the next request's headers, timeout_ms
 * from now (replacing one already armed): CivetWeb reads headers itself and
 * only checks its request_timeout_ms between reads. Armed when a connection
 * starts and after each answer (idle keep-alive time counts too), ended by
 * deadline_headers_done() once the headers are in or the connection closes. */
void deadline_headers_start(double timeout_ms);
void deadline_headers_done(void);

/* How many threads the watchdog has interrupted since it started. */
unsigned long deadline_interrupts(void);

#endif
