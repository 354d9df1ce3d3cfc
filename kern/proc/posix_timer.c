/* POSIX timers: the table per process and the firing. The callback runs in
 * interrupt context: it only marks a signal pending (signal_send_info). */
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/time.h>
#include "proc/posix_timer.h"
#include "proc/process.h"
#include "proc/signal.h"

struct posix_timer *posix_timers(struct process *p)
{
	if (!p->sig.timers)
		p->sig.timers = kzalloc(POSIX_TIMER_MAX * sizeof(struct posix_timer));
	return p->sig.timers;
}

struct posix_timer *posix_timer_get(struct process *p, int id)
{
	struct posix_timer *t = p->sig.timers;

	if (!t || id < 0 || id >= POSIX_TIMER_MAX || !t[id].used)
		return NULL;
	return &t[id];
}

uint64_t timer_next_deadline(uint64_t prev, uint64_t interval_ns, int *missed)
{
	uint64_t period = interval_ns < TIMER_MIN_PERIOD_NS ? TIMER_MIN_PERIOD_NS : interval_ns;
	uint64_t now = time_now_ns(), next;

	*missed = 0;
	if (period > UINT64_MAX - 1 - prev)
		return UINT64_MAX - 1; /* never, in practice */
	next = prev + period;
	if (next <= now) {
		uint64_t n = (now - prev) / period;
		*missed = n > 0x7fffffff ? 0x7fffffff : (int)n;
		next = prev + (n + 1) * period;
	}
	return next;
}

/* While its last signal is still pending, an expiry only counts (Linux's
 * overrun); otherwise it sends a fresh SI_TIMER signal. */
static void fire(struct ktimer *kt)
{
	struct posix_timer *t = (struct posix_timer *)kt; /* kt is the first member */
	struct process *p = kt->data;
	struct k_siginfo *pending = &p->sig.info[t->signo];
	int id = (int)(t - p->sig.timers);

	if (t->notify) {
		if ((p->sig.pending & SIG_BIT(t->signo)) && pending->code == SI_TIMER &&
		    pending->timer.tid == id) {
			pending->timer.overrun = ++t->overrun;
		} else {
			struct k_siginfo info = { .signo = t->signo, .code = SI_TIMER,
						  .timer = { .tid = id, .value = t->value } };
			t->overrun = 0;
			signal_send_info(p, &info);
		}
	}
	if (t->interval_ns) {
		int missed;
		uint64_t next = timer_next_deadline(kt->deadline_ns, t->interval_ns, &missed);
		int64_t sum = (int64_t)t->overrun + missed;
		t->overrun = sum > 0x7fffffff ? 0x7fffffff : (int)sum;
		ktimer_arm(kt, next, fire);
	}
}

void posix_timer_arm(struct posix_timer *t, uint64_t deadline, uint64_t interval_ns)
{
	unsigned long flags = irq_save();

	ktimer_cancel(&t->kt);
	t->interval_ns = interval_ns;
	t->overrun = 0;
	if (deadline)
		ktimer_arm(&t->kt, deadline, fire);
	irq_restore(flags);
}

uint64_t posix_timer_left(const struct posix_timer *t)
{
	uint64_t now = time_now_ns();

	if (!t->kt.armed)
		return 0;
	return t->kt.deadline_ns > now ? t->kt.deadline_ns - now : 1;
}

void posix_timers_release(struct process *p)
{
	struct posix_timer *t = p->sig.timers;

	if (!t)
		return;
	for (int i = 0; i < POSIX_TIMER_MAX; i++)
		ktimer_cancel(&t[i].kt);
	p->sig.timers = NULL;
	kfree(t);
}
