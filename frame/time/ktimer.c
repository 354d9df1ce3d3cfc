/* One-shot timers: a list sorted by deadline; each hart's timer interrupt
 * is programmed for the earlier of its next tick and the first deadline, so
 * a short sleep does not wait for the 10 ms tick. Whichever hart's timer
 * fires first runs the expired ones, under the BKL: services arm and
 * cancel under it too, so a callback never runs after its cancel. */
#include <frame/irq.h>
#include <frame/ktimer.h>
#include <frame/spinlock.h>
#include <frame/time.h>
#include "time/timer.h"

static spinlock_t ktimer_lock = SPINLOCK_INIT("ktimer");
static struct ktimer *pending; /* sorted, earliest first; ktimer_lock */

static void unlink_timer(struct ktimer *t)
{
	for (struct ktimer **link = &pending; *link; link = &(*link)->next) {
		if (*link == t) {
			*link = t->next;
			break;
		}
	}
	t->armed = false;
	t->next = NULL;
}

void ktimer_arm(struct ktimer *t, uint64_t deadline_ns, ktimer_fn fn)
{
	unsigned long flags = spin_lock_irqsave(&ktimer_lock);
	struct ktimer **link = &pending;
	bool first;

	if (t->armed)
		unlink_timer(t);
	t->deadline_ns = deadline_ns;
	t->fn = fn;
	while (*link && (*link)->deadline_ns <= deadline_ns)
		link = &(*link)->next;
	t->next = *link;
	*link = t;
	t->armed = true;
	first = pending == t;
	spin_unlock(&ktimer_lock);
	if (first)
		timer_reprogram(); /* this hart's timer, with interrupts still masked */
	irq_restore(flags);
}

void ktimer_cancel(struct ktimer *t)
{
	unsigned long flags = spin_lock_irqsave(&ktimer_lock);

	if (t->armed)
		unlink_timer(t);
	spin_unlock_irqrestore(&ktimer_lock, flags);
}

uint64_t ktimer_first_deadline(void)
{
	unsigned long flags = spin_lock_irqsave(&ktimer_lock);
	uint64_t first = pending ? pending->deadline_ns : UINT64_MAX;

	spin_unlock_irqrestore(&ktimer_lock, flags);
	return first;
}

/* The first timer due by now_ns, taken off the list; or NULL. */
static struct ktimer *take_expired(uint64_t now_ns)
{
	unsigned long flags = spin_lock_irqsave(&ktimer_lock);
	struct ktimer *t = pending && pending->deadline_ns <= now_ns ? pending : NULL;

	if (t)
		unlink_timer(t);
	spin_unlock_irqrestore(&ktimer_lock, flags);
	return t;
}

void ktimer_run_expired(uint64_t now_ns)
{
	struct ktimer *t;

	while ((t = take_expired(now_ns)) != NULL)
		t->fn(t); /* may re-arm t */
}
