/* 16550-compatible UARTs: QEMU's ns16550a and the Synopsys DesignWare APB
 * UART of the JH7110 (32-bit registers, reg-shift 2, and a "busy" state in
 * which LCR writes are ignored). Output is polled (it must work in a panic);
 * input arrives by the receive-data interrupt and goes to the kern console.
 *
 * The baud rate is left as the firmware set it: the DT's clock-frequency is
 * not always present and the firmware has already made the line usable. */
#include <frame/console.h>
#include <frame/device.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <kern/console.h>

enum uart_reg { RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, USR = 31 };

#define IER_RDI 0x01
#define IIR_NO_INT 0x01
#define IIR_ID_MASK 0x0f
#define IIR_BUSY 0x07
#define FCR_ENABLE_CLEAR 0x07
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define MCR_OUT2 0x08 /* gates the interrupt line on PC-style 16550s */
#define TX_SPIN_LIMIT 1000000

struct uart {
	mmio_t regs;
	irq_t irq;
	unsigned shift; /* reg-shift */
	unsigned width; /* reg-io-width: 1 or 4 */
	bool dw_apb;
};

static uint32_t rd(struct uart *u, enum uart_reg r)
{
	uint64_t off = (uint64_t)r << u->shift;
	return u->width == 4 ? mmio_read32(u->regs, off) : mmio_read8(u->regs, off);
}

static void wr(struct uart *u, enum uart_reg r, uint32_t v)
{
	uint64_t off = (uint64_t)r << u->shift;
	if (u->width == 4)
		mmio_write32(u->regs, off, v);
	else
		mmio_write8(u->regs, off, (uint8_t)v);
}

static void put_raw(struct uart *u, char c)
{
	for (int spin = 0; !(rd(u, LSR) & LSR_THRE) && spin < TX_SPIN_LIMIT; spin++)
		;
	wr(u, THR, (uint8_t)c);
}

static void uart_write(void *ctx, const char *buf, size_t len)
{
	struct uart *u = ctx;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			put_raw(u, '\r');
		put_raw(u, buf[i]);
	}
}

static const struct console_ops uart_console_ops = { .write = uart_write };

static void uart_irq(void *arg)
{
	struct uart *u = arg;
	uint32_t iir = rd(u, IIR);

	/* DesignWare: an LCR write while busy raises "busy detect"; reading
	 * USR acknowledges it. */
	if (u->dw_apb && (iir & IIR_ID_MASK) == IIR_BUSY)
		(void)rd(u, USR);
	while (rd(u, LSR) & LSR_DR)
		console_input_char((char)rd(u, RBR));
}

static int read_layout(struct device *dev, struct uart *u)
{
	uint32_t v;

	u->shift = device_prop_u32(dev, "reg-shift", &v) == 0 ? v : 0;
	u->width = device_prop_u32(dev, "reg-io-width", &v) == 0 ? v : 1;
	if (u->shift > 3 || (u->width != 1 && u->width != 4)) {
		pr_err("ns16550: %s: unsupported reg-shift %u / reg-io-width %u\n",
		       device_name(dev), u->shift, u->width);
		return -EINVAL;
	}
	return 0;
}

static int start_input(struct device *dev, struct uart *u)
{
	int err = device_irq(dev, 0, &u->irq);

	if (err) {
		pr_warn("ns16550: %s: no interrupt (%s): no console input\n", device_name(dev),
			errno_name(err));
		return 0;
	}
	if ((err = irq_attach(u->irq, uart_irq, u)) != 0)
		return err;
	wr(u, FCR, FCR_ENABLE_CLEAR);
	wr(u, MCR, rd(u, MCR) | MCR_OUT2);
	wr(u, IER, IER_RDI);
	return irq_enable(u->irq);
}

static int ns16550_probe(struct device *dev)
{
	struct uart *u = kzalloc(sizeof(*u));
	int err;

	if (!u)
		return -ENOMEM;
	if ((err = read_layout(dev, u)) || (err = device_mmio(dev, 0, CAP_READ | CAP_WRITE, &u->regs))) {
		kfree(u);
		return err;
	}
	u->dw_apb = device_has_prop(dev, "reg-shift") && u->width == 4;
	device_set_drvdata(dev, u);
	if ((err = start_input(dev, u)) != 0)
		return err;
	if (device_is_stdout(dev))
		return console_register(device_name(dev), &uart_console_ops, u);
	return 0;
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
