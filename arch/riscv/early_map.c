/* The boot page table: just enough mapping to turn paging on and reach the
 * device tree. Runs with the MMU off at the physical load address, so it may
 * use only PC-relative references (no pointers in initialised data, no jump
 * tables: see -fno-jump-tables in arch/riscv/CMakeLists.txt).
 *
 * Three windows, all with 2 MiB or 1 GiB leaves:
 *   - identity gigapage around the image, so the instruction after the satp
 *     write still fetches; the frame drops it when it builds the final table;
 *   - the image at KERNEL_VIRT_BASE;
 *   - the device tree in the direct map, and the gigapage around the image
 *     there too, so the frame can use the RAM right after the image (its
 *     boot region) before it has read the memory map. */
#include <arch/layout.h>
#include <arch/sv39.h>
#include <arch/csr.h>
#include <stdint.h>

#include <arch/early_console.h>
#include <arch/early_map.h>

#define BOOT_SECTION __attribute__((section(".boot.text")))

static uint64_t early_root[SV39_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t early_image_pmd[SV39_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
uint64_t early_fdt_size; /* 0: no usable tree was found or mapped */

extern char _start[], _end[];

/* The device tree's total size, read before paging; big-endian per the spec. */
BOOT_SECTION static uint64_t fdt_total_size(uintptr_t fdt_pa)
{
	const volatile uint8_t *p = (const volatile uint8_t *)fdt_pa;
	uint32_t magic = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	uint32_t size = (uint32_t)p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7];

	if (magic != 0xd00dfeedu || size > EARLY_FDT_MAX)
		return 0; /* the frame reports a bad tree; nothing to map */
	return size;
}

BOOT_SECTION static void map_gigapages(uint64_t va, uint64_t pa, uint64_t size,
				       uint64_t flags)
{
	uint64_t end = pa + size;

	pa &= ~(GIGAPAGE_SIZE - 1);
	va &= ~(GIGAPAGE_SIZE - 1);
	for (; pa < end; pa += GIGAPAGE_SIZE, va += GIGAPAGE_SIZE)
		early_root[SV39_INDEX(va, 2)] = PTE_FROM_PA(pa, flags);
}

BOOT_SECTION uint64_t early_map(uintptr_t load_pa, uintptr_t fdt_pa)
{
	const uint64_t kflags = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G;
	uint64_t image_size = (uint64_t)(_end - _start);
	uint64_t fdt_size;

	if (load_pa & (MEGAPAGE_SIZE - 1)) {
		early_puts("rivet: the Image must be loaded at a 2 MiB-aligned address, not ");
		early_puthex(load_pa);
		early_puts("\n");
		return 0;
	}
	if (image_size > (SV39_ENTRIES - SV39_INDEX(KERNEL_VIRT_BASE, 1)) * MEGAPAGE_SIZE) {
		early_puts("rivet: the Image is too large for its boot mapping\n");
		return 0;
	}

	map_gigapages(load_pa, load_pa, image_size, kflags);

	early_root[SV39_INDEX(KERNEL_VIRT_BASE, 2)] =
		PTE_FROM_PA((uintptr_t)early_image_pmd, PTE_V);
	for (uint64_t off = 0; off < image_size; off += MEGAPAGE_SIZE)
		early_image_pmd[SV39_INDEX(KERNEL_VIRT_BASE + off, 1)] =
			PTE_FROM_PA(load_pa + off, kflags);

	/* a1 = 0: no tree was passed at all (the frame says so). Any other
	 * address that names no memory traps into early_trap. */
	fdt_size = fdt_pa ? fdt_total_size(fdt_pa) : 0;
	if (fdt_pa + fdt_size > DIRECT_MAP_SIZE)
		fdt_size = 0;
	early_fdt_size = fdt_size;
	if (fdt_size)
		map_gigapages(DIRECT_MAP_BASE + fdt_pa, fdt_pa, fdt_size,
			      PTE_V | PTE_R | PTE_A | PTE_G);
	map_gigapages(DIRECT_MAP_BASE + load_pa, load_pa, image_size,
		      PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G);

	return SATP_MODE_SV39 | ((uintptr_t)early_root >> PAGE_SHIFT);
}
