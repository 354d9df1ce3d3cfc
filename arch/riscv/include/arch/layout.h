/* Rivet's Sv39 virtual address layout. Usable from C and assembly.
 *
 *   0xffffffc000000000  direct map of physical memory (PA + DIRECT_MAP_BASE), 128 GiB
 *   0xffffffe000000000  kernel virtual area: guarded stacks, MMIO windows, 1 GiB
 *   0xffffffff80000000  the kernel image, wherever it was loaded physically
 *
 * The lower half (below 0x0000004000000000) is reserved for user address spaces.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define MEGAPAGE_SIZE (1UL << 21)
#define GIGAPAGE_SIZE (1UL << 30)

#define DIRECT_MAP_BASE 0xffffffc000000000UL
#define DIRECT_MAP_SIZE (128UL << 30)
#define VMAREA_BASE 0xffffffe000000000UL
#define VMAREA_SIZE GIGAPAGE_SIZE
#define KERNEL_VIRT_BASE 0xffffffff80000000UL

/* The Image header's text_offset: boot loaders place us at DRAM base + this. */
#define IMAGE_TEXT_OFFSET 0x200000

/* Kernel stacks: 4 pages each, with one unmapped guard page below. */
#define KSTACK_PAGES 4
#define KSTACK_SIZE (KSTACK_PAGES * PAGE_SIZE)

#endif
