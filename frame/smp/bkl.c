/* The big service lock (bkl.h): an owner word holding the hart block number
 * of the holder, or NO_OWNER. Not recursive: a nested interrupt handler
 * asks bkl_held_here() first. */
#include <frame/panic.h>
#include "smp/ipi.h"
#include "smp/bkl.h"
#include "smp/hart.h"

#define NO_OWNER (-1)

static int owner = NO_OWNER;

bool bkl_held_here(void)
{
	return __atomic_load_n(&owner, __ATOMIC_RELAXED) == (int)this_hart()->slot;
}

void bkl_acquire(void)
{
	struct hart *h = this_hart();
	int expect;

	if (h->locks_held)
		panic("BKL taken while holding %u spinlock(s) (lock order: BKL first)", h->locks_held);
	if (bkl_held_here())
		panic("BKL taken twice on hart %u", h->hartid);
	for (;;) {
		expect = NO_OWNER;
		if (__atomic_compare_exchange_n(&owner, &expect, (int)h->slot, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		while (__atomic_load_n(&owner, __ATOMIC_RELAXED) != NO_OWNER)
			ipi_poll(); /* the holder may be waiting for this hart's flush */
	}
}

void bkl_release(void)
{
	if (!bkl_held_here())
		panic("BKL released by hart %u, which does not hold it", this_hart()->hartid);
	__atomic_store_n(&owner, NO_OWNER, __ATOMIC_RELEASE);
}
