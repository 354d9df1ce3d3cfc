/* Malformed ELF executables: each is written to a scratch directory and
 * exec'd in a forked child. Every one must fail exec with an errno, or at
 * worst kill only that child; the parent (and the kernel) go on, and at the
 * end a well-formed program still runs.
 *
 * All cases are mutations of one small valid ET_EXEC (one PT_LOAD, code
 * that exits 42), which runs first: so each failure is the mutation's.
 *
 * Linux (binfmt_elf) checks the header and the program-header table before
 * exec's point of no return (ENOEXEC), then opens PT_INTERP (ENOENT,
 * EACCES; ELIBBAD if it is not an ELF for this machine); the segments and
 * the entry it checks only while mapping, after that point, and answers a
 * bad one with SIGSEGV (overlapping segments it maps one over the other;
 * an entry outside every segment faults on the first instruction). Rivet
 * checks the segments and the entry before committing, so they fail exec
 * with ENOEXEC instead: cleaner for the caller, and the old image keeps
 * running. Each case names both outcomes; on_rivet() picks Rivet's.
 *
 * The Linux oracle runs under qemu-riscv64, whose execve goes to the host
 * kernel: without binfmt_misc that kernel refuses every riscv64 program
 * with ENOEXEC (or EACCES everything, if the container's /tmp is noexec):
 * every case must then fail as the valid program does, which is checked,
 * and said. With binfmt_misc qemu-user's own loader answers instead of
 * Linux's: only "it did not run" is checked. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "scratch.h"

#define BASE 0x10000ull
#define EHDR 64
#define PHDR 56
#define CODE_OFF (EHDR + 3 * PHDR) /* room for three program headers */
#define IMAGE_MAX 4096
#define RAN 42   /* the exit status of the valid program */
#define SEGV (-1) /* outcome: killed by SIGSEGV */
#define RAN_OR_SEGV (-2) /* outcome: either (Linux versions differ, or it maps past the end) */
#define KERNEL_VA 0xffffffc000000000ull

struct image {
	uint8_t b[IMAGE_MAX];
	size_t size;
};

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static uint8_t *phdr(struct image *im, unsigned i)
{
	return im->b + EHDR + i * PHDR;
}

static void set_load(struct image *im, unsigned i, uint64_t off, uint64_t va, uint64_t filesz,
		     uint64_t memsz, uint32_t flags)
{
	uint8_t *p = phdr(im, i);

	put(p, 1, 4); /* PT_LOAD */
	put(p + 4, flags, 4);
	put(p + 8, off, 8);
	put(p + 16, va, 8);
	put(p + 24, va, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, 0x1000, 8);
}

/* exit(42): li a0, 42; li a7, 93; ecall */
static const uint32_t exit42[] = { 0x02a00513, 0x05d00893, 0x00000073 };

/* The valid program: ELF64, little-endian, riscv64, ET_EXEC, one R+X
 * PT_LOAD mapping the whole file at BASE, entry at the code. */
static void valid(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->b, "\177ELF", 4);
	im->b[4] = 2; /* ELFCLASS64 */
	im->b[5] = 1; /* ELFDATA2LSB */
	im->b[6] = 1; /* EV_CURRENT */
	put(im->b + 16, 2, 2);   /* ET_EXEC */
	put(im->b + 18, 243, 2); /* EM_RISCV */
	put(im->b + 20, 1, 4);
	put(im->b + 24, BASE + CODE_OFF, 8); /* e_entry */
	put(im->b + 32, EHDR, 8);            /* e_phoff */
	put(im->b + 52, EHDR, 2);
	put(im->b + 54, PHDR, 2);
	put(im->b + 56, 1, 2); /* e_phnum */
	for (unsigned i = 0; i < 3; i++)
		put(im->b + CODE_OFF + 4 * i, exit42[i], 4);
	im->size = CODE_OFF + sizeof(exit42);
	set_load(im, 0, 0, BASE, im->size, im->size, 5 /* R+X */);
}

static void set_phnum(struct image *im, unsigned n)
{
	put(im->b + 56, n, 2);
}

/* PT_INTERP as the second program header, its path after the code. */
static void add_interp(struct image *im, const char *path, bool nul)
{
	size_t off = im->size, len = strlen(path) + nul;
	uint8_t *p = phdr(im, 1);

	memcpy(im->b + off, path, len);
	im->size += len;
	put(p, 3, 4); /* PT_INTERP */
	put(p + 4, 4, 4);
	put(p + 8, off, 8);
	put(p + 32, len, 8);
	put(p + 40, len, 8);
	put(p + 48, 1, 8);
	set_phnum(im, 2);
	set_load(im, 0, 0, BASE, im->size, im->size, 5);
}

/* ---- The cases ---- */

static void truncated_header(struct image *im) { im->size = 40; }
static void empty_file(struct image *im) { im->size = 0; }
static void truncated_phdrs(struct image *im) { set_phnum(im, 3); im->size = EHDR + PHDR + 20; }
static void phdrs_past_end(struct image *im) { put(im->b + 32, 0x100000, 8); }
static void zero_phnum(struct image *im) { set_phnum(im, 0); }
static void huge_phnum(struct image *im) { set_phnum(im, 0xffff); }
static void bad_phentsize(struct image *im) { put(im->b + 54, 32, 2); }
/* EM_SPARCV9: a machine no host of the oracle is (EM_X86_64 would run there). */
static void bad_machine(struct image *im) { put(im->b + 18, 43, 2); }
static void bad_class(struct image *im) { im->b[4] = 1; /* ELFCLASS32 */ }
static void not_executable(struct image *im) { put(im->b + 16, 1 /* ET_REL */, 2); }
static void bad_magic(struct image *im) { im->b[1] = 'X'; }

/* Big-endian: EI_DATA and every multi-byte field swapped (so e_machine
 * reads 0xf300 to a little-endian kernel). */
static void big_endian(struct image *im)
{
	im->b[5] = 2;
	for (unsigned off = 16; off < 24; off += 2) { /* e_type, e_machine; e_version below */
		uint8_t t = im->b[off];
		im->b[off] = im->b[off + 1];
		im->b[off + 1] = t;
	}
	put(im->b + 20, 0x01000000, 4);
}

static void overlapping(struct image *im)
{
	set_phnum(im, 2);
	set_load(im, 1, 0, BASE, im->size, 0x2000, 5);
}

/* 64 GiB of BSS: user space holds it, RAM does not. Rivet maps the BSS on
 * demand, so the program runs; Linux's overcommit check may refuse it. */
static void huge_bss(struct image *im) { set_load(im, 0, 0, BASE, im->size, 1ull << 36, 7); }
static void huge_memsz(struct image *im) { set_load(im, 0, 0, BASE, im->size, 1ull << 62, 5); }
static void memsz_wraps(struct image *im) { set_load(im, 0, 0, BASE, im->size, -BASE, 5); }
static void filesz_over_memsz(struct image *im) { set_load(im, 0, 0, BASE, im->size, 16, 5); }
static void filesz_past_end(struct image *im) { set_load(im, 0, 0, BASE, 0x100000, 0x100000, 5); }

static void kernel_segment(struct image *im)
{
	set_load(im, 0, 0, KERNEL_VA, im->size, im->size, 5);
	put(im->b + 24, KERNEL_VA + CODE_OFF, 8);
}

/* ET_DYN is placed at a load bias of the kernel's choosing, whatever its
 * link-time addresses: linked high in user space, it still runs. */
static void dyn_high(struct image *im)
{
	put(im->b + 16, 3 /* ET_DYN */, 2);
	set_load(im, 0, 0, 0x3f00000000ull, im->size, im->size, 5);
	put(im->b + 24, 0x3f00000000ull + CODE_OFF, 8);
}

/* Linked high with p_align 2^63: the only bias that aligned puts the
 * segment at 2^63 + its address, outside user space. */
static void dyn_huge_align(struct image *im)
{
	dyn_high(im);
	put(phdr(im, 0) + 48, 1ull << 63, 8);
}

static void misaligned(struct image *im)
{
	set_load(im, 0, 0, BASE + 0x100, im->size, im->size, 5);
	put(im->b + 24, BASE + 0x100 + CODE_OFF, 8);
}

static void entry_outside(struct image *im) { put(im->b + 24, 0x500000, 8); }
static void entry_kernel(struct image *im) { put(im->b + 24, KERNEL_VA + 0x1000, 8); }

static void interp_missing(struct image *im) { add_interp(im, "/nonexistent/ld.so", true); }
static void interp_no_nul(struct image *im) { add_interp(im, "/nonexistent/ld.so", false); }
static void interp_text(struct image *im) { add_interp(im, "./not-an-elf", true); }
static void interp_dir(struct image *im) { add_interp(im, "/tmp", true); }
static void interp_foreign(struct image *im) { add_interp(im, "./foreign-elf", true); }

struct bad_case {
	const char *name;
	void (*mutate)(struct image *);
	int rivet, on_linux; /* an errno, SEGV, RAN or RAN_OR_SEGV; on_linux: 6.1's binfmt_elf */
};

static const struct bad_case cases[] = {
	{ "truncated header", truncated_header, ENOEXEC, ENOEXEC },
	{ "empty file", empty_file, ENOEXEC, ENOEXEC },
	{ "bad magic", bad_magic, ENOEXEC, ENOEXEC },
	{ "truncated program headers", truncated_phdrs, ENOEXEC, ENOEXEC },
	{ "program headers past the end", phdrs_past_end, ENOEXEC, ENOEXEC },
	{ "zero e_phnum", zero_phnum, ENOEXEC, ENOEXEC },
	{ "huge e_phnum", huge_phnum, ENOEXEC, ENOEXEC },
	{ "bad e_phentsize", bad_phentsize, ENOEXEC, ENOEXEC },
	{ "bad e_machine", bad_machine, ENOEXEC, ENOEXEC },
	{ "ELFCLASS32", bad_class, ENOEXEC, ENOEXEC },
	{ "big-endian", big_endian, ENOEXEC, ENOEXEC },
	{ "ET_REL", not_executable, ENOEXEC, ENOEXEC },
	{ "overlapping PT_LOADs", overlapping, ENOEXEC, RAN_OR_SEGV },
	{ "huge p_memsz", huge_memsz, ENOEXEC, SEGV },
	{ "64 GiB BSS (valid)", huge_bss, RAN, RAN_OR_SEGV },
	{ "p_memsz wraps around", memsz_wraps, ENOEXEC, SEGV },
	{ "p_filesz > p_memsz", filesz_over_memsz, ENOEXEC, SEGV },
	{ "p_filesz past the end", filesz_past_end, ENOEXEC, RAN_OR_SEGV },
	{ "segment in kernel space", kernel_segment, ENOEXEC, SEGV },
	{ "ET_DYN linked high (valid)", dyn_high, RAN, RAN },
	{ "ET_DYN p_align 2^63", dyn_huge_align, ENOEXEC, RAN_OR_SEGV },
	{ "p_vaddr, p_offset misaligned", misaligned, ENOEXEC, SEGV },
	{ "entry outside the segments", entry_outside, ENOEXEC, SEGV },
	{ "entry in kernel space", entry_kernel, ENOEXEC, SEGV },
	{ "PT_INTERP missing", interp_missing, ENOENT, ENOENT },
	{ "PT_INTERP without NUL", interp_no_nul, ENOEXEC, ENOEXEC },
	{ "PT_INTERP a text file", interp_text, ELIBBAD, ELIBBAD },
	{ "PT_INTERP a directory", interp_dir, EACCES, EACCES },
	{ "PT_INTERP a SPARC ELF", interp_foreign, ELIBBAD, ELIBBAD },
};

/* ---- Running them ---- */

static void write_file(const char *name, const void *p, size_t n, mode_t mode)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, mode);

	CHECK(fd >= 0 && write(fd, p, n) == (ssize_t)n && close(fd) == 0);
}

/* Execs path in a child: RAN (or another exit status) if it ran, the errno
 * exec failed with (as a negative number), SEGV if a signal killed it. */
static int run(const char *path)
{
	char *const argv[] = { (char *)path, NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, argv + 1);
		_exit(100 + errno); /* errno values are below 128 */
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1000;
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGSEGV ? SEGV : -2000 - WTERMSIG(status);
	return WEXITSTATUS(status) >= 100 ? -(WEXITSTATUS(status) - 100) : WEXITSTATUS(status);
}

static bool matches(int got, int want)
{
	if (want == RAN_OR_SEGV)
		return got == RAN || got == SEGV;
	return got == (want == RAN || want == SEGV ? want : -want);
}

enum oracle { NATIVE, HOST_REFUSES, QEMU_LOADER };

/* How this kernel runs riscv64 programs: natively (Rivet, or Linux on
 * riscv64), not at all (a foreign host without binfmt_misc), or through
 * qemu-user's loader (binfmt_misc). */
static enum oracle which_oracle(int control)
{
	if (on_rivet())
		return NATIVE;
	if (control < 0 && control > -128)
		return HOST_REFUSES; /* ENOEXEC; EACCES if /tmp is noexec */
	return access("/proc/sys/fs/binfmt_misc/qemu-riscv64", F_OK) == 0 ? QEMU_LOADER : NATIVE;
}

static void check_case(const struct bad_case *c, enum oracle o, int control)
{
	struct image im;
	int got, want;

	valid(&im);
	c->mutate(&im);
	write_file("bad", im.b, im.size, 0755);
	got = run("./bad");
	want = o == HOST_REFUSES ? -control : on_rivet() ? c->rivet : c->on_linux;
	if (o == QEMU_LOADER ? got == RAN && want != RAN && want != RAN_OR_SEGV : !matches(got, want)) {
		printf("FAIL %s: got %d, want %d (errnos negative here, positive there; "
		       "%d: SIGSEGV, %d: either)\n", c->name, got, want, SEGV, RAN_OR_SEGV);
		g_failed++;
	} else {
		g_passed++;
	}
}

/* An interpreter for the PT_INTERP cases: a text file, and an ELF for
 * another machine (the valid image with another e_machine). */
static void write_interpreters(void)
{
	struct image im;

	write_file("not-an-elf", "just text\n", 10, 0755);
	valid(&im);
	bad_machine(&im);
	write_file("foreign-elf", im.b, im.size, 0755);
}

int main(void)
{
	struct image im;
	enum oracle o;
	int control;

	setup();
	valid(&im);
	write_file("good", im.b, im.size, 0755);
	control = run("./good");
	o = which_oracle(control);
	if (o == HOST_REFUSES)
		printf("SKIP: this Linux reference cannot exec riscv64 programs here (errno %d: no "
		       "binfmt_misc, or a noexec /tmp): every case must fail the same way, Linux's "
		       "own errnos are not judged here\n", -control);
	else
		CHECK(control == RAN);
	write_interpreters();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i], o, control);
	CHECK(run("./good") == control); /* everything still works */
	teardown();
	return check_done("test_bad_elf");
}
