/* Memory syscalls: decode the arguments as Linux does (same checks, same
 * order), then call the mm policy (kern/mm). */
#include <frame/errno.h>
#include "mm/mm.h"
#include "proc/process.h"
#include "syscall/syscall.h"

#define PAGE VMA_PAGE
#define PROT_SEM 0x8
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

static uint64_t page_up(uint64_t v)
{
	return (v + PAGE - 1) & ~(PAGE - 1);
}

static bool page_aligned(uint64_t v)
{
	return !(v & (PAGE - 1));
}

SYSCALL(brk)
{
	return (long)mm_brk(current->mm, args->a[0]);
}

SYSCALL(mmap)
{
	uint64_t addr = args->a[0], len = args->a[1], off = args->a[5];
	unsigned prot = (unsigned)args->a[2], flags = (unsigned)args->a[3];
	struct file *f = NULL;
	int err;

	if (!page_aligned(off))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS) && !(f = fd_get(current, (int)args->a[4])))
		return -EBADF;
	if ((err = mm_map(current->mm, &addr, len, prot, flags, f, off)) != 0)
		return err;
	return (long)addr;
}

SYSCALL(munmap)
{
	uint64_t addr = args->a[0], len = page_up(args->a[1]);

	if (!page_aligned(addr) || len == 0 || len < args->a[1] || len > USER_TOP ||
	    addr > USER_TOP - len)
		return -EINVAL;
	return mm_unmap(current->mm, addr, len);
}

SYSCALL(mprotect)
{
	uint64_t addr = args->a[0], len = page_up(args->a[1]);
	uint64_t prot = args->a[2];

	if (!page_aligned(addr))
		return -EINVAL;
	if (args->a[1] == 0)
		return 0;
	if (addr + len <= addr || len < args->a[1])
		return -ENOMEM;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	prot &= ~(uint64_t)(PROT_GROWSDOWN | PROT_GROWSUP);
	if (prot & ~(uint64_t)(PROT_MASK | PROT_SEM))
		return -EINVAL;
	if (addr + len > USER_TOP)
		return -ENOMEM;
	return mm_protect(current->mm, addr, len, (unsigned)prot & PROT_MASK);
}

SYSCALL(mremap)
{
	uint64_t addr = args->a[0], old_len = page_up(args->a[1]), new_len = page_up(args->a[2]);
	uint64_t flags = args->a[3];

	if (flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (!page_aligned(addr) || new_len == 0 || new_len < args->a[2] || old_len < args->a[1])
		return -EINVAL;
	if (old_len == 0)
		return -EINVAL; /* duplicating a shared mapping: not yet */
	if (addr > USER_TOP || old_len > USER_TOP - addr)
		return -EFAULT;
	return (long)mm_remap(current->mm, addr, old_len, new_len, (unsigned)flags, args->a[4]);
}

enum {
	MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED,
	MADV_FREE = 8, MADV_REMOVE, MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE, MADV_UNMERGEABLE,
	MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK,
	MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ, MADV_POPULATE_WRITE,
	MADV_HWPOISON = 100, MADV_SOFT_OFFLINE = 101,
};

static bool advice_valid(uint64_t advice)
{
	return advice <= MADV_DONTNEED || (advice >= MADV_FREE && advice <= MADV_POPULATE_WRITE) ||
	       advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE;
}

/* Advice that changes nothing we keep: the range must still be mapped. */
static long advise_hint(struct mm *mm, uint64_t addr, uint64_t len)
{
	return vma_range_covered(&mm->vmas, addr, addr + len) ? 0 : -ENOMEM;
}

SYSCALL(madvise)
{
	uint64_t addr = args->a[0], len = page_up(args->a[1]), advice = args->a[2];
	struct mm *mm = current->mm;

	if (!advice_valid(advice) || !page_aligned(addr) || (args->a[1] && !len))
		return -EINVAL;
	if (addr + len < addr)
		return -EINVAL;
	if (len == 0)
		return 0;
	switch (advice) {
	case MADV_DONTNEED:
		return mm_drop_pages(mm, addr, len);
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		if (advise_hint(mm, addr, len))
			return -ENOMEM;
		return mm_populate(mm, addr, len) ? -EFAULT : 0;
	case MADV_REMOVE:
		return -EOPNOTSUPP; /* hole punching is not in tmpfs yet */
	case MADV_HWPOISON:
	case MADV_SOFT_OFFLINE:
		return -EPERM;
	default:
		return advise_hint(mm, addr, len);
	}
}

SYSCALL(msync)
{
	uint64_t addr = args->a[0], len = page_up(args->a[1]), flags = args->a[2];

	if (flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (!page_aligned(addr) || ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	if (addr + len < addr || len < args->a[1])
		return -ENOMEM;
	if (len == 0)
		return 0;
	/* Shared pages are the file's own frames: nothing to write back. */
	return vma_range_covered(&current->mm->vmas, addr, addr + len) ? 0 : -ENOMEM;
}
