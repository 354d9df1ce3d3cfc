/* IRQ line handles: one device interrupt, routed through the frame's
 * interrupt controller.
 *
 * Invariants:
 *   1. The line is one listed in the holder's own device-tree node.
 *   2. At most one handler is attached to a line.
 *   3. A line is enabled only while a handler is attached.
 * The handler runs in interrupt context on the hart that took the
 * interrupt: it must not sleep and should be short. */
#ifndef FRAME_IRQ_H
#define FRAME_IRQ_H

#include <frame/cap.h>

typedef struct irq_handle {
	uint64_t raw;
} irq_t;

typedef void (*irq_handler_fn)(void *arg);

int irq_attach(irq_t h, irq_handler_fn fn, void *arg) __must_check;
int irq_detach(irq_t h);
int irq_enable(irq_t h);
int irq_disable(irq_t h);
int irq_revoke(irq_t h);
/* How many times this line fired since boot (for diagnostics). */
uint64_t irq_count(irq_t h);

/* Prints every attached line with its holder and interrupt count. */
void irq_report(void);

/* Saving and restoring this hart's interrupt-enable state. */
unsigned long irq_save(void);
void irq_restore(unsigned long flags);

#endif
