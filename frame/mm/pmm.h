/* Physical page frames: a binary buddy allocator over the RAM banks.
 * Host-testable: the only link to real memory is the virt_offset that turns
 * a physical address into a pointer (the direct map in the kernel). */
#ifndef FRAME_MM_PMM_H
#define FRAME_MM_PMM_H

#include <frame/types.h>

#define PMM_PAGE_SIZE 4096UL
#define PMM_MAX_ORDER 10 /* largest block: 2^10 pages = 4 MiB */
#define PMM_MAX_ZONES 16

/* Boot order: pmm_init, pmm_boot_region (pages reachable before the final
 * page table), pmm_add_zone per bank (state and count arrays, 3 bytes a
 * page, come from the boot
 * region), pmm_add_free for every free range once all RAM is mapped, then
 * pmm_boot_region_close. Until then pmm_alloc takes boot-region pages. */
/* Boot-region bytes a zone of npages needs: a state byte per page, then
 * (2-byte aligned) a 16-bit reference count per page. */
#define PMM_META_BYTES(npages) (ALIGN_UP((uint64_t)(npages), 2) + 2 * (uint64_t)(npages))

void pmm_init(uintptr_t virt_offset);
void pmm_boot_region(paddr_t start, paddr_t end);
int pmm_add_zone(paddr_t base, uint64_t size);
/* Frees [base, base+size) page by page into the buddy lists (pages outside
 * every zone are ignored). The range must not hold live allocations. */
void pmm_add_free(paddr_t base, uint64_t size);
/* Returns the boot region's unused rest to the free lists. */
void pmm_boot_region_close(void);
/* Boot-region pages used so far (they stay allocated). */
uint64_t pmm_boot_region_used(void);

/* 2^order contiguous, naturally aligned pages; 0 when none are left. */
paddr_t pmm_alloc(unsigned order);
void pmm_free(paddr_t pa, unsigned order);
/* A single page for the heap to hand out whole (heap.c: a block of a page
 * has no room for a header), marked so that pmm_free_heap_page can tell
 * it from any other page. */
paddr_t pmm_alloc_heap_page(void);
/* Frees pa if pmm_alloc_heap_page gave it and it is not freed yet; false
 * (nothing done) otherwise. */
bool pmm_free_heap_page(paddr_t pa);
/* pmm_free of a single page the caller left all zero (a page table it
 * cleared as it emptied it): the next zeroed allocation skips the zeroing. */
void pmm_free_zeroed(paddr_t pa);
paddr_t pmm_alloc_zeroed(unsigned order);
/* One page already marked user (pmm_mark_user), zeroed if zero: one lock
 * where allocating and marking took two. */
paddr_t pmm_alloc_user(bool zero);
/* Zeroes the page at the kernel address page (page-aligned). */
void pmm_zero_page(void *page);
/* Copies the page at src to dst (kernel addresses, page-aligned). */
void pmm_copy_page(void *dst, const void *src);

/* Reference counts of single pages, for pages shared between address
 * spaces (copy-on-write). pmm_alloc sets the count of a block's first page
 * to 1; unref frees the page when the count reaches 0. */
void pmm_page_ref(paddr_t pa);
void pmm_page_unref(paddr_t pa);
/* pmm_page_ref that refuses (false) instead of overflowing the count: for
 * references users can multiply (mappings of one page). */
bool pmm_page_try_ref(paddr_t pa);
/* pmm_page_unref of each of pas[0..n), n at most PMM_UNREF_BATCH, with one
 * lock acquisition for the pages it frees (munmap, exit). */
#define PMM_UNREF_BATCH 32
void pmm_pages_unref(const paddr_t *pas, unsigned n);
unsigned pmm_page_refs(paddr_t pa);
/* Marks a freshly allocated single page as a user page (page.h); the mark
 * goes when the page is freed. pmm_is_user: a live, marked page. */
void pmm_mark_user(paddr_t pa);
bool pmm_is_user(paddr_t pa);

uint64_t pmm_free_pages(void);
uint64_t pmm_total_pages(void);
/* Inline: page-table walks call it at every level. */
extern uintptr_t pmm_virt_off;
static inline void *pmm_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + pmm_virt_off);
}
paddr_t pmm_to_phys(const void *va);

#endif
