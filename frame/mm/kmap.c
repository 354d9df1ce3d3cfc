/* Building the kernel page table (see arch/layout.h for the layout). */
#include <frame/log.h>
#include <frame/panic.h>
#include <arch/csr.h>
#include <arch/layout.h>
#include <arch/sv39.h>
#include "mm/kmap.h"
#include "mm/pmm.h"

extern char _start[], _etext[], _erodata[], _end[];

static pte_t *root;
static paddr_t root_pa;

pte_t *kmap_root(void)
{
	return root;
}

paddr_t kmap_root_pa(void)
{
	return root_pa;
}

static void must_map(uint64_t va, paddr_t pa, uint64_t size, uint64_t flags, const char *what)
{
	int err = pt_map(root, va, pa, size, flags);

	if (err)
		panic("kmap: cannot map %s (%d)", what, err);
}

static void map_image(paddr_t load_pa)
{
	uint64_t text = (uint64_t)(_etext - _start);
	uint64_t rodata = (uint64_t)(_erodata - _etext);
	uint64_t data = (uint64_t)(_end - _erodata);

	must_map(KERNEL_VIRT_BASE, load_pa, text, PTE_R | PTE_X | PTE_G, "text");
	must_map(KERNEL_VIRT_BASE + text, load_pa + text, rodata, PTE_R | PTE_G, "rodata");
	must_map(KERNEL_VIRT_BASE + text + rodata, load_pa + text + rodata, data,
		 PTE_R | PTE_W | PTE_G, "data");
}

struct prange {
	paddr_t start, end;
};

/* Maps [pa, end) of a bank into the direct map, read-only where it meets a
 * protected range. */
static void map_bank(paddr_t pa, paddr_t end, const struct prange *prot, unsigned nprot)
{
	while (pa < end) {
		paddr_t stop = end;
		uint64_t flags = PTE_R | PTE_W | PTE_G;

		for (unsigned i = 0; i < nprot; i++) {
			if (pa >= prot[i].start && pa < prot[i].end) {
				stop = MIN(stop, prot[i].end);
				flags = PTE_R | PTE_G;
			} else if (prot[i].start > pa) {
				stop = MIN(stop, prot[i].start);
			}
		}
		must_map(DIRECT_MAP_BASE + pa, pa, stop - pa, flags, "direct map");
		pa = stop;
	}
}

static bool in_banks(const struct boot_info *bi, paddr_t start, paddr_t end)
{
	for (unsigned i = 0; i < bi->nbanks; i++)
		if (start >= bi->banks[i].base && end <= bi->banks[i].base + bi->banks[i].size)
			return true;
	return false;
}

static void map_direct(const struct boot_info *bi, paddr_t load_pa)
{
	paddr_t fdt_start = ALIGN_DOWN(bi->fdt_pa, PAGE_SIZE);
	paddr_t fdt_end = ALIGN_UP(bi->fdt_pa + bi->fdt_size, PAGE_SIZE);
	struct prange prot[] = {
		{ load_pa, load_pa + (paddr_t)(_end - _start) },
		{ fdt_start, fdt_end },
	};

	for (unsigned i = 0; i < bi->nbanks; i++) {
		paddr_t base = ALIGN_UP(bi->banks[i].base, PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(bi->banks[i].base + bi->banks[i].size, PAGE_SIZE);
		if (end > DIRECT_MAP_SIZE) {
			pr_warn("kmap: RAM above %lu GiB is not mapped\n", DIRECT_MAP_SIZE >> 30);
			end = DIRECT_MAP_SIZE;
		}
		if (base < end)
			map_bank(base, end, prot, ARRAY_SIZE(prot));
	}
	if (!in_banks(bi, fdt_start, fdt_end))
		must_map(DIRECT_MAP_BASE + fdt_start, fdt_start, fdt_end - fdt_start,
			 PTE_R | PTE_G, "device tree");
}

void kmap_init(const struct boot_info *bi, paddr_t load_pa)
{
	root_pa = pmm_alloc_zeroed(0);
	if (!root_pa)
		panic("kmap: no page for the root table");
	root = phys_to_virt(root_pa);

	map_image(load_pa);
	map_direct(bi, load_pa);
	/* The virtual area's level-1 table exists from the start, so the root
	 * entries never change after boot and user page tables can share them. */
	if (pt_prealloc(root, VMAREA_BASE, 1))
		panic("kmap: no page for the virtual area table");

	csr_write(satp, SATP_MODE_SV39 | (root_pa >> PAGE_SHIFT));
	local_flush_tlb_all();
}

static long check_table(pte_t *table, int level, uint64_t va_base)
{
	long leaves = 0;

	for (unsigned i = 0; i < SV39_ENTRIES; i++) {
		pte_t e = table[i];
		uint64_t va = va_base + (uint64_t)i * SV39_LEVEL_SIZE(level);
		if (level == 2 && i >= 256)
			va |= 0xffffff8000000000UL; /* sign-extend the upper half */
		if (!(e & PTE_V))
			continue;
		if (e & PTE_LEAF_MASK) {
			if ((e & PTE_W) && (e & PTE_X)) {
				pr_err("kmap: W+X mapping at 0x%lx\n", va);
				return -1;
			}
			leaves++;
			continue;
		}
		if (level == 0)
			continue;
		long sub = check_table(phys_to_virt(PTE_TO_PA(e)), level - 1, va);
		if (sub < 0)
			return -1;
		leaves += sub;
	}
	return leaves;
}

long kmap_check_wx(void)
{
	return check_table(root, 2, 0);
}
