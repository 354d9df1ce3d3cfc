/* One-shot kernel timers: a callback at a point in time since boot.
 *
 * Invariants:
 *   1. An armed timer fires at most once, no earlier than its deadline, in
 *      interrupt context on the hart that armed it (it must not sleep).
 *   2. After ktimer_cancel returns, the callback is not running and will not
 *      run until the timer is armed again.
 * Caller must: keep the struct ktimer alive and untouched while it is
 * armed (it is linked into the frame's list). */
#ifndef FRAME_KTIMER_H
#define FRAME_KTIMER_H

#include <frame/types.h>

struct ktimer;
typedef void (*ktimer_fn)(struct ktimer *t);

struct ktimer {
	/* Private to the frame. */
	uint64_t deadline_ns;
	ktimer_fn fn;
	struct ktimer *next;
	bool armed;
	/* The owner's. */
	void *data;
};

/* Arms t to call fn at time_now_ns() >= deadline_ns (re-arms if armed). */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns, ktimer_fn fn);
/* Disarms t; harmless if it already fired or was never armed. */
void ktimer_cancel(struct ktimer *t);

#endif
