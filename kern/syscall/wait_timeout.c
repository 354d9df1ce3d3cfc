/* Timeouts of ppoll, pselect6 and epoll_pwait(2) (see wait_timeout.h). */
#include <frame/errno.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include "proc/sleep.h"
#include "syscall/wait_timeout.h"

#define NSEC_PER_SEC 1000000000ull

struct kernel_timespec {
	int64_t sec, nsec;
};

/* now + ns, saturating at SLEEP_FOREVER; 0 stays 0 (no wait at all). */
static uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = time_now_ns();

	if (ns == 0)
		return 0;
	return ns >= SLEEP_FOREVER - now ? SLEEP_FOREVER : now + ns;
}

int wait_timeout_from_timespec(uint64_t uts, struct wait_timeout *t)
{
	struct kernel_timespec ts;

	t->utimeout = uts;
	t->deadline = SLEEP_FOREVER;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || (uint64_t)ts.nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.sec >= SLEEP_FOREVER / NSEC_PER_SEC)
		return 0;
	t->deadline = deadline_after((uint64_t)ts.sec * NSEC_PER_SEC + (uint64_t)ts.nsec);
	return 0;
}

void wait_timeout_from_ms(int ms, struct wait_timeout *t)
{
	t->utimeout = 0;
	t->deadline = ms < 0 ? SLEEP_FOREVER : deadline_after((uint64_t)ms * 1000000u);
}

void wait_timeout_write_left(const struct wait_timeout *t)
{
	uint64_t now = time_now_ns(), left;
	struct kernel_timespec ts;

	if (!t->utimeout || t->deadline == 0 || t->deadline == SLEEP_FOREVER)
		return;
	left = t->deadline > now ? t->deadline - now : 0;
	ts = (struct kernel_timespec){ (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
	(void)!copy_to_user(t->utimeout, &ts, sizeof(ts));
}
