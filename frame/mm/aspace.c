/* User address spaces. The root table's upper half (the kernel) is copied
 * from the kernel's root at creation; since the kernel never adds root
 * entries after boot (kmap_init preallocates them), the copy stays valid. */
#include <frame/aspace.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/user.h>
#include <string.h>
#include <arch/csr.h>
#include <arch/layout.h>
#include <arch/sv39.h>
#include "mm/kmap.h"
#include "mm/pgtable.h"
#include "mm/pmm.h"
#include "smp/hart.h"
#include "task/task_internal.h"

#define USER_ROOT_ENTRIES (SV39_ENTRIES / 2)

struct aspace {
	pte_t *root;
	paddr_t root_pa;
	uint64_t pages;
};

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

/* Frees the user pages and tables below table (at level). */
static void free_level(pte_t *table, int level)
{
	for (unsigned i = 0; i < SV39_ENTRIES; i++) {
		pte_t e = table[i];
		if (!(e & (PTE_V | PTE_SW_NONE)))
			continue;
		if (level > 0 && !(e & PTE_LEAF_MASK)) {
			free_level(phys_to_virt(PTE_TO_PA(e)), level - 1);
			pmm_free(PTE_TO_PA(e), 0); /* the table */
		} else {
			pmm_page_unref(PTE_TO_PA(e)); /* user leaves are 4 KiB pages */
		}
	}
}

void aspace_destroy(struct aspace *as)
{
	if (!as)
		return;
	for (unsigned i = 0; i < USER_ROOT_ENTRIES; i++) {
		pte_t e = as->root[i];
		if ((e & PTE_V) && !(e & PTE_LEAF_MASK)) {
			free_level(phys_to_virt(PTE_TO_PA(e)), 1);
			pmm_free(PTE_TO_PA(e), 0);
		}
	}
	if (this_hart()->aspace == as)
		this_hart()->aspace = NULL;
	task_forget_aspace(as);
	if (csr_read(satp) == (SATP_MODE_SV39 | (as->root_pa >> PAGE_SHIFT))) {
		csr_write(satp, SATP_MODE_SV39 | (kmap_root_pa() >> PAGE_SHIFT));
		local_flush_tlb_all();
	}
	pmm_free(as->root_pa, 0);
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

int aspace_map_anon(struct aspace *as, uint64_t va, uint64_t len, unsigned prot)
{
	if ((va | len) & (PAGE_SIZE - 1) || !user_range_ok(va, len) || !(prot & 7))
		return -EINVAL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		pte_t *e = pt_lookup(as->root, va + off, NULL);
		if (e && *e)
			return -EEXIST;
	}
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		paddr_t pa = pmm_alloc_zeroed(0);
		int err = pa ? pt_map(as->root, va + off, pa, PAGE_SIZE, pte_flags(prot)) : -ENOMEM;
		if (err) {
			if (pa)
				pmm_free(pa, 0);
			return err; /* pages mapped so far stay and are freed with as */
		}
		as->pages++;
	}
	return 0;
}

static bool page_range_ok(uint64_t va, uint64_t len)
{
	return !((va | len) & (PAGE_SIZE - 1)) && user_range_ok(va, len);
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

int aspace_protect(struct aspace *as, uint64_t va, uint64_t len, unsigned prot)
{
	if (!page_range_ok(va, len))
		return -EINVAL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) /* decode */
		if (!user_leaf(as, va + off))
			return -ENOMEM;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) { /* invoke */
		pte_t *e = user_leaf(as, va + off);
		pte_t frame = *e & ~(PTE_V | PTE_R | PTE_W | PTE_X | PTE_SW_NONE | PTE_SW_COW);
		uint64_t flags = pte_flags(prot);
		/* A shared frame stays read-only: writable becomes copy-on-write. */
		if ((flags & PTE_W) && pmm_page_refs(PTE_TO_PA(*e)) > 1)
			flags = (flags & ~PTE_W) | PTE_SW_COW;
		/* A valid leaf needs R, W or X, so PROT_NONE drops V and keeps
		 * the frame behind a software bit: the page stays owned. */
		*e = prot & 7 ? frame | PTE_V | flags : frame | PTE_SW_NONE;
	}
	local_flush_tlb_all();
	return 0;
}

int aspace_unmap(struct aspace *as, uint64_t va, uint64_t len)
{
	if (!page_range_ok(va, len))
		return -EINVAL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		int level;
		pte_t *e = pt_lookup(as->root, va + off, &level);
		if (!e || level != 0 || !(*e & (PTE_V | PTE_SW_NONE)))
			continue;
		pmm_page_unref(PTE_TO_PA(*e));
		*e = 0;
		as->pages--;
	}
	local_flush_tlb_all();
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

/* Shares one leaf between parent and child: writable becomes COW in both. */
static int fork_leaf(struct aspace *child, uint64_t va, pte_t *pe)
{
	pte_t e = *pe;
	pte_t *ce;

	if (e & PTE_W)
		e = (e & ~PTE_W) | PTE_SW_COW;
	*pe = e;
	if (pt_map(child->root, va, PTE_TO_PA(e), PAGE_SIZE, PTE_R) || !(ce = pt_lookup(child->root, va, NULL)))
		return -ENOMEM;
	*ce = e; /* same frame, same flags (pt_map only built the tables) */
	pmm_page_ref(PTE_TO_PA(e));
	child->pages++;
	return 0;
}

static int fork_level(struct aspace *child, pte_t *table, int level, uint64_t va_base)
{
	for (unsigned i = 0; i < SV39_ENTRIES; i++) {
		pte_t e = table[i];
		uint64_t va = va_base + (uint64_t)i * SV39_LEVEL_SIZE(level);
		int err;
		if (!(e & (PTE_V | PTE_SW_NONE)))
			continue;
		if (level > 0)
			err = fork_level(child, phys_to_virt(PTE_TO_PA(e)), level - 1, va);
		else
			err = fork_leaf(child, va, &table[i]);
		if (err)
			return err;
	}
	return 0;
}

struct aspace *aspace_fork(struct aspace *parent)
{
	struct aspace *child = aspace_create();

	if (!child)
		return NULL;
	for (unsigned i = 0; i < USER_ROOT_ENTRIES; i++) {
		pte_t e = parent->root[i];
		if ((e & PTE_V) && fork_level(child, phys_to_virt(PTE_TO_PA(e)), 1,
					      (uint64_t)i * SV39_LEVEL_SIZE(2))) {
			aspace_destroy(child);
			local_flush_tlb_all();
			return NULL;
		}
	}
	local_flush_tlb_all(); /* the parent's writable pages just became COW */
	return child;
}

int aspace_fault(struct aspace *as, uint64_t va, bool write)
{
	pte_t *e;
	paddr_t old, copy;

	if (!as || va >= USER_TOP || !(e = user_leaf(as, va & ~(PAGE_SIZE - 1))))
		return -EFAULT;
	if (!write || !(*e & PTE_SW_COW) || !(*e & PTE_V))
		return -EFAULT;
	old = PTE_TO_PA(*e);
	if (pmm_page_refs(old) > 1) {
		if (!(copy = pmm_alloc(0)))
			return -EFAULT; /* out of memory: the caller kills (OOM later) */
		memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
		*e = PTE_FROM_PA(copy, *e & ((1UL << PTE_PPN_SHIFT) - 1));
		pmm_page_unref(old);
	}
	*e = (*e & ~PTE_SW_COW) | PTE_W | PTE_D;
	local_flush_tlb_all();
	return 0;
}

void aspace_activate(struct aspace *as)
{
	this_hart()->aspace = as;
	task_set_aspace(as);
	csr_write(satp, SATP_MODE_SV39 | (as->root_pa >> PAGE_SHIFT));
	local_flush_tlb_all();
}

uint64_t aspace_pages(const struct aspace *as)
{
	return as->pages;
}
