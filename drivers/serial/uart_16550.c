/* 16550 register logic (uart_16550.h). */
#include <frame/errno.h>
#include "uart_16550.h"

int uart16550_layout(struct uart16550 *u, unsigned shift, unsigned width)
{
	if (shift > 3 || (width != 1 && width != 4))
		return -EINVAL;
	u->shift = shift;
	u->width = width;
	return 0;
}

uint32_t uart16550_read(struct uart16550 *u, enum uart_reg r)
{
	uint64_t off = (uint64_t)r << u->shift;

	return u->width == 4 ? mmio_read32(u->regs, off) : mmio_read8(u->regs, off);
}

void uart16550_write(struct uart16550 *u, enum uart_reg r, uint32_t v)
{
	uint64_t off = (uint64_t)r << u->shift;

	if (u->width == 4)
		mmio_write32(u->regs, off, v);
	else
		mmio_write8(u->regs, off, (uint8_t)v);
}

int uart16550_write_lcr(struct uart16550 *u, uint32_t lcr)
{
	for (int try = 0; try < UART_LCR_RETRIES; try++) {
		uart16550_write(u, LCR, lcr);
		if ((uart16550_read(u, LCR) & 0xff) == (lcr & 0xff))
			return 0;
		if (!u->dw_apb)
			return -EBUSY; /* a plain 16550 never refuses: something else is wrong */
		/* Busy means a transfer is in progress: drop what the FIFOs hold
		 * so it ends, and acknowledge the busy-detect the write raised. */
		uart16550_write(u, FCR, FCR_ENABLE_CLEAR);
		(void)uart16550_read(u, RBR);
		(void)uart16550_read(u, USR);
	}
	return -EBUSY;
}

void uart16550_put(struct uart16550 *u, char c)
{
	for (int spin = 0; !(uart16550_read(u, LSR) & LSR_THRE) && spin < UART_TX_SPIN_LIMIT; spin++)
		;
	uart16550_write(u, THR, (uint8_t)c);
}

unsigned uart16550_rx_irq(struct uart16550 *u, void (*deliver)(char c))
{
	uint32_t iir = uart16550_read(u, IIR);
	unsigned n = 0;

	/* A DesignWare busy-detect interrupt stays asserted until USR is
	 * read: left alone it would fire forever. */
	if (u->dw_apb && (iir & IIR_ID_MASK) == IIR_BUSY)
		(void)uart16550_read(u, USR);
	/* Bounded: a stuck "data ready" (a removed device reads all ones)
	 * must not hold the hart in the handler. */
	while ((uart16550_read(u, LSR) & LSR_DR) && n < 4096) {
		deliver((char)uart16550_read(u, RBR));
		n++;
	}
	return n;
}

void uart16550_rx_start(struct uart16550 *u)
{
	uart16550_write(u, FCR, FCR_ENABLE_CLEAR);
	uart16550_write(u, MCR, uart16550_read(u, MCR) | MCR_OUT2);
	uart16550_write(u, IER, IER_RDI);
}
