/* IPIs: SBI delivers a supervisor software interrupt to the target harts.
 * Today only the boot self-test uses them; SMP brings TLB shootdowns. */
#include <frame/log.h>
#include <arch/csr.h>
#include "sbi/sbi.h"
#include "smp/hart.h"
#include "smp/ipi.h"

#define IPI_WAIT_SPINS 10000000

static volatile unsigned long ipis_received;

void ipi_received(void)
{
	ipis_received++;
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
