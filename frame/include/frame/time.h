/* Time since boot and the periodic tick. */
#ifndef FRAME_TIME_H
#define FRAME_TIME_H

#include <frame/types.h>

uint64_t time_now_ns(void);
uint64_t timer_ticks(void);
unsigned timer_hz(void);
uint64_t timebase_hz(void);

#endif
