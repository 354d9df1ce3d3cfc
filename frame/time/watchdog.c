/* The soft-lockup watchdog's glue (watchdog.h): per-hart state, the hooks
 * the trap path calls, and the report. */
#include <frame/cpu.h>
#include <frame/log.h>
#include <frame/time.h>
#include "smp/hart.h"
#include "task/task_internal.h"
#include "time/timer.h"
#include "time/watchdog.h"
#include "trap/trap.h"

/* Indexed by hart block number (slot), as hart masks are. */
static struct watchdog_hart harts[MAX_HARTS];
static struct watchdog_stamp stamps[MAX_HARTS]; /* written by their own hart only */
static uint64_t limit_ticks = (uint64_t)WATCHDOG_DEFAULT_SECONDS * TIMER_HZ;

void watchdog_set_threshold(unsigned seconds)
{
	limit_ticks = (uint64_t)seconds * TIMER_HZ;
	pr_info("watchdog: soft-lockup threshold %u s%s\n", seconds, seconds ? "" : " (off)");
}

static struct watchdog_hart *mine(void)
{
	unsigned i = this_hart()->slot;

	return i < MAX_HARTS ? &harts[i] : NULL;
}

/* A return to user mode is progress. Each one stamps the time in
 * user_time_mark (a call per return cost a tenth of a null syscall); the
 * tick sees the stamp move. Indexed by slot, written by its own hart's
 * tick only. */
static uint64_t returns_seen[MAX_HARTS];

static void note_user_returns(struct watchdog_hart *w, unsigned slot)
{
	uint64_t n = this_hart()->user_time_mark;

	if (n == returns_seen[slot])
		return;
	returns_seen[slot] = n;
	watchdog_rule_progress(w, timer_ticks());
}

/* A hart idles in its idle task, or, while the scheduler looks for work, in
 * the task that went to sleep (or exited). */
static bool hart_idle(const struct task *t)
{
	return t == this_hart()->idle || t->state != TASK_RUNNING;
}

/* Looks at the other harts' stamps from hart me at now. */
static void check_others(unsigned me, uint64_t now)
{
	uint64_t limit_ns = limit_ticks * (1000000000ULL / TIMER_HZ);

	for (unsigned i = 0; i < MAX_HARTS; i++) {
		if (i == me || !watchdog_rule_silent(&stamps[i], now, limit_ns))
			continue;
		pr_err("\n---[ watchdog: hard lockup? hart %u has taken no timer interrupt for "
		       "%lu s (busy when last seen): spinning with interrupts off, seen from hart %u ]---\n",
		       hart_by_slot(i)->hartid, (unsigned long)((now - stamps[i].last_ns) / 1000000000ULL),
		       this_hart()->hartid);
	}
}

void watchdog_timer_tick(void)
{
	unsigned me = this_hart()->slot;
	uint64_t now = time_now_ns();

	if (me >= MAX_HARTS)
		return;
	watchdog_rule_stamp(&stamps[me], now, hart_idle(task_current()));
	check_others(me, now);
}

void watchdog_bkl_wait(void)
{
	unsigned me = this_hart()->slot;
	uint64_t now = time_now_ns();

	/* At most once a tick period: this runs in the waiter's spin loop. */
	if (me >= MAX_HARTS || now - stamps[me].last_ns < 1000000000ULL / TIMER_HZ)
		return;
	watchdog_rule_stamp(&stamps[me], now, stamps[me].idle);
	/* Nor is the wait this task's time in the kernel: without this, a
	 * task that waited seconds with interrupts masked was reported as a
	 * soft lockup at its first tick after the holder let go. */
	watchdog_rule_progress(&harts[me], timer_ticks());
	check_others(me, now);
}

void watchdog_kernel_tick(const struct trapframe *tf)
{
	struct watchdog_hart *w = mine();
	struct task *t = task_current();
	/* Waiting for the BKL is not this hart's lockup: the holder's report
	 * (or its hard-lockup line) says what is wrong. */
	bool idle = hart_idle(t) || this_hart()->wants_bkl;

	if (w)
		note_user_returns(w, this_hart()->slot);
	if (!w || !watchdog_rule_tick(w, timer_ticks(), t, idle, limit_ticks))
		return;
	pr_err("\n---[ watchdog: soft lockup on hart %u: task \"%s\" has run in the kernel for %lu s"
	       " without scheduling or returning to user mode ]---\n",
	       this_hart()->hartid, task_name(t), (timer_ticks() - w->progress_tick) / TIMER_HZ);
	trap_report(tf);
	pr_err("---[ end of watchdog report: hart %u carries on ]---\n", this_hart()->hartid);
}
