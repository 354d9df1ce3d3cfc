/* The soft-lockup watchdog: on each timer tick a hart takes in the kernel
 * with interrupts on, it checks that the hart has made progress within the
 * threshold (switched tasks, returned to user mode, or gone idle). If not,
 * one report (hart, task, pc, registers, backtrace) goes to the console and
 * the hart carries on; the next stall after progress is reported again.
 *
 * What it cannot see: a hart spinning with interrupts off takes no tick
 * (that needs a second hart watching, once harts run in parallel). */
#ifndef FRAME_TIME_WATCHDOG_H
#define FRAME_TIME_WATCHDOG_H

#include <frame/types.h>
#include <arch/trapframe.h>

#define WATCHDOG_DEFAULT_SECONDS 20 /* Linux's soft-lockup default */

/* The pure rule, per hart (watchdog_rule.c, host-tested). */
struct watchdog_hart {
	uint64_t progress_tick; /* the tick of the last progress seen */
	const void *task;       /* the task running at that tick */
	bool reported;          /* this stall has been reported */
};

/* One tick in the kernel on this hart: task is the current task, idle says
 * the hart waits for work. Returns true exactly once per stall: when no
 * progress has been seen for limit_ticks (0: never). */
bool watchdog_rule_tick(struct watchdog_hart *w, uint64_t now_tick, const void *task,
			bool idle, uint64_t limit_ticks);
/* Progress outside a tick (a return from user mode). */
void watchdog_rule_progress(struct watchdog_hart *w, uint64_t now_tick);

/* Threshold in seconds, 0 = off (rivet.watchdog=N on the command line). */
void watchdog_set_threshold(unsigned seconds);
/* This hart is on its way back to user mode: progress. */
void watchdog_touch(void);
/* The timer interrupt tf was taken in the kernel (after the tick counted). */
void watchdog_kernel_tick(const struct trapframe *tf);

#endif
