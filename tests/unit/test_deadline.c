/* test_deadline.c - the watchdog behind absolute read deadlines
 * (http/deadline.c): a thread blocked in poll() with no timeout of its own
 * is interrupted (EINTR) once its deadline passes, not before; a disarmed
 * thread is never interrupted afterwards; the slots run out cleanly. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/text.h"
#include "http/deadline.h"

static int setup(void **state)
{
    (void)state;
    return deadline_start(3);
}

static int teardown(void **state)
{
    (void)state;
    deadline_stop();
    return 0;
}

/* poll() on the read end of an empty pipe: blocks until interrupted. */
static int wait_forever(int *fds, int timeout_ms)
{
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    return poll(&p, 1, timeout_ms);
}

static void a_blocked_read_is_interrupted_at_its_deadline(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    unsigned long before = deadline_interrupts();
    double t0 = clock_mono_ms();
    int slot = deadline_arm(t0 + 200.0);
    assert_true(slot >= 0);
    int rc = wait_forever(fds, -1);
    int err = errno;
    double took = clock_mono_ms() - t0;
    deadline_disarm(slot);
    assert_int_equal(rc, -1);
    assert_int_equal(err, EINTR);
    assert_true(took >= 195.0);  /* not before the deadline */
    assert_true(took < 2000.0);  /* and soon after it, even on a busy machine */
    assert_int_equal(deadline_interrupts() - before, 1);
    close(fds[0]);
    close(fds[1]);
}

static void a_disarmed_thread_is_left_alone(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    /* Armed already expired: the watchdog signals at once; disarming waits
     * until that signal has been handled, so nothing stays pending. */
    unsigned long before = deadline_interrupts();
    int slot = deadline_arm(clock_mono_ms() - 1.0);
    assert_true(slot >= 0);
    while (deadline_interrupts() == before)
        wait_forever(fds, 5);
    deadline_disarm(slot);
    unsigned long sent = deadline_interrupts();
    /* A poll after disarming runs its full course: no EINTR. */
    assert_int_equal(wait_forever(fds, 150), 0);
    assert_int_equal(deadline_interrupts(), sent);
    /* Disarmed before its deadline: never signalled. */
    slot = deadline_arm(clock_mono_ms() + 100.0);
    assert_true(slot >= 0);
    deadline_disarm(slot);
    assert_int_equal(wait_forever(fds, 250), 0);
    assert_int_equal(deadline_interrupts(), sent);
    close(fds[0]);
    close(fds[1]);
}

static void slots_run_out_and_come_back(void **state)
{
    (void)state;
    double later = clock_mono_ms() + 60000.0;
    int a = deadline_arm(later), b = deadline_arm(later), c = deadline_arm(later);
    assert_true(a >= 0 && b >= 0 && c >= 0);
    assert_int_equal(deadline_arm(later), -1); /* three slots */
    deadline_disarm(b);
    int d = deadline_arm(later);
    assert_int_equal(d, b);
    deadline_disarm(a);
    deadline_disarm(c);
    deadline_disarm(d);
    deadline_disarm(-1); /* ignored */
    assert_int_equal(deadline_start(3), -1); /* already running */
    assert_int_equal(errno, EINVAL);
}

static void header_deadlines_replace_each_other(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    unsigned long before = deadline_interrupts();
    deadline_headers_start(60000.0);
    deadline_headers_start(100.0); /* replaces the first: one slot in use */
    double t0 = clock_mono_ms();
    int rc = wait_forever(fds, -1);
    int err = errno;
    deadline_headers_done();
    deadline_headers_done(); /* twice is harmless */
    assert_int_equal(rc, -1);
    assert_int_equal(err, EINTR);
    assert_true(clock_mono_ms() - t0 < 2000.0);
    assert_int_equal(deadline_interrupts() - before, 1);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_blocked_read_is_interrupted_at_its_deadline),
        cmocka_unit_test(a_disarmed_thread_is_left_alone),
        cmocka_unit_test(slots_run_out_and_come_back),
        cmocka_unit_test(header_deadlines_replace_each_other),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
