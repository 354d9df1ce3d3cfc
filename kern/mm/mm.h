/* A process's memory: its areas (vma.h), the address space that caches
 * their pages, and the program break. Threads (CLONE_VM) will share one mm
 * through its reference count; fork copies it.
 *
 * Concurrency: kernel code is scheduled cooperatively and nothing here
 * sleeps, so each operation runs to its end without another task in
 * between (the fault handler may run inside copy_*_user of any syscall:
 * callers must not hold an area pointer across a user copy). */
#ifndef KERN_MM_MM_H
#define KERN_MM_MM_H

#include <frame/aspace.h>
#include "mm/vma.h"

struct file;
struct inode;

struct mm {
	unsigned refs;             /* processes (later threads) using it */
	struct aspace *as;
	struct vma_list vmas;
	uint64_t brk_start, brk;   /* the break area is [brk_start, page_up(brk)) */
	uint64_t mmap_base;        /* mmaps without a hint go below this */
	struct mm *next_mm;        /* every live mm (mm_file_shrunk walks them) */
	struct inode *exe;         /* the program exec mapped (a reference, writes denied), or NULL */
};

#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define PROT_MASK 7

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x0100
#define MAP_DENYWRITE 0x0800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_HUGETLB 0x40000
#define MAP_SYNC 0x80000
#define MAP_FIXED_NOREPLACE 0x100000

/* What a fault that could not be resolved should raise (si_code values of
 * SIGSEGV, and SIGBUS for a file page past the end of the file). */
enum mm_fault_result {
	MM_FAULT_OK = 0,
	MM_FAULT_MAPERR = 1, /* SIGSEGV, SEGV_MAPERR: no area there */
	MM_FAULT_ACCERR = 2, /* SIGSEGV, SEGV_ACCERR: the area's prot refuses */
	MM_FAULT_SIGBUS = 3, /* SIGBUS, BUS_ADRERR: past the end of the file */
	MM_FAULT_OOM = 4,    /* no memory for the page (SIGKILL-like) */
};
enum mm_access { MM_READ = 1, MM_WRITE = 2, MM_EXEC = 4 };

/* The frame's protection bits for PROT_* and an area's flags. */
static inline unsigned mm_aspace_prot(unsigned prot, unsigned vflags)
{
	return (prot & PROT_READ ? ASPACE_R : 0) | (prot & PROT_WRITE ? ASPACE_W : 0) |
	       (prot & PROT_EXEC ? ASPACE_X : 0) | (vflags & VMA_SHARED ? ASPACE_SHARED : 0);
}

/* An empty mm with a fresh address space; NULL if out of memory. */
struct mm *mm_create(void);
struct mm *mm_get(struct mm *mm);
/* Drops a reference; the last frees the areas, pages and address space. */
void mm_put(struct mm *mm);
/* mm runs the program ino from now on: its file stays unwritable
 * (-ETXTBSY) while mm lives (exec, after vfs_exec_open denied writes). */
void mm_set_exe(struct mm *mm, struct inode *ino);
/* A copy for fork: private areas copy-on-write, shared ones shared. */
struct mm *mm_fork(struct mm *parent);

/* Resolves a fault at va (fault.c): maps the page the area says belongs
 * there, or breaks copy-on-write. */
enum mm_fault_result mm_fault(struct mm *mm, uint64_t va, unsigned access);
/* The signal number and si_code a failed fault raises. */
int mm_fault_signal(enum mm_fault_result r, int *si_code);
/* Writes into mm's memory as its owner would (faulting pages in, breaking
 * copy-on-write), whether or not mm is active. -EFAULT, or -ENOMEM when
 * no page could be had. */
int mm_write(struct mm *mm, uint64_t va, const void *src, size_t len);

/* A file shrank to size bytes: its pages past the new end leave every
 * mapping (private copies too, as Linux's truncate), so touching them
 * raises SIGBUS and growing the file again maps the new pages. */
void mm_file_shrunk(struct inode *ino, uint64_t size);

/* maps.c: area v as a /proc/<pid>/maps line (with its newline) in buf,
 * NUL-terminated and cut to size; returns the length written. Walk
 * mm->vmas.head ... ->next for the whole file. */
size_t mm_format_area(const struct vma *v, char *buf, size_t size);

/* mmap.c: a new area; *addr in: the hint or fixed address, out: where. */
int mm_map(struct mm *mm, uint64_t *addr, uint64_t len, unsigned prot, unsigned flags,
	   struct file *f, uint64_t off);
/* An anonymous private area with eagerly mapped pages (exec). */
int mm_map_fixed_anon(struct mm *mm, uint64_t addr, uint64_t len, unsigned prot, unsigned vflags);
/* The same with data_len bytes of data at data_addr (inside the area) and
 * zeroes around them, each page written once (exec's segments). */
int mm_map_fixed_data(struct mm *mm, uint64_t addr, uint64_t len, unsigned prot, unsigned vflags,
		      uint64_t data_addr, const void *data, size_t data_len);
/* unmap.c */
int mm_unmap(struct mm *mm, uint64_t addr, uint64_t len);
int mm_protect(struct mm *mm, uint64_t addr, uint64_t len, unsigned prot);
/* Drops the pages of [addr, addr + len) (MADV_DONTNEED): they are mapped
 * again on the next touch, zero for private anonymous memory. */
int mm_drop_pages(struct mm *mm, uint64_t addr, uint64_t len);
/* Maps every page of [addr, addr + len) now (MAP_POPULATE). */
int mm_populate(struct mm *mm, uint64_t addr, uint64_t len);
/* mremap.c: returns the new address or -errno. */
int64_t mm_remap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len,
		 unsigned flags, uint64_t new_addr);
/* brk.c: moves the break; returns the break after the call. */
uint64_t mm_brk(struct mm *mm, uint64_t want);
/* Sets up the break area at start (exec). */
void mm_brk_init(struct mm *mm, uint64_t start);

#endif
