/* mremap: shrink in place, grow in place when the pages above are free,
 * or move (MREMAP_MAYMOVE, MREMAP_FIXED): the page-table entries move with
 * the area, so the pages keep their contents without a copy. */
#include <frame/errno.h>
#include <frame/user.h>
#include "mm/mm.h"

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

/* Moves [old, old + old_len) of area v to a new area [to, to + new_len).
 * With MREMAP_DONTUNMAP the old range stays an area without its pages
 * (they refault: zeros for private anonymous memory, else the file's). */
static int64_t move_area(struct mm *mm, struct vma *v, uint64_t old, uint64_t old_len,
			 uint64_t to, uint64_t new_len, unsigned flags)
{
	struct vma tmpl = *v, *nv;
	int err;

	tmpl.start = to;
	tmpl.end = to + new_len;
	tmpl.pgoff = v->pgoff + (old - v->start) / VMA_PAGE;
	if ((err = vma_split_at(&mm->vmas, old, old + old_len)) != 0 ||
	    (err = vma_insert(&mm->vmas, &tmpl, &nv)) != 0)
		return err;
	if ((err = aspace_move(mm->as, old, to, old_len)) != 0)
		return err;
	if (!(flags & MREMAP_DONTUNMAP))
		vma_remove_range(&mm->vmas, old, old + old_len);
	else if ((v = vma_find(&mm->vmas, old)) != NULL)
		vma_merge_around(&mm->vmas, v);
	if ((nv = vma_find(&mm->vmas, to)) != NULL)
		vma_merge_around(&mm->vmas, nv);
	return (int64_t)to;
}

static bool grows_in_place(struct mm *mm, const struct vma *v, uint64_t old, uint64_t old_len,
			   uint64_t new_len)
{
	return v->end == old + old_len && old + new_len <= USER_TOP &&
	       vma_range_free(&mm->vmas, old + old_len, old + new_len);
}

static int64_t remap_fixed(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len,
			   uint64_t to, unsigned flags)
{
	struct vma *v;
	int err;

	if ((to & (VMA_PAGE - 1)) || to > USER_TOP - new_len)
		return -EINVAL;
	if (to < old + old_len && old < to + new_len)
		return -EINVAL; /* overlapping ranges */
	if ((err = mm_unmap(mm, to, new_len)) != 0)
		return err;
	if (old_len > new_len) {
		if ((err = mm_unmap(mm, old + new_len, old_len - new_len)) != 0)
			return err;
		old_len = new_len;
	}
	if (!(v = vma_find(&mm->vmas, old)) || old_len > v->end - old)
		return -EFAULT;
	return move_area(mm, v, old, old_len, to, new_len, flags);
}

int64_t mm_remap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len,
		 unsigned flags, uint64_t new_addr)
{
	struct vma *v;
	uint64_t to;

	if (flags & MREMAP_FIXED)
		return remap_fixed(mm, old, old_len, new_len, new_addr, flags);
	if (!(v = vma_find(&mm->vmas, old)))
		return -EFAULT;
	if (old_len >= new_len && !(flags & MREMAP_DONTUNMAP)) {
		int err = old_len > new_len ? mm_unmap(mm, old + new_len, old_len - new_len) : 0;
		return err ? err : (int64_t)old;
	}
	if (old_len > v->end - old)
		return -EFAULT; /* the range must lie in one area */
	if (!(flags & MREMAP_DONTUNMAP) && grows_in_place(mm, v, old, old_len, new_len)) {
		v->end = old + new_len;
		vma_merge_around(&mm->vmas, v);
		return (int64_t)old;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	uint64_t low = 0x10000;
	if (!(to = vma_gap_top_down(&mm->vmas, new_len, low, mm->mmap_base)) &&
	    !(to = vma_gap_top_down(&mm->vmas, new_len, low, USER_TOP)))
		return -ENOMEM;
	return move_area(mm, v, old, old_len, to, new_len, flags);
}
