/* POSIX per-process timers (timer_create and friends): each a ktimer that
 * sends a signal with SI_TIMER siginfo, optionally periodic. */
#ifndef KERN_PROC_POSIX_TIMER_H
#define KERN_PROC_POSIX_TIMER_H

#include <frame/ktimer.h>
#include <frame/types.h>

struct process;

#define POSIX_TIMER_MAX 32

struct posix_timer {
	struct ktimer kt;            /* kt.data: the owning process */
	bool used;
	bool notify;                 /* false: SIGEV_NONE (only read back) */
	int signo;
	uint64_t value;              /* sigev_value */
	uint64_t interval_ns;
	int overrun;                 /* expirations while its signal was pending */
};

/* Periodic timers re-arm from their interrupt callback, so a period is
 * never shorter than this, and missed periods are skipped (counted), or a
 * 1 ns interval would keep the hart in the timer interrupt. */
#define TIMER_MIN_PERIOD_NS 100000ULL
/* The next deadline after prev; *missed gets the periods already past. */
uint64_t timer_next_deadline(uint64_t prev, uint64_t interval_ns, int *missed);

/* The table, allocated at the first timer_create; NULL if out of memory. */
struct posix_timer *posix_timers(struct process *p);
/* The timer with this id, or NULL (timer_* give EINVAL). */
struct posix_timer *posix_timer_get(struct process *p, int id);
/* Arms t at deadline (0: disarm) with a period. */
void posix_timer_arm(struct posix_timer *t, uint64_t deadline, uint64_t interval_ns);
/* Time left before t fires (0 if disarmed). */
uint64_t posix_timer_left(const struct posix_timer *t);
/* exit and exec: every timer goes. */
void posix_timers_release(struct process *p);

#endif
