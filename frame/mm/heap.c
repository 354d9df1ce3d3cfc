/* The kernel heap: power-of-two size classes from 16 to 2048 bytes carved
 * out of single pages, and whole page blocks for anything larger.
 *
 * Every heap page (or first page of a large block) starts with a header, so
 * kfree finds the class from the pointer alone: the header of the page the
 * pointer falls in. A block too big for a page with its header but no
 * bigger than a page (a 4 KiB disk block, a PATH_MAX buffer) is a bare
 * page instead of two: the pmm marks it, and kfree knows it by its
 * alignment (slab objects and headed blocks never start a page).
 * Locking: heap_lock guards the class lists and headers. */
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/spinlock.h>
#include <string.h>
#include "mm/heap_internal.h"
#include "mm/pmm.h"

#define HEAP_MAGIC_SLAB 0x51ab51abu
#define HEAP_MAGIC_LARGE 0x1a46e000u
#define MIN_SHIFT 4
#define NCLASSES 8 /* 16 .. 2048 */

struct page_header {
	uint32_t magic;
	uint16_t class_or_order;
	uint16_t in_use;          /* objects handed out from this slab */
	struct page_header *next; /* next slab of the class with free objects */
	void *free;               /* free objects, linked through their first word */
};

#define HEADER_SIZE ALIGN_UP(sizeof(struct page_header), 16)

static struct page_header *partial[NCLASSES];
static spinlock_t heap_lock = SPINLOCK_INIT("heap");
static uint64_t heap_pages;

static unsigned size_class(size_t size)
{
	unsigned c = 0;

	while ((1UL << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

static unsigned order_for(size_t bytes)
{
	unsigned order = 0;

	while ((PMM_PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

static struct page_header *new_slab(unsigned cls)
{
	paddr_t pa = pmm_alloc(0);
	size_t obj = 1UL << (cls + MIN_SHIFT);
	struct page_header *h;

	if (!pa)
		return NULL;
	heap_pages++;
	h = pmm_to_virt(pa);
	h->magic = HEAP_MAGIC_SLAB;
	h->class_or_order = (uint16_t)cls;
	h->in_use = 0;
	h->next = NULL;
	h->free = NULL;
	for (size_t off = ALIGN_UP(HEADER_SIZE, obj); off + obj <= PMM_PAGE_SIZE; off += obj) {
		void **o = (void **)((char *)h + off);
		*o = h->free;
		h->free = o;
	}
	return h;
}

static void *large_alloc(size_t size)
{
	unsigned order = order_for(size + HEADER_SIZE);
	struct page_header *h;
	paddr_t pa;

	if (order == 1 && size <= PMM_PAGE_SIZE) {
		pa = pmm_alloc_heap_page();
		return pa ? pmm_to_virt(pa) : NULL;
	}
	if (!(pa = pmm_alloc(order)))
		return NULL;
	h = pmm_to_virt(pa);
	h->magic = HEAP_MAGIC_LARGE;
	h->class_or_order = (uint16_t)order;
	return (char *)h + HEADER_SIZE;
}

void *kmalloc(size_t size)
{
	unsigned long flags;
	unsigned cls;
	void **obj;

	if (size == 0)
		size = 1;
	if (size > (1UL << (NCLASSES - 1 + MIN_SHIFT)))
		return size > (1UL << 30) ? NULL : large_alloc(size);
	cls = size_class(size);
	flags = spin_lock_irqsave(&heap_lock);
	if (!partial[cls] && !(partial[cls] = new_slab(cls))) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return NULL;
	}
	struct page_header *h = partial[cls];
	obj = h->free;
	h->free = *obj;
	h->in_use++;
	if (!h->free)
		partial[cls] = h->next; /* full: off the list until a free */
	spin_unlock_irqrestore(&heap_lock, flags);
	return obj;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

static void slab_free(struct page_header *h, void *ptr)
{
	unsigned cls = h->class_or_order;
	bool was_full = h->free == NULL;
	void **o = ptr;

	*o = h->free;
	h->free = o;
	h->in_use--;
	if (was_full) {
		h->next = partial[cls];
		partial[cls] = h;
	}
	if (h->in_use == 0 && (partial[cls] != h || h->next)) {
		/* Keep an empty slab as a cache only while it is the class's sole
		 * partial slab (a cached head would otherwise sink down the list
		 * under slabs pushed in front of it, and stay forever); return
		 * every other emptied slab to the pmm. */
		struct page_header **pp = &partial[cls];
		while (*pp != h)
			pp = &(*pp)->next;
		*pp = h->next;
		h->magic = 0;
		heap_pages--;
		pmm_free(pmm_to_phys(h), 0);
	}
}

void kfree(void *ptr)
{
	struct page_header *h;
	unsigned long flags;

	if (!ptr)
		return;
	if ((uintptr_t)ptr % PMM_PAGE_SIZE == 0) {
		BUG_ON(!pmm_free_heap_page(pmm_to_phys(ptr)));
		return;
	}
	h = (struct page_header *)ALIGN_DOWN((uintptr_t)ptr, PMM_PAGE_SIZE);
	if (h->magic == HEAP_MAGIC_LARGE && (char *)ptr == (char *)h + HEADER_SIZE) {
		h->magic = 0;
		pmm_free(pmm_to_phys(h), h->class_or_order);
		return;
	}
	BUG_ON(h->magic != HEAP_MAGIC_SLAB);
	BUG_ON(((uintptr_t)ptr & ((1UL << (h->class_or_order + MIN_SHIFT)) - 1)) != 0);
	flags = spin_lock_irqsave(&heap_lock);
	slab_free(h, ptr);
	spin_unlock_irqrestore(&heap_lock, flags);
}

uint64_t heap_slab_pages(void)
{
	return heap_pages;
}
