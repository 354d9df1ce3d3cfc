/* User address spaces. The root table's upper half (the kernel) is copied
 * from the kernel's root at creation; since the kernel never adds root
 * entries after boot (kmap_init preallocates them), the copy stays valid. */
#include <frame/aspace.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/user.h>
#include <string.h>
#include <arch/csr.h>
#include <arch/layout.h>
#include <arch/sv39.h>
#include "mm/aspace_internal.h"
#include "mm/kmap.h"
#include "mm/page_internal.h"
#include "mm/pgtable.h"
#include "mm/pmm.h"
#include "mm/tlb.h"
#include "smp/hart.h"
#include "task/task_internal.h"

#define USER_ROOT_ENTRIES (SV39_ENTRIES / 2)

struct aspace {
	pte_t *root;
	paddr_t root_pa;
	uint64_t pages;
	aspace_fault_fn fault_fn; /* the owner's policy, or NULL */
	void *fault_ctx;
	/* Harts whose satp holds this space (bit = hart block number): set
	 * before a hart loads it, cleared after it loaded another. A hart may
	 * keep it loaded while it runs kernel tasks, so the set can be larger
	 * than the harts running its threads, never smaller. */
	uint64_t active;
};

/* After this hart changed as's mappings in a way another hart's TLB could
 * contradict (a page gone, fewer rights, another frame): every hart that
 * may have it loaded flushes before the change counts as done. */
static void flush_everywhere(struct aspace *as)
{
	local_flush_tlb_all();
	tlb_shootdown(__atomic_load_n(&as->active, __ATOMIC_SEQ_CST), NULL);
}

struct aspace *aspace_create(void)
{
	struct aspace *as = kzalloc(sizeof(*as));

	if (!as)
		return NULL;
	as->root_pa = pmm_alloc_zeroed(0);
	if (!as->root_pa) {
		kfree(as);
		return NULL;
	}
	as->root = phys_to_virt(as->root_pa);
	memcpy(&as->root[USER_ROOT_ENTRIES], &kmap_root()[USER_ROOT_ENTRIES],
	       USER_ROOT_ENTRIES * sizeof(pte_t));
	return as;
}

/* Frames whose references are dropped together (pmm_pages_unref), after
 * their entries were cleared. */
struct unref_batch {
	paddr_t pa[PMM_UNREF_BATCH];
	unsigned n;
	struct aspace *live; /* still loaded somewhere (munmap), or NULL (exit) */
};

static void batch_flush(struct unref_batch *b)
{
	if (!b->n)
		return;
	/* No hart may reach a frame through its TLB once it can be reused. */
	if (b->live)
		flush_everywhere(b->live);
	pmm_pages_unref(b->pa, b->n);
	b->n = 0;
}

static void batch_add(struct unref_batch *b, paddr_t pa)
{
	b->pa[b->n++] = pa;
	if (b->n == PMM_UNREF_BATCH)
		batch_flush(b);
}

/* The first index from i on whose entry is not zero, or SV39_ENTRIES:
 * user tables are mostly empty, so sixteen entries (128 bytes, aligned:
 * tables are pages) are tested a round. */
static unsigned next_nonzero(const pte_t *t, unsigned i)
{
	const pte_t *p = t + i, *end = t + SV39_ENTRIES;

	for (; p < end && ((uintptr_t)p & 127); p++)
		if (*p)
			return p - t;
	for (; p < end; p += 16)
		if (p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7] | p[8] | p[9] | p[10] |
		    p[11] | p[12] | p[13] | p[14] | p[15])
			break;
	for (; p < end && !*p; p++)
		;
	return p - t;
}

/* Frees the user pages and tables in table[from, to) (at level), clearing
 * each entry: a table emptied so is all zero again, and its frame goes back
 * as such (pmm_free_zeroed), so the next fork's tables need no zeroing. */
static void free_level(pte_t *table, int level, unsigned from, unsigned to,
		       struct unref_batch *b)
{
	for (unsigned i = next_nonzero(table, from); i < to; i = next_nonzero(table, i + 1)) {
		pte_t e = table[i];
		table[i] = 0;
		if (!(e & (PTE_V | PTE_SW_NONE)))
			continue;
		if (level > 0 && !(e & PTE_LEAF_MASK)) {
			free_level(phys_to_virt(PTE_TO_PA(e)), level - 1, 0, SV39_ENTRIES, b);
			pmm_free_zeroed(PTE_TO_PA(e)); /* the table */
		} else {
			batch_add(b, PTE_TO_PA(e)); /* user leaves are 4 KiB pages */
		}
	}
}

void aspace_destroy(struct aspace *as)
{
	unsigned long flags;

	if (!as)
		return;
	/* Harts that still have it loaded (lazily, after its last thread ran
	 * there) leave it before its tables are freed. */
	flags = irq_save();
	aspace_leave_if_active(as);
	irq_restore(flags);
	tlb_shootdown(__atomic_load_n(&as->active, __ATOMIC_SEQ_CST), as);
	task_forget_aspace(as);
	struct unref_batch b __attribute__((uninitialized)); /* no 256-byte zeroing */

	b.n = 0;
	b.live = NULL; /* every hart left it (the shootdown above) */
	free_level(as->root, 2, 0, USER_ROOT_ENTRIES, &b); /* user leaves never sit up here */
	batch_flush(&b);
	memset(&as->root[USER_ROOT_ENTRIES], 0, USER_ROOT_ENTRIES * sizeof(pte_t));
	pmm_free_zeroed(as->root_pa);
	kfree(as);
}

static bool user_range_ok(uint64_t va, uint64_t len)
{
	return len && va + len > va && va + len <= USER_TOP;
}

static uint64_t pte_flags(unsigned prot)
{
	uint64_t f = PTE_U;

	if (prot & ASPACE_R)
		f |= PTE_R;
	if (prot & ASPACE_W)
		f |= PTE_W | PTE_R; /* W without R is reserved in Sv39 */
	if (prot & ASPACE_X)
		f |= PTE_X;
	return f;
}

/* One fresh page for va, filled from the part of [data_va, data_va +
 * data_len) it covers and zeroed elsewhere; 0 if out of memory. */
static paddr_t filled_page(uint64_t va, uint64_t data_va, const uint8_t *data, size_t data_len)
{
	uint64_t from = MAX(va, data_va), to = MIN(va + PAGE_SIZE, data_va + data_len);
	paddr_t pa;
	uint8_t *page;

	if (from >= to)
		return upage_alloc(true);
	if (!(pa = upage_alloc(false)))
		return 0;
	page = phys_to_virt(pa);
	memset(page, 0, from - va);
	memcpy(page + (from - va), data + (from - data_va), to - from);
	memset(page + (to - va), 0, va + PAGE_SIZE - to);
	return pa;
}

int aspace_map_data(struct aspace *as, uint64_t va, uint64_t len, unsigned prot,
		    uint64_t data_va, const void *data, size_t data_len)
{
	if ((va | len) & (PAGE_SIZE - 1) || !user_range_ok(va, len) || !(prot & 7) ||
	    (data_len && (data_va < va || data_va + data_len > va + len || data_va + data_len < data_va)))
		return -EINVAL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		pte_t *e = pt_lookup(as->root, va + off, NULL);
		if (e && *e)
			return -EEXIST;
	}
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		paddr_t pa = filled_page(va + off, data_va, data, data_len);
		int err = pa ? pt_map(as->root, va + off, pa, PAGE_SIZE, pte_flags(prot)) : -ENOMEM;
		if (err) {
			if (pa)
				pmm_free(pa, 0);
			return err; /* pages mapped so far stay and are freed with as */
		}
		as->pages++;
	}
	if (this_hart()->aspace == as)
		local_flush_tlb_all(); /* the hart may have cached the absence */
	return 0;
}

int aspace_map_anon(struct aspace *as, uint64_t va, uint64_t len, unsigned prot)
{
	return aspace_map_data(as, va, len, prot, va, NULL, 0);
}

static bool page_range_ok(uint64_t va, uint64_t len)
{
	return !((va | len) & (PAGE_SIZE - 1)) && user_range_ok(va, len);
}

static bool is_user_pte(pte_t e)
{
	return ((e & PTE_V) && (e & PTE_U)) || (e & PTE_SW_NONE);
}

/* The PTE of a user page (accessible or PROT_NONE), or NULL if unmapped. */
static pte_t *user_leaf(struct aspace *as, uint64_t va)
{
	int level;
	pte_t *e = pt_lookup(as->root, va, &level);

	if (!e || level != 0)
		return NULL;
	return ((*e & PTE_V) && (*e & PTE_U)) || (*e & PTE_SW_NONE) ? e : NULL;
}

/* The next address after va that may hold a user leaf: past a missing
 * table, the end of what that table would cover, so loops over huge
 * sparse ranges (a 100 GiB MAP_NORESERVE area) cost what is mapped. */
static uint64_t next_va(const struct aspace *as, uint64_t va)
{
	pte_t top = as->root[SV39_INDEX(va, 2)], mid;

	if (!(top & PTE_V))
		return ALIGN_DOWN(va, SV39_LEVEL_SIZE(2)) + SV39_LEVEL_SIZE(2);
	mid = ((pte_t *)phys_to_virt(PTE_TO_PA(top)))[SV39_INDEX(va, 1)];
	if (!(mid & PTE_V))
		return ALIGN_DOWN(va, SV39_LEVEL_SIZE(1)) + SV39_LEVEL_SIZE(1);
	return va + PAGE_SIZE;
}

/* The leaf bits for prot on the frame at pa: a private writable page whose
 * frame is shared becomes copy-on-write (invariant 3); prot 0 drops V and
 * keeps the frame behind a software bit, so the page stays owned. */
static pte_t leaf_for(paddr_t pa, unsigned prot)
{
	uint64_t flags = pte_flags(prot);

	if (!(prot & 7))
		return PTE_FROM_PA(pa, PTE_SW_NONE);
	if ((flags & PTE_W) && !(prot & ASPACE_SHARED) && pmm_page_refs(pa) > 1)
		flags = (flags & ~PTE_W) | PTE_SW_COW;
	return PTE_FROM_PA(pa, flags | PTE_V | PTE_A | PTE_D);
}

int aspace_protect(struct aspace *as, uint64_t va, uint64_t len, unsigned prot)
{
	if (!page_range_ok(va, len))
		return -EINVAL;
	bool changed = false;

	for (uint64_t at = va; at < va + len; at = next_va(as, at)) {
		pte_t *e = user_leaf(as, at);
		pte_t now = e ? leaf_for(PTE_TO_PA(*e), prot) : 0;
		if (e && now != *e) {
			*e = now;
			changed = true;
		}
	}
	if (changed) /* nothing to shoot down for an unmapped range */
		flush_everywhere(as);
	return 0;
}

int aspace_map_page(struct aspace *as, uint64_t va, page_t pg, unsigned prot)
{
	paddr_t pa = upage_decode(pg);
	pte_t *table, *e;

	if (!page_range_ok(va, PAGE_SIZE) || !(prot & 7))
		return -EINVAL;
	if (!pa)
		return -ESTALE;
	/* One walk, building the tables (they stay if the page cannot be
	 * had): the fault path and its fault-around come here per page. */
	if (!(table = pt_leaf_table(as->root, va, true)))
		return -ENOMEM;
	e = &table[SV39_INDEX(va, 0)];
	if (*e & (PTE_V | PTE_SW_NONE))
		return -EEXIST;
	if (!pmm_page_try_ref(pa))
		return -ENOMEM;
	*e = leaf_for(pa, prot);
	as->pages++;
	local_flush_tlb_all(); /* an earlier fault may have cached the absence */
	return 0;
}

bool aspace_mapped(struct aspace *as, uint64_t va)
{
	return va < USER_TOP && user_leaf(as, va & ~(PAGE_SIZE - 1)) != NULL;
}

int aspace_move(struct aspace *as, uint64_t from, uint64_t to, uint64_t len)
{
	if (!page_range_ok(from, len) || !page_range_ok(to, len) || (from < to + len && to < from + len))
		return -EINVAL;
	for (uint64_t at = to; at < to + len; at = next_va(as, at)) /* decode */
		if (aspace_mapped(as, at))
			return -EEXIST;
	for (uint64_t at = from; at < from + len; at = next_va(as, at)) {
		pte_t *src = user_leaf(as, at), *dst, e;
		uint64_t off = at - from;
		if (!src)
			continue;
		e = *src;
		if (pt_map(as->root, to + off, PTE_TO_PA(e), PAGE_SIZE, PTE_R | PTE_U) ||
		    !(dst = pt_lookup(as->root, to + off, NULL))) {
			flush_everywhere(as);
			return -ENOMEM; /* what moved so far stays moved */
		}
		*dst = e; /* the same frame and bits: the reference moves with it */
		*src = 0;
	}
	flush_everywhere(as);
	return 0;
}

/* Drops the leaves table[first..last] (first nonzero): apart, so that an
 * untouched range (mmap and munmap) pays no batch and no stack guard. */
static __attribute__((noinline)) bool unmap_leaves(struct aspace *as, pte_t *table,
						     unsigned first, unsigned last)
{
	struct unref_batch b __attribute__((uninitialized)); /* no 256-byte zeroing */
	bool changed = false;

	b.n = 0;
	b.live = as;
	for (unsigned i = first; i <= last; i = next_nonzero(table, i + 1)) {
		pte_t *e = &table[i];
		paddr_t pa = PTE_TO_PA(*e);
		if (!(*e & (PTE_V | PTE_SW_NONE)))
			continue;
		*e = 0; /* before the batch's flush */
		batch_add(&b, pa);
		as->pages--;
		changed = true;
	}
	batch_flush(&b);
	return changed;
}

/* Drops the leaves of one level-0 table in [va, end) (inside it); true if
 * any was there. */
static bool unmap_leaf_table(struct aspace *as, pte_t *table, uint64_t va, uint64_t end)
{
	unsigned last = SV39_INDEX(end - PAGE_SIZE, 0);
	unsigned first = next_nonzero(table, SV39_INDEX(va, 0));

	return first <= last && unmap_leaves(as, table, first, last);
}

int aspace_unmap(struct aspace *as, uint64_t va, uint64_t len)
{
	uint64_t end = va + len;
	bool changed = false;

	if (!page_range_ok(va, len))
		return -EINVAL;
	/* One walk per 2 MiB, as fork's copy. */
	while (va < end) {
		uint64_t table_end = ALIGN_DOWN(va, SV39_LEVEL_SIZE(1)) + SV39_LEVEL_SIZE(1);
		pte_t *table = pt_leaf_table(as->root, va, false);
		if (!table) {
			va = next_va(as, va);
			continue;
		}
		table_end = MIN(table_end, end);
		changed |= unmap_leaf_table(as, table, va, table_end);
		va = table_end;
	}
	if (changed)
		flush_everywhere(as);
	return 0;
}

int aspace_write(struct aspace *as, uint64_t va, const void *src, size_t len)
{
	const char *s = src;

	if (len == 0)
		return 0;
	if (!user_range_ok(va, len))
		return -EFAULT;
	while (len) {
		int level;
		pte_t *e = pt_lookup(as->root, va, &level);
		size_t chunk = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		if (!e || level != 0 || !(*e & PTE_V) || !(*e & PTE_U))
			return -EFAULT;
		memcpy((char *)phys_to_virt(PTE_TO_PA(*e)) + (va & (PAGE_SIZE - 1)), s, chunk);
		va += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}

/* Copies the leaves of one level-0 table of src, [va, end) inside it, into
 * dst: shared stays as it is, private writable becomes copy-on-write in
 * both. One walk per 2 MiB instead of several per page: fork's cost. */
static int copy_leaf_table(struct aspace *dst, pte_t *from, uint64_t va, uint64_t end, bool shared)
{
	uint64_t base = ALIGN_DOWN(va, SV39_LEVEL_SIZE(1));
	unsigned last = SV39_INDEX(end - PAGE_SIZE, 0);
	pte_t *to = NULL;

	for (unsigned i = next_nonzero(from, SV39_INDEX(va, 0)); i <= last;
	     i = next_nonzero(from, i + 1)) {
		pte_t *pe = &from[i], e = *pe, *ce;
		if (!is_user_pte(e))
			continue;
		if (!to && !(to = pt_leaf_table(dst->root, base + (uint64_t)i * PAGE_SIZE, true)))
			return -ENOMEM;
		ce = &to[i];
		if (is_user_pte(*ce))
			continue; /* dst has its own page there */
		if (!pmm_page_try_ref(PTE_TO_PA(e)))
			return -ENOMEM;
		if (!shared && (e & PTE_W))
			e = (e & ~PTE_W) | PTE_SW_COW;
		*pe = *ce = e; /* the same frame and flags */
		dst->pages++;
	}
	return 0;
}

int aspace_copy_range(struct aspace *dst, struct aspace *src, uint64_t va, uint64_t len, bool shared)
{
	uint64_t end = va + len;
	int err = 0;

	if (!page_range_ok(va, len))
		return -EINVAL;
	while (va < end && !err) {
		uint64_t table_end = ALIGN_DOWN(va, SV39_LEVEL_SIZE(1)) + SV39_LEVEL_SIZE(1);
		pte_t *from = pt_leaf_table(src->root, va, false);
		if (table_end > end)
			table_end = end;
		if (from)
			err = copy_leaf_table(dst, from, va, table_end, shared);
		va = from ? table_end : next_va(src, va);
	}
	flush_everywhere(src); /* src's writable pages may just have become COW */
	return err;
}

/* A write to a copy-on-write page: copy the frame unless this mapping is
 * its last holder, then make it writable. */
static int break_cow(pte_t *e)
{
	paddr_t old = PTE_TO_PA(*e), copy;

	if (pmm_page_refs(old) > 1) {
		if (!(copy = upage_alloc(false)))
			return -ENOMEM;
		pmm_copy_page(phys_to_virt(copy), phys_to_virt(old));
		*e = PTE_FROM_PA(copy, *e & ((1UL << PTE_PPN_SHIFT) - 1));
		pmm_page_unref(old);
	}
	*e = (*e & ~PTE_SW_COW) | PTE_W | PTE_D;
	return 0;
}

/* aspace_fault on the leaf e of a mapped page (accessible or not). */
static int fault_mapped(struct aspace *as, pte_t *e, bool write)
{
	int err;

	if (!(*e & PTE_V))
		return -EFAULT; /* PROT_NONE */
	if (write && !(*e & PTE_W)) {
		if (!(*e & PTE_SW_COW))
			return -EFAULT;
		/* Another hart may still read the old frame through its TLB. */
		if ((err = break_cow(e)) == 0)
			flush_everywhere(as);
		return err;
	} else if (!write && !(*e & (PTE_R | PTE_X))) {
		return -EFAULT;
	}
	local_flush_tlb_all(); /* a stale entry may have caused the fault */
	return 0;
}

int aspace_fault(struct aspace *as, uint64_t va, bool write)
{
	pte_t *e;

	if (!as || va >= USER_TOP)
		return -EFAULT;
	if (!(e = user_leaf(as, va & ~(PAGE_SIZE - 1))))
		return -ENOENT;
	return fault_mapped(as, e, write);
}

int aspace_fault_anon(struct aspace *as, uint64_t va, bool write, unsigned prot)
{
	pte_t *table, *e;
	paddr_t pa;

	if (!as || va >= USER_TOP || !(prot & 7))
		return -EFAULT;
	/* One walk, building the tables, for the lookup and the map. */
	if (!(table = pt_leaf_table(as->root, va, true)))
		return -ENOMEM;
	e = &table[SV39_INDEX(va, 0)];
	if (is_user_pte(*e))
		return fault_mapped(as, e, write);
	if (*e & PTE_V)
		return -EFAULT; /* not a user page: never a user's to replace */
	if (!(pa = upage_alloc(true)))
		return -ENOMEM;
	/* A fresh private frame has no other holder: writable at once. */
	*e = PTE_FROM_PA(pa, pte_flags(prot) | PTE_V | PTE_A | PTE_D);
	as->pages++;
	local_flush_tlb_all(); /* the hart may have cached the absence */
	return 0;
}

void aspace_set_fault_handler(struct aspace *as, aspace_fault_fn fn, void *ctx)
{
	as->fault_fn = fn;
	as->fault_ctx = ctx;
}

/* For the trap path (aspace_internal.h): a fault inside copy_*_user. */
int aspace_uaccess_fault(struct aspace *as, uint64_t va, bool write)
{
	if (!as)
		return -EFAULT;
	if (as->fault_fn)
		return as->fault_fn(as->fault_ctx, va, write) ? -EFAULT : 0;
	return aspace_fault(as, va, write);
}

/* Loads as into this hart's satp (aspace_activate's slow path, apart so the
 * fast path saves no registers for it). */
static __attribute__((noinline)) void activate_load(struct hart *h, struct aspace *as)
{
	unsigned long flags = irq_save(); /* no shootdown between the steps */
	struct aspace *old = h->aspace;
	uint64_t bit = 1ull << h->slot;

	task_set_aspace(as);
	if (old == as) {
		irq_restore(flags);
		return;
	}
	/* Announce first, then load: a hart changing as's mappings either
	 * sees the bit or its change is in memory before this hart walks. */
	__atomic_fetch_or(&as->active, bit, __ATOMIC_SEQ_CST);
	h->aspace = as;
	csr_write(satp, SATP_MODE_SV39 | (as->root_pa >> PAGE_SHIFT));
	local_flush_tlb_all();
	if (old)
		__atomic_fetch_and(&old->active, ~bit, __ATOMIC_SEQ_CST);
	irq_restore(flags);
}

void aspace_activate(struct aspace *as)
{
	struct hart *h = this_hart();

	/* Already loaded here and the current task's: the TLB holds nothing
	 * stale for it, since every change to a loaded space flushes this hart
	 * (locally or by shootdown), and a space leaves h->aspace before it is
	 * freed (an interrupt can only take a dying space away). The trap path
	 * comes here on every return to user mode; the satp write, the full
	 * flush and the atomics cost more than a null syscall's work. */
	if (h->aspace != as || h->current->as != as)
		activate_load(h, as);
}

void aspace_leave_if_active(struct aspace *as)
{
	struct hart *h = this_hart();

	if (h->aspace != as)
		return;
	csr_write(satp, SATP_MODE_SV39 | (kmap_root_pa() >> PAGE_SHIFT));
	local_flush_tlb_all();
	h->aspace = NULL;
	__atomic_fetch_and(&as->active, ~(1ull << h->slot), __ATOMIC_SEQ_CST);
}

uint64_t aspace_pages(const struct aspace *as)
{
	return as->pages;
}
