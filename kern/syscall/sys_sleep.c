/* Sleeping: nanosleep, clock_nanosleep and restart_syscall. A relative
 * sleep stopped by a signal without a handler (a stop and continue)
 * resumes with the time left, through ERESTART_RESTARTBLOCK and
 * restart_syscall; with a handler it fails with EINTR and the time left. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/time.h>
#include <kern/wallclock.h>
#include "proc/process.h"
#include "proc/sleep.h"
#include "syscall/syscall.h"
#include "syscall/sys_timespec.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11
#define TIMER_ABSTIME 1

static long sleep_restart(struct sigstate *s);

/* Every clock counts from boot (sys_time.c), so deadlines are comparable. */
static long sleep_until(uint64_t deadline, uint64_t urem, bool absolute)
{
	struct sigstate *s = &current->sig;
	unsigned long flags = irq_save();
	int err;

	while ((err = proc_sleep_until(NULL, deadline)) == 0)
		;
	irq_restore(flags);
	if (err == -ETIMEDOUT)
		return 0;
	if (absolute)
		return -ERESTARTNOHAND; /* the same call again sleeps to the same time */
	if (urem) {
		uint64_t now = time_now_ns();
		if (timespec_write_ns(urem, deadline > now ? deadline - now : 0))
			return -EFAULT;
	}
	s->restart_fn = sleep_restart;
	s->restart_arg[0] = deadline;
	s->restart_arg[1] = urem;
	return -ERESTART_RESTARTBLOCK;
}

static long sleep_restart(struct sigstate *s)
{
	return sleep_until(s->restart_arg[0], s->restart_arg[1], false);
}

SYSCALL(nanosleep)
{
	uint64_t deadline;
	int err = timespec_deadline(args->a[0], &deadline);

	return err ? err : sleep_until(deadline, args->a[1], false);
}

/* Returns the error itself (glibc passes it back as the result). */
SYSCALL(clock_nanosleep)
{
	int64_t clock = (int64_t)args->a[0];
	bool absolute = args->a[1] & TIMER_ABSTIME;
	uint64_t ns;
	int err;

	if (clock < 0 || clock > CLOCK_TAI)
		return -EINVAL;
	if (clock == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL; /* Linux: a thread's CPU clock cannot be slept on */
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_TAI)
		return -EOPNOTSUPP;
	if ((err = timespec_read_ns(args->a[2], &ns)) != 0)
		return err;
	if (absolute && (clock == CLOCK_REALTIME || clock == CLOCK_TAI))
		ns = wallclock_to_monotonic(ns); /* deadlines are kept in boot time */
	if (absolute)
		return sleep_until(ns, 0, true);
	return sleep_until(ns_add_sat(time_now_ns(), ns), args->a[3], false);
}

SYSCALL(restart_syscall)
{
	struct sigstate *s = &current->sig;
	long (*fn)(struct sigstate *) = s->restart_fn;

	(void)args;
	s->restart_fn = NULL;
	return fn ? fn(s) : -EINTR;
}
