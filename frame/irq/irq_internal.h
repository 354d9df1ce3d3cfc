#ifndef FRAME_IRQ_INTERNAL_H
#define FRAME_IRQ_INTERNAL_H
#include <frame/irq.h>

/* A new handle for PLIC source `source`, held by holder. */
int irq_grant(unsigned source, unsigned holder, irq_t *out);

#endif
