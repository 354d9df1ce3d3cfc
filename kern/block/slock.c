/* Sleeping locks (see block.h). */
#include <frame/irq.h>
#include "block/block.h"

void slock_take(struct slock *l)
{
	unsigned long flags = irq_save();

	while (l->held)
		wait_queue_sleep(&l->wq);
	l->held = true;
	irq_restore(flags);
}

void slock_give(struct slock *l)
{
	l->held = false;
	wait_queue_wake_all(&l->wq);
}
