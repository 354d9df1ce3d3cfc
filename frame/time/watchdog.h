/* The soft-lockup watchdog: on each timer tick a hart takes in the kernel
 * with interrupts on, it checks that the hart has made progress within the
 * threshold (switched tasks, returned to user mode, or gone idle). If not,
 * one report (hart, task, pc, registers, backtrace) goes to the console and
 * the hart carries on; the next stall after progress is reported again.
 *
 * A hart spinning with interrupts off takes no tick, so it cannot report
 * itself: every hart stamps its ticks, and each tick also checks the other
 * harts' stamps; a hart that ticked before, was busy at its last tick, and
 * has taken none for the threshold is reported as silent (hard lockup).
 * That half needs a second hart running: it is exercised once SMP starts
 * them (host.watchdog tests the rule). */
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

/* The hard-lockup half, per hart: its last tick, in ns since boot. */
struct watchdog_stamp {
	uint64_t last_ns;     /* 0: never ticked (parked, or not started) */
	bool idle;            /* it was idle then (a tickless idle is no lockup) */
	uint32_t reported;    /* 0 or 1; a word: RV64 has no byte-wide atomic swap */
};

void watchdog_rule_stamp(struct watchdog_stamp *s, uint64_t now_ns, bool idle);
/* Seen from another hart at now_ns: true exactly once per silence of at
 * least limit_ns (0: never) by a hart that was busy at its last tick, even
 * when several harts ask at the same time. */
bool watchdog_rule_silent(struct watchdog_stamp *s, uint64_t now_ns, uint64_t limit_ns);

/* Threshold in seconds, 0 = off (rivet.watchdog=N on the command line). */
void watchdog_set_threshold(unsigned seconds);
/* The timer interrupt tf was taken in the kernel (after the tick counted). */
void watchdog_kernel_tick(const struct trapframe *tf);
/* Every tick on every hart, whatever mode it came from (timer.c): stamps
 * this hart and looks at the others. */
void watchdog_timer_tick(void);
/* Called over and over while this hart waits for the BKL, often with
 * interrupts masked (no ticks): it is alive, so it stamps itself (keeping
 * whether it was idle), the wait counts as progress (the holder is the one
 * stuck), and it watches the others in place of its ticks.
 * Were every other hart waiting for the BKL behind a holder spinning with
 * interrupts off, nobody would be left to see the holder fall silent. */
void watchdog_bkl_wait(void);

#endif
