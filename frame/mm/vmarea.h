/* The kernel virtual area: page-granular windows for MMIO and guarded stacks. */
#ifndef FRAME_MM_VMAREA_H
#define FRAME_MM_VMAREA_H

#include <frame/types.h>

struct kstack {
	uintptr_t bottom; /* lowest usable address; the page below is a guard */
	uintptr_t top;
};

/* Maps [pa, pa+size) uncached-by-PMA, read/write, never executable. Returns
 * the virtual address of pa, or NULL. */
void *vmarea_map_mmio(paddr_t pa, uint64_t size);
/* A KSTACK_SIZE stack with an unmapped guard page below it. */
int vmarea_alloc_stack(struct kstack *out);
/* Unmaps a stack from vmarea_alloc_stack and frees its pages. */
void vmarea_free_stack(struct kstack *stack);
/* True if va is a guard page (so a fault there is a stack overflow). */
bool vmarea_is_guard(uintptr_t va);

#endif
