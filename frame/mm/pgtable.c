/* Sv39 page-table walking and mapping. Tables come from the pmm and are
 * reached through the direct map. */
#include <frame/errno.h>
#include <arch/sv39.h>
#include "mm/pgtable.h"
#include "mm/pmm.h"

static pte_t *table_of(pte_t pte)
{
	return pmm_to_virt(PTE_TO_PA(pte));
}

static bool is_leaf(pte_t pte)
{
	return (pte & PTE_V) && (pte & PTE_LEAF_MASK);
}

/* The entry for va at `level`, creating intermediate tables on the way. */
static pte_t *walk_create(pte_t *root, uint64_t va, int level)
{
	pte_t *table = root;

	for (int l = SV39_LEVELS - 1; l > level; l--) {
		pte_t *e = &table[SV39_INDEX(va, l)];
		if (!(*e & PTE_V)) {
			paddr_t pa = pmm_alloc_zeroed(0);
			if (!pa)
				return NULL;
			*e = PTE_FROM_PA(pa, PTE_V);
		} else if (is_leaf(*e)) {
			return NULL; /* a larger leaf already covers va */
		}
		table = table_of(*e);
	}
	return &table[SV39_INDEX(va, level)];
}

static int leaf_level(uint64_t va, paddr_t pa, uint64_t remaining)
{
	for (int level = 2; level > 0; level--) {
		uint64_t sz = SV39_LEVEL_SIZE(level);
		if (((va | pa) & (sz - 1)) == 0 && remaining >= sz)
			return level;
	}
	return 0;
}

int pt_map(pte_t *root, uint64_t va, paddr_t pa, uint64_t size, uint64_t flags)
{
	uint64_t end = va + size;

	flags |= PTE_V | PTE_A | PTE_D;
	while (va < end) {
		int level = leaf_level(va, pa, end - va);
		pte_t *e = walk_create(root, va, level);
		if (!e)
			return -ENOMEM;
		if (*e & PTE_V)
			return -EEXIST;
		*e = PTE_FROM_PA(pa, flags);
		va += SV39_LEVEL_SIZE(level);
		pa += SV39_LEVEL_SIZE(level);
	}
	return 0;
}

pte_t *pt_lookup(pte_t *root, uint64_t va, int *level)
{
	pte_t *table = root;

	for (int l = SV39_LEVELS - 1; l >= 0; l--) {
		pte_t *e = &table[SV39_INDEX(va, l)];
		if (l == 0) { /* the slot itself, valid or not: callers check */
			if (level)
				*level = 0;
			return e;
		}
		if (!(*e & PTE_V))
			return NULL;
		if (is_leaf(*e)) {
			if (level)
				*level = l;
			return e;
		}
		table = table_of(*e);
	}
	return NULL;
}

void pt_unmap(pte_t *root, uint64_t va, uint64_t size)
{
	uint64_t end = va + size;

	while (va < end) {
		int level;
		pte_t *e = pt_lookup(root, va, &level);
		uint64_t step = SV39_LEVEL_SIZE(e ? level : 0);
		if (e && !(*e & PTE_V))
			e = NULL;
		if (e)
			*e = 0;
		va = ALIGN_DOWN(va, step) + step;
	}
}

pte_t *pt_leaf_table(pte_t *root, uint64_t va, bool create)
{
	pte_t *table = root;

	for (int l = SV39_LEVELS - 1; l > 0; l--) {
		pte_t *e = &table[SV39_INDEX(va, l)];
		if (!(*e & PTE_V)) {
			paddr_t pa;
			if (!create || !(pa = pmm_alloc_zeroed(0)))
				return NULL;
			*e = PTE_FROM_PA(pa, PTE_V);
		} else if (is_leaf(*e)) {
			return NULL;
		}
		table = table_of(*e);
	}
	return table;
}

int pt_prealloc(pte_t *root, uint64_t va, int level)
{
	return walk_create(root, va, level) ? 0 : -ENOMEM;
}
