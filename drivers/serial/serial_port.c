/* The shared half of the serial drivers (serial_port.h). */
#include <frame/console.h>
#include <frame/errno.h>
#include <frame/log.h>
#include <kern/console.h>
#include "serial_port.h"

static void port_write(void *ctx, const char *buf, size_t len)
{
	struct serial_port *port = ctx;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			port->ops->put(port->ctx, '\r');
		port->ops->put(port->ctx, buf[i]);
	}
}

static const struct console_ops port_console_ops = { .write = port_write };

static void port_irq(void *arg)
{
	struct serial_port *port = arg;

	port->ops->rx_irq(port->ctx);
}

void serial_port_input(char c)
{
	console_input_char(c);
}

static int start_input(struct device *dev, struct serial_port *port)
{
	int err = device_irq(dev, 0, &port->irq);

	if (err) {
		pr_warn("%s: %s: no interrupt (%s): no console input\n", port->driver,
			device_name(dev), errno_name(err));
		return 0;
	}
	if ((err = irq_attach(port->irq, port_irq, port)) != 0)
		return err;
	port->ops->rx_start(port->ctx);
	return irq_enable(port->irq);
}

int serial_port_start(struct device *dev, struct serial_port *port)
{
	int err = start_input(dev, port);

	if (err)
		return err;
	if (device_is_stdout(dev))
		return console_register(device_name(dev), &port_console_ops, port);
	return 0;
}
