/* Deliberate kernel faults, reachable only from the monitor, so the tests
 * can check the panic report and the stack guard page. */
#include <stddef.h>
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
