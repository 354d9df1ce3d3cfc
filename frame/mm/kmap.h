/* The kernel's own address space: the image with W^X permissions, the
 * direct map of RAM, and the kernel virtual area. */
#ifndef FRAME_MM_KMAP_H
#define FRAME_MM_KMAP_H

#include <frame/types.h>
#include "dt/bootinfo.h"
#include "mm/pgtable.h"

#define KMAP_MAX_PROTECT 4

/* Builds the final kernel page table and switches to it. The ranges in
 * `readonly` (the image, the device tree) appear read-only in the direct
 * map. Panics if memory runs out: nothing could continue without it. */
void kmap_init(const struct boot_info *bi, paddr_t load_pa);
pte_t *kmap_root(void);
paddr_t kmap_root_pa(void);
/* Checks every kernel leaf: none writable and executable. Returns leaves seen,
 * or -1 on a violation (logged). */
long kmap_check_wx(void);

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + 0xffffffc000000000UL);
}

#endif
