/* Kernel virtual area allocator: a first-fit bitmap over the 1 GiB window.
 * Guard pages are simply never-mapped pages recorded in a second bitmap.
 * Locking: vm_lock guards both bitmaps; pt_lock the kernel page tables
 * below the area's root entries (harts map and unmap stacks at once).
 * Order: vm_lock, pt_lock, then the page allocator's. A freed stack is
 * flushed from every hart's TLB before its addresses can be reused. */
#include <frame/errno.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include <string.h>
#include <arch/csr.h>
#include <arch/layout.h>
#include <arch/sv39.h>
#include "mm/kmap.h"
#include "mm/pmm.h"
#include "mm/tlb.h"
#include "mm/vmarea.h"

#define VM_PAGES (VMAREA_SIZE / PAGE_SIZE)

static uint64_t used[VM_PAGES / 64];
static uint64_t guard[VM_PAGES / 64];
static spinlock_t vm_lock = SPINLOCK_INIT("vmarea");
static spinlock_t pt_lock = SPINLOCK_INIT("vmarea-pt");

static bool bit(const uint64_t *map, uint64_t i)
{
	return map[i / 64] >> (i % 64) & 1;
}

static void set_bits(uint64_t *map, uint64_t first, uint64_t n, bool on)
{
	for (uint64_t i = first; i < first + n; i++) {
		if (on)
			map[i / 64] |= 1UL << (i % 64);
		else
			map[i / 64] &= ~(1UL << (i % 64));
	}
}

/* First run of n free pages; returns its page index or -1. */
static long find_free(uint64_t n)
{
	uint64_t run = 0;

	for (uint64_t i = 0; i < VM_PAGES; i++) {
		if (run == 0 && i % 64 == 0 && used[i / 64] == ~0UL) {
			i += 63; /* a word of used pages: no run starts in it */
			continue;
		}
		run = bit(used, i) ? 0 : run + 1;
		if (run == n)
			return (long)(i + 1 - n);
	}
	return -1;
}

static uintptr_t reserve(uint64_t npages, bool guarded)
{
	unsigned long flags = spin_lock_irqsave(&vm_lock);
	long first = find_free(npages);

	if (first >= 0) {
		set_bits(used, (uint64_t)first, npages, true);
		if (guarded)
			set_bits(guard, (uint64_t)first, 1, true);
	}
	spin_unlock_irqrestore(&vm_lock, flags);
	return first < 0 ? 0 : VMAREA_BASE + (uint64_t)first * PAGE_SIZE;
}

void *vmarea_map_mmio(paddr_t pa, uint64_t size)
{
	paddr_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t len = ALIGN_UP(pa + size, PAGE_SIZE) - start;
	uintptr_t va = reserve(len / PAGE_SIZE, false);
	unsigned long flags;
	int err;

	if (!va)
		return NULL;
	flags = spin_lock_irqsave(&pt_lock);
	err = pt_map(kmap_root(), va, start, len, PTE_R | PTE_W | PTE_G);
	spin_unlock_irqrestore(&pt_lock, flags);
	if (err) {
		pr_err("vmarea: cannot map MMIO at 0x%lx\n", pa);
		return NULL;
	}
	local_flush_tlb_all();
	return (void *)(va + (pa - start));
}

int vmarea_alloc_stack(struct kstack *out)
{
	uintptr_t va = reserve(KSTACK_PAGES + 1, true);
	unsigned long flags;

	if (!va)
		return -ENOMEM;
	for (unsigned i = 1; i <= KSTACK_PAGES; i++) {
		paddr_t pa = pmm_alloc_zeroed(0);
		int err = -ENOMEM;
		if (pa) {
			flags = spin_lock_irqsave(&pt_lock);
			err = pt_map(kmap_root(), va + i * PAGE_SIZE, pa, PAGE_SIZE, PTE_R | PTE_W | PTE_G);
			spin_unlock_irqrestore(&pt_lock, flags);
		}
		if (err)
			return -ENOMEM;
	}
	local_flush_tlb_all();
	out->bottom = va + PAGE_SIZE;
	out->top = va + (KSTACK_PAGES + 1) * PAGE_SIZE;
	return 0;
}

bool vmarea_is_guard(uintptr_t va)
{
	if (va < VMAREA_BASE || va >= VMAREA_BASE + VMAREA_SIZE)
		return false;
	return bit(guard, (va - VMAREA_BASE) / PAGE_SIZE);
}

/* A freed stack waits here, unmapped, until a batch is full: other harts may
 * still hold it in their TLBs, so its pages and addresses are reused only
 * after a shootdown, and one shootdown per batch keeps thread and process
 * exits from interrupting every hart each time. */
#define DYING_BATCH 8

struct dying_stack {
	uint64_t first;               /* page index of the guard page */
	paddr_t pages[KSTACK_PAGES];
	unsigned npages;
};

static struct dying_stack dying[DYING_BATCH]; /* vm_lock */
static unsigned ndying;

static void release_batch(struct dying_stack *batch, unsigned n)
{
	unsigned long flags;

	local_flush_tlb_all();
	tlb_shootdown_kernel(); /* another hart may have run on these stacks */
	for (unsigned i = 0; i < n; i++)
		for (unsigned p = 0; p < batch[i].npages; p++)
			pmm_free(batch[i].pages[p], 0);
	flags = spin_lock_irqsave(&vm_lock);
	for (unsigned i = 0; i < n; i++) {
		set_bits(guard, batch[i].first, 1, false);
		set_bits(used, batch[i].first, KSTACK_PAGES + 1, false);
	}
	spin_unlock_irqrestore(&vm_lock, flags);
}

void vmarea_free_stack(struct kstack *stack)
{
	struct dying_stack full[DYING_BATCH]; /* the batch this call completed (~400 bytes) */
	struct dying_stack d = { .first = (stack->bottom - PAGE_SIZE - VMAREA_BASE) / PAGE_SIZE };
	unsigned long flags = spin_lock_irqsave(&pt_lock);
	unsigned n = 0;

	for (uintptr_t va = stack->bottom; va < stack->top && d.npages < KSTACK_PAGES; va += PAGE_SIZE) {
		int level;
		pte_t *e = pt_lookup(kmap_root(), va, &level);
		if (e && (*e & PTE_V))
			d.pages[d.npages++] = PTE_TO_PA(*e);
	}
	pt_unmap(kmap_root(), stack->bottom, stack->top - stack->bottom);
	spin_unlock_irqrestore(&pt_lock, flags);
	local_flush_tlb_all();
	flags = spin_lock_irqsave(&vm_lock);
	dying[ndying++] = d;
	if (ndying == DYING_BATCH) {
		memcpy(full, dying, sizeof(full));
		n = ndying;
		ndying = 0;
	}
	spin_unlock_irqrestore(&vm_lock, flags);
	if (n)
		release_batch(full, n);
}
