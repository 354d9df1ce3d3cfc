/* Virtual memory areas: what a process has mapped where, as a list sorted
 * by address. The list is the policy's truth (kern/mm/fault.c maps pages on
 * demand from it); the page tables only cache what was touched.
 *
 * Invariants of a vma_list:
 *   1. Areas are page-aligned, non-empty, sorted by start, never overlapping.
 *   2. A file-backed area holds one inode reference; pgoff is the file page
 *      that its start maps.
 *   3. Two neighbours that could be one area are merged (vma_merge_around). */
#ifndef KERN_MM_VMA_H
#define KERN_MM_VMA_H

#include <frame/types.h>

struct inode;

#define VMA_PAGE 4096UL

enum vma_flags {
	VMA_SHARED = 1,     /* MAP_SHARED: writes reach the backing object */
	VMA_MAYWRITE = 2,   /* the file was open for writing (shared mprotect) */
	VMA_STACK = 4,      /* the main thread's stack */
	VMA_BRK = 8,        /* the program break */
	VMA_ANON_SHARED = 16, /* MAP_SHARED|MAP_ANONYMOUS (an unnamed tmpfs file) */
};

struct vma {
	struct vma *next;
	uint64_t start, end; /* [start, end) */
	unsigned prot;       /* PROT_READ | PROT_WRITE | PROT_EXEC */
	unsigned flags;      /* enum vma_flags */
	struct inode *inode; /* backing file (a reference), or NULL: anonymous */
	uint64_t pgoff;      /* file page mapped at start */
};

struct vma_list {
	struct vma *head;
	unsigned count;
};

/* The area containing addr, or NULL. */
struct vma *vma_find(const struct vma_list *l, uint64_t addr);
/* The first area ending above addr (containing it or after it), or NULL. */
struct vma *vma_next_from(const struct vma_list *l, uint64_t addr);
/* True if no area meets [start, end). */
bool vma_range_free(const struct vma_list *l, uint64_t start, uint64_t end);
/* True if areas cover all of [start, end) without a hole. */
bool vma_range_covered(const struct vma_list *l, uint64_t start, uint64_t end);
/* A new area (a copy of tmpl with its own inode reference), inserted in
 * order; the range must be free. -ENOMEM. */
int vma_insert(struct vma_list *l, const struct vma *tmpl, struct vma **out);
/* Splits areas so that start and end are area boundaries. -ENOMEM
 * (then some splits may have happened: harmless, they only cut areas). */
int vma_split_at(struct vma_list *l, uint64_t start, uint64_t end);
/* Removes every area inside [start, end) (after vma_split_at). */
void vma_remove_range(struct vma_list *l, uint64_t start, uint64_t end);
/* Merges v with its neighbours where they continue each other. */
void vma_merge_around(struct vma_list *l, struct vma *v);
/* The highest start a with [a, a + len) free inside [low, high), or 0. */
uint64_t vma_gap_top_down(const struct vma_list *l, uint64_t len, uint64_t low, uint64_t high);
/* A copy of src into the empty dst (fork). -ENOMEM (dst then holds part). */
int vma_list_copy(struct vma_list *dst, const struct vma_list *src);
void vma_list_free(struct vma_list *l);

#endif
