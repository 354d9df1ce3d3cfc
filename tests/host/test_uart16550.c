/* Host tests of the 16550 register logic (drivers/serial/uart_16550.c)
 * against a simulated UART behind the MMIO accessors: register offsets and
 * access widths for reg-shift/reg-io-width, and the DesignWare APB UART's
 * busy state (LCR writes ignored while a transfer runs, a busy-detect
 * interrupt that stays asserted until USR is read). */
#include <frame/errno.h>
#include "test.h"
#include "uart_16550.h"

/* ---- the simulated device ---- */
static struct {
	unsigned shift, width;  /* the layout it is wired for */
	bool dw_apb;
	uint8_t lcr, ier, mcr, fcr_writes;
	int busy_for;           /* LCR writes refused before the line goes idle */
	bool busy_irq;          /* busy-detect pending (IIR reads 0x7) */
	unsigned usr_reads;
	const char *rx;         /* bytes waiting in the receive FIFO */
	char tx[64];
	unsigned ntx;
	unsigned bad_access;    /* accesses at a wrong offset or width */
} dev;

static int reg_at(uint64_t off, unsigned width)
{
	if (width != dev.width || off % (1u << dev.shift)) {
		dev.bad_access++;
		return -1;
	}
	return (int)(off >> dev.shift);
}

static uint32_t dev_read(uint64_t off, unsigned width)
{
	switch (reg_at(off, width)) {
	case RBR: return dev.rx && *dev.rx ? (uint8_t)*dev.rx++ : 0;
	case IER: return dev.ier;
	case IIR: return dev.busy_irq ? IIR_BUSY : (dev.rx && *dev.rx ? 0x04 : IIR_NO_INT);
	case LCR: return dev.lcr;
	case MCR: return dev.mcr;
	case LSR: return LSR_THRE | (dev.rx && *dev.rx ? LSR_DR : 0);
	case USR:
		if (!dev.dw_apb) {
			dev.bad_access++;
			return 0xff;
		}
		dev.usr_reads++;
		dev.busy_irq = false;
		return dev.busy_for > 0 ? USR_BUSY : 0;
	default: return 0xffffffff;
	}
}

static void dev_write(uint64_t off, unsigned width, uint32_t v)
{
	switch (reg_at(off, width)) {
	case THR:
		if (dev.ntx < sizeof(dev.tx))
			dev.tx[dev.ntx++] = (char)v;
		break;
	case IER: dev.ier = (uint8_t)v; break;
	case FCR: dev.fcr_writes++; break;
	case LCR:
		if (dev.dw_apb && dev.busy_for > 0) {
			dev.busy_for--;     /* ignored; the transfer goes on */
			dev.busy_irq = true;
		} else {
			dev.lcr = (uint8_t)v;
		}
		break;
	case MCR: dev.mcr = (uint8_t)v; break;
	default: break;
	}
}

uint8_t mmio_read8(mmio_t h, uint64_t off) { (void)h; return (uint8_t)dev_read(off, 1); }
uint32_t mmio_read32(mmio_t h, uint64_t off) { (void)h; return dev_read(off, 4); }
void mmio_write8(mmio_t h, uint64_t off, uint8_t v) { (void)h; dev_write(off, 1, v); }
void mmio_write32(mmio_t h, uint64_t off, uint32_t v) { (void)h; dev_write(off, 4, v); }

static void reset_dev(unsigned shift, unsigned width, bool dw_apb)
{
	memset(&dev, 0, sizeof(dev));
	dev.shift = shift;
	dev.width = width;
	dev.dw_apb = dw_apb;
}

static char got[64];
static unsigned ngot;

static void deliver(char c)
{
	if (ngot < sizeof(got) - 1)
		got[ngot++] = c;
}

static struct uart16550 make_uart(unsigned shift, unsigned width, bool dw_apb)
{
	struct uart16550 u = { .dw_apb = dw_apb };

	CHECK_EQ(uart16550_layout(&u, shift, width), 0);
	return u;
}

/* ---- the tests ---- */

static void test_layouts(void)
{
	struct uart16550 u = { 0 };
	const unsigned layouts[][2] = { { 0, 1 }, { 2, 4 }, { 2, 1 }, { 0, 4 } };

	CHECK_EQ(uart16550_layout(&u, 4, 1), -EINVAL);
	CHECK_EQ(uart16550_layout(&u, 0, 2), -EINVAL);
	for (unsigned i = 0; i < 4; i++) {
		unsigned shift = layouts[i][0], width = layouts[i][1];
		reset_dev(shift, width, false);
		u = make_uart(shift, width, false);
		dev.rx = "ab";
		ngot = 0;
		uart16550_rx_start(&u);
		uart16550_put(&u, 'x');
		CHECK_EQ(uart16550_rx_irq(&u, deliver), 2);
		CHECK_MSG(dev.bad_access == 0, "shift %u width %u: %u bad accesses", shift, width,
			  dev.bad_access);
		CHECK_EQ(dev.ier, IER_RDI);
		CHECK(dev.mcr & MCR_OUT2);
		CHECK_EQ(dev.ntx, 1);
		CHECK(ngot == 2 && got[0] == 'a' && got[1] == 'b');
	}
}

static void test_wrong_layout_is_visible(void)
{
	/* The planted mistake: a driver using byte offsets on a reg-shift 2
	 * device touches the wrong registers; the simulation notices. */
	struct uart16550 u = make_uart(0, 1, false);

	reset_dev(2, 4, true);
	uart16550_put(&u, 'x');
	CHECK(dev.bad_access > 0);
}

static void test_lcr_busy_retry(void)
{
	struct uart16550 u = make_uart(2, 4, true);

	reset_dev(2, 4, true);
	dev.lcr = 0x83;
	dev.busy_for = 5; /* the first five writes are ignored */
	CHECK_EQ(uart16550_write_lcr(&u, 0x03), 0);
	CHECK_EQ(dev.lcr, 0x03);
	CHECK_EQ(dev.busy_for, 0);
	CHECK(dev.fcr_writes >= 5);     /* the FIFOs were emptied between tries */
	CHECK(dev.usr_reads >= 5);      /* each busy-detect acknowledged */
	CHECK(!dev.busy_irq);
	CHECK_EQ(dev.bad_access, 0);

	reset_dev(2, 4, true);
	dev.busy_for = 1 << 30;         /* never idle: give up, do not hang */
	CHECK_EQ(uart16550_write_lcr(&u, 0x03), -EBUSY);
	CHECK_EQ(dev.busy_for, (1 << 30) - UART_LCR_RETRIES);

	reset_dev(0, 1, false);         /* a plain 16550 takes it at once */
	u = make_uart(0, 1, false);
	CHECK_EQ(uart16550_write_lcr(&u, 0x03), 0);
	CHECK_EQ(dev.lcr, 0x03);
	CHECK_EQ(dev.fcr_writes, 0);
	CHECK_EQ(dev.usr_reads, 0);
}

static void test_busy_detect_irq(void)
{
	struct uart16550 u = make_uart(2, 4, true);

	reset_dev(2, 4, true);
	dev.busy_irq = true;
	dev.rx = "z";
	ngot = 0;
	CHECK_EQ(uart16550_rx_irq(&u, deliver), 1);
	CHECK(!dev.busy_irq);           /* USR read: the line drops */
	CHECK_EQ(dev.usr_reads, 1);
	CHECK(ngot == 1 && got[0] == 'z');

	/* A plain 16550 has no USR: never read it (offset 0x1f is not a register). */
	reset_dev(0, 1, false);
	u = make_uart(0, 1, false);
	dev.rx = "q";
	CHECK_EQ(uart16550_rx_irq(&u, deliver), 1);
	CHECK_EQ(dev.bad_access, 0);
}

int main(void)
{
	test_layouts();
	test_wrong_layout_is_visible();
	test_lcr_busy_retry();
	test_busy_detect_irq();
	return test_done("uart16550");
}
