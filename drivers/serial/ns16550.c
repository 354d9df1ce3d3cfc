/* 16550-compatible UARTs: QEMU's ns16550a and the Synopsys DesignWare APB
 * UART of the JH7110 (32-bit registers, reg-shift 2, and a "busy" state in
 * which LCR writes are ignored). Register logic is in uart_16550.c, the
 * console and input plumbing in serial_port.c; this file is the DT glue.
 *
 * The baud rate is left as the firmware set it: the DT's clock-frequency is
 * not always present and the firmware has already made the line usable.
 * Only a divisor latch left open (LCR.DLAB, which hides THR and RBR) is
 * closed, with the DesignWare-safe LCR write. */
#include <frame/device.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include "serial_port.h"
#include "uart_16550.h"

struct ns16550 {
	struct uart16550 uart;
	struct serial_port port;
};

static void ns16550_put(void *ctx, char c)
{
	uart16550_put(ctx, c);
}

static void ns16550_rx_start(void *ctx)
{
	uart16550_rx_start(ctx);
}

static void ns16550_rx_irq(void *ctx)
{
	(void)uart16550_rx_irq(ctx, serial_port_input);
}

static const struct serial_ops ns16550_ops = {
	.put = ns16550_put, .rx_start = ns16550_rx_start, .rx_irq = ns16550_rx_irq,
};

/* DesignWare by compatible: "snps,dw-apb-uart" (or a SoC string that lists
 * it); a JH7110 node names both. */
static bool is_dw_apb(struct device *dev)
{
	return device_is_compatible(dev, "snps,dw-apb-uart") ||
	       device_is_compatible(dev, "starfive,jh7110-uart");
}

static int read_layout(struct device *dev, struct uart16550 *u)
{
	uint32_t shift, width;

	if (device_prop_u32(dev, "reg-shift", &shift))
		shift = 0;
	if (device_prop_u32(dev, "reg-io-width", &width))
		width = 1;
	if (uart16550_layout(u, shift, width)) {
		pr_err("ns16550: %s: unsupported reg-shift %u / reg-io-width %u\n",
		       device_name(dev), shift, width);
		return -EINVAL;
	}
	return 0;
}

static void close_divisor_latch(struct device *dev, struct uart16550 *u)
{
	uint32_t lcr = uart16550_read(u, LCR);

	if ((lcr & LCR_DLAB) && uart16550_write_lcr(u, lcr & ~LCR_DLAB))
		pr_warn("ns16550: %s: LCR write did not stick (UART busy)\n", device_name(dev));
}

static int ns16550_probe(struct device *dev)
{
	struct ns16550 *s = kzalloc(sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	if ((err = read_layout(dev, &s->uart)) ||
	    (err = device_mmio(dev, 0, CAP_READ | CAP_WRITE, &s->uart.regs))) {
		kfree(s);
		return err;
	}
	s->uart.dw_apb = is_dw_apb(dev);
	close_divisor_latch(dev, &s->uart);
	s->port = (struct serial_port){ .driver = "ns16550", .ops = &ns16550_ops, .ctx = &s->uart };
	device_set_drvdata(dev, s);
	return serial_port_start(dev, &s->port);
}

static const char *const ns16550_compatible[] = {
	"ns16550a", "ns16550", "snps,dw-apb-uart", "starfive,jh7110-uart", NULL,
};

static const struct driver ns16550_driver = {
	.name = "ns16550",
	.compatible = ns16550_compatible,
	.probe = ns16550_probe,
};
DRIVER_REGISTER(ns16550_driver);
