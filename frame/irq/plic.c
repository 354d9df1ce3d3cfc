/* PLIC driver (frame-internal: the interrupt controller is part of the TCB).
 * Register map: priority 4*src, enable 0x2000 + 0x80*ctx, threshold and
 * claim/complete at 0x200000 + 0x1000*ctx. */
#include <frame/errno.h>
#include <frame/log.h>
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
	struct hart *boot = hart_by_index(0);
	uint32_t ctx = find_context(fdt, node, bi->harts[bi->boot_hart].intc_phandle);
	if (ctx == UINT32_MAX || PLIC_THRESHOLD(ctx) + 8 > regs_size) {
		pr_err("plic: no S-mode context for the boot hart\n");
		return -ENODEV;
	}
	boot->plic_context = ctx;
	for (unsigned src = 1; src < nsources; src++) {
		wr(PLIC_PRIORITY(src), 0);
		plic_enable(src, false);
	}
	wr(PLIC_THRESHOLD(ctx), 0);
	csr_set(sie, SIE_SEIE);
	pr_info("plic: %s at 0x%lx, %u sources, boot hart context %u\n",
		fdt_get_name(fdt, node, NULL), base, ndev, ctx);
	return 0;
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
	uint32_t ctx = this_hart()->plic_context;
	uint64_t off = PLIC_ENABLE(ctx, source);
	uint32_t bit = 1u << (source % 32);

	if (source == 0 || source >= nsources || ctx == UINT32_MAX)
		return;
	wr(PLIC_PRIORITY(source), on ? 1 : 0);
	wr(off, on ? (rd(off) | bit) : (rd(off) & ~bit));
}

void plic_handle_external(void)
{
	uint32_t ctx = this_hart()->plic_context;
	uint32_t src;

	while ((src = rd(PLIC_CLAIM(ctx))) != 0) {
		irq_dispatch(src);
		wr(PLIC_CLAIM(ctx), src);
	}
}
