#ifndef FRAME_TIME_TIMER_H
#define FRAME_TIME_TIMER_H
#include <frame/types.h>
#include <arch/csr.h>

#define TIMER_HZ 100

/* timer_ticks(), inline for user_run, which samples it around every trip
 * to user mode (the tick-sampled user time). */
extern uint64_t timer_period;
/* The tick count at a time CSR value. */
static inline uint64_t timer_ticks_at(uint64_t time)
{
	return timer_period ? time / timer_period : 0;
}

static inline uint64_t timer_ticks_inline(void)
{
	return timer_ticks_at(read_time());
}

/* Starts the periodic tick on this hart from the DT timebase. */
void timer_init(uint64_t timebase);
/* Starts this hart's own tick (a secondary hart, once timer_init ran). */
void timer_hart_init(void);
void timer_interrupt(void);
/* Programs the next interrupt: the next tick or the first ktimer deadline. */
void timer_reprogram(void);
/* ktimer.c: the earliest armed deadline (UINT64_MAX: none), and firing the
 * timers that are due (with the BKL: the callbacks are services'). */
uint64_t ktimer_first_deadline(void);
void ktimer_run_expired(uint64_t now_ns);

#endif
