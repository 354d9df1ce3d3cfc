#ifndef FRAME_TIME_TIMER_H
#define FRAME_TIME_TIMER_H
#include <frame/types.h>

#define TIMER_HZ 100

/* Starts the periodic tick on this hart from the DT timebase. */
void timer_init(uint64_t timebase);
void timer_interrupt(void);

#endif
