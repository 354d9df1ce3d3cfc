/* Console input: a ring filled from the serial interrupt and drained by the
 * reader. Single producer (the IRQ handler), single consumer. */
#include <frame/cpu.h>
#include <frame/spinlock.h>
#include <kern/console.h>

#define INPUT_RING 256

static char ring[INPUT_RING];
static volatile unsigned head, tail; /* head: next write, tail: next read */
static unsigned long dropped;

void console_input_char(char c)
{
	unsigned next = (head + 1) % INPUT_RING;

	if (next == tail) {
		dropped++; /* reader too slow: drop, never block in an IRQ */
		return;
	}
	ring[head] = c;
	__atomic_store_n(&head, next, __ATOMIC_RELEASE);
}

char console_getc(void)
{
	char c;

	while (__atomic_load_n(&head, __ATOMIC_ACQUIRE) == tail)
		cpu_idle();
	c = ring[tail];
	tail = (tail + 1) % INPUT_RING;
	return c;
}
