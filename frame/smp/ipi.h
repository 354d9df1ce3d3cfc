/* Inter-processor interrupts through SBI. */
#ifndef FRAME_SMP_IPI_H
#define FRAME_SMP_IPI_H

/* Sends an IPI to this hart and waits for it: proves the path at boot. */
void ipi_self_test(void);
#include <frame/types.h>

/* Sends an IPI to every hart block in mask. */
void ipi_send(uint64_t mask);
/* What a hart does when it gets an IPI, also called from every spin loop
 * (it may spin with interrupts masked): answer a TLB shootdown, or halt
 * when another hart panicked. */
void ipi_poll(void);
/* A panic: every other hart halts (at its next interrupt or spin). */
void ipi_stop_others(void);
/* Called from the trap handler on a supervisor software interrupt. */
void ipi_received(void);

#endif
