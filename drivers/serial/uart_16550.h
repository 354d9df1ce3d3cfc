/* Register-level logic of 16550-compatible UARTs: the register layout a
 * node describes (reg-shift, reg-io-width), polled transmit, draining the
 * receive FIFO, and the Synopsys DesignWare APB UART's "busy" state. Pure
 * code over an MMIO handle, so tests/host runs it against a simulated
 * device (host.uart16550). */
#ifndef DRIVERS_SERIAL_UART_16550_H
#define DRIVERS_SERIAL_UART_16550_H

#include <frame/mmio.h>

enum uart_reg { RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, USR = 31 };

#define IER_RDI 0x01
#define IIR_NO_INT 0x01
#define IIR_ID_MASK 0x0f
#define IIR_BUSY 0x07       /* DesignWare: busy detect */
#define FCR_ENABLE_CLEAR 0x07
#define LCR_DLAB 0x80
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define MCR_OUT2 0x08       /* gates the interrupt line on PC-style 16550s */
#define USR_BUSY 0x01
#define UART_TX_SPIN_LIMIT 1000000
#define UART_LCR_RETRIES 1000

struct uart16550 {
	mmio_t regs;
	unsigned shift; /* reg-shift: register r is at r << shift */
	unsigned width; /* reg-io-width: 1 or 4 bytes per access */
	bool dw_apb;    /* has USR and the busy state */
};

/* Checks a layout from the DT (shift <= 3, width 1 or 4): 0 or -EINVAL. */
int uart16550_layout(struct uart16550 *u, unsigned shift, unsigned width);
uint32_t uart16550_read(struct uart16550 *u, enum uart_reg r);
void uart16550_write(struct uart16550 *u, enum uart_reg r, uint32_t v);
/* Writes LCR so that it sticks: a DesignWare UART ignores LCR writes while
 * it is busy, so read it back and retry, emptying the FIFOs between tries
 * (the busy state ends when they drain). 0, or -EBUSY after
 * UART_LCR_RETRIES tries. */
int uart16550_write_lcr(struct uart16550 *u, uint32_t lcr);
/* Polled transmit of one byte (bounded wait for THR empty). */
void uart16550_put(struct uart16550 *u, char c);
/* The interrupt: acknowledges a busy-detect interrupt (reading USR) and
 * passes every received byte to deliver. Returns the bytes delivered. */
unsigned uart16550_rx_irq(struct uart16550 *u, void (*deliver)(char c));
/* Resets the FIFOs and turns on the receive-data interrupt. */
void uart16550_rx_start(struct uart16550 *u);

#endif
