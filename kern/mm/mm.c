/* struct mm: creation, sharing by reference, the copy fork makes, and
 * writes into a process's memory from the kernel. */
#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/vfs.h"
#include "mm/mm.h"
#include "mm/oom.h"
#include "proc/process.h"

static struct mm *all_mms;

/* A fault inside copy_*_user: the same policy as a fault in user mode,
 * except that out of memory the call fails (EFAULT) rather than waits for
 * the OOM killer's victim: this runs in the trap handler, which must not
 * sleep. */
static int uaccess_fault(void *ctx, uint64_t va, bool write)
{
	enum mm_fault_result r = mm_fault(ctx, va, write ? MM_WRITE : MM_READ);

	if (r == MM_FAULT_OOM && current)
		oom_kill(current);
	return r != MM_FAULT_OK;
}

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	if (!(mm->as = aspace_create())) {
		kfree(mm);
		return NULL;
	}
	aspace_set_fault_handler(mm->as, uaccess_fault, mm);
	mm->refs = 1;
	mm->next_mm = all_mms;
	all_mms = mm;
	return mm;
}

struct mm *mm_get(struct mm *mm)
{
	mm->refs++;
	return mm;
}

void mm_put(struct mm *mm)
{
	if (!mm || --mm->refs > 0)
		return;
	for (struct mm **p = &all_mms; *p; p = &(*p)->next_mm) {
		if (*p == mm) {
			*p = mm->next_mm;
			break;
		}
	}
	aspace_destroy(mm->as); /* drops every page reference */
	vma_list_free(&mm->vmas);
	mm_set_exe(mm, NULL);
	kfree(mm);
}

void mm_set_exe(struct mm *mm, struct inode *ino)
{
	if (mm->exe) {
		inode_allow_write_access(mm->exe);
		inode_put(mm->exe);
	}
	mm->exe = ino;
	if (ino) {
		inode_get(ino);
		(void)inode_deny_write_access(ino); /* cannot fail: the caller holds a denial */
	}
}

struct mm *mm_fork(struct mm *parent)
{
	struct mm *child = mm_create();

	if (!child)
		return NULL;
	if (vma_list_copy(&child->vmas, &parent->vmas)) {
		mm_put(child);
		return NULL;
	}
	for (struct vma *v = parent->vmas.head; v; v = v->next) {
		if (aspace_copy_range(child->as, parent->as, v->start, v->end - v->start,
				      v->flags & VMA_SHARED)) {
			mm_put(child);
			return NULL;
		}
	}
	mm_set_exe(child, parent->exe);
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->mmap_base = parent->mmap_base;
	return child;
}

int mm_write(struct mm *mm, uint64_t va, const void *src, size_t len)
{
	const char *s = src;

	while (len) {
		size_t chunk = MIN(len, VMA_PAGE - (va & (VMA_PAGE - 1)));
		enum mm_fault_result r = mm_fault(mm, va, MM_WRITE);
		if (r == MM_FAULT_OOM)
			return -ENOMEM; /* exec's new stack: execve fails with ENOMEM, as Linux's */
		if (r != MM_FAULT_OK || aspace_write(mm->as, va, s, chunk))
			return -EFAULT;
		va += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}

/* Unmaps the pages of v that map file pages from first_page on. */
static void drop_file_tail(struct mm *mm, const struct vma *v, uint64_t first_page)
{
	uint64_t pages = (v->end - v->start) / VMA_PAGE, skip;

	if (first_page >= v->pgoff + pages)
		return;
	skip = first_page > v->pgoff ? first_page - v->pgoff : 0;
	(void)!aspace_unmap(mm->as, v->start + skip * VMA_PAGE, (pages - skip) * VMA_PAGE);
}

void mm_file_shrunk(struct inode *ino, uint64_t size)
{
	uint64_t first_page = (size + VMA_PAGE - 1) / VMA_PAGE;

	for (struct mm *mm = all_mms; mm; mm = mm->next_mm)
		for (struct vma *v = mm->vmas.head; v; v = v->next)
			if (v->inode == ino)
				drop_file_tail(mm, v, first_page);
}
