/* What every serial driver of this service shares: becoming the kernel
 * console when its node is /chosen/stdout-path, and turning the receive
 * interrupt into console input. A driver supplies three register-level
 * operations; the rest (line endings, the IRQ handle, console_register) is
 * here once. */
#ifndef DRIVERS_SERIAL_PORT_H
#define DRIVERS_SERIAL_PORT_H

#include <frame/device.h>

struct serial_ops {
	/* Sends one byte, busy-waiting (bounded) for room: it must work with
	 * interrupts off and from a panic. */
	void (*put)(void *ctx, char c);
	/* Turns on the receive-data interrupt (the handler is attached). */
	void (*rx_start)(void *ctx);
	/* The interrupt: acknowledges it and hands every received byte to
	 * serial_port_input. */
	void (*rx_irq)(void *ctx);
};

struct serial_port {
	const char *driver; /* for log lines */
	const struct serial_ops *ops;
	void *ctx;          /* the driver's registers, passed to every op */
	irq_t irq;
};

/* Attaches the node's first interrupt (none: output only, logged), starts
 * reception, and registers the port as the console if the node is the
 * stdout-path one. port must live as long as the device. */
int serial_port_start(struct device *dev, struct serial_port *port);
/* One received byte, from an rx_irq handler. */
void serial_port_input(char c);

#endif
