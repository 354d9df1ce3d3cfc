/* The platform-level interrupt controller (RISC-V PLIC spec v1.0). */
#ifndef FRAME_IRQ_PLIC_H
#define FRAME_IRQ_PLIC_H

#include <frame/types.h>
#include "dt/bootinfo.h"

#define PLIC_MAX_SOURCES 1024

/* Finds the PLIC, claims its MMIO for the frame, and picks each hart's
 * S-mode context from interrupts-extended. Returns 0 or -ENODEV. */
int plic_init(const struct boot_info *bi);
struct hart;
/* A secondary hart's S-mode context: found, given every enabled source. */
void plic_hart_init(struct hart *h);
uint32_t plic_phandle(void);
unsigned plic_num_sources(void);
void plic_enable(unsigned source, bool on);
/* Claims, dispatches and completes every pending source. */
void plic_handle_external(void);

/* Provided by irq.c: runs the handler attached to source. */
void irq_dispatch(unsigned source);

#endif
