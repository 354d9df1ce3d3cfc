/* IPIs: SBI delivers a supervisor software interrupt to the target harts.
 * An IPI means "look again": at the TLB mailbox (mm/tlb.c) and, for an
 * idle hart, at its run queue (the wfi ends and the idle loop looks). */
#include <frame/irq.h>
#include <frame/log.h>
#include <arch/csr.h>
#include "mm/tlb.h"
#include "sbi/sbi.h"
#include "smp/hart.h"
#include "smp/ipi.h"

#define IPI_WAIT_SPINS 10000000

static volatile unsigned long ipis_received;

static volatile int stopping; /* a panic elsewhere: halt */

void ipi_poll(void)
{
	if (stopping) {
		irq_save();
		for (;;)
			cpu_wait_for_interrupt();
	}
	tlb_poll();
}

void ipi_received(void)
{
	__atomic_fetch_add(&ipis_received, 1, __ATOMIC_RELAXED);
	ipi_poll();
}

void ipi_stop_others(void)
{
	struct hart *h = this_hart();

	stopping = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ipi_send(harts_online_mask() & ~(1ull << h->slot));
}

void ipi_send(uint64_t mask)
{
	/* One call per hart: hart ids need not be dense or start at 0. */
	for (unsigned i = 0; i < MAX_HARTS; i++)
		if (mask & (1ull << i))
			sbi_send_ipi(1, hart_by_slot(i)->hartid);
}

void ipi_self_test(void)
{
	unsigned long before = ipis_received;
	long err;

	csr_set(sie, SIE_SSIE);
	if ((err = sbi_send_ipi(1, this_hart()->hartid)) != 0) {
		pr_warn("ipi: SBI send failed (%ld): no IPIs\n", err);
		return;
	}
	/* Open a window for the pending interrupt, then close it again. */
	csr_set(sstatus, SSTATUS_SIE);
	for (int spin = 0; ipis_received == before && spin < IPI_WAIT_SPINS; spin++)
		;
	csr_clear(sstatus, SSTATUS_SIE);
	if (ipis_received == before)
		pr_warn("ipi: self-test IPI never arrived\n");
	else
		pr_info("ipi: self-test IPI delivered\n");
}
