/* Inter-processor interrupts through SBI. */
#ifndef FRAME_SMP_IPI_H
#define FRAME_SMP_IPI_H

/* Sends an IPI to this hart and waits for it: proves the path at boot. */
void ipi_self_test(void);
/* Called from the trap handler on a supervisor software interrupt. */
void ipi_received(void);

#endif
