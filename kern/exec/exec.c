/* execve for static executables: map each PT_LOAD, copy its file bytes (the
 * rest of the mapping is zero: the BSS), then the stack. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <string.h>
#include "exec/elf.h"
#include "exec/exec.h"
#include "exec/user_stack.h"
#include "proc/entropy.h"
#include "proc/proc_info.h"

#define PAGE 4096UL
#define STACK_TOP 0x3ffffff000UL       /* one page below USER_TOP */
#define STACK_SIZE (256UL * 1024)       /* mapped up front until stacks grow */
#define STACK_IMAGE_MAX (64UL * 1024)   /* argv + envp + auxv at exec */
#define MMAP_TOP 0x3f00000000UL         /* anonymous mmaps grow down from here */
#define DYN_BIAS 0x2aaaaaa000UL         /* where static-pie programs are placed */
#define HWCAP_IMAFDC 0x112d             /* letters i m a f d c as bits 'x' - 'a' */

static unsigned seg_prot(unsigned elf_prot)
{
	return (elf_prot & ELF_PROT_R ? ASPACE_R : 0) | (elf_prot & ELF_PROT_W ? ASPACE_W : 0) |
	       (elf_prot & ELF_PROT_X ? ASPACE_X : 0);
}

static int load_segments(struct aspace *as, const struct elf_image *img, const uint8_t *file,
			 uint64_t bias)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t start = (bias + s->vaddr) & ~(PAGE - 1);
		uint64_t end = (bias + s->vaddr + s->memsz + PAGE - 1) & ~(PAGE - 1);
		unsigned prot = seg_prot(s->prot);
		int err = aspace_map_anon(as, start, end - start, prot ? prot : ASPACE_R);

		if (err || (err = aspace_write(as, bias + s->vaddr, file + s->offset, s->filesz)))
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

static int build_stack(struct aspace *as, struct user_stack_spec *spec, uint64_t *sp)
{
	uint8_t *buf = kmalloc(STACK_IMAGE_MAX);
	size_t used;
	int64_t r;
	int err;

	if (!buf)
		return -ENOMEM;
	r = user_stack_build(spec, buf, STACK_IMAGE_MAX, STACK_TOP, &used);
	err = r < 0 ? (int)r : aspace_map_anon(as, STACK_TOP - STACK_SIZE, STACK_SIZE, ASPACE_R | ASPACE_W);
	if (!err)
		err = aspace_write(as, STACK_TOP - used, buf + STACK_IMAGE_MAX - used, used);
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
	struct aspace *as;
	uint64_t bias, sp;
	struct cred cred = p->cred;
	int err = check_image(file, size, path, &img);

	if (err)
		return err;
	if (!(as = aspace_create()))
		return -ENOMEM;
	bias = img.is_dyn ? DYN_BIAS : 0;
	cred_exec(&cred, path); /* set-user-ID and set-group-ID files */
	fill_aux(&spec, &img, bias, &cred);
	if ((err = load_segments(as, &img, file, bias)) || (err = build_stack(as, &spec, &sp))) {
		aspace_destroy(as);
		return err == -EEXIST || err == -EINVAL ? -ENOEXEC : err;
	}
	/* Committed: nothing below can fail. */
	aspace_destroy(p->as);
	p->as = as;
	if (p == current)
		aspace_activate(as);
	memset(&p->regs, 0, sizeof(p->regs));
	p->regs.pc = bias + img.entry;
	p->regs.x[UREG_SP] = sp; /* a0 = 0: no dynamic-linker fini function */
	p->brk_start = p->brk = (bias + img.highest_vaddr + PAGE - 1) & ~(PAGE - 1);
	p->mmap_top = MMAP_TOP;
	const char *base = strrchr(path, '/');
	strlcpy(p->comm, base ? base + 1 : path, sizeof(p->comm));
	p->cred = cred;
	procinfo_exec(p, path, argv, envp);
	return 0;
}
