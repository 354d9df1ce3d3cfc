/* Memory syscalls: the program break and anonymous mappings. Pages are
 * allocated when mapped (demand paging and file mappings come later). */
#include <frame/errno.h>
#include "proc/process.h"
#include "syscall/syscall.h"

#define PAGE 4096UL
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define BRK_MMAP_GAP (1UL << 30) /* the break never grows closer to mmaps */

static uint64_t page_up(uint64_t v)
{
	return (v + PAGE - 1) & ~(PAGE - 1);
}

static unsigned aspace_prot(uint64_t prot)
{
	return (prot & PROT_READ ? ASPACE_R : 0) | (prot & PROT_WRITE ? ASPACE_W : 0) |
	       (prot & PROT_EXEC ? ASPACE_X : 0);
}

SYSCALL(brk)
{
	struct process *p = current;
	uint64_t want = args->a[0];
	uint64_t old_end = page_up(p->brk), new_end = page_up(want);

	/* Linux returns the current break for anything it cannot do. */
	if (want < p->brk_start || want + BRK_MMAP_GAP > p->mmap_top)
		return (long)p->brk;
	if (new_end > old_end &&
	    aspace_map_anon(p->as, old_end, new_end - old_end, ASPACE_R | ASPACE_W))
		return (long)p->brk;
	if (new_end < old_end && aspace_unmap(p->as, new_end, old_end - new_end))
		return (long)p->brk;
	p->brk = want;
	return (long)want;
}

static long map_anon_at(struct process *p, uint64_t addr, uint64_t len, uint64_t prot)
{
	unsigned ap = aspace_prot(prot);
	int err = aspace_map_anon(p->as, addr, len, ap ? ap : ASPACE_R);

	if (!err && !ap)
		err = aspace_protect(p->as, addr, len, 0);
	if (err) {
		(void)!aspace_unmap(p->as, addr, len);
		return err == -EEXIST ? -ENOMEM : err;
	}
	return (long)addr;
}

SYSCALL(mmap)
{
	struct process *p = current;
	uint64_t addr = args->a[0], len = page_up(args->a[1]), prot = args->a[2];
	uint64_t flags = args->a[3];

	if (args->a[1] == 0 || len < args->a[1] || (addr & (PAGE - 1)) ||
	    !(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV; /* file mappings arrive with the VFS */
	if (flags & MAP_FIXED) {
		if (addr + len < addr || addr + len > USER_TOP)
			return -EINVAL;
		(void)!aspace_unmap(p->as, addr, len);
		return map_anon_at(p, addr, len, prot);
	}
	if (len > p->mmap_top || p->mmap_top - len < page_up(p->brk) + BRK_MMAP_GAP)
		return -ENOMEM;
	p->mmap_top -= len;
	return map_anon_at(p, p->mmap_top, len, prot);
}

SYSCALL(munmap)
{
	uint64_t addr = args->a[0], len = page_up(args->a[1]);

	if ((addr & (PAGE - 1)) || args->a[1] == 0 || addr + len < addr || addr + len > USER_TOP)
		return -EINVAL;
	return aspace_unmap(current->as, addr, len);
}

SYSCALL(mprotect)
{
	uint64_t addr = args->a[0], len = page_up(args->a[1]);

	if (addr & (PAGE - 1))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (addr + len < addr || addr + len > USER_TOP)
		return -ENOMEM;
	return aspace_protect(current->as, addr, len, aspace_prot(args->a[2]));
}
