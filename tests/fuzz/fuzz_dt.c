/* libFuzzer target: the DT glue (frame/dt) on an arbitrary blob.
 *
 * bootinfo_parse's contract (bootinfo.h, test_bootinfo.c): the buffer holds
 * at least fdt_totalsize() bytes and its blocks are aligned (boot/main.c
 * refuses a tree otherwise, as libfdt reads cells in place); everything
 * inside may be garbage; it gives 0 or -EINVAL with a reason. Then, on trees
 * that pass fdt_check_full as boot/main.c requires before device binding,
 * every node goes through the helpers binding uses (reg with ranges
 * translation, status, u32 properties, the interrupt parent). ASan/UBSan
 * judge memory; the checks below judge the results. */
#include <libfdt.h>
#include <stdlib.h>

#include <frame/errno.h>
#include "dt/bootinfo.h"
#include "dt/dt_util.h"

#define FDT_PA 0x9fe00000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_result(const struct boot_info *bi, int err, const char *why)
{
	if (err ? err != -EINVAL || !why || !why[0] : !why || why[0])
		abort(); /* an error comes with a reason, success without */
	if (err)
		return;
	if (bi->nbanks == 0 || bi->nbanks > BI_MAX_BANKS || bi->nreserved > BI_MAX_RESERVED ||
	    bi->nharts > BI_MAX_HARTS || bi->boot_hart < 0 || (unsigned)bi->boot_hart >= bi->nharts)
		abort();
	for (unsigned i = 0; i < bi->nbanks; i++)
		if (bi->banks[i].base + bi->banks[i].size < bi->banks[i].base)
			abort(); /* a bank that wraps around */
}

static void walk_nodes(const void *fdt)
{
	int node = -1, depth = 0;

	while ((node = fdt_next_node(fdt, node, &depth)) >= 0) {
		uint64_t base, size;
		uint32_t v;

		for (unsigned i = 0; i < 8 && dt_reg(fdt, node, i, &base, &size) == 0; i++)
			;
		for (unsigned i = 0; i < 8 && dt_reg_raw(fdt, node, i, &base, &size) == 0; i++)
			;
		(void)dt_node_enabled(fdt, node);
		(void)dt_prop_u32(fdt, node, "#address-cells", &v);
		(void)dt_interrupt_parent(fdt, node, &v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	const char *why = NULL;
	void *fdt;
	int err;

	/* The frame maps the tree 8-aligned and fdt_totalsize() long. */
	if (size < sizeof(struct fdt_header) || !(fdt = aligned_alloc(8, (size + 7) & ~(size_t)7)))
		return 0;
	memcpy(fdt, data, size);
	if (fdt_totalsize(fdt) <= size && !(fdt_off_mem_rsvmap(fdt) & 7) &&
	    !(fdt_off_dt_struct(fdt) & 3)) {
		memset(&bi, 0, sizeof(bi));
		err = bootinfo_parse(&bi, fdt, FDT_PA, 0, &why);
		check_result(&bi, err, why);
		if (dt_struct_walk_ends(fdt) && fdt_check_full(fdt, fdt_totalsize(fdt)) == 0)
			walk_nodes(fdt);
	}
	free(fdt);
	return 0;
}
