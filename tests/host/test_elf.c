/* Host tests of elf_parse() (kern/exec/elf.c). Real riscv64 executables,
 * linked at build time (fixtures/elf/, see CMakeLists.txt), are accepted
 * with what readelf says about them; copies mutated field by field are
 * refused with the right reason; every truncation and thousands of seeded
 * random corruptions end in 0 or -EINVAL, never in a read outside the
 * buffer (ASan). */
#include <stdlib.h>

#include <frame/errno.h>
#include "exec/elf.h"
#include "rng.h"
#include "test.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#ifdef HAVE_ASAN
#include <sanitizer/asan_interface.h>
#endif

#define PAGE 4096ULL
#define LIMIT ELF_USER_LIMIT

/* ELF layout, written out here independently of the parser. */
#define E_TYPE 16
#define E_MACHINE 18
#define E_VERSION 20
#define E_ENTRY 24
#define E_PHOFF 32
#define E_PHENTSIZE 54
#define E_PHNUM 56
#define P_TYPE 0
#define P_FLAGS 4
#define P_OFFSET 8
#define P_VADDR 16
#define P_FILESZ 32
#define P_MEMSZ 40
#define P_ALIGN 48
#define PT_NULL 0
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PT_GNU_STACK 0x6474e551u

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* ---- Fixtures and readelf's account of them ---------------------------- */

#define MAX_LOADS 16

struct readelf {
	bool dyn;
	uint64_t entry, phoff;
	unsigned phnum, nload;
	struct {
		uint64_t offset, vaddr, filesz, memsz, align;
		unsigned prot;
	} load[MAX_LOADS];
	bool has_phdr;
	uint64_t phdr_vaddr;
	char interp[256];
};

struct fixture {
	const char *name;
	uint8_t *buf;
	size_t size;
	struct readelf re;
};

static void *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	long n;
	void *buf;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cannot load fixture %s\n", path);
		exit(2);
	}
	fclose(f);
	((char *)buf)[n] = '\0';
	*size = (size_t)n;
	return buf;
}

/* readelf -lhW output: the header lines and the LOAD/PHDR/INTERP rows. */
static void parse_readelf(const char *text, struct readelf *re)
{
	const char *line = text;
	char interp[256];

	memset(re, 0, sizeof(*re));
	while (line && *line) {
		const char *l = line + strspn(line, " \t");
		unsigned long long off, va, pa, fsz, msz;
		int n = 0;

		if (strncmp(l, "Type:", 5) == 0)
			re->dyn = strncmp(l + 5 + strspn(l + 5, " "), "DYN ", 4) == 0;
		else if (strncmp(l, "Entry point address:", 20) == 0)
			re->entry = strtoull(l + 20, NULL, 0);
		else if (strncmp(l, "Start of program headers:", 25) == 0)
			re->phoff = strtoull(l + 25, NULL, 0);
		else if (strncmp(l, "Number of program headers:", 26) == 0)
			re->phnum = (unsigned)strtoul(l + 26, NULL, 0);
		else if (sscanf(l, "[Requesting program interpreter: %255[^]]]", interp) == 1)
			strcpy(re->interp, interp);
		else if (sscanf(l, "PHDR %llx %llx", &off, &va) == 2) {
			re->has_phdr = true;
			re->phdr_vaddr = va;
		} else if (sscanf(l, "LOAD %llx %llx %llx %llx %llx%n", &off, &va, &pa, &fsz, &msz,
				  &n) == 5 && re->nload < MAX_LOADS) {
			/* then the flags ("R E", "RW "), then the alignment */
			const char *end = strchr(l, '\n'), *al = l + n;
			const char *last = strstr(al, "0x");
			unsigned prot = 0;

			for (const char *c = al; c < last && c < end; c++)
				prot |= *c == 'R' ? ELF_PROT_R : *c == 'W' ? ELF_PROT_W :
					*c == 'E' ? ELF_PROT_X : 0;
			re->load[re->nload].offset = off;
			re->load[re->nload].vaddr = va;
			re->load[re->nload].filesz = fsz;
			re->load[re->nload].memsz = msz;
			re->load[re->nload].align = last ? strtoull(last, NULL, 16) : 0;
			re->load[re->nload].prot = prot;
			re->nload++;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

static struct fixture fixtures[] = {
	{ .name = "tiny_static" }, { .name = "tiny_pie" }, { .name = "tiny_64k" },
	{ .name = "hello_static" }, { .name = "hello_dyn" }, { .name = "hello_nopie" },
};
enum { TINY_STATIC, TINY_PIE, TINY_64K, HELLO_STATIC, HELLO_DYN, HELLO_NOPIE, NFIX };

static bool load_fixtures(void)
{
#ifdef ELF_FIXTURE_DIR
	for (unsigned i = 0; i < NFIX; i++) {
		struct fixture *fx = &fixtures[i];
		char path[512];
		size_t n;
		char *text;

		snprintf(path, sizeof(path), "%s/%s.elf", ELF_FIXTURE_DIR, fx->name);
		fx->buf = slurp(path, &fx->size);
		snprintf(path, sizeof(path), "%s/%s.elf.readelf", ELF_FIXTURE_DIR, fx->name);
		text = slurp(path, &n);
		parse_readelf(text, &fx->re);
		free(text);
		/* readelf's view must at least look like one */
		CHECK_MSG(fx->re.nload > 0 && fx->re.phnum > 0 && fx->re.entry != 0,
			  "%s: readelf output not understood", fx->name);
	}
	return true;
#else
	return false;
#endif
}

/* An exact-size copy, so ASan sees any read past its end. */
static uint8_t *dup_fx(const struct fixture *fx)
{
	uint8_t *b = malloc(fx->size);

	memcpy(b, fx->buf, fx->size);
	return b;
}

static uint64_t phoff_of(const uint8_t *b)
{
	return get(b + E_PHOFF, 8);
}

static unsigned phnum_of(const uint8_t *b)
{
	return (unsigned)get(b + E_PHNUM, 2);
}

static uint8_t *ph(uint8_t *b, unsigned i)
{
	return b + phoff_of(b) + 56ULL * i;
}

/* Index of the nth program header of a type, or exits (a fixture changed). */
static unsigned find_ph(uint8_t *b, uint32_t type, unsigned nth)
{
	for (unsigned i = 0; i < phnum_of(b); i++)
		if (get(ph(b, i) + P_TYPE, 4) == type && nth-- == 0)
			return i;
	fprintf(stderr, "fixture lacks program header type %#x #%u\n", type, nth);
	exit(2);
}

/* ---- Invariants of an accepted image ------------------------------------ */

static uint64_t pg_down(uint64_t x)
{
	return x & ~(PAGE - 1);
}

static uint64_t pg_up(uint64_t x)
{
	return (x + PAGE - 1) & ~(PAGE - 1);
}

/* Everything elf_parse promises about an image it accepted; the number of
 * broken promises. */
static int broken_promises(const uint8_t *b, size_t size, const struct elf_image *im)
{
	int bad = 0;
	bool entry_ok = false;

	bad += im->nseg == 0 || im->nseg > ELF_MAX_SEGMENTS;
	bad += im->phentsize != 56 || im->phnum == 0 || im->phnum > 64;
	for (unsigned i = 0; i < im->nseg && i < ELF_MAX_SEGMENTS; i++) {
		const struct elf_segment *s = &im->seg[i];

		bad += s->memsz == 0 || s->filesz > s->memsz;
		bad += s->offset > size || s->filesz > size - s->offset;
		bad += (s->vaddr - s->offset) % PAGE != 0;
		bad += s->vaddr + s->memsz < s->vaddr || s->vaddr + s->memsz > UINT64_MAX - PAGE;
		bad += !im->is_dyn && s->vaddr + s->memsz > LIMIT;
		bad += s->prot & ~(ELF_PROT_R | ELF_PROT_W | ELF_PROT_X);
		if (i > 0)
			bad += pg_down(s->vaddr) < pg_up(im->seg[i - 1].vaddr + im->seg[i - 1].memsz);
		if ((s->prot & ELF_PROT_X) && im->entry >= s->vaddr && im->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	bad += !entry_ok;
	if (im->nseg > 0 && im->nseg <= ELF_MAX_SEGMENTS) {
		const struct elf_segment *l = &im->seg[im->nseg - 1];

		bad += im->lowest_vaddr != pg_down(im->seg[0].vaddr);
		bad += im->highest_vaddr != pg_up(l->vaddr + l->memsz);
		bad += im->highest_vaddr - im->lowest_vaddr > LIMIT;
	}
	bad += im->max_align < PAGE || (im->max_align & (im->max_align - 1));
	if (im->has_interp) {
		bad += im->interp_offset > size || im->interp_size >= size - im->interp_offset;
		if (!bad)
			bad += strlen((const char *)b + im->interp_offset) != im->interp_size;
	} else {
		bad += im->interp_offset != 0 || im->interp_size != 0;
	}
	if (im->phdr_vaddr) {
		bool in = false;

		for (unsigned i = 0; i < im->nseg && i < ELF_MAX_SEGMENTS; i++)
			in |= im->phdr_vaddr >= im->seg[i].vaddr &&
			      im->phdr_vaddr + 56ULL * im->phnum <= im->seg[i].vaddr + im->seg[i].filesz;
		bad += !in;
	}
	return bad;
}

/* ---- Accepting the fixtures ---------------------------------------------- */

static void test_fixture(const struct fixture *fx)
{
	const struct readelf *re = &fx->re;
	struct elf_image im;
	const char *why = NULL;
	uint8_t *b = dup_fx(fx);
	int r = elf_parse(b, fx->size, &im, &why);
	unsigned n = 0;

	CHECK_MSG(r == 0, "%s: refused: %d \"%s\"", fx->name, r, why ? why : "(null)");
	if (r) {
		free(b);
		return;
	}
	CHECK_STR(why, "");
	CHECK_EQ(im.entry, re->entry);
	CHECK_MSG(im.is_dyn == re->dyn, "%s: is_dyn %d, readelf says %s", fx->name, im.is_dyn,
		  re->dyn ? "DYN" : "EXEC");
	CHECK_EQ(im.phnum, re->phnum);
	CHECK_EQ(im.phentsize, 56);
	for (unsigned i = 0; i < re->nload; i++) {
		if (re->load[i].memsz == 0)
			continue;
		CHECK_MSG(n < im.nseg, "%s: LOAD %u missing", fx->name, i);
		if (n >= im.nseg)
			break;
		CHECK_EQ(im.seg[n].vaddr, re->load[i].vaddr);
		CHECK_EQ(im.seg[n].memsz, re->load[i].memsz);
		CHECK_EQ(im.seg[n].offset, re->load[i].offset);
		CHECK_EQ(im.seg[n].filesz, re->load[i].filesz);
		CHECK_EQ(im.seg[n].prot, re->load[i].prot);
		n++;
	}
	CHECK_EQ(im.nseg, n);
	CHECK_EQ(im.lowest_vaddr, pg_down(re->load[0].vaddr));
	CHECK_EQ(im.highest_vaddr,
		 pg_up(re->load[re->nload - 1].vaddr + re->load[re->nload - 1].memsz));
	uint64_t align = PAGE;
	for (unsigned i = 0; i < re->nload; i++)
		align = re->load[i].align > align ? re->load[i].align : align;
	CHECK_EQ(im.max_align, align);

	/* AT_PHDR: PT_PHDR's address, else where the LOAD holding e_phoff puts it */
	uint64_t want_phdr = 0;
	if (re->has_phdr) {
		want_phdr = re->phdr_vaddr;
	} else {
		for (unsigned i = 0; i < re->nload; i++)
			if (re->phoff >= re->load[i].offset &&
			    re->phoff + 56ULL * re->phnum <= re->load[i].offset + re->load[i].filesz) {
				want_phdr = re->load[i].vaddr + re->phoff - re->load[i].offset;
				break;
			}
	}
	CHECK_EQ(im.phdr_vaddr, want_phdr);
	CHECK_MSG(want_phdr != 0, "%s: program headers not mapped", fx->name);

	CHECK_EQ(im.has_interp, re->interp[0] != '\0');
	if (im.has_interp) {
		CHECK_EQ(im.interp_size, strlen(re->interp));
		CHECK(memcmp(b + im.interp_offset, re->interp, strlen(re->interp) + 1) == 0);
	}
	CHECK_MSG(broken_promises(b, fx->size, &im) == 0, "%s: promises broken", fx->name);
	free(b);
}

static void test_fixtures(void)
{
	for (unsigned i = 0; i < NFIX; i++)
		test_fixture(&fixtures[i]);

	/* the facts these fixtures were made for */
	const struct fixture *ts = &fixtures[TINY_STATIC], *tp = &fixtures[TINY_PIE];
	const struct fixture *hd = &fixtures[HELLO_DYN], *hs = &fixtures[HELLO_STATIC];
	struct elf_image im;

	CHECK(elf_parse(ts->buf, ts->size, &im, NULL) == 0 && !im.is_dyn && !im.has_interp &&
	      im.nseg == 2 && im.seg[0].prot == (ELF_PROT_R | ELF_PROT_X) &&
	      im.seg[1].prot == (ELF_PROT_R | ELF_PROT_W) && im.seg[1].filesz < im.seg[1].memsz);
	CHECK(elf_parse(tp->buf, tp->size, &im, NULL) == 0 && im.is_dyn && !im.has_interp &&
	      im.lowest_vaddr == 0);
	CHECK(elf_parse(hs->buf, hs->size, &im, NULL) == 0 && !im.is_dyn && !im.has_interp &&
	      im.phdr_vaddr == im.seg[0].vaddr + 64);
	CHECK(elf_parse(hd->buf, hd->size, &im, NULL) == 0 && im.is_dyn && im.has_interp &&
	      im.interp_size == strlen("/lib/ld-linux-riscv64-lp64d.so.1") &&
	      memcmp(hd->buf + im.interp_offset, "/lib/ld-linux-riscv64-lp64d.so.1", 33) == 0);
	CHECK(elf_parse(fixtures[HELLO_NOPIE].buf, fixtures[HELLO_NOPIE].size, &im, NULL) == 0 &&
	      !im.is_dyn && im.has_interp);
	CHECK(elf_parse(fixtures[TINY_64K].buf, fixtures[TINY_64K].size, &im, NULL) == 0 &&
	      im.max_align == 0x10000);
	CHECK(elf_parse(NULL, 100, &im, NULL) == -EINVAL);
}

/* ---- Parsing from the head of a file (exec reads only its first page) ----- */

/* A head that holds the headers gives what the whole file gives; one that
 * cuts them off is refused (exec then reads the whole file), and a head
 * can never make a bad file good: a segment past the file's end stays
 * refused whatever the head holds. */
static void test_head(const struct fixture *fx)
{
	struct elf_image whole, head;
	uint8_t *b = dup_fx(fx);
	size_t len = fx->size < 4096 ? fx->size : 4096;

	CHECK(elf_parse(b, fx->size, &whole, NULL) == 0);
	CHECK_MSG(elf_parse_head(b, len, fx->size, &head, NULL) == 0, "%s: head refused", fx->name);
	CHECK_MSG(memcmp(&whole, &head, sizeof(whole)) == 0, "%s: head parses differently", fx->name);
	CHECK(elf_parse_head(b, 63, fx->size, &head, NULL) == -EINVAL);
	CHECK(elf_parse_head(b, len, len - 1, &head, NULL) == -EINVAL); /* head > file */
	if (fx->size > 4096)
		CHECK_MSG(elf_parse_head(b, len, 4096, &head, NULL) == -EINVAL,
			  "%s: segments past the file's end accepted", fx->name);
	free(b);
}

/* ---- Truncations ---------------------------------------------------------- */

/* The bytes a correct parser must see: header, program headers, PT_LOAD
 * file ranges and the PT_INTERP path, computed here from the raw headers. */
static size_t needed(uint8_t *b)
{
	uint64_t need = 64, phoff = phoff_of(b);

	if (phoff + 56ULL * phnum_of(b) > need)
		need = phoff + 56ULL * phnum_of(b);
	for (unsigned i = 0; i < phnum_of(b); i++) {
		uint8_t *p = ph(b, i);
		uint32_t type = (uint32_t)get(p + P_TYPE, 4);
		uint64_t end = get(p + P_OFFSET, 8) + get(p + P_FILESZ, 8);

		if ((type == PT_LOAD || type == PT_INTERP) && end > need)
			need = end;
	}
	return need;
}

/* Every length 0..size-1. One copy; the cut-off tail is poisoned for ASan
 * one byte at a time from the end, so any read past the length is caught. */
static void test_truncations(const struct fixture *fx)
{
	uint8_t *b = dup_fx(fx);
	size_t need = needed(b);
	unsigned wrong = 0, ok = 0;
	struct elf_image im;
	const char *why;

	for (size_t len = fx->size; len-- > 0;) {
#ifdef HAVE_ASAN
		__asan_poison_memory_region(b + len, 1);
		int r = elf_parse(b, len, &im, &why);
#else
		uint8_t *t = malloc(len ? len : 1);
		memcpy(t, b, len);
		int r = elf_parse(t, len, &im, &why);
		free(t);
#endif
		if (r != (len >= need ? 0 : -EINVAL) || (r && !why[0])) {
			if (wrong++ < 5)
				CHECK_MSG(0, "%s cut to %zu (needs %zu): %d \"%s\"", fx->name, len, need,
					  r, why);
		} else {
			ok++;
		}
	}
#ifdef HAVE_ASAN
	__asan_unpoison_memory_region(b, fx->size);
#endif
	CHECK_MSG(wrong == 0, "%s: %u truncations wrong", fx->name, wrong);
	CHECK_EQ(ok, fx->size);
	free(b);
}

/* ---- Malformed variants ---------------------------------------------------- */

static void check_result(int line, const uint8_t *b, size_t size, const char *want)
{
	struct elf_image im;
	const char *why = NULL;
	int r = elf_parse(b, size, &im, &why);

	if (want)
		CHECK_MSG(r == -EINVAL && why && strcmp(why, want) == 0,
			  "line %d: %d \"%s\", want -EINVAL \"%s\"", line, r, why ? why : "(null)",
			  want);
	else
		CHECK_MSG(r == 0 && broken_promises(b, size, &im) == 0,
			  "line %d: %d \"%s\", want accepted", line, r, why ? why : "(null)");
}

/* MUTANT(fixture, reason or NULL for accepted, statements on uint8_t *b) */
#define MUTANT(fx, want, ...)                                                 \
	do {                                                                  \
		uint8_t *b = dup_fx(fx);                                      \
		(void)b;                                                      \
		__VA_ARGS__;                                                  \
		check_result(__LINE__, b, (fx)->size, want);                  \
		free(b);                                                      \
	} while (0)

#define BAD_MAGIC "not an ELF file (bad magic)"
#define BAD_CLASS "not ELFCLASS64"
#define BAD_DATA "not little-endian (ELFDATA2LSB)"
#define BAD_VERSION "bad ELF version"
#define BAD_MACHINE "not a RISC-V file (e_machine)"
#define BAD_TYPE "not an executable (e_type not ET_EXEC or ET_DYN)"
#define BAD_PHENT "e_phentsize is not 56"
#define NO_PHDRS "no program headers"
#define MANY_PHDRS "too many program headers"
#define PHDRS_OUT "program headers outside the file"
#define FILESZ "PT_LOAD p_filesz > p_memsz"
#define LOAD_OUT "PT_LOAD outside the file"
#define ALIGN "PT_LOAD p_align not a power of two"
#define CONGRUENT "PT_LOAD p_vaddr and p_offset differ modulo the page size"
#define OVERFLOW "PT_LOAD end overflows"
#define ABOVE "PT_LOAD above the user address limit"
#define ORDER "PT_LOAD segments not in ascending order"
#define OVERLAP "PT_LOAD segments overlap"
#define TOO_MANY "too many PT_LOAD segments"
#define NO_LOAD "no loadable segment"
#define SPAN "PT_LOAD span larger than the user address space"
#define ENTRY "entry point not in an executable segment"
#define INTERP_TWICE "more than one PT_INTERP"
#define INTERP_OUT "PT_INTERP outside the file"
#define INTERP_LEN "PT_INTERP path length out of range"
#define INTERP_NUL "PT_INTERP path not NUL-terminated"
#define PHDR_TWICE "more than one PT_PHDR"
#define PHDR_BAD "PT_PHDR not inside the PT_LOAD that maps the program headers"

static void test_header(void)
{
	const struct fixture *t = &fixtures[TINY_STATIC];
	size_t sz = t->size;

	for (unsigned i = 0; i < 4; i++)
		MUTANT(t, BAD_MAGIC, b[i] ^= 0x20);
	MUTANT(t, BAD_CLASS, b[4] = 1);
	MUTANT(t, BAD_CLASS, b[4] = 0);
	MUTANT(t, BAD_CLASS, b[4] = 3);
	MUTANT(t, BAD_DATA, b[5] = 2);
	MUTANT(t, BAD_DATA, b[5] = 0);
	MUTANT(t, BAD_VERSION, b[6] = 0);
	MUTANT(t, BAD_VERSION, put(b + E_VERSION, 4, 0));
	MUTANT(t, BAD_VERSION, put(b + E_VERSION, 4, 2));
	MUTANT(t, BAD_MACHINE, put(b + E_MACHINE, 2, 62)); /* x86-64 */
	MUTANT(t, BAD_MACHINE, put(b + E_MACHINE, 2, 0));
	MUTANT(t, BAD_MACHINE, put(b + E_MACHINE, 2, 0xf300)); /* 243 big-endian */
	MUTANT(t, BAD_TYPE, put(b + E_TYPE, 2, 0));
	MUTANT(t, BAD_TYPE, put(b + E_TYPE, 2, 1)); /* ET_REL */
	MUTANT(t, BAD_TYPE, put(b + E_TYPE, 2, 4)); /* ET_CORE */
	MUTANT(t, BAD_TYPE, put(b + E_TYPE, 2, 0x0200));
	MUTANT(t, NULL, put(b + E_TYPE, 2, 3)); /* the same, as ET_DYN */
	MUTANT(t, NULL, b[7] = 3);              /* EI_OSABI Linux: not checked, as Linux */
	for (unsigned v = 0; v < 80; v += 8)
		MUTANT(t, v == 56 ? NULL : BAD_PHENT, put(b + E_PHENTSIZE, 2, v));
	MUTANT(t, BAD_PHENT, put(b + E_PHENTSIZE, 2, 55));
	MUTANT(t, BAD_PHENT, put(b + E_PHENTSIZE, 2, 57));
	MUTANT(t, NO_PHDRS, put(b + E_PHNUM, 2, 0));
	MUTANT(t, MANY_PHDRS, put(b + E_PHNUM, 2, 65));
	MUTANT(t, MANY_PHDRS, put(b + E_PHNUM, 2, 0xffff));
	MUTANT(t, PHDRS_OUT, put(b + E_PHOFF, 8, sz));
	MUTANT(t, PHDRS_OUT, put(b + E_PHOFF, 8, sz - 56 * phnum_of(b) + 1));
	MUTANT(t, PHDRS_OUT, put(b + E_PHOFF, 8, UINT64_MAX));
	MUTANT(t, PHDRS_OUT, put(b + E_PHOFF, 8, UINT64_MAX - 55)); /* phoff + 56 wraps */
	MUTANT(t, PHDRS_OUT, put(b + E_PHOFF, 8, (uint64_t)0 - 56 * phnum_of(b)));
	MUTANT(t, PHDRS_OUT, put(b + E_PHOFF, 8, sz - 56 * phnum_of(b) + 8); put(b + E_PHNUM, 2, 64));
	/* the program headers moved to the end of the file: still found */
	MUTANT(t, NULL, {
		uint8_t *nb = malloc(sz + 56 * phnum_of(b));
		memcpy(nb, b, sz);
		memcpy(nb + sz, b + 64, 56 * phnum_of(b));
		put(nb + E_PHOFF, 8, sz);
		struct elf_image im;
		CHECK(elf_parse(nb, sz + 56 * phnum_of(b), &im, NULL) == 0 && im.phdr_vaddr == 0);
		free(nb);
	});
}

static void test_loads(void)
{
	const struct fixture *t = &fixtures[TINY_STATIC];
	uint8_t *b0 = dup_fx(t);
	size_t sz = t->size;
	unsigned text = find_ph(b0, PT_LOAD, 0), data = find_ph(b0, PT_LOAD, 1);
	uint64_t tv = get(ph(b0, text) + P_VADDR, 8), tm = get(ph(b0, text) + P_MEMSZ, 8);
	uint64_t dv = get(ph(b0, data) + P_VADDR, 8), doff = get(ph(b0, data) + P_OFFSET, 8);
	uint64_t dm = get(ph(b0, data) + P_MEMSZ, 8), entry = get(b0 + E_ENTRY, 8);
	free(b0);

#define T(i) ph(b, i)
	/* sizes against the file */
	MUTANT(t, FILESZ, put(T(text) + P_FILESZ, 8, tm + 1));
	MUTANT(t, FILESZ, put(T(data) + P_FILESZ, 8, dm + 1));
	MUTANT(t, LOAD_OUT, put(T(data) + P_FILESZ, 8, dm)); /* the BSS taken from the file */
	MUTANT(t, LOAD_OUT, put(T(text) + P_OFFSET, 8, sz); put(T(text) + P_VADDR, 8, tv + sz % PAGE));
	MUTANT(t, LOAD_OUT, put(T(data) + P_FILESZ, 8, sz - doff + 1); put(T(data) + P_MEMSZ, 8, sz));
	MUTANT(t, LOAD_OUT, put(T(text) + P_FILESZ, 8, sz + 1); put(T(text) + P_MEMSZ, 8, sz + 1));
	MUTANT(t, NULL, put(T(text) + P_FILESZ, 8, sz); put(T(text) + P_MEMSZ, 8, sz));
	/* offset + filesz wraps around */
	MUTANT(t, LOAD_OUT, put(T(data) + P_OFFSET, 8, UINT64_MAX - 0xfff + (doff & 0xfff));
	       put(T(data) + P_FILESZ, 8, 0x2000); put(T(data) + P_MEMSZ, 8, 0x2000));
	MUTANT(t, LOAD_OUT, put(T(data) + P_FILESZ, 8, UINT64_MAX - doff + 1);
	       put(T(data) + P_MEMSZ, 8, UINT64_MAX));
	MUTANT(t, FILESZ, put(T(data) + P_FILESZ, 8, UINT64_MAX));
	/* alignment */
	MUTANT(t, ALIGN, put(T(text) + P_ALIGN, 8, 3));
	MUTANT(t, ALIGN, put(T(data) + P_ALIGN, 8, 0x1001));
	MUTANT(t, ALIGN, put(T(data) + P_ALIGN, 8, 0x8000000000000001ULL));
	MUTANT(t, NULL, put(T(text) + P_ALIGN, 8, 0); put(T(data) + P_ALIGN, 8, 1));
	MUTANT(t, NULL, put(T(text) + P_ALIGN, 8, 0x200000));
	MUTANT(t, CONGRUENT, put(T(text) + P_VADDR, 8, tv + 1));
	MUTANT(t, CONGRUENT, put(T(data) + P_VADDR, 8, dv + 8));
	MUTANT(t, CONGRUENT, put(T(data) + P_OFFSET, 8, doff - 8));
	MUTANT(t, NULL, put(T(data) + P_VADDR, 8, dv + 0x10000)); /* moved by whole pages */
	/* the user address limit (ET_EXEC) and overflow */
	MUTANT(t, ABOVE, put(T(data) + P_VADDR, 8, LIMIT + (doff & 0xfff)));
	MUTANT(t, ABOVE, put(T(data) + P_VADDR, 8, LIMIT - PAGE + (doff & 0xfff));
	       put(T(data) + P_MEMSZ, 8, PAGE - (doff & 0xfff) + 1));
	MUTANT(t, NULL, put(T(data) + P_VADDR, 8, LIMIT - PAGE + (doff & 0xfff));
	       put(T(data) + P_MEMSZ, 8, PAGE - (doff & 0xfff)));
	MUTANT(t, OVERFLOW, put(T(data) + P_MEMSZ, 8, UINT64_MAX));
	MUTANT(t, OVERFLOW, put(T(data) + P_VADDR, 8, UINT64_MAX - 0xfff + (doff & 0xfff)));
	MUTANT(t, OVERFLOW, put(T(data) + P_VADDR, 8, UINT64_MAX - 0x1fff + (doff & 0xfff));
	       put(T(data) + P_MEMSZ, 8, PAGE));
	MUTANT(t, OVERFLOW, put(T(data) + P_MEMSZ, 8, UINT64_MAX - dv + 1));
	/* order and overlap, at page granularity */
	MUTANT(t, ORDER, {
		uint8_t tmp[56];
		memcpy(tmp, T(text), 56);
		memcpy(T(text), T(data), 56);
		memcpy(T(data), tmp, 56);
	});
	MUTANT(t, OVERLAP, put(T(data) + P_VADDR, 8, pg_up(tv + tm) - PAGE + (doff & 0xfff)));
	MUTANT(t, OVERLAP, put(T(data) + P_VADDR, 8, tv + (doff & 0xfff)));
	MUTANT(t, NULL, put(T(data) + P_VADDR, 8, pg_up(tv + tm) + (doff & 0xfff)));
	MUTANT(t, NULL, put(T(data) + P_VADDR, 8, tv + PAGE + (doff & 0xfff));
	       put(T(text) + P_MEMSZ, 8, PAGE)); /* text ends exactly where data's page starts */
	MUTANT(t, OVERLAP, put(T(data) + P_VADDR, 8, tv + PAGE + (doff & 0xfff));
	       put(T(text) + P_MEMSZ, 8, PAGE + 1));
	MUTANT(t, OVERLAP, put(T(data) + P_TYPE, 4, PT_LOAD); memcpy(T(data), T(text), 56));
	/* the entry point */
	MUTANT(t, ENTRY, put(b + E_ENTRY, 8, dv));
	MUTANT(t, ENTRY, put(b + E_ENTRY, 8, 0));
	MUTANT(t, ENTRY, put(b + E_ENTRY, 8, tv + tm));
	MUTANT(t, ENTRY, put(b + E_ENTRY, 8, tv - 1));
	MUTANT(t, ENTRY, put(b + E_ENTRY, 8, UINT64_MAX));
	MUTANT(t, NULL, put(b + E_ENTRY, 8, tv + tm - 1));
	MUTANT(t, NULL, put(b + E_ENTRY, 8, tv));
	MUTANT(t, ENTRY, put(T(text) + P_FLAGS, 4, 4 | 2)); /* text made RW */
	MUTANT(t, NULL, put(T(data) + P_FLAGS, 4, 7); put(b + E_ENTRY, 8, dv)); /* RWX data */
	MUTANT(t, NO_LOAD, put(T(text) + P_TYPE, 4, PT_NULL); put(T(data) + P_TYPE, 4, PT_NULL));
	/* an empty PT_LOAD is skipped (GNU_STACK turned into one) */
	MUTANT(t, NULL, {
		put(ph(b, find_ph(b, PT_GNU_STACK, 0)) + P_TYPE, 4, PT_LOAD);
		struct elf_image im;
		CHECK(elf_parse(b, sz, &im, NULL) == 0 && im.nseg == 2);
	});
	/* an empty PT_LOAD still has to lie in the file */
	MUTANT(t, LOAD_OUT, put(ph(b, find_ph(b, PT_GNU_STACK, 0)) + P_TYPE, 4, PT_LOAD);
	       put(ph(b, find_ph(b, PT_LOAD, 2)) + P_OFFSET, 8, sz + 1));
	(void)entry;
#undef T
}

/* An ELF made here: n PT_LOADs of one page each, then PT_NULLs up to phnum. */
static uint8_t *synth(unsigned nload, unsigned phnum, size_t *size)
{
	size_t sz = 64 + 56ULL * phnum;
	uint8_t *b = calloc(1, sz);

	memcpy(b, "\177ELF\2\1\1", 7);
	put(b + E_TYPE, 2, 2);
	put(b + E_MACHINE, 2, 243);
	put(b + E_VERSION, 4, 1);
	put(b + E_ENTRY, 8, 0x10000);
	put(b + E_PHOFF, 8, 64);
	put(b + 52, 2, 64);
	put(b + E_PHENTSIZE, 2, 56);
	put(b + E_PHNUM, 2, phnum);
	for (unsigned i = 0; i < nload; i++) {
		uint8_t *p = b + 64 + 56 * i;

		put(p + P_TYPE, 4, PT_LOAD);
		put(p + P_FLAGS, 4, i == 0 ? 5 : 6);
		put(p + P_OFFSET, 8, 0);
		put(p + P_VADDR, 8, 0x10000 + PAGE * i);
		put(p + P_FILESZ, 8, i == 0 ? sz : 0);
		put(p + P_MEMSZ, 8, i == 0 ? sz : PAGE);
		put(p + P_ALIGN, 8, PAGE);
	}
	*size = sz;
	return b;
}

static void test_synthetic(void)
{
	struct elf_image im;
	const char *why;
	size_t sz;
	uint8_t *b;

	b = synth(16, 16, &sz);
	CHECK(elf_parse(b, sz, &im, &why) == 0 && im.nseg == 16 && im.phdr_vaddr == 0x10040 &&
	      im.lowest_vaddr == 0x10000 && im.highest_vaddr == 0x20000);
	free(b);
	b = synth(17, 17, &sz);
	CHECK(elf_parse(b, sz, &im, &why) == -EINVAL && strcmp(why, TOO_MANY) == 0);
	free(b);
	b = synth(3, 64, &sz); /* 64 headers, 61 of them PT_NULL */
	CHECK(elf_parse(b, sz, &im, &why) == 0 && im.nseg == 3);
	free(b);
	b = synth(1, 1, &sz);
	CHECK(elf_parse(b, sz, &im, &why) == 0 && im.nseg == 1 && im.highest_vaddr == 0x11000);
	put(b + 64 + P_MEMSZ, 8, 0); /* its only PT_LOAD empty */
	CHECK(elf_parse(b, sz, &im, &why) == -EINVAL && strcmp(why, FILESZ) == 0);
	put(b + 64 + P_FILESZ, 8, 0);
	CHECK(elf_parse(b, sz, &im, &why) == -EINVAL && strcmp(why, NO_LOAD) == 0);
	free(b);
	/* a header-only file: exactly 64 bytes, program headers past the end */
	b = synth(0, 0, &sz);
	CHECK(sz == 64 && elf_parse(b, sz, &im, &why) == -EINVAL && strcmp(why, NO_PHDRS) == 0);
	put(b + E_PHNUM, 2, 1);
	CHECK(elf_parse(b, sz, &im, &why) == -EINVAL && strcmp(why, PHDRS_OUT) == 0);
	free(b);
}

static void test_dyn(void)
{
	const struct fixture *p = &fixtures[TINY_PIE];
	uint8_t *b0 = dup_fx(p);
	unsigned text = find_ph(b0, PT_LOAD, 0), data = find_ph(b0, PT_LOAD, 1);
	uint64_t dv = get(ph(b0, data) + P_VADDR, 8), dm = get(ph(b0, data) + P_MEMSZ, 8);
	free(b0);

	/* ET_DYN: only the span counts, not where the vaddrs are */
	MUTANT(p, NULL, {
		for (unsigned i = 0; i < phnum_of(b); i++)
			put(ph(b, i) + P_VADDR, 8, get(ph(b, i) + P_VADDR, 8) + 0x7000000000ULL);
		put(b + E_ENTRY, 8, get(b + E_ENTRY, 8) + 0x7000000000ULL);
	});
	MUTANT(p, NULL, put(ph(b, data) + P_MEMSZ, 8, LIMIT - dv)); /* span exactly the limit */
	MUTANT(p, SPAN, put(ph(b, data) + P_MEMSZ, 8, LIMIT - dv + 1));
	MUTANT(p, SPAN, put(ph(b, data) + P_VADDR, 8, dv + LIMIT));
	MUTANT(p, OVERFLOW, put(ph(b, data) + P_MEMSZ, 8, UINT64_MAX - dv - 100));
	MUTANT(p, ORDER, put(ph(b, text) + P_VADDR, 8, pg_up(dv + dm) + PAGE));
	MUTANT(p, ENTRY, put(b + E_ENTRY, 8, dv));
}

static void test_interp_phdr(void)
{
	const struct fixture *d = &fixtures[HELLO_DYN];
	uint8_t *b0 = dup_fx(d);
	size_t sz = d->size;
	unsigned in = find_ph(b0, PT_INTERP, 0), phd = find_ph(b0, PT_PHDR, 0);
	unsigned stack = find_ph(b0, PT_GNU_STACK, 0);
	uint64_t ioff = get(ph(b0, in) + P_OFFSET, 8), isz = get(ph(b0, in) + P_FILESZ, 8);
	uint64_t pv = get(ph(b0, phd) + P_VADDR, 8);
	free(b0);

	MUTANT(d, INTERP_OUT, put(ph(b, in) + P_OFFSET, 8, sz));
	MUTANT(d, INTERP_OUT, put(ph(b, in) + P_OFFSET, 8, sz - isz + 1));
	MUTANT(d, INTERP_OUT, put(ph(b, in) + P_OFFSET, 8, UINT64_MAX));
	MUTANT(d, INTERP_OUT, put(ph(b, in) + P_FILESZ, 8, UINT64_MAX - ioff + 2));
	MUTANT(d, INTERP_LEN, put(ph(b, in) + P_FILESZ, 8, 0));
	MUTANT(d, INTERP_LEN, put(ph(b, in) + P_FILESZ, 8, 1));
	MUTANT(d, INTERP_LEN, put(ph(b, in) + P_FILESZ, 8, 4097); put(ph(b, in) + P_OFFSET, 8, 0));
	MUTANT(d, INTERP_NUL, b[ioff + isz - 1] = 'x');
	MUTANT(d, INTERP_NUL, b[ioff + 4] = '\0');
	MUTANT(d, INTERP_NUL, put(ph(b, in) + P_FILESZ, 8, isz - 1));
	MUTANT(d, NULL, put(ph(b, in) + P_FILESZ, 8, 5); b[ioff + 4] = '\0'); /* "/lib" */
	MUTANT(d, INTERP_TWICE, memcpy(ph(b, stack), ph(b, in), 56));
	/* PT_PHDR must name where the program headers are mapped */
	MUTANT(d, PHDR_BAD, put(ph(b, phd) + P_VADDR, 8, pv + 8));
	MUTANT(d, PHDR_BAD, put(ph(b, phd) + P_VADDR, 8, pv + PAGE));
	MUTANT(d, PHDR_BAD, put(ph(b, phd) + P_VADDR, 8, UINT64_MAX - 8));
	MUTANT(d, PHDR_TWICE, memcpy(ph(b, stack), ph(b, phd), 56));
	MUTANT(d, NULL, put(ph(b, phd) + P_TYPE, 4, PT_NULL)); /* found through the LOAD */
	/* program headers in no segment's file range: not mapped, AT_PHDR 0 */
	MUTANT(d, NULL, {
		unsigned text = find_ph(b, PT_LOAD, 0);
		put(ph(b, phd) + P_TYPE, 4, PT_NULL);
		put(ph(b, text) + P_OFFSET, 8, PAGE);
		put(ph(b, text) + P_VADDR, 8, 0);
		put(ph(b, text) + P_FILESZ, 8, 0x100);
		put(ph(b, text) + P_MEMSZ, 8, 0x100);
		put(b + E_ENTRY, 8, 0);
		struct elf_image im;
		CHECK(elf_parse(b, sz, &im, NULL) == 0 && im.phdr_vaddr == 0);
	});
}

/* ---- Random corruptions ------------------------------------------------------ */

static const uint64_t interesting[] = {
	0, 1, 2, 3, 6, 56, 64, 0xfff, 0x1000, 0x1001, 0xffff, 0x10000, 0x3fffffffff,
	0x4000000000, 0x4000001000, 0x7fffffffffffffff, 0x8000000000000000, UINT64_MAX - 0x1000,
	UINT64_MAX - 56, UINT64_MAX - 1, UINT64_MAX,
};

static void fuzz(const struct fixture *fx, unsigned rounds, unsigned *accepted, unsigned *refused)
{
	uint8_t *b = dup_fx(fx);
	uint64_t phend = phoff_of(b) + 56ULL * phnum_of(b);
	size_t span = fx->size < 4096 ? fx->size : 4096; /* headers, phdrs, interp */
	uint8_t *saved = malloc(span);

	if (phend > span)
		phend = span;

	memcpy(saved, b, span);
	for (unsigned round = 0; round < rounds; round++) {
		unsigned n = 1 + (unsigned)rng_below(6);

		for (unsigned k = 0; k < n; k++) {
			uint64_t choice = rng_below(10);
			size_t at = choice < 7 ? rng_below(phend) : rng_below(span);

			if (choice < 4) {
				b[at] = (uint8_t)rng();
			} else if (choice < 6) {
				b[at] ^= (uint8_t)(1u << rng_below(8));
			} else if (at + 8 <= span) { /* a whole field, 8-aligned */
				at &= ~(size_t)7;
				uint64_t v = interesting[rng_below(ARRAY_SIZE(interesting))];
				if (rng_below(2))
					v += rng_below(3) - 1;
				put(b + at, (unsigned)(rng_below(2) ? 8 : 4), v);
			}
		}
		struct elf_image im;
		const char *why = NULL;
		size_t len = rng_below(8) ? fx->size : rng_below(fx->size + 1);
		int r = elf_parse(b, len, &im, &why);

		if (r == 0) {
			int bad = broken_promises(b, len, &im);
			CHECK_MSG(bad == 0 && why && !why[0], "%s round %u: accepted, %d broken",
				  fx->name, round, bad);
			++*accepted;
		} else {
			CHECK_MSG(r == -EINVAL && why && why[0], "%s round %u: %d \"%s\"", fx->name,
				  round, r, why ? why : "(null)");
			++*refused;
		}
		memcpy(b, saved, span);
	}
	free(saved);
	free(b);
}

static void test_fuzz(void)
{
	unsigned accepted = 0, refused = 0;

	rng_init("elf");
	for (unsigned i = 0; i < NFIX; i++)
		fuzz(&fixtures[i], 1000, &accepted, &refused);
	printf("elf: fuzz: %u accepted, %u refused\n", accepted, refused);
	CHECK(accepted > 100 && refused > 100); /* both paths were exercised */

	/* random bytes behind a valid identification */
	unsigned ok = 0;
	for (unsigned round = 0; round < 2000; round++) {
		size_t len = rng_below(512);
		uint8_t *b = malloc(len ? len : 1);
		struct elf_image im;
		const char *why;

		for (size_t i = 0; i < len; i++)
			b[i] = (uint8_t)rng();
		if (len >= 20 && rng_below(2)) {
			memcpy(b, "\177ELF\2\1\1", 7);
			put(b + E_TYPE, 2, 2 + rng_below(2));
			put(b + E_MACHINE, 2, 243);
		}
		int r = elf_parse(b, len, &im, &why);
		ok += r == -EINVAL || (r == 0 && broken_promises(b, len, &im) == 0);
		free(b);
	}
	CHECK_EQ(ok, 2000);
}

int main(void)
{
	if (!load_fixtures()) {
		CHECK_MSG(0, "ELF fixtures were not built (riscv64-linux-gnu-gcc missing?)");
		return test_done("elf");
	}
	test_fixtures();
	for (unsigned i = 0; i < NFIX; i++)
		test_truncations(&fixtures[i]);
	for (unsigned i = 0; i < NFIX; i++)
		test_head(&fixtures[i]);
	test_header();
	test_loads();
	test_synthetic();
	test_dyn();
	test_interp_phdr();
	test_fuzz();
	for (unsigned i = 0; i < NFIX; i++)
		free(fixtures[i].buf);
	return test_done("elf");
}
