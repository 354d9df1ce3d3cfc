/* Deliberate kernel faults, reachable only from the monitor, so the tests
 * can check the panic report, the stack guard page and the watchdog. */
#include <stddef.h>
#include <frame/irq.h>
#include <frame/time.h>
#include "monitor/monitor.h"

void monitor_crash_null(void)
{
	volatile int *volatile p = NULL;

	*p = 1;
}

static void spin_ns(uint64_t ns)
{
	uint64_t end = time_now_ns() + ns;
	volatile unsigned long spins = 0;

	while (time_now_ns() < end)
		spins++;
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
	spin_ns(seconds * 1000000000ULL);
}

/* The same with interrupts masked: this hart takes no tick, so only the
 * other harts can see it fall silent (the hard-lockup half). It spins a
 * few ticks with interrupts on first: the watchdog names only a hart that
 * was busy when last seen (an idle one may sleep tickless). */
void monitor_hang_masked(unsigned long seconds)
{
	unsigned long flags;

	spin_ns(50000000ULL);
	flags = irq_save();
	spin_ns(seconds * 1000000000ULL);
	irq_restore(flags);
}
