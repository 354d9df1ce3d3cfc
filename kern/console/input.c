/* Console input: a ring filled from the serial interrupt and drained by
 * readers (the serial tty's input task, or the boot monitor), who sleep on a
 * wait queue while it is empty. */
#include <frame/irq.h>
#include <frame/task.h>
#include <kern/console.h>

#define INPUT_RING 256

static char ring[INPUT_RING];
static volatile unsigned head, tail; /* head: next write, tail: next read */
static unsigned long dropped;
static struct wait_queue readers = WAIT_QUEUE_INIT;

void console_input_char(char c)
{
	unsigned next = (head + 1) % INPUT_RING;

	if (next == tail) {
		dropped++; /* reader too slow: drop, never block in an IRQ */
		return;
	}
	ring[head] = c;
	__atomic_store_n(&head, next, __ATOMIC_RELEASE);
	wait_queue_wake_all(&readers); /* the tty's input task wakes pollers */
}

bool console_input_take(char *c)
{
	unsigned long flags = irq_save();
	bool got = __atomic_load_n(&head, __ATOMIC_ACQUIRE) != tail;

	if (got) {
		*c = ring[tail];
		tail = (tail + 1) % INPUT_RING;
	}
	irq_restore(flags);
	return got;
}

struct wait_queue *console_input_queue(void)
{
	return &readers;
}

char console_getc(void)
{
	unsigned long flags = irq_save();
	char c;

	while (!console_input_take(&c))
		wait_queue_sleep(&readers);
	irq_restore(flags);
	return c;
}
