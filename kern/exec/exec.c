/* execve for static executables: map each PT_LOAD as an area of a new mm,
 * its file bytes' pages eagerly and filled, the rest (the BSS) and the
 * stack area with pages on demand. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <string.h>
#include "exec/elf.h"
#include "exec/exec.h"
#include "exec/user_stack.h"
#include "fs/exec_read.h"
#include "mm/mm.h"
#include "proc/thread.h"
#include "proc/entropy.h"
#include "proc/signal.h"
#include "proc/signal_frame.h"
#include "proc/proc_info.h"

#define PAGE 4096UL
#define STACK_TOP 0x3ffffff000UL       /* one page below USER_TOP */
#define STACK_MIN (128UL * 1024)        /* the stack area: RLIMIT_STACK within these, */
#define STACK_MAX (1UL << 30)           /* its pages mapped on first touch */
#define STACK_IMAGE_MAX (512UL * 1024)  /* argv + envp + auxv at exec: strings and pointers */
#define MMAP_TOP 0x3f00000000UL         /* anonymous mmaps grow down from here */
#define DYN_BIAS 0x2aaaaaa000UL         /* where static-pie programs are placed */
#define HWCAP_IMAFDC 0x112d             /* letters i m a f d c as bits 'x' - 'a' */

static unsigned seg_prot(unsigned elf_prot)
{
	return (elf_prot & ELF_PROT_R ? PROT_READ : 0) | (elf_prot & ELF_PROT_W ? PROT_WRITE : 0) |
	       (elf_prot & ELF_PROT_X ? PROT_EXEC : 0);
}

/* The area of a PT_LOAD past its file bytes' last page (the BSS): zero
 * pages on first touch, as Linux maps it, so a huge p_memsz costs only
 * what the program touches, never all memory at exec. */
static int map_bss(struct mm *mm, uint64_t start, uint64_t end, unsigned prot)
{
	struct vma tmpl = { .start = start, .end = end, .prot = prot }, *v;
	int err;

	if (end > ELF_USER_LIMIT)
		return -EINVAL;
	if (!vma_range_free(&mm->vmas, start, end))
		return -EEXIST;
	if ((err = vma_insert(&mm->vmas, &tmpl, &v)) != 0)
		return err;
	vma_merge_around(&mm->vmas, v);
	return 0;
}

/* One PT_LOAD: the pages holding file bytes mapped now and filled as they
 * are mapped (text is never writable, and no page is zeroed only to be
 * copied over), the rest on demand. */
static int load_segment(struct mm *mm, const struct elf_segment *s, const uint8_t *file,
			uint64_t bias)
{
	uint64_t va = bias + s->vaddr;
	uint64_t start = va & ~(PAGE - 1), end = (va + s->memsz + PAGE - 1) & ~(PAGE - 1);
	uint64_t filled = s->filesz ? (va + s->filesz + PAGE - 1) & ~(PAGE - 1) : start;
	unsigned prot = seg_prot(s->prot);
	int err = 0;

	if (end <= start || filled < start || filled > end)
		return -EINVAL; /* the bias wrapped it around */
	if (filled > start)
		err = mm_map_fixed_data(mm, start, filled - start, prot, 0, va, file + s->offset,
					s->filesz);
	if (!err && end > filled)
		err = map_bss(mm, filled, end, prot);
	return err;
}

static int load_segments(struct mm *mm, const struct elf_image *img, const uint8_t *file,
			 uint64_t bias)
{
	int err = 0;

	for (unsigned i = 0; i < img->nseg && !err; i++)
		err = load_segment(mm, &img->seg[i], file, bias);
	return err;
}

static void fill_aux(struct user_stack_spec *spec, const struct elf_image *img, uint64_t bias,
		     const struct cred *c)
{
	const uint64_t aux[][2] = {
		{ AT_PHDR, img->phdr_vaddr ? bias + img->phdr_vaddr : 0 },
		{ AT_PHENT, img->phentsize }, { AT_PHNUM, img->phnum },
		{ AT_PAGESZ, PAGE }, { AT_BASE, 0 }, { AT_FLAGS, 0 },
		{ AT_ENTRY, bias + img->entry },
		{ AT_UID, c->uid }, { AT_EUID, c->euid }, { AT_GID, c->gid }, { AT_EGID, c->egid },
		{ AT_HWCAP, HWCAP_IMAFDC }, { AT_HWCAP2, 0 }, { AT_CLKTCK, 100 },
		{ AT_SECURE, c->euid != c->uid || c->egid != c->gid },
	};

	spec->naux = sizeof(aux) / sizeof(aux[0]);
	memcpy(spec->aux, aux, sizeof(aux));
	entropy_fill(spec->random, sizeof(spec->random));
}

/* The stack area's size: the soft RLIMIT_STACK, page-rounded and clamped. */
static uint64_t stack_size(const struct process *p)
{
	uint64_t want = p->rlim[RLIMIT_STACK].cur;

	want = want > STACK_MAX ? STACK_MAX : want < STACK_MIN ? STACK_MIN : want;
	return want & ~(PAGE - 1);
}

static int build_stack(struct mm *mm, uint64_t size, struct user_stack_spec *spec, uint64_t *sp)
{
	uint8_t *buf = kmalloc(STACK_IMAGE_MAX);
	size_t used;
	int64_t r;
	int err;

	if (!buf)
		return -ENOMEM;
	r = user_stack_build(spec, buf, STACK_IMAGE_MAX, STACK_TOP, &used);
	struct vma stack = { .start = STACK_TOP - size, .end = STACK_TOP,
			     .prot = PROT_READ | PROT_WRITE, .flags = VMA_STACK };
	err = r < 0 ? (int)r : vma_insert(&mm->vmas, &stack, NULL);
	if (!err)
		err = mm_write(mm, STACK_TOP - used, buf + STACK_IMAGE_MAX - used, used);
	kfree(buf);
	*sp = (uint64_t)r;
	return err;
}

/* Where an ET_DYN goes: its lowest segment near DYN_BIAS whatever its
 * link-time addresses (Linux: ELF_ET_DYN_BASE - vaddr), aligned to its
 * largest p_align. The arithmetic is modulo 2^64: a bias "below zero" is
 * fine, as only bias + vaddr is ever used. */
static uint64_t dyn_bias(const struct elf_image *img)
{
	return (DYN_BIAS - img->lowest_vaddr) & ~(img->max_align - 1);
}

/* A dynamic executable: its interpreter is opened and its header checked
 * as Linux does before committing (-ENOENT, -EACCES, ... from the open;
 * -ELIBBAD if it is not a riscv64 ELF), so a broken PT_INTERP reads as
 * Linux reports it. Loading one is not supported yet: then -ENOEXEC. */
static int check_interp(const char *path, const char *interp)
{
	const char *why = "";
	void *image;
	size_t size;
	int err = vfs_exec_open(interp, &image, &size);

	if (err) {
		pr_info("exec: %s: interpreter %s: %s\n", path, interp, errno_name(err));
		return err;
	}
	err = elf_check_interp(image, size, &why);
	vfs_exec_close(image);
	if (err) {
		pr_info("exec: %s: interpreter %s: %s\n", path, interp, why);
		return err;
	}
	pr_info("exec: %s: dynamically linked (%s): not supported yet\n", path, interp);
	return -ENOEXEC;
}

static int check_image(const void *file, size_t size, const char *path, struct elf_image *img)
{
	const char *why = "";

	if (elf_parse(file, size, img, &why)) {
		pr_info("exec: %s: not a valid riscv64 executable: %s\n", path, why);
		return -ENOEXEC;
	}
	if (img->has_interp)
		return check_interp(path, (const char *)file + img->interp_offset);
	return 0;
}

int exec_image(struct process *p, const void *file, size_t size, const char *path,
	       const char *const argv[], const char *const envp[])
{
	struct elf_image img;
	struct user_stack_spec spec = { .argv = argv, .envp = envp, .execfn = path };
	struct mm *mm;
	uint64_t bias, sp;
	struct cred cred = p->cred;
	int err = check_image(file, size, path, &img);

	if (err)
		return err;
	if (!(mm = mm_create()))
		return -ENOMEM;
	bias = img.is_dyn ? dyn_bias(&img) : 0;
	cred_exec(&cred, path); /* set-user-ID and set-group-ID files */
	fill_aux(&spec, &img, bias, &cred);
	if ((err = load_segments(mm, &img, file, bias)) ||
	    (err = build_stack(mm, stack_size(p), &spec, &sp)) || (err = signal_tramp_map(mm))) {
		mm_put(mm);
		pr_info("exec: %s: cannot map the image: %s\n", path, errno_name(err));
		return err == -EEXIST || err == -EINVAL ? -ENOEXEC : err;
	}
	/* Committed: nothing below can fail. The other threads go first (de_thread). */
	thread_group_single(p);
	mm_brk_init(mm, bias + img.highest_vaddr);
	mm->mmap_base = MMAP_TOP;
	mm_put(p->mm);
	p->mm = mm;
	p->as = mm->as;
	if (p == current)
		aspace_activate(mm->as);
	memset(&p->regs, 0, sizeof(p->regs));
	p->regs.pc = bias + img.entry;
	p->regs.x[UREG_SP] = sp; /* a0 = 0: no dynamic-linker fini function */
	const char *base = strrchr(path, '/');
	strlcpy(p->comm, base ? base + 1 : path, sizeof(p->comm));
	signal_exec(p);
	p->cred = cred;
	procinfo_exec(p, path, argv, envp);
	return 0;
}
