/* The big service lock (bkl.h): an owner word holding the hart block number
 * of the holder, or NO_OWNER. Not recursive: a nested interrupt handler
 * asks bkl_held_here() first. */
#include <frame/panic.h>
#include <arch/csr.h>
#include "smp/ipi.h"
#include "smp/bkl.h"
#include "smp/hart.h"
#include "time/watchdog.h"

#define SPINS_BEFORE_WAIT 64

int bkl_owner = BKL_NO_OWNER;
uint64_t bkl_waiters; /* harts waiting in wfi for it: release sends them an IPI */

/* After some spinning a waiter sleeps in wfi rather than burn the CPU the
 * holder may need (QEMU runs harts as host threads). Any interrupt ends
 * the wait, the release's IPI among them; a cleared SSIP loses nothing,
 * since the mailbox is polled right after and the idle loop looks at its
 * queue again on its own. */
static void wait_for_release(struct hart *h)
{
	uint64_t bit = 1ull << h->slot;

	__atomic_fetch_or(&bkl_waiters, bit, __ATOMIC_SEQ_CST);
	csr_clear(sip, SIE_SSIE);
	ipi_poll();
	if (__atomic_load_n(&bkl_owner, __ATOMIC_SEQ_CST) != BKL_NO_OWNER)
		cpu_wait_for_interrupt();
	__atomic_fetch_and(&bkl_waiters, ~bit, __ATOMIC_SEQ_CST);
}

bool bkl_held_here(void)
{
	return __atomic_load_n(&bkl_owner, __ATOMIC_RELAXED) == (int)this_hart()->slot;
}

/* Contended: spin (answering shootdowns), then sleep until a release.
 * Apart, so the uncontended path (every trap) saves no registers for it. */
__attribute__((noinline)) void bkl_acquire_slow(struct hart *h)
{
	int expect;

	if (__atomic_load_n(&bkl_owner, __ATOMIC_RELAXED) == (int)h->slot)
		bkl_misuse(h, true);
	h->wants_bkl++;
	for (;;) {
		expect = BKL_NO_OWNER;
		if (__atomic_compare_exchange_n(&bkl_owner, &expect, (int)h->slot, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
		for (unsigned spins = 0; __atomic_load_n(&bkl_owner, __ATOMIC_RELAXED) != BKL_NO_OWNER; spins++) {
			ipi_poll(); /* the holder may be waiting for this hart's flush */
			watchdog_bkl_wait();
			if (spins >= SPINS_BEFORE_WAIT)
				wait_for_release(h);
		}
	}
	h->wants_bkl--;
}

__attribute__((noinline)) __noreturn void bkl_misuse(struct hart *h, bool acquire)
{
	if (!acquire)
		panic("BKL released by hart %u, which does not hold it", h->hartid);
	if (h->locks_held)
		panic("BKL taken while holding %u spinlock(s) (lock order: BKL first)", h->locks_held);
	panic("BKL taken twice on hart %u", h->hartid);
}

__attribute__((noinline)) void bkl_release_wake(uint64_t sleeping)
{
	ipi_send(sleeping);
}

void bkl_acquire(void)
{
	bkl_acquire_inline(this_hart());
}

void bkl_release(void)
{
	bkl_release_inline(this_hart());
}
