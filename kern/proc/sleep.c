/* Interruptible and timed sleeps (see sleep.h). A signal reaches a sleeper
 * through task_interrupt (proc/signal.c); a deadline through a ktimer whose
 * callback does the same. */
#include <frame/errno.h>
#include <frame/ktimer.h>
#include <frame/time.h>
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/sleep.h"

int proc_sleep(struct wait_queue *wq)
{
	return proc_sleep_until(wq, SLEEP_FOREVER);
}

static void deadline_passed(struct ktimer *t)
{
	task_interrupt(t->data);
}

int proc_sleep_until(struct wait_queue *wq, uint64_t deadline_ns)
{
	struct process *p = current;
	struct wait_queue own = WAIT_QUEUE_INIT;
	struct ktimer timer = { .data = task_current() };

	if (signal_pending(p))
		return -ERESTARTSYS;
	if (deadline_ns != SLEEP_FOREVER) {
		if (time_now_ns() >= deadline_ns)
			return -ETIMEDOUT;
		ktimer_arm(&timer, deadline_ns, deadline_passed);
	}
	wait_queue_sleep(wq ? wq : &own);
	ktimer_cancel(&timer);
	if (signal_pending(p))
		return -ERESTARTSYS;
	if (deadline_ns != SLEEP_FOREVER && time_now_ns() >= deadline_ns)
		return -ETIMEDOUT;
	return 0;
}
