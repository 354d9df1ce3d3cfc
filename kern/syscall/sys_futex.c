/* futex(2): decode the operation, then the core in proc/futex.c. */
#include <frame/errno.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include <kern/wallclock.h>
#include "proc/futex.h"
#include "proc/sleep.h"
#include "syscall/syscall.h"

enum {
	FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
	FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10,
};
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define NSEC_PER_SEC 1000000000LL

struct futex_timespec {
	int64_t sec, nsec;
};

/* The deadline for a wait: utime is relative for FUTEX_WAIT, absolute for
 * FUTEX_WAIT_BITSET. Both clocks count from boot until an RTC exists. */
static int wait_deadline(uint64_t utime, bool absolute, uint64_t *deadline)
{
	struct futex_timespec ts;
	uint64_t ns;

	*deadline = SLEEP_FOREVER;
	if (!utime)
		return 0;
	if (copy_from_user(&ts, utime, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= NSEC_PER_SEC)
		return -EINVAL;
	ns = (uint64_t)ts.sec * NSEC_PER_SEC + (uint64_t)ts.nsec;
	*deadline = absolute ? ns : time_now_ns() + ns;
	return 0;
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
SYSCALL(futex)
{
	uint64_t uaddr = args->a[0], utime = args->a[3], uaddr2 = args->a[4];
	unsigned op = (unsigned)args->a[1] & ~(unsigned)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	uint32_t val = (uint32_t)args->a[2], val3 = (uint32_t)args->a[5];
	int nr = (int)val, nr2 = (int)utime; /* val2 travels in the timeout slot */
	uint64_t deadline;
	int err;

	if ((args->a[1] & FUTEX_CLOCK_REALTIME) && op != FUTEX_WAIT && op != FUTEX_WAIT_BITSET)
		return -ENOSYS; /* as Linux */
	switch (op) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if ((err = wait_deadline(utime, op == FUTEX_WAIT_BITSET, &deadline)) != 0)
			return err;
		if (op == FUTEX_WAIT_BITSET && (args->a[1] & FUTEX_CLOCK_REALTIME) &&
		    deadline != SLEEP_FOREVER)
			deadline = wallclock_to_monotonic(deadline);
		return futex_wait(uaddr, val, op == FUTEX_WAIT ? FUTEX_BITSET_ANY : val3, deadline);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, nr <= 0 ? 1 : nr, /* Linux wakes at least one */
				  op == FUTEX_WAKE ? FUTEX_BITSET_ANY : val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, nr, uaddr2, nr2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, nr, uaddr2, nr2, &val3);
	default:
		return -ENOSYS; /* WAKE_OP and the PI operations */
	}
}
