/* Spinlocks. Taking one with spin_lock_irqsave also masks interrupts on this
 * hart, so an interrupt handler that takes the same lock cannot deadlock. */
#ifndef FRAME_SPINLOCK_H
#define FRAME_SPINLOCK_H

#include <frame/types.h>

typedef struct spinlock {
	volatile uint32_t locked;
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(n) { .locked = 0, .name = (n) }

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
unsigned long spin_lock_irqsave(spinlock_t *lock);
void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);

#endif
