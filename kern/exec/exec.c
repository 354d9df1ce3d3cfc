/* execve for static executables: map each PT_LOAD eagerly as an area of a
 * new mm, copy its file bytes (the rest of the mapping is zero: the BSS),
 * then the stack area, whose pages come on demand. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <string.h>
#include "exec/elf.h"
#include "exec/exec.h"
#include "exec/user_stack.h"
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

static int load_segments(struct mm *mm, const struct elf_image *img, const uint8_t *file,
			 uint64_t bias)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t start = (bias + s->vaddr) & ~(PAGE - 1);
		uint64_t end = (bias + s->vaddr + s->memsz + PAGE - 1) & ~(PAGE - 1);
		/* Filled as they are mapped: text is never writable, and no page
		 * is zeroed only to be copied over. */
		int err = mm_map_fixed_data(mm, start, end - start, seg_prot(s->prot), 0,
					    bias + s->vaddr, file + s->offset, s->filesz);
		if (err)
			return err;
	}
	return 0;
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

static int check_image(const void *file, size_t size, const char *path, struct elf_image *img)
{
	const char *why = "";

	if (elf_parse(file, size, img, &why)) {
		pr_info("exec: %s: not a valid riscv64 executable: %s\n", path, why);
		return -ENOEXEC;
	}
	if (img->has_interp) {
		pr_info("exec: %s: dynamically linked: not supported yet\n", path);
		return -ENOEXEC;
	}
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
	bias = img.is_dyn ? DYN_BIAS : 0;
	cred_exec(&cred, path); /* set-user-ID and set-group-ID files */
	fill_aux(&spec, &img, bias, &cred);
	if ((err = load_segments(mm, &img, file, bias)) ||
	    (err = build_stack(mm, stack_size(p), &spec, &sp)) || (err = signal_tramp_map(mm))) {
		mm_put(mm);
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
