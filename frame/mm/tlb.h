/* Remote TLB shootdown. A hart that changes a mapping another hart may have
 * cached posts a request in each target's mailbox (struct hart.tlb_req),
 * sends it an IPI and waits until every target has flushed: only then is
 * the change done. Targets answer from the IPI handler, and from every spin
 * loop (spinlocks, the BKL), so a target spinning with interrupts masked
 * still answers. One shootdown at a time (shootdown_lock). */
#ifndef FRAME_MM_TLB_H
#define FRAME_MM_TLB_H

#include <frame/types.h>

struct aspace;

struct tlb_request {
	struct aspace *drop;      /* if a target runs this space, it leaves it */
	volatile unsigned pending; /* targets that have not flushed yet */
};

/* Makes the harts in mask (block numbers; this hart is skipped) flush their
 * TLBs; with drop, they also stop using drop's page table. Returns after
 * all have. */
void tlb_shootdown(uint64_t mask, struct aspace *drop);
/* After a change to the kernel's own mappings (a freed stack): all harts. */
void tlb_shootdown_kernel(void);
/* Answers a pending request for this hart, if any. Cheap when none. */
void tlb_poll(void);

#endif
