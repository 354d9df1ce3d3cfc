/* Checking a riscv64 ELF executable before exec maps it (ELF64 gABI, RISC-V
 * psABI, and what Linux's binfmt_elf accepts). Every field is read byte by
 * byte as little-endian, so the buffer needs no alignment, and every offset
 * is compared against the size before it is used. */
#include <frame/errno.h>
#include <string.h>

#include "elf.h"

/* e_ident */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1

#define ET_EXEC 2
#define ET_DYN 3
#define EM_RISCV 243

#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6

#define PF_X 1u
#define PF_W 2u
#define PF_R 4u

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define MAX_PHNUM 64
#define INTERP_MAX 4096 /* PATH_MAX, as Linux bounds it */

#define PAGE_MASK (ELF_PAGE_SIZE - 1)
#define LAST_PAGE (UINT64_MAX & ~PAGE_MASK) /* highest page-aligned address */

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz, align;
};

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void read_phdr(const uint8_t *p, struct phdr *ph)
{
	ph->type = (uint32_t)le(p, 4);
	ph->flags = (uint32_t)le(p + 4, 4);
	ph->offset = le(p + 8, 8);
	ph->vaddr = le(p + 16, 8);
	/* p_paddr (24) is not used */
	ph->filesz = le(p + 32, 8);
	ph->memsz = le(p + 40, 8);
	ph->align = le(p + 48, 8);
}

/* [off, off + len) lies inside a file of size bytes. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static uint64_t page_up(uint64_t x) /* x <= LAST_PAGE */
{
	return (x + PAGE_MASK) & ~PAGE_MASK;
}

/* A PT_LOAD: checked alone, then against the previous one. Returns a reason
 * or NULL. Segments with p_memsz 0 pass the file checks and are then skipped. */
static const char *add_load(struct elf_image *im, const struct phdr *ph, uint64_t size)
{
	struct elf_segment *s;
	uint64_t end;

	if (ph->filesz > ph->memsz)
		return "PT_LOAD p_filesz > p_memsz";
	if (!in_file(ph->offset, ph->filesz, size))
		return "PT_LOAD outside the file";
	if (ph->align > 1 && (ph->align & (ph->align - 1)))
		return "PT_LOAD p_align not a power of two";
	if (ph->memsz == 0)
		return NULL;
	if ((ph->vaddr ^ ph->offset) & PAGE_MASK)
		return "PT_LOAD p_vaddr and p_offset differ modulo the page size";
	if (ph->vaddr > LAST_PAGE || ph->memsz > LAST_PAGE - ph->vaddr)
		return "PT_LOAD end overflows";
	end = ph->vaddr + ph->memsz;
	if (!im->is_dyn && end > ELF_USER_LIMIT)
		return "PT_LOAD above the user address limit";
	if (im->nseg > 0) {
		const struct elf_segment *prev = &im->seg[im->nseg - 1];

		if (ph->vaddr < prev->vaddr)
			return "PT_LOAD segments not in ascending order";
		if ((ph->vaddr & ~PAGE_MASK) < page_up(prev->vaddr + prev->memsz))
			return "PT_LOAD segments overlap";
	}
	if (im->nseg == ELF_MAX_SEGMENTS)
		return "too many PT_LOAD segments";

	s = &im->seg[im->nseg++];
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->prot = (ph->flags & PF_R ? ELF_PROT_R : 0) | (ph->flags & PF_W ? ELF_PROT_W : 0) |
		  (ph->flags & PF_X ? ELF_PROT_X : 0);
	if (ph->align > im->max_align)
		im->max_align = ph->align;
	return NULL;
}

static const char *add_interp(struct elf_image *im, const uint8_t *f, size_t size,
			      const struct phdr *ph)
{
	if (im->has_interp)
		return "more than one PT_INTERP";
	if (!in_file(ph->offset, ph->filesz, size))
		return "PT_INTERP outside the file";
	if (ph->filesz < 2 || ph->filesz > INTERP_MAX)
		return "PT_INTERP path length out of range";
	/* The path's only NUL is its last byte. */
	if (strnlen((const char *)f + ph->offset, ph->filesz) != ph->filesz - 1)
		return "PT_INTERP path not NUL-terminated";
	im->has_interp = true;
	im->interp_offset = ph->offset;
	im->interp_size = ph->filesz - 1;
	return NULL;
}

/* The segment whose memory holds [vaddr, vaddr + len), or NULL. With
 * file_only, only its file-backed part [vaddr, vaddr + filesz) counts. */
static const struct elf_segment *seg_holding(const struct elf_image *im, uint64_t vaddr,
					     uint64_t len, bool file_only)
{
	for (unsigned i = 0; i < im->nseg; i++) {
		const struct elf_segment *s = &im->seg[i];
		uint64_t n = file_only ? s->filesz : s->memsz;

		if (vaddr >= s->vaddr && vaddr - s->vaddr <= n && len <= n - (vaddr - s->vaddr))
			return s;
	}
	return NULL;
}

/* The ELF header of a riscv64 file whose program-header table can be read:
 * what exec checks first, and all Linux checks of an interpreter before it
 * commits. Returns a reason or NULL. */
static const char *check_header(const uint8_t *f, size_t size)
{
	uint16_t phnum;

	if (size < EHDR_SIZE)
		return "shorter than an ELF header";
	if (memcmp(f, "\177ELF", 4) != 0)
		return "not an ELF file (bad magic)";
	if (f[EI_CLASS] != ELFCLASS64)
		return "not ELFCLASS64";
	if (f[EI_DATA] != ELFDATA2LSB)
		return "not little-endian (ELFDATA2LSB)";
	if (f[EI_VERSION] != EV_CURRENT || le(f + 20, 4) != EV_CURRENT)
		return "bad ELF version";
	if (le(f + 18, 2) != EM_RISCV)
		return "not a RISC-V file (e_machine)";
	if (le(f + 54, 2) != PHDR_SIZE)
		return "e_phentsize is not 56";
	phnum = (uint16_t)le(f + 56, 2);
	if (phnum == 0)
		return "no program headers";
	if (phnum > MAX_PHNUM)
		return "too many program headers";
	if (!in_file(le(f + 32, 8), (uint64_t)phnum * PHDR_SIZE, size))
		return "program headers outside the file";
	return NULL;
}

/* f holds the file's first size bytes, of file_size: the headers and the
 * interpreter path must lie in f, the segments' bytes only in the file. */
static const char *check(const uint8_t *f, size_t size, uint64_t file_size, struct elf_image *im)
{
	uint64_t phoff, phdr_vaddr = 0, phdrs_len;
	const struct elf_segment *s;
	bool have_phdr = false;
	uint16_t type;
	const char *err;

	if ((err = check_header(f, size)))
		return err;
	type = (uint16_t)le(f + 16, 2);
	if (type != ET_EXEC && type != ET_DYN)
		return "not an executable (e_type not ET_EXEC or ET_DYN)";
	im->is_dyn = type == ET_DYN;
	im->entry = le(f + 24, 8);
	phoff = le(f + 32, 8);
	im->phentsize = (uint16_t)le(f + 54, 2);
	im->phnum = (uint16_t)le(f + 56, 2);
	phdrs_len = (uint64_t)im->phnum * PHDR_SIZE;

	im->max_align = ELF_PAGE_SIZE;
	for (unsigned i = 0; i < im->phnum; i++) {
		struct phdr ph;

		read_phdr(f + phoff + (uint64_t)i * PHDR_SIZE, &ph);
		err = NULL;
		switch (ph.type) {
		case PT_LOAD:
			err = add_load(im, &ph, file_size);
			break;
		case PT_INTERP:
			err = add_interp(im, f, size, &ph);
			break;
		case PT_PHDR:
			if (have_phdr)
				err = "more than one PT_PHDR";
			have_phdr = true;
			phdr_vaddr = ph.vaddr; /* checked once the PT_LOADs are known */
			break;
		default: /* PT_GNU_STACK, PT_NOTE, PT_TLS, PT_DYNAMIC, ...: not ours */
			break;
		}
		if (err)
			return err;
	}
	if (im->nseg == 0)
		return "no loadable segment";

	im->lowest_vaddr = im->seg[0].vaddr & ~PAGE_MASK;
	im->highest_vaddr = page_up(im->seg[im->nseg - 1].vaddr + im->seg[im->nseg - 1].memsz);
	if (im->is_dyn && im->highest_vaddr - im->lowest_vaddr > ELF_USER_LIMIT)
		return "PT_LOAD span larger than the user address space";

	s = seg_holding(im, im->entry, 1, false);
	if (!s || !(s->prot & ELF_PROT_X))
		return "entry point not in an executable segment";

	/* AT_PHDR: the program headers as mapped. PT_PHDR names the address
	 * (ld.so derives the load bias from it), and that address must hold
	 * the file's program headers; without one they are looked up in the
	 * segments' file ranges, as Linux does. */
	if (have_phdr) {
		s = seg_holding(im, phdr_vaddr, phdrs_len, true);
		if (!s || s->offset + (phdr_vaddr - s->vaddr) != phoff)
			return "PT_PHDR not inside the PT_LOAD that maps the program headers";
		im->phdr_vaddr = phdr_vaddr;
	} else {
		for (unsigned i = 0; i < im->nseg; i++) {
			s = &im->seg[i];
			if (phoff >= s->offset && phoff - s->offset <= s->filesz &&
			    phdrs_len <= s->filesz - (phoff - s->offset)) {
				im->phdr_vaddr = s->vaddr + (phoff - s->offset);
				break;
			}
		}
	}
	return NULL;
}

int elf_parse_head(const void *head, size_t head_len, uint64_t file_size, struct elf_image *out,
		   const char **why)
{
	const char *err;

	memset(out, 0, sizeof(*out));
	err = !head ? "no file" : head_len > file_size ? "head longer than the file"
						      : check(head, head_len, file_size, out);
	if (why)
		*why = err ? err : "";
	return err ? -EINVAL : 0;
}

int elf_check_interp(const void *file, size_t size, const char **why)
{
	const char *err = file ? check_header(file, size) : "no file";

	if (why)
		*why = err ? err : "";
	return err ? -ELIBBAD : 0;
}

int elf_parse(const void *file, size_t size, struct elf_image *out, const char **why)
{
	return elf_parse_head(file, size, size, out, why);
}
