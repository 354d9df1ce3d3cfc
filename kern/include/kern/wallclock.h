/* The wall clock: CLOCK_REALTIME is time since boot plus an offset that a
 * real-time-clock driver sets once it has read the date, and that
 * clock_settime moves. CLOCK_MONOTONIC never moves with it. */
#ifndef KERN_WALLCLOCK_H
#define KERN_WALLCLOCK_H

#include <frame/types.h>

/* For RTC drivers: the device says it is now unix_ns (ns since 1970). */
void wallclock_set(uint64_t unix_ns);
/* ns since 1970 now (ns since boot until an RTC or clock_settime set it). */
uint64_t wallclock_now_ns(void);
/* What to add to time_now_ns() to get wallclock_now_ns(). */
int64_t wallclock_offset_ns(void);
/* The time since boot at which the wall clock reads realtime_ns (0 if
 * that was before boot): for absolute CLOCK_REALTIME deadlines. */
uint64_t wallclock_to_monotonic(uint64_t realtime_ns);
/* True once an RTC or clock_settime gave the date. */
bool wallclock_is_set(void);

#endif
