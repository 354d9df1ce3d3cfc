/* The watchdog's decision, apart from the hardware so the host tests can
 * drive it tick by tick (host.watchdog). */
#include "time/watchdog.h"

static void progress(struct watchdog_hart *w, uint64_t now_tick, const void *task)
{
	w->progress_tick = now_tick;
	w->task = task;
	w->reported = false;
}

bool watchdog_rule_tick(struct watchdog_hart *w, uint64_t now_tick, const void *task,
			bool idle, uint64_t limit_ticks)
{
	/* A different task than last time means the hart scheduled. */
	if (idle || task != w->task || now_tick < w->progress_tick) {
		progress(w, now_tick, task);
		return false;
	}
	if (limit_ticks == 0 || w->reported || now_tick - w->progress_tick < limit_ticks)
		return false;
	w->reported = true;
	return true;
}

void watchdog_rule_progress(struct watchdog_hart *w, uint64_t now_tick)
{
	progress(w, now_tick, w->task);
}

void watchdog_rule_stamp(struct watchdog_stamp *s, uint64_t now_ns, bool idle)
{
	s->last_ns = now_ns;
	s->idle = idle;
	s->reported = 0;
}

bool watchdog_rule_silent(struct watchdog_stamp *s, uint64_t now_ns, uint64_t limit_ns)
{
	uint64_t last = __atomic_load_n(&s->last_ns, __ATOMIC_RELAXED);

	if (limit_ns == 0 || last == 0 || s->idle || s->reported)
		return false;
	if (now_ns < last || now_ns - last < limit_ns)
		return false;
	/* Several harts look at once (ticks, BKL waiters): one of them wins. */
	return __atomic_exchange_n(&s->reported, 1, __ATOMIC_RELAXED) == 0;
}
