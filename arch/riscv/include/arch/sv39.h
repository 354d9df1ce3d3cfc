/* Sv39 page-table entries and geometry (RISC-V privileged spec, section 4.4). */
#ifndef ARCH_SV39_H
#define ARCH_SV39_H

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
/* Software bit (RSW): a user page kept but made inaccessible (PROT_NONE). */
#define PTE_SW_NONE (1UL << 8)
/* Software bit (RSW): logically writable, shared until written (copy-on-write). */
#define PTE_SW_COW (1UL << 9)
#define PTE_LEAF_MASK (PTE_R | PTE_W | PTE_X)
#define PTE_PPN_SHIFT 10

#define SV39_LEVELS 3
#define SV39_ENTRIES 512
#define SV39_VA_BITS 39

/* Index of va in the page table at level (2 = root, 0 = leaf level). */
#define SV39_INDEX(va, level) (((va) >> (12 + 9 * (level))) & 0x1ff)
#define SV39_LEVEL_SIZE(level) (1UL << (12 + 9 * (level)))

#define PTE_FROM_PA(pa, flags) ((((pa) >> 12) << PTE_PPN_SHIFT) | (flags))
#define PTE_TO_PA(pte) ((((pte) >> PTE_PPN_SHIFT) & ((1UL << 44) - 1)) << 12)

#endif
