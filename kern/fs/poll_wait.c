/* The one waiting loop behind poll, select and epoll (see fs/poll.h).
 * Interrupts stay masked from each scan to the sleep, so a readiness
 * change from an interrupt handler (console input) cannot slip between. */
#include <frame/errno.h>
#include <frame/irq.h>
#include "fs/poll.h"
#include "proc/sleep.h"

long poll_wait(long (*scan)(void *ctx), void *ctx, uint64_t deadline_ns)
{
	unsigned long flags = irq_save();
	long n;

	while ((n = scan(ctx)) == 0 && deadline_ns != 0) {
		int err = proc_sleep_until(&poll_waiters, deadline_ns);

		if (err == -ETIMEDOUT) {
			n = scan(ctx);
			break;
		}
		if (err) {
			n = err;
			break;
		}
	}
	irq_restore(flags);
	return n;
}
