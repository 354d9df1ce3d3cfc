/* execve for static executables: map each PT_LOAD as areas of a new mm.
 * From a file system whose pages can be mapped (tmpfs), as Linux maps the
 * page cache: the file's pages themselves, faulted in when first touched
 * (text shared read-only, data copy-on-write), a partial last page before
 * the BSS filled at exec, the BSS and the stack zero pages on demand.
 * From any other, the file's bytes are copied into pages filled as they are
 * mapped. */
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

static int check_area(struct mm *mm, uint64_t start, uint64_t end)
{
	if (end > ELF_USER_LIMIT)
		return -EINVAL;
	return vma_range_free(&mm->vmas, start, end) ? 0 : -EEXIST;
}

/* The area of a PT_LOAD past its file bytes' last page (the BSS): zero
 * pages on first touch, as Linux maps it, so a huge p_memsz costs only
 * what the program touches, never all memory at exec. */
static int map_bss(struct mm *mm, uint64_t start, uint64_t end, unsigned prot)
{
	struct vma tmpl = { .start = start, .end = end, .prot = prot }, *v;
	int err;

	if ((err = check_area(mm, start, end)) != 0 || (err = vma_insert(&mm->vmas, &tmpl, &v)) != 0)
		return err;
	vma_merge_around(&mm->vmas, v);
	return 0;
}

/* [start, end) mapping the file's pages from file page pgoff, private:
 * nothing is read or copied until a page is touched. */
static int map_file_pages(struct mm *mm, struct exec_file *ef, uint64_t start, uint64_t end,
			  uint64_t pgoff, unsigned prot)
{
	struct vma tmpl = { .start = start, .end = end, .prot = prot, .inode = ef->inode,
			    .pgoff = pgoff }, *v;
	int err = check_area(mm, start, end);

	if (err || (err = vma_insert(&mm->vmas, &tmpl, &v)) != 0)
		return err;
	vma_merge_around(&mm->vmas, v);
	return 0;
}

/* The page at pg whose file bytes [va, va + len) end before a BSS: a
 * fresh page filled now, so the rest of it reads as zeros (Linux's padzero). */
static int map_partial_page(struct mm *mm, struct exec_file *ef, uint64_t pg, uint64_t va,
			    uint64_t off, size_t len, unsigned prot)
{
	uint8_t *buf = kmalloc(PAGE);
	int err = buf ? exec_file_read(ef, off, buf, len) : -ENOMEM;

	if (!err)
		err = mm_map_fixed_data(mm, pg, PAGE, prot, 0, va, buf, len);
	kfree(buf);
	return err;
}

/* One PT_LOAD from a mappable file: whole file pages mapped, a partial page
 * followed by BSS filled, the rest of the BSS on demand. */
static int map_segment(struct mm *mm, const struct elf_segment *s, struct exec_file *ef,
		       uint64_t bias)
{
	uint64_t va = bias + s->vaddr, file_end = va + s->filesz;
	uint64_t start = va & ~(PAGE - 1), end = (va + s->memsz + PAGE - 1) & ~(PAGE - 1);
	uint64_t whole = s->filesz == 0 ? start
			 : s->memsz == s->filesz ? (file_end + PAGE - 1) & ~(PAGE - 1)
						 : file_end & ~(PAGE - 1);
	uint64_t filled = s->filesz ? (file_end + PAGE - 1) & ~(PAGE - 1) : start;
	unsigned prot = seg_prot(s->prot);
	int err = 0;

	if (end <= start || filled < start || filled > end || whole < start)
		return -EINVAL; /* the bias wrapped it around */
	if (whole > start)
		err = map_file_pages(mm, ef, start, whole, (s->offset - (va - start)) / PAGE, prot);
	if (!err && filled > whole) {
		uint64_t from = MAX(va, whole);
		err = map_partial_page(mm, ef, whole, from, s->offset + (from - va), file_end - from,
				       prot);
	}
	if (!err && end > filled)
		err = map_bss(mm, filled, end, prot);
	return err;
}

/* One PT_LOAD copied from the file's bytes in memory: the pages holding
 * them mapped now and filled as they are mapped (text is never writable,
 * and no page is zeroed only to be copied over), the rest on demand. */
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

static int load_segments(struct mm *mm, const struct elf_image *img, struct exec_file *ef,
			 uint64_t bias)
{
	bool mapped = exec_file_mappable(ef);
	int err = mapped ? 0 : exec_file_read_all(ef);

	for (unsigned i = 0; i < img->nseg && !err; i++)
		err = mapped ? map_segment(mm, &img->seg[i], ef, bias)
			     : load_segment(mm, &img->seg[i], ef->whole, bias);
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
	struct exec_file ef;
	int err = vfs_exec_open(interp, &ef);

	if (!err)
		err = exec_file_read_all(&ef);
	if (err) {
		vfs_exec_close(&ef);
		pr_info("exec: %s: interpreter %s: %s\n", path, interp, errno_name(err));
		return err;
	}
	err = elf_check_interp(ef.whole, ef.size, &why);
	vfs_exec_close(&ef);
	if (err) {
		pr_info("exec: %s: interpreter %s: %s\n", path, interp, why);
		return err;
	}
	pr_info("exec: %s: dynamically linked (%s): not supported yet\n", path, interp);
	return -ENOEXEC;
}

/* The headers are looked for in the file's head; only an unusual layout
 * (or a bad file, to say why exactly) makes it read the whole file. */
static int check_image(struct exec_file *ef, const char *path, struct elf_image *img)
{
	const char *why = "";
	const char *f = ef->head;
	int err = elf_parse_head(ef->head, ef->head_len, ef->size, img, &why);

	if (err && ef->head_len < ef->size) {
		if ((err = exec_file_read_all(ef)) != 0)
			return err;
		f = ef->whole;
		err = elf_parse(ef->whole, ef->size, img, &why);
	}
	if (err) {
		pr_info("exec: %s: not a valid riscv64 executable: %s\n", path, why);
		return -ENOEXEC;
	}
	if (img->has_interp)
		return check_interp(path, f + img->interp_offset);
	return 0;
}

int exec_image(struct process *p, struct exec_file *ef, const char *path,
	       const char *const argv[], const char *const envp[])
{
	struct elf_image img;
	struct user_stack_spec spec = { .argv = argv, .envp = envp, .execfn = path };
	struct mm *mm;
	uint64_t bias, sp;
	struct cred cred = p->cred;
	int err = check_image(ef, path, &img);

	if (err)
		return err;
	if (!(mm = mm_create()))
		return -ENOMEM;
	bias = img.is_dyn ? dyn_bias(&img) : 0;
	cred_exec(&cred, path); /* set-user-ID and set-group-ID files */
	fill_aux(&spec, &img, bias, &cred);
	if ((err = load_segments(mm, &img, ef, bias)) ||
	    (err = build_stack(mm, stack_size(p), &spec, &sp)) || (err = signal_tramp_map(mm))) {
		mm_put(mm);
		pr_info("exec: %s: cannot map the image: %s\n", path, errno_name(err));
		return err == -EEXIST || err == -EINVAL ? -ENOEXEC : err;
	}
	/* Committed: nothing below can fail. The other threads go first (de_thread). */
	thread_group_single(p);
	mm_brk_init(mm, bias + img.highest_vaddr);
	mm_set_exe(mm, ef->inode);
	mm->mmap_base = MMAP_TOP;
	mm_put(p->mm);
	p->mm = mm;
	p->as = mm->as;
	if (p == current)
		aspace_activate(mm->as);
	memset(&p->regs, 0, sizeof(p->regs));
	process_note_work(p); /* the whole context is new */
	p->regs.pc = bias + img.entry;
	p->regs.x[UREG_SP] = sp; /* a0 = 0: no dynamic-linker fini function */
	const char *base = strrchr(path, '/');
	strlcpy(p->comm, base ? base + 1 : path, sizeof(p->comm));
	signal_exec(p);
	p->cred = cred;
	procinfo_exec(p, path, argv, envp);
	return 0;
}
