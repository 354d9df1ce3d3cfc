/* New areas: where they go (the hint, a fixed address, or the highest gap
 * below mmap_base), what backs them (nothing, a file, or an unnamed tmpfs
 * file for shared anonymous memory), checked in Linux's order (do_mmap). */
#include <frame/errno.h>
#include <frame/user.h>
#include "fs/fcntl.h"
#include "fs/file.h"
#include "fs/tmpfs.h"
#include "fs/vfs.h"
#include "mm/mm.h"

#define MMAP_MIN_ADDR 0x10000UL       /* Linux's default vm.mmap_min_addr */
#define BRK_ROOM (1UL << 30)          /* placed mmaps keep this far above the break */

static uint64_t page_up(uint64_t v)
{
	return (v + VMA_PAGE - 1) & ~(VMA_PAGE - 1);
}

/* Where a mapping of len bytes goes; 0 if nowhere (-ENOMEM). */
static uint64_t place(struct mm *mm, uint64_t hint, uint64_t len)
{
	uint64_t low = mm->brk ? page_up(mm->brk) + BRK_ROOM : MMAP_MIN_ADDR;

	hint = page_up(hint);
	if (hint >= MMAP_MIN_ADDR && hint <= USER_TOP - len &&
	    vma_range_free(&mm->vmas, hint, hint + len))
		return hint;
	if (low >= mm->mmap_base)
		low = MMAP_MIN_ADDR;
	uint64_t a = vma_gap_top_down(&mm->vmas, len, low, mm->mmap_base);
	return a ? a : vma_gap_top_down(&mm->vmas, len, MMAP_MIN_ADDR, USER_TOP);
}

/* The backing of a file mapping, with Linux's access checks; 1 if the
 * file maps anonymous memory. */
static int file_backing(struct file *f, unsigned prot, unsigned flags, struct vma *v)
{
	unsigned acc = f->flags & O_ACCMODE;
	struct inode *ino = f->inode;

	if ((flags & MAP_TYPE) == MAP_SHARED || (flags & MAP_TYPE) == MAP_SHARED_VALIDATE) {
		if ((prot & PROT_WRITE) && acc != O_RDWR)
			return -EACCES;
		v->flags |= VMA_SHARED;
	}
	if (acc == O_WRONLY)
		return -EACCES;
	if (f->ops->mmap_anonymous)
		return 1; /* as MAP_ANONYMOUS from here on */
	if (!ino || !mode_is(ino->mode, S_IFREG) || !ino->ops->get_page)
		return -ENODEV;
	if (acc == O_RDWR)
		v->flags |= VMA_MAYWRITE;
	v->inode = ino;
	return 0;
}

/* Flags Linux takes with MAP_SHARED_VALIDATE (LEGACY_MAP_MASK). */
#define KNOWN_FLAGS (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | \
		     MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | \
		     MAP_STACK | MAP_HUGETLB | MAP_FIXED_NOREPLACE)

static int backing(struct file *f, uint64_t len, unsigned prot, unsigned flags, struct vma *v)
{
	unsigned type = flags & MAP_TYPE;
	int err;

	if (type == MAP_SHARED_VALIDATE && (flags & ~KNOWN_FLAGS))
		return -EOPNOTSUPP;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if ((err = f ? file_backing(f, prot, flags, v) : 1) <= 0)
		return err;
	v->flags &= ~(unsigned)VMA_SHARED;
	if (type == MAP_PRIVATE)
		return 0;
	v->flags |= VMA_SHARED | VMA_MAYWRITE | VMA_ANON_SHARED;
	v->pgoff = 0;
	return tmpfs_anon_inode(len, &v->inode); /* a reference we drop after insertion */
}

/* Decode: the page-rounded length and where it goes, in do_mmap's order. */
static int where(struct mm *mm, uint64_t *at, uint64_t *len, uint64_t pgoff, unsigned flags)
{
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	uint64_t n = page_up(*len);

	if (*len == 0)
		return -EINVAL;
	if (flags & MAP_HUGETLB)
		return -ENOMEM; /* no huge pages reserved: Linux's default nr_hugepages 0 */
	if (n < *len || n == 0)
		return -ENOMEM;
	if (pgoff + n / VMA_PAGE < pgoff)
		return -EOVERFLOW;
	if (fixed && (*at & (VMA_PAGE - 1)))
		return -EINVAL;
	if (n > USER_TOP || (fixed && *at > USER_TOP - n))
		return -ENOMEM;
	if (!fixed && !(*at = place(mm, *at, n)))
		return -ENOMEM;
	if (fixed && *at < MMAP_MIN_ADDR)
		return -EPERM;
	if ((flags & MAP_FIXED_NOREPLACE) && !vma_range_free(&mm->vmas, *at, *at + n))
		return -EEXIST;
	*len = n;
	return 0;
}

int mm_map(struct mm *mm, uint64_t *addr, uint64_t len, unsigned prot, unsigned flags,
	   struct file *f, uint64_t off)
{
	struct vma tmpl = { .prot = prot & PROT_MASK, .pgoff = off / VMA_PAGE }, *v = NULL;
	uint64_t at = *addr;
	int err;

	if ((err = where(mm, &at, &len, tmpl.pgoff, flags)) != 0 ||
	    (err = backing(f, len, prot, flags, &tmpl)) != 0)
		return err;
	/* Invoke: a fixed mapping replaces what was there. */
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		err = mm_unmap(mm, at, len);
	tmpl.start = at;
	tmpl.end = at + len;
	if (!err)
		err = vma_insert(&mm->vmas, &tmpl, &v);
	if (tmpl.inode && !(f && tmpl.inode == f->inode))
		inode_put(tmpl.inode); /* shared anonymous: the area holds its own */
	if (err)
		return err;
	vma_merge_around(&mm->vmas, v);
	if (flags & (MAP_POPULATE | MAP_LOCKED))
		(void)mm_populate(mm, at, len); /* as Linux: failure to populate is no error */
	*addr = at;
	return 0;
}

int mm_map_fixed_data(struct mm *mm, uint64_t addr, uint64_t len, unsigned prot, unsigned vflags,
		      uint64_t data_addr, const void *data, size_t data_len)
{
	struct vma tmpl = { .start = addr, .end = addr + len, .prot = prot, .flags = vflags };
	struct vma *v;
	unsigned ap = mm_aspace_prot(prot, 0);
	int err;

	if (!vma_range_free(&mm->vmas, addr, addr + len))
		return -EEXIST;
	if ((err = aspace_map_data(mm->as, addr, len, ap ? ap : ASPACE_R, data_addr, data,
				   data_len)) != 0)
		return err;
	if (!ap && (err = aspace_protect(mm->as, addr, len, 0)) != 0)
		return err;
	if ((err = vma_insert(&mm->vmas, &tmpl, &v)) != 0)
		return err; /* the pages go with the address space */
	vma_merge_around(&mm->vmas, v);
	return 0;
}

int mm_map_fixed_anon(struct mm *mm, uint64_t addr, uint64_t len, unsigned prot, unsigned vflags)
{
	return mm_map_fixed_data(mm, addr, len, prot, vflags, addr, NULL, 0);
}

int mm_populate(struct mm *mm, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;

	for (struct vma *v = vma_next_from(&mm->vmas, addr); v && v->start < end; v = v->next) {
		unsigned access = v->prot & PROT_WRITE ? MM_WRITE : MM_READ;
		if ((v->prot & PROT_MASK) == 0)
			continue; /* nothing could touch it */
		for (uint64_t va = MAX(v->start, addr); va < MIN(v->end, end); va += VMA_PAGE)
			if (mm_fault(mm, va, access) != MM_FAULT_OK)
				return -ENOMEM;
	}
	return 0;
}
