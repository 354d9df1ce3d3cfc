/* Changing existing areas: munmap, mprotect and MADV_DONTNEED, each
 * splitting areas at the range's edges first so the change applies to
 * whole areas, then merging what became alike again. */
#include <frame/errno.h>
#include "mm/mm.h"

int mm_unmap(struct mm *mm, uint64_t addr, uint64_t len)
{
	int err = vma_split_at(&mm->vmas, addr, addr + len);

	if (err)
		return err;
	if ((err = aspace_unmap(mm->as, addr, len)) != 0)
		return err;
	vma_remove_range(&mm->vmas, addr, addr + len);
	return 0;
}

/* Decode: the whole range is mapped, and a shared file area may become
 * writable only if the file was opened for writing. */
static int protect_check(struct mm *mm, uint64_t start, uint64_t end, unsigned prot)
{
	if (!vma_range_covered(&mm->vmas, start, end))
		return -ENOMEM;
	for (struct vma *v = vma_next_from(&mm->vmas, start); v && v->start < end; v = v->next)
		if ((prot & PROT_WRITE) && (v->flags & VMA_SHARED) && !(v->flags & VMA_MAYWRITE))
			return -EACCES;
	return 0;
}

int mm_protect(struct mm *mm, uint64_t addr, uint64_t len, unsigned prot)
{
	uint64_t end = addr + len;
	struct vma *v;
	int err = protect_check(mm, addr, end, prot);

	if (err || (err = vma_split_at(&mm->vmas, addr, end)) != 0)
		return err;
	for (v = vma_find(&mm->vmas, addr); v && v->start < end; v = v->next) {
		v->prot = prot & PROT_MASK;
		if ((err = aspace_protect(mm->as, v->start, v->end - v->start, mm_aspace_prot(v->prot, v->flags))) != 0)
			return err;
	}
	/* Merge from the last changed area down, so each pointer stays valid. */
	v = vma_find(&mm->vmas, end - 1);
	if (v)
		vma_merge_around(&mm->vmas, v);
	if ((v = vma_find(&mm->vmas, addr)) != NULL)
		vma_merge_around(&mm->vmas, v);
	return 0;
}

int mm_drop_pages(struct mm *mm, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;

	for (struct vma *v = vma_next_from(&mm->vmas, addr); v && v->start < end; v = v->next) {
		uint64_t s = MAX(v->start, addr), e = MIN(v->end, end);
		if (aspace_unmap(mm->as, s, e - s))
			return -EINVAL;
	}
	return vma_range_covered(&mm->vmas, addr, end) ? 0 : -ENOMEM;
}
