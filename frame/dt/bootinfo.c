/* Reading the machine description: memory banks, reserved ranges, /chosen,
 * harts and the timebase. Nothing here touches hardware. */
#include <frame/errno.h>
#include <libfdt.h>
#include "dt/bootinfo.h"
#include "dt/dt_util.h"

static void set_name(char *dst, const char *src)
{
	strlcpy(dst, src ? src : "?", BI_NAME_LEN);
}

static int add_range(struct bi_range *arr, unsigned *n, unsigned max, uint64_t base,
		     uint64_t size, const char *name)
{
	if (size == 0)
		return 0;
	if (base + size < base)
		return -EINVAL; /* wraps around */
	if (*n >= max)
		return -ENOSPC;
	arr[*n].base = base;
	arr[*n].size = size;
	set_name(arr[*n].name, name);
	(*n)++;
	return 0;
}

int bootinfo_reserve(struct boot_info *bi, uint64_t base, uint64_t size, const char *name)
{
	return add_range(bi->reserved, &bi->nreserved, BI_MAX_RESERVED, base, size, name);
}

static int parse_memory(struct boot_info *bi, const char **why)
{
	const void *fdt = bi->fdt;
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		int len;
		const char *type = fdt_getprop(fdt, node, "device_type", &len);
		uint64_t base, size;

		if (!type || strcmp(type, "memory") != 0 || !dt_node_enabled(fdt, node))
			continue;
		for (unsigned i = 0; dt_reg(fdt, node, i, &base, &size) == 0; i++) {
			if (add_range(bi->banks, &bi->nbanks, BI_MAX_BANKS, base, size,
				      fdt_get_name(fdt, node, NULL))) {
				*why = "too many or invalid memory banks";
				return -EINVAL;
			}
		}
	}
	if (bi->nbanks == 0) {
		*why = "no /memory node with a usable reg";
		return -EINVAL;
	}
	return 0;
}

static int parse_reserved(struct boot_info *bi, const char **why)
{
	const void *fdt = bi->fdt;
	int node, n = fdt_num_mem_rsv(fdt);
	uint64_t base, size;

	for (int i = 0; i < n; i++) {
		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0 &&
		    bootinfo_reserve(bi, base, size, "memreserve")) {
			*why = "bad /memreserve/ entry";
			return -EINVAL;
		}
	}
	int rsv = fdt_path_offset(fdt, "/reserved-memory");
	if (rsv < 0)
		return 0;
	fdt_for_each_subnode(node, fdt, rsv) {
		if (!dt_node_enabled(fdt, node))
			continue;
		/* Dynamically placed regions (size + alloc-ranges, no reg) are
		 * for drivers to claim later; only fixed ones are excluded here. */
		for (unsigned i = 0; dt_reg(fdt, node, i, &base, &size) == 0; i++) {
			if (bootinfo_reserve(bi, base, size, fdt_get_name(fdt, node, NULL))) {
				*why = "too many or invalid /reserved-memory regions";
				return -EINVAL;
			}
		}
	}
	return 0;
}

static uint64_t read_addr_prop(const void *fdt, int node, const char *name, bool *ok)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	*ok = p && (len == 4 || len == 8);
	return *ok ? dt_read_cells(p, len / 4) : 0;
}

static void parse_chosen(struct boot_info *bi)
{
	const void *fdt = bi->fdt;
	int chosen = fdt_path_offset(fdt, "/chosen");
	int len;

	bi->bootargs = "";
	bi->model = fdt_getprop(fdt, 0, "model", &len);
	if (!bi->model || len <= 0 || bi->model[len - 1] != '\0')
		bi->model = "unknown machine";
	if (chosen < 0)
		return;

	const char *args = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (args && len > 0 && args[len - 1] == '\0')
		bi->bootargs = args;
	const char *out = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (out && len > 0 && out[len - 1] == '\0')
		bi->stdout_path = out;

	bool ok_start, ok_end;
	uint64_t start = read_addr_prop(fdt, chosen, "linux,initrd-start", &ok_start);
	uint64_t end = read_addr_prop(fdt, chosen, "linux,initrd-end", &ok_end);
	if (ok_start && ok_end && end > start) {
		bi->initrd_start = start;
		bi->initrd_end = end;
	}

	const fdt32_t *seed = fdt_getprop(fdt, chosen, "rng-seed", &len);
	for (int i = 0; seed && i + 4 <= len; i += 4)
		bi->rng_seed = (bi->rng_seed << 7 | bi->rng_seed >> 57) ^ fdt32_to_cpu(seed[i / 4]);
}

static uint32_t cpu_intc_phandle(const void *fdt, int cpu)
{
	int child;

	fdt_for_each_subnode(child, fdt, cpu) {
		if (fdt_node_check_compatible(fdt, child, "riscv,cpu-intc") == 0)
			return fdt_get_phandle(fdt, child);
	}
	return 0;
}

static void add_hart(struct boot_info *bi, int node, uint32_t hartid, uint32_t boot_hartid)
{
	struct bi_hart *h = &bi->harts[bi->nharts];
	int len;
	const char *isa = fdt_getprop(bi->fdt, node, "riscv,isa", &len);

	h->hartid = hartid;
	h->node = node;
	h->intc_phandle = cpu_intc_phandle(bi->fdt, node);
	strlcpy(h->isa, isa && len > 0 && isa[len - 1] == '\0' ? isa : "?", sizeof(h->isa));
	if (hartid == boot_hartid)
		bi->boot_hart = (int)bi->nharts;
	bi->nharts++;
}

static int parse_cpus(struct boot_info *bi, uint32_t boot_hartid, const char **why)
{
	const void *fdt = bi->fdt;
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;
	uint32_t tb;

	bi->boot_hart = -1;
	if (cpus < 0) {
		*why = "no /cpus node";
		return -EINVAL;
	}
	if (dt_prop_u32(fdt, cpus, "timebase-frequency", &tb) == 0)
		bi->timebase_hz = tb;
	fdt_for_each_subnode(node, fdt, cpus) {
		int len;
		const char *type = fdt_getprop(fdt, node, "device_type", &len);
		uint64_t hartid, unused;

		if (!type || strcmp(type, "cpu") != 0)
			continue;
		/* Monitor cores (the S7 on the JH7110, the E51 on sifive_u) have no
		 * MMU and cannot run a Sv39 kernel: leave them alone. */
		if (!dt_node_enabled(fdt, node) || !fdt_getprop(fdt, node, "mmu-type", NULL) ||
		    dt_reg_raw(fdt, node, 0, &hartid, &unused) != 0 || bi->nharts >= BI_MAX_HARTS) {
			bi->skipped_harts++;
			continue;
		}
		if (!bi->timebase_hz && dt_prop_u32(fdt, node, "timebase-frequency", &tb) == 0)
			bi->timebase_hz = tb;
		add_hart(bi, node, (uint32_t)hartid, boot_hartid);
	}
	if (bi->boot_hart < 0) {
		*why = "the boot hart has no usable /cpus entry";
		return -EINVAL;
	}
	if (!bi->timebase_hz) {
		*why = "no timebase-frequency";
		return -EINVAL;
	}
	return 0;
}

int bootinfo_parse(struct boot_info *bi, const void *fdt, uint64_t fdt_pa,
		   uint32_t boot_hartid, const char **why)
{
	int err;

	memset(bi, 0, sizeof(*bi));
	*why = "";
	if (fdt_check_header(fdt) != 0) {
		*why = "bad device tree header";
		return -EINVAL;
	}
	/* libfdt and dt_util read cells and reservation entries in place. */
	if (((uintptr_t)fdt & 7) || (fdt_off_mem_rsvmap(fdt) & 7) || (fdt_off_dt_struct(fdt) & 3)) {
		*why = "misaligned device tree blocks";
		return -EINVAL;
	}
	/* Every walk below trusts the structure block: a property length that
	 * points backwards would make libfdt's tag walk go round for ever. */
	if (!dt_struct_walk_ends(fdt) || fdt_check_full(fdt, fdt_totalsize(fdt)) != 0) {
		*why = "malformed device tree";
		return -EINVAL;
	}
	dt_index_build(fdt);
	bi->fdt = fdt;
	bi->fdt_pa = fdt_pa;
	bi->fdt_size = fdt_totalsize(fdt);
	parse_chosen(bi);
	if ((err = parse_memory(bi, why)) || (err = parse_reserved(bi, why)) ||
	    (err = parse_cpus(bi, boot_hartid, why)))
		return err;
	/* The tree itself is not reserved by the firmware: protect it. */
	if (bootinfo_reserve(bi, fdt_pa, bi->fdt_size, "device tree") ||
	    (bi->initrd_end && bootinfo_reserve(bi, bi->initrd_start,
						bi->initrd_end - bi->initrd_start, "initrd"))) {
		*why = "too many reserved ranges";
		return -EINVAL;
	}
	return 0;
}
