/* The SiFive UART ("sifive,uart0": the FU540 of QEMU sifive_u and the
 * HiFive boards). Seven 32-bit registers: txdata (bit 31: FIFO full),
 * rxdata (bit 31: FIFO empty, else one byte popped by the read), txctrl and
 * rxctrl (bit 0 enable, bits 18:16 the FIFO watermark), ie and ip (bit 0
 * transmit, bit 1 receive watermark), and div, the baud divisor, which is
 * left as the firmware set it. The receive watermark is 0: an interrupt
 * whenever the FIFO holds a byte. Console and input plumbing: serial_port.c. */
#include <frame/device.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include "serial_port.h"

enum sifive_reg { TXDATA = 0x00, RXDATA = 0x04, TXCTRL = 0x08, RXCTRL = 0x0c, IE = 0x10, IP = 0x14 };

#define DATA_FLAG 0x80000000u /* txdata: full; rxdata: empty */
#define CTRL_ENABLE 0x1u
#define IE_RXWM 0x2u
#define TX_SPIN_LIMIT 1000000
#define RX_DRAIN_LIMIT 4096 /* a vanished device reads all ones: never loop forever */

struct sifive_uart {
	mmio_t regs;
	struct serial_port port;
};

static void sifive_put(void *ctx, char c)
{
	struct sifive_uart *u = ctx;

	for (int spin = 0; (mmio_read32(u->regs, TXDATA) & DATA_FLAG) && spin < TX_SPIN_LIMIT; spin++)
		;
	mmio_write32(u->regs, TXDATA, (uint8_t)c);
}

static void sifive_rx_start(void *ctx)
{
	struct sifive_uart *u = ctx;

	/* Watermark 0 (bits 18:16): interrupt while the FIFO is not empty.
	 * The transmit watermark interrupt stays off: output is polled. */
	mmio_write32(u->regs, RXCTRL, CTRL_ENABLE);
	mmio_write32(u->regs, TXCTRL, mmio_read32(u->regs, TXCTRL) | CTRL_ENABLE);
	mmio_write32(u->regs, IE, IE_RXWM);
}

static void sifive_rx_irq(void *ctx)
{
	struct sifive_uart *u = ctx;

	/* ip.rxwm is level: it drops once the FIFO is drained. */
	for (int n = 0; n < RX_DRAIN_LIMIT; n++) {
		uint32_t v = mmio_read32(u->regs, RXDATA);
		if (v & DATA_FLAG)
			break;
		serial_port_input((char)(v & 0xff));
	}
}

static const struct serial_ops sifive_ops = {
	.put = sifive_put, .rx_start = sifive_rx_start, .rx_irq = sifive_rx_irq,
};

static int sifive_uart_probe(struct device *dev)
{
	struct sifive_uart *u = kzalloc(sizeof(*u));
	int err;

	if (!u)
		return -ENOMEM;
	if ((err = device_mmio(dev, 0, CAP_READ | CAP_WRITE, &u->regs))) {
		kfree(u);
		return err;
	}
	if (mmio_size(u->regs) < IP + 4) {
		pr_err("sifive-uart: %s: register window too small\n", device_name(dev));
		return -EINVAL;
	}
	u->port = (struct serial_port){ .driver = "sifive-uart", .ops = &sifive_ops, .ctx = u };
	device_set_drvdata(dev, u);
	return serial_port_start(dev, &u->port);
}

static const char *const sifive_uart_compatible[] = { "sifive,uart0", "sifive,fu540-c000-uart", NULL };

static const struct driver sifive_uart_driver = {
	.name = "sifive-uart",
	.compatible = sifive_uart_compatible,
	.probe = sifive_uart_probe,
};
DRIVER_REGISTER(sifive_uart_driver);
