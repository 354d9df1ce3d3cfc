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
