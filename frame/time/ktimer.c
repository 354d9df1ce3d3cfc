/* One-shot timers: a list sorted by deadline; the hart's timer interrupt is
 * programmed for the earlier of the next tick and the first deadline, so a
 * short sleep does not wait for the 10 ms tick. */
#include <frame/irq.h>
#include <frame/ktimer.h>
#include <frame/time.h>
#include "time/timer.h"

static struct ktimer *pending; /* sorted, earliest first */

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
	unsigned long flags = irq_save();
	struct ktimer **link = &pending;

	if (t->armed)
		unlink_timer(t);
	t->deadline_ns = deadline_ns;
	t->fn = fn;
	while (*link && (*link)->deadline_ns <= deadline_ns)
		link = &(*link)->next;
	t->next = *link;
	*link = t;
	t->armed = true;
	if (pending == t)
		timer_reprogram();
	irq_restore(flags);
}

void ktimer_cancel(struct ktimer *t)
{
	unsigned long flags = irq_save();

	if (t->armed)
		unlink_timer(t);
	irq_restore(flags);
}

uint64_t ktimer_first_deadline(void)
{
	return pending ? pending->deadline_ns : UINT64_MAX;
}

void ktimer_run_expired(uint64_t now_ns)
{
	while (pending && pending->deadline_ns <= now_ns) {
		struct ktimer *t = pending;
		unlink_timer(t);
		t->fn(t); /* may re-arm t */
	}
}
