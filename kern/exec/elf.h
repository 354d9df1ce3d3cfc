/* ELF64 executables for riscv64 Linux: check a file and describe what to map.
 *
 * Pure parsing: elf_parse() reads only the byte buffer it is given (never
 * past size, whatever the contents), allocates nothing and maps nothing.
 * The exec code then maps out->seg[] and builds the auxiliary vector. */
#ifndef KERN_EXEC_ELF_H
#define KERN_EXEC_ELF_H

#include <frame/types.h>

#define ELF_MAX_SEGMENTS 16
/* User addresses are below this (the lower half of Sv39). */
#define ELF_USER_LIMIT 0x4000000000ULL
/* The page size segments are mapped with. */
#define ELF_PAGE_SIZE 4096ULL

/* Segment protections: the same values as mmap's PROT_READ/WRITE/EXEC. */
#define ELF_PROT_R 1u
#define ELF_PROT_W 2u
#define ELF_PROT_X 4u

struct elf_segment {
	uint64_t vaddr, memsz;  /* memory image: [vaddr, vaddr + memsz) */
	uint64_t offset, filesz; /* file bytes to copy; the rest is zero */
	unsigned prot;           /* ELF_PROT_* */
};

struct elf_image {
	uint64_t entry;
	uint64_t phdr_vaddr; /* where the program headers are in memory (AT_PHDR), 0 if not mapped */
	uint16_t phnum, phentsize;
	bool is_dyn;     /* ET_DYN (static-pie or PIE): vaddrs are relative to a load bias the caller picks */
	bool has_interp; /* PT_INTERP present (dynamic executable) */
	uint64_t interp_offset, interp_size; /* the interpreter path: interp_size bytes at
					      * interp_offset, followed by its NUL (not counted) */
	uint64_t lowest_vaddr, highest_vaddr; /* page-aligned span of all PT_LOADs: [lowest, highest) */
	uint64_t max_align; /* largest PT_LOAD p_align, at least ELF_PAGE_SIZE: an ET_DYN load
			     * bias should be a multiple of it */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	unsigned nseg; /* PT_LOAD segments with p_memsz > 0, in file (= ascending vaddr) order */
};

/* Checks that file[0, size) is a riscv64 ELF64 little-endian executable
 * (ET_EXEC, or ET_DYN for static-pie/PIE) whose loadable segments can be
 * mapped, and describes it in *out. Returns 0, or -EINVAL with a short reason
 * in *why ("" on success; why may be NULL). *out is unspecified on error.
 * PT_LOAD segments with p_memsz 0 are skipped, as Linux does; every other
 * type than PT_LOAD, PT_INTERP and PT_PHDR is ignored here. */
int elf_parse(const void *file, size_t size, struct elf_image *out, const char **why);

/* The same for a file of file_size bytes of which head holds the first
 * head_len: the ELF and program headers and a PT_INTERP path must lie in
 * head (else -EINVAL, "... outside the file"), the segments' file bytes in
 * the file. Accepting means elf_parse of the whole file accepts, with the
 * same *out; a rejection may be only the head's (then read it all). */
int elf_parse_head(const void *head, size_t head_len, uint64_t file_size, struct elf_image *out,
		   const char **why);

/* The checks Linux makes of a PT_INTERP's file before exec commits: an
 * ELF64 little-endian riscv64 header with a readable program-header table.
 * Returns 0, or -ELIBBAD with a reason in *why (as for elf_parse). */
int elf_check_interp(const void *file, size_t size, const char **why);

#endif
