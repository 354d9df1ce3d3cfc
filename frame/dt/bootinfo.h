/* Everything the frame learns from the device tree at boot, parsed once by
 * bootinfo_parse(). Pure data and libfdt only: also built for host tests. */
#ifndef FRAME_DT_BOOTINFO_H
#define FRAME_DT_BOOTINFO_H

#include <frame/types.h>

#define BI_MAX_BANKS 16
#define BI_MAX_RESERVED 32
#define BI_MAX_HARTS 16
#define BI_NAME_LEN 32

struct bi_range {
	uint64_t base;
	uint64_t size;
	char name[BI_NAME_LEN];
};

struct bi_hart {
	uint32_t hartid;
	int node;          /* cpu node offset */
	uint32_t intc_phandle; /* its riscv,cpu-intc child */
	char isa[64];
};

struct boot_info {
	const void *fdt;
	uint64_t fdt_pa;
	uint32_t fdt_size;

	struct bi_range banks[BI_MAX_BANKS];
	unsigned nbanks;
	struct bi_range reserved[BI_MAX_RESERVED];
	unsigned nreserved;

	const char *model;
	const char *bootargs;    /* "" if none */
	const char *stdout_path; /* NULL if none */
	uint64_t initrd_start, initrd_end; /* both 0 if none */
	uint64_t rng_seed;       /* folded /chosen/rng-seed, 0 if none */

	uint64_t timebase_hz;
	struct bi_hart harts[BI_MAX_HARTS];
	unsigned nharts;         /* harts with an MMU, status okay */
	unsigned skipped_harts;  /* cpu nodes without an MMU or disabled */
	int boot_hart;           /* index into harts[], -1 if not found */
};

/* Parses fdt (already checked for size) for the boot hart boot_hartid.
 * Returns 0, or -EINVAL with *why set to a readable reason. */
int bootinfo_parse(struct boot_info *bi, const void *fdt, uint64_t fdt_pa,
		   uint32_t boot_hartid, const char **why);

/* Adds a reserved range (kernel image, initrd, ...); -ENOSPC if full. */
int bootinfo_reserve(struct boot_info *bi, uint64_t base, uint64_t size, const char *name);

#endif
