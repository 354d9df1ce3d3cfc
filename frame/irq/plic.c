/* PLIC driver (frame-internal: the interrupt controller is part of the TCB).
 * Register map: priority 4*src, enable 0x2000 + 0x80*ctx, threshold and
 * claim/complete at 0x200000 + 0x1000*ctx. */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include <arch/csr.h>
#include <libfdt.h>
#include "dt/dt_util.h"
#include "irq/plic.h"
#include "mm/vmarea.h"
#include "smp/hart.h"
#include "bus/claims.h"

#define PLIC_PRIORITY(src) (4 * (src))
#define PLIC_ENABLE(ctx, src) (0x2000 + 0x80 * (ctx) + 4 * ((src) / 32))
#define PLIC_THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (0x200000 + 0x1000 * (ctx) + 4)
#define PLIC_CONTEXT_MAX 15872

static volatile uint32_t *regs;
static uint64_t regs_size;
static uint32_t phandle;
static unsigned nsources;
static const struct boot_info *plic_bi;
static int plic_node;

/* Every hart's S-mode context gets the same enables, so any hart may take a
 * device interrupt (its handler runs under the BKL). */
static spinlock_t plic_lock = SPINLOCK_INIT("plic"); /* protects the two below */
static uint32_t enabled[PLIC_MAX_SOURCES / 32];
static uint64_t context_harts; /* hart blocks whose context is set up */

static const char *const plic_compat[] = { "sifive,plic-1.0.0", "riscv,plic0", NULL };

static uint32_t rd(uint64_t off)
{
	return regs[off / 4];
}

static void wr(uint64_t off, uint32_t v)
{
	regs[off / 4] = v;
}

static int find_plic(const void *fdt)
{
	for (int i = 0; plic_compat[i]; i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, plic_compat[i]);
		if (node >= 0 && dt_node_enabled(fdt, node))
			return node;
	}
	return -ENODEV;
}

/* The context whose interrupts-extended entry is (hart's intc, IRQ_S_EXT). */
static uint32_t find_context(const void *fdt, int plic, uint32_t intc)
{
	int len;
	const fdt32_t *ie = fdt_getprop(fdt, plic, "interrupts-extended", &len);

	for (int i = 0; ie && (i + 1) * 8 <= len; i++)
		if (fdt32_to_cpu(ie[2 * i]) == intc && fdt32_to_cpu(ie[2 * i + 1]) == IRQ_S_EXT)
			return (uint32_t)i;
	return UINT32_MAX;
}

static int plic_hart_context(struct hart *h, int dt_index);

int plic_init(const struct boot_info *bi)
{
	const void *fdt = bi->fdt;
	int node = find_plic(fdt);
	uint64_t base;
	uint32_t ndev = 0;

	if (node < 0 || dt_reg(fdt, node, 0, &base, &regs_size)) {
		pr_err("plic: no usable interrupt controller in the device tree\n");
		return -ENODEV;
	}
	if (dt_prop_u32(fdt, node, "riscv,ndev", &ndev) || ndev == 0 || ndev >= PLIC_MAX_SOURCES) {
		pr_err("plic: bad riscv,ndev\n");
		return -ENODEV;
	}
	if (claims_add(base, regs_size, "plic") || !(regs = vmarea_map_mmio(base, regs_size))) {
		pr_err("plic: cannot map 0x%lx\n", base);
		return -ENODEV;
	}
	nsources = ndev + 1; /* source 0 does not exist */
	phandle = fdt_get_phandle(fdt, node);
	plic_bi = bi;
	plic_node = node;
	struct hart *boot = hart_by_slot(0);
	if (plic_hart_context(boot, bi->boot_hart))
		return -ENODEV;
	for (unsigned src = 1; src < nsources; src++) {
		wr(PLIC_PRIORITY(src), 0);
		plic_enable(src, false);
	}
	pr_info("plic: %s at 0x%lx, %u sources, boot hart context %u\n",
		fdt_get_name(fdt, node, NULL), base, ndev, boot->plic_context);
	return 0;
}

/* Finds h's S-mode context (h is device-tree hart dt_index), gives it the
 * enables every context has, and opens it (threshold 0, SEIE). */
static int plic_hart_context(struct hart *h, int dt_index)
{
	uint32_t ctx = find_context(plic_bi->fdt, plic_node, plic_bi->harts[dt_index].intc_phandle);
	unsigned long flags;

	if (ctx == UINT32_MAX || PLIC_THRESHOLD(ctx) + 8 > regs_size) {
		pr_err("plic: no S-mode context for hart %u\n", plic_bi->harts[dt_index].hartid);
		return -ENODEV;
	}
	flags = spin_lock_irqsave(&plic_lock);
	h->plic_context = ctx;
	for (unsigned w = 0; w * 32 < nsources; w++)
		wr(PLIC_ENABLE(ctx, w * 32), enabled[w]);
	wr(PLIC_THRESHOLD(ctx), 0);
	context_harts |= 1ull << h->slot;
	spin_unlock_irqrestore(&plic_lock, flags);
	csr_set(sie, SIE_SEIE);
	return 0;
}

void plic_hart_init(struct hart *h)
{
	if (plic_bi)
		(void)plic_hart_context(h, (int)h->index);
}

uint32_t plic_phandle(void)
{
	return phandle;
}

unsigned plic_num_sources(void)
{
	return nsources;
}

void plic_enable(unsigned source, bool on)
{
	uint32_t bit = 1u << (source % 32);
	unsigned long flags;

	if (source == 0 || source >= nsources)
		return;
	flags = spin_lock_irqsave(&plic_lock);
	wr(PLIC_PRIORITY(source), on ? 1 : 0);
	enabled[source / 32] = on ? (enabled[source / 32] | bit) : (enabled[source / 32] & ~bit);
	for (unsigned i = 0; i < MAX_HARTS; i++)
		if ((context_harts >> i) & 1)
			wr(PLIC_ENABLE(hart_by_slot(i)->plic_context, source), enabled[source / 32]);
	spin_unlock_irqrestore(&plic_lock, flags);
}

void plic_handle_external(void)
{
	uint32_t ctx = this_hart()->plic_context;
	uint32_t src;

	if (ctx == UINT32_MAX)
		return;
	while ((src = rd(PLIC_CLAIM(ctx))) != 0) {
		irq_dispatch(src);
		wr(PLIC_CLAIM(ctx), src);
	}
}
