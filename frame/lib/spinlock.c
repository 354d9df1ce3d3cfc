/* Spinlocks with test-and-test-and-set on an AMO swap, and the interrupt
 * mask helpers they build on. Each hart counts the spinlocks it holds, so
 * sleeping or taking the BKL with one held is caught (schedule, bkl.c).
 * While spinning the hart answers TLB shootdowns: the holder may be
 * waiting for this hart's flush with interrupts masked. */
#include <frame/irq.h>
#include <frame/spinlock.h>
#include <arch/csr.h>
#include "smp/ipi.h"
#include "smp/hart.h"

unsigned long irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("csrrc %0, sstatus, %1" : "=r"(flags) : "rK"(SSTATUS_SIE) : "memory");
	return flags & SSTATUS_SIE;
}

void irq_restore(unsigned long flags)
{
	if (flags & SSTATUS_SIE)
		csr_set(sstatus, SSTATUS_SIE);
}

void spin_lock(spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			ipi_poll();
	this_hart()->locks_held++;
}

void spin_unlock(spinlock_t *lock)
{
	this_hart()->locks_held--;
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = irq_save();

	spin_lock(lock);
	return flags;
}

void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	irq_restore(flags);
}
