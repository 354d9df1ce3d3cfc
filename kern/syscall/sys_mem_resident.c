/* Residency: mincore reports which pages are mapped; the mlock family
 * maps them now. Rivet never pages memory out, so every mapped page is
 * locked already: locking is populating, unlocking is nothing. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "mm/mm.h"
#include "proc/process.h"
#include "syscall/syscall.h"

#define PAGE VMA_PAGE
#define MLOCK_ONFAULT 1
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

/* Fills vec for [addr, addr + n pages) in chunks through a kernel buffer. */
static long mincore_fill(struct mm *mm, uint64_t addr, uint64_t n, uint64_t uvec)
{
	uint8_t buf[256];

	for (uint64_t done = 0; done < n;) {
		uint64_t k = MIN(n - done, sizeof(buf));
		for (uint64_t i = 0; i < k; i++)
			buf[i] = aspace_mapped(mm->as, addr + (done + i) * PAGE);
		if (copy_to_user(uvec + done, buf, k))
			return -EFAULT;
		done += k;
	}
	return 0;
}

SYSCALL(mincore)
{
	uint64_t addr = args->a[0], len = args->a[1], uvec = args->a[2];
	uint64_t pages = len / PAGE + (len % PAGE != 0);

	if (addr & (PAGE - 1))
		return -EINVAL;
	if (addr > USER_TOP || len > USER_TOP - addr)
		return -ENOMEM;
	if (uvec > USER_TOP || pages > USER_TOP - uvec)
		return -EFAULT;
	if (!vma_range_covered(&current->mm->vmas, addr, addr + pages * PAGE))
		return -ENOMEM;
	return mincore_fill(current->mm, addr, pages, uvec);
}

/* The page range mlock and munlock act on: start rounded down. */
static long lock_range(uint64_t addr, uint64_t len, bool populate)
{
	uint64_t start = addr & ~(PAGE - 1), end = addr + len;

	if (end < addr || end > USER_TOP)
		return -ENOMEM;
	end = (end + PAGE - 1) & ~(PAGE - 1);
	if (end == start)
		return 0;
	if (!vma_range_covered(&current->mm->vmas, start, end))
		return -ENOMEM;
	return populate && mm_populate(current->mm, start, end - start) ? -ENOMEM : 0;
}

SYSCALL(mlock)
{
	return lock_range(args->a[0], args->a[1], true);
}

SYSCALL(mlock2)
{
	if (args->a[2] & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(args->a[0], args->a[1], !(args->a[2] & MLOCK_ONFAULT));
}

SYSCALL(munlock)
{
	return lock_range(args->a[0], args->a[1], false);
}

SYSCALL(mlockall)
{
	uint64_t flags = args->a[0];
	struct mm *mm = current->mm;

	if (!flags || (flags & ~(uint64_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if ((flags & MCL_CURRENT) && !(flags & MCL_ONFAULT))
		for (struct vma *v = mm->vmas.head; v; v = v->next)
			(void)mm_populate(mm, v->start, v->end - v->start);
	return 0;
}

SYSCALL(munlockall)
{
	(void)args;
	return 0;
}
