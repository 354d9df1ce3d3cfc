/* Demand paging: the fault path asks the area at the faulting address what
 * belongs there, and asks the frame to map it. Anonymous private pages are
 * fresh zeroed pages; file and shared pages come from the inode (tmpfs),
 * so every mapping of a file sees the same frames as read() and write(). */
#include <frame/errno.h>
#include <frame/meminfo.h>
#include "fs/vfs.h"
#include "mm/mm.h"
#include "proc/signal_names.h"

#define BUS_ADRERR 2

static bool prot_allows(const struct vma *v, unsigned access)
{
	if (access & MM_WRITE)
		return v->prot & PROT_WRITE;
	if (access & MM_EXEC)
		return v->prot & PROT_EXEC;
	return v->prot & (PROT_READ | PROT_WRITE); /* W implies R on RISC-V */
}

/* User memory never takes the last of RAM: below this reserve a fault
 * fails (the process dies as Linux's OOM killer would end it), so the
 * kernel's own allocations keep working whatever programs ask for. */
static bool reserve_reached(void)
{
	static uint64_t reserve; /* RAM does not change after boot: once */

	if (!reserve)
		reserve = MAX(mem_total_bytes() / 32, 1UL << 20);
	return mem_free_bytes() < reserve;
}

/* The file page that belongs at page-aligned va of v, referenced. */
static enum mm_fault_result page_for(const struct vma *v, uint64_t va, page_t *out)
{
	int err;

	if (reserve_reached())
		return MM_FAULT_OOM;
	err = v->inode->ops->get_page(v->inode, v->pgoff + (va - v->start) / VMA_PAGE, out);
	if (err == -ENXIO || err == -ENOSPC)
		return MM_FAULT_SIGBUS;
	return err ? MM_FAULT_OOM : MM_FAULT_OK;
}

static enum mm_fault_result map_missing(struct mm *mm, const struct vma *v, uint64_t va)
{
	page_t pg;
	enum mm_fault_result r;
	int err;

	/* Anonymous private: the frame maps a fresh zeroed page, writable at
	 * once, with no page handle to pass and no second fault for a write. */
	if (!v->inode) {
		if (reserve_reached())
			return MM_FAULT_OOM;
		err = aspace_map_anon(mm->as, va, VMA_PAGE, mm_aspace_prot(v->prot, v->flags));
		return err ? MM_FAULT_OOM : MM_FAULT_OK;
	}
	r = page_for(v, va, &pg);

	if (r != MM_FAULT_OK)
		return r;
	err = aspace_map_page(mm->as, va, pg, mm_aspace_prot(v->prot, v->flags));
	page_put(pg); /* the mapping holds its own reference */
	return err ? MM_FAULT_OOM : MM_FAULT_OK;
}

enum mm_fault_result mm_fault(struct mm *mm, uint64_t va, unsigned access)
{
	uint64_t page = va & ~(VMA_PAGE - 1);
	struct vma *v = mm ? vma_find(&mm->vmas, va) : NULL;
	int err;

	if (!v)
		return MM_FAULT_MAPERR;
	if (!prot_allows(v, access))
		return MM_FAULT_ACCERR;
	/* Anonymous private memory, the common fault: the frame looks up and
	 * maps in one walk. Under the reserve only what is mapped resolves. */
	if (!v->inode && !(v->flags & VMA_SHARED) && !reserve_reached()) {
		err = aspace_fault_anon(mm->as, page, access & MM_WRITE,
					mm_aspace_prot(v->prot, v->flags));
		if (err == -ENOMEM)
			return MM_FAULT_OOM;
		return err ? MM_FAULT_ACCERR : MM_FAULT_OK;
	}
	err = aspace_fault(mm->as, page, access & MM_WRITE);
	if (err == -ENOENT) {
		enum mm_fault_result r = map_missing(mm, v, page);
		if (r != MM_FAULT_OK)
			return r;
		/* A private file page written arrives copy-on-write: copy it now.
		 * Any other page is mapped as the access needs it. */
		if (!v->inode || !(access & MM_WRITE))
			return MM_FAULT_OK;
		err = aspace_fault(mm->as, page, true);
	}
	if (err == -ENOMEM)
		return MM_FAULT_OOM;
	return err ? MM_FAULT_ACCERR : MM_FAULT_OK;
}

int mm_fault_signal(enum mm_fault_result r, int *si_code)
{
	switch (r) {
	case MM_FAULT_MAPERR:
	case MM_FAULT_ACCERR:
		*si_code = (int)r; /* SEGV_MAPERR, SEGV_ACCERR */
		return SIGSEGV;
	case MM_FAULT_SIGBUS:
		*si_code = BUS_ADRERR;
		return SIGBUS;
	default:
		*si_code = 0;
		return r == MM_FAULT_OK ? 0 : SIGKILL;
	}
}
