/* Console input: a ring filled from the serial interrupt and drained by
 * readers, who sleep on a wait queue while it is empty. */
#include <frame/irq.h>
#include <frame/task.h>
#include <kern/console.h>
#include "proc/sleep.h"
#include "fs/poll.h"

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
	wait_queue_wake_all(&readers);
	poll_wake(); /* stdin became readable for poll/select/epoll */
}

bool console_input_ready(void)
{
	return __atomic_load_n(&head, __ATOMIC_ACQUIRE) != tail;
}

char console_getc(void)
{
	unsigned long flags = irq_save();
	char c;

	while (__atomic_load_n(&head, __ATOMIC_ACQUIRE) == tail)
		wait_queue_sleep(&readers);
	c = ring[tail];
	tail = (tail + 1) % INPUT_RING;
	irq_restore(flags);
	return c;
}

int console_getc_interruptible(char *out)
{
	unsigned long flags = irq_save();
	int err = 0;

	while (__atomic_load_n(&head, __ATOMIC_ACQUIRE) == tail && !(err = proc_sleep(&readers)))
		;
	if (!err) {
		*out = ring[tail];
		tail = (tail + 1) % INPUT_RING;
	}
	irq_restore(flags);
	return err;
}
