/* Futexes: sleeping on a 32-bit word in user memory until another thread
 * (or process, on shared memory) wakes that word.
 *
 * A waiter is keyed by (address space, user address). Every waiter sleeps
 * on its own wait queue, so a wake can pick exactly the waiters it wants
 * (by address and bitset) and a requeue only re-keys them. The check of the
 * word and the sleep happen with interrupts masked on one hart, which is
 * what makes FUTEX_WAIT atomic against a waker. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include "proc/futex.h"
#include "proc/process.h"
#include "proc/sleep.h"

struct futex_waiter {
	const struct aspace *as;
	uint64_t uaddr;
	uint32_t bitset;
	bool woken;
	struct wait_queue wq;
	struct futex_waiter *next;
};

static struct futex_waiter *waiters;

/* At the tail: wakes go to the longest waiter first. */
static void waiter_link(struct futex_waiter *w)
{
	struct futex_waiter **link = &waiters;

	while (*link)
		link = &(*link)->next;
	w->next = NULL;
	*link = w;
}

static void waiter_unlink(struct futex_waiter *w)
{
	for (struct futex_waiter **link = &waiters; *link; link = &(*link)->next) {
		if (*link == w) {
			*link = w->next;
			return;
		}
	}
}

int futex_wait(uint64_t uaddr, uint32_t expected, uint32_t bitset, uint64_t deadline_ns)
{
	struct futex_waiter w = { .as = current->as, .uaddr = uaddr, .bitset = bitset,
				  .wq = WAIT_QUEUE_INIT };
	unsigned long flags;
	uint32_t value;
	int err = 0;

	if (uaddr & 3)
		return -EINVAL;
	if (!bitset)
		return -EINVAL;
	flags = irq_save();
	if (copy_from_user(&value, uaddr, sizeof(value))) {
		err = -EFAULT;
	} else if (value != expected) {
		err = -EAGAIN;
	} else {
		waiter_link(&w);
		while (!w.woken && !(err = proc_sleep_until(&w.wq, deadline_ns)))
			;
		waiter_unlink(&w);
		if (w.woken)
			err = 0; /* a wake that raced with a signal or timeout wins */
	}
	irq_restore(flags);
	return err;
}

/* Wakes up to nr_wake waiters on uaddr whose bitset meets bitset, then
 * moves up to nr_requeue more to uaddr2 (when uaddr2 is non-zero). */
static int wake_and_requeue(uint64_t uaddr, uint32_t bitset, int nr_wake, uint64_t uaddr2,
			    int nr_requeue)
{
	const struct aspace *as = current->as;
	int woken = 0, moved = 0;

	for (struct futex_waiter *w = waiters; w; w = w->next) {
		if (w->woken || w->as != as || w->uaddr != uaddr || !(w->bitset & bitset))
			continue;
		if (woken < nr_wake) {
			w->woken = true;
			wait_queue_wake_all(&w->wq);
			woken++;
		} else if (uaddr2 && moved < nr_requeue) {
			w->uaddr = uaddr2;
			moved++;
		} else {
			break;
		}
	}
	return woken + moved;
}

int futex_wake(uint64_t uaddr, int nr_wake, uint32_t bitset)
{
	unsigned long flags;
	int n;

	if (uaddr & 3 || !bitset)
		return -EINVAL;
	flags = irq_save();
	n = wake_and_requeue(uaddr, bitset, nr_wake, 0, 0);
	irq_restore(flags);
	return n;
}

int futex_requeue(uint64_t uaddr, int nr_wake, uint64_t uaddr2, int nr_requeue,
		  const uint32_t *expected)
{
	unsigned long flags;
	uint32_t value;
	int n;

	if ((uaddr | uaddr2) & 3 || nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	flags = irq_save();
	if (expected && copy_from_user(&value, uaddr, sizeof(value)))
		n = -EFAULT;
	else if (expected && value != *expected)
		n = -EAGAIN;
	else
		n = wake_and_requeue(uaddr, FUTEX_BITSET_ANY, nr_wake, uaddr2, nr_requeue);
	irq_restore(flags);
	return n;
}
