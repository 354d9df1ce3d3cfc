/* Sv39 page tables: mapping ranges with the largest leaves that fit. */
#ifndef FRAME_MM_PGTABLE_H
#define FRAME_MM_PGTABLE_H

#include <frame/types.h>

typedef uint64_t pte_t;

/* Maps [va, va+size) to [pa, pa+size) with PTE flags (R/W/X/U/G; V, A and D
 * are added: the U74 faults instead of setting A/D itself). Picks 1 GiB and
 * 2 MiB leaves when alignment allows. Returns 0, -ENOMEM or -EEXIST. */
int pt_map(pte_t *root, uint64_t va, paddr_t pa, uint64_t size, uint64_t flags);
/* Removes leaf mappings in [va, va+size); the caller flushes the TLB. */
void pt_unmap(pte_t *root, uint64_t va, uint64_t size);
/* The leaf PTE for va: a valid leaf at any level, or the level-0 slot
 * (valid or not) when the tables down to it exist; else NULL. */
pte_t *pt_lookup(pte_t *root, uint64_t va, int *level);
/* The level-0 table (512 PTEs) covering va: NULL when a larger leaf covers
 * va or, unless create, when the tables down to it do not exist. */
pte_t *pt_leaf_table(pte_t *root, uint64_t va, bool create);
/* Creates the table at level `level` covering va, so that later maps there
 * never touch the levels above (used for the shared kernel regions). */
int pt_prealloc(pte_t *root, uint64_t va, int level);

#endif
