/* The program break: an anonymous area [brk_start, page_up(brk)) that
 * grows and shrinks with brk(2); its pages are mapped on first touch. */
#include <frame/errno.h>
#include <frame/user.h>
#include "mm/mm.h"

#define BRK_GUARD VMA_PAGE /* keep one free page between the break and a mapping */

static uint64_t page_up(uint64_t v)
{
	return (v + VMA_PAGE - 1) & ~(VMA_PAGE - 1);
}

void mm_brk_init(struct mm *mm, uint64_t start)
{
	mm->brk_start = mm->brk = page_up(start);
}

static int grow(struct mm *mm, uint64_t old_end, uint64_t new_end)
{
	struct vma *v = old_end > mm->brk_start ? vma_find(&mm->vmas, old_end - 1) : NULL;
	struct vma tmpl = { .start = old_end, .end = new_end, .prot = PROT_READ | PROT_WRITE,
			    .flags = VMA_BRK };

	if (new_end > USER_TOP - BRK_GUARD || !vma_range_free(&mm->vmas, old_end, new_end + BRK_GUARD))
		return -ENOMEM;
	if (v && (v->flags & VMA_BRK) && v->end == old_end) {
		v->end = new_end;
		return 0;
	}
	return vma_insert(&mm->vmas, &tmpl, NULL);
}

uint64_t mm_brk(struct mm *mm, uint64_t want)
{
	uint64_t old_end = page_up(mm->brk), new_end = page_up(want);

	/* Linux returns the current break for anything it cannot do. */
	if (want < mm->brk_start || new_end < want)
		return mm->brk;
	if (new_end > old_end && grow(mm, old_end, new_end))
		return mm->brk;
	if (new_end < old_end && mm_unmap(mm, new_end, old_end - new_end))
		return mm->brk;
	mm->brk = want;
	return want;
}
