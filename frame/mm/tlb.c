/* Remote TLB shootdown through the per-hart mailbox (tlb.h). */
#include <frame/irq.h>
#include <frame/spinlock.h>
#include <arch/csr.h>
#include "mm/aspace_internal.h"
#include "mm/tlb.h"
#include "smp/hart.h"
#include "smp/ipi.h"

static spinlock_t shootdown_lock = SPINLOCK_INIT("shootdown");

void tlb_poll(void)
{
	struct hart *h = this_hart();
	struct tlb_request *r;

	if (!__atomic_load_n(&h->tlb_req, __ATOMIC_RELAXED))
		return;
	/* Taken with a swap: the IPI handler may poll again in the middle of
	 * a poll from a spin loop, and each request is answered once. */
	r = __atomic_exchange_n(&h->tlb_req, NULL, __ATOMIC_ACQUIRE);
	if (!r)
		return;
	if (r->drop)
		aspace_leave_if_active(r->drop);
	local_flush_tlb_all();
	__atomic_fetch_sub(&r->pending, 1, __ATOMIC_RELEASE);
}

void tlb_shootdown(uint64_t mask, struct aspace *drop)
{
	struct tlb_request req = { .drop = drop };
	unsigned long flags;

	mask &= harts_online_mask() & ~(1ull << this_hart()->slot);
	if (!mask)
		return;
	flags = spin_lock_irqsave(&shootdown_lock);
	req.pending = hart_mask_count(mask);
	for (unsigned i = 0; i < MAX_HARTS; i++)
		if (mask & (1ull << i))
			__atomic_store_n(&hart_by_slot(i)->tlb_req, &req, __ATOMIC_RELEASE);
	ipi_send(mask);
	while (__atomic_load_n(&req.pending, __ATOMIC_ACQUIRE))
		;
	spin_unlock_irqrestore(&shootdown_lock, flags);
}

void tlb_shootdown_kernel(void)
{
	tlb_shootdown(~0ull, NULL);
}
