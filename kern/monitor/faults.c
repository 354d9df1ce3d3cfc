/* Deliberate kernel faults, reachable only from the monitor, so the tests
 * can check the panic report, the stack guard page and the watchdog. */
#include <stddef.h>
#include <frame/time.h>
#include "monitor/monitor.h"

void monitor_crash_null(void)
{
	volatile int *volatile p = NULL;

	*p = 1;
}

/* Recursion without end is the point here. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
unsigned long monitor_recurse(unsigned long depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	/* Not a tail call: the addition after the call keeps every frame alive. */
	return monitor_recurse(depth + 1) + pad[0];
}

/* Spins in the kernel with interrupts on, neither scheduling nor returning
 * to user mode: what the soft-lockup watchdog must notice. */
void monitor_hang(unsigned long seconds)
{
	uint64_t end = time_now_ns() + seconds * 1000000000ULL;
	volatile unsigned long spins = 0;

	while (time_now_ns() < end)
		spins++;
}
