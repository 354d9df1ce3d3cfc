/* Time since boot and the periodic tick. */
#ifndef FRAME_TIME_H
#define FRAME_TIME_H

#include <frame/types.h>

uint64_t time_now_ns(void);
/* Tick periods (1/timer_hz() s) since reset: from the clock, so it moves
 * on whatever the harts' interrupts are doing. */
uint64_t timer_ticks(void);
unsigned timer_hz(void);
uint64_t timebase_hz(void);

#endif
