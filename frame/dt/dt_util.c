/* Device-tree helpers: cells, reg with bus translation, status, interrupt parent. */
#include <frame/errno.h>
#include <libfdt.h>
#include "dt/dt_util.h"

#define DT_MAX_DEPTH 16

uint64_t dt_read_cells(const void *cells, int count)
{
	const fdt32_t *p = cells;
	uint64_t v = 0;

	for (int i = 0; i < count; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

bool dt_node_enabled(const void *fdt, int node)
{
	int len;
	const char *status = fdt_getprop(fdt, node, "status", &len);

	if (!status || len <= 0)
		return true;
	return strncmp(status, "okay", (size_t)len) == 0 || strncmp(status, "ok", (size_t)len) == 0;
}

int dt_prop_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return -ENOENT;
	if (len != 4)
		return -EINVAL;
	*out = fdt32_to_cpu(*p);
	return 0;
}

static bool cells_ok(int cells)
{
	return cells >= 1 && cells <= 2;
}

/* Translates addr, an address on node's bus (node is the bus node), into its
 * parent's address space using node's `ranges`. */
static int translate_one(const void *fdt, int bus, uint64_t *addr)
{
	int len, parent = dt_parent(fdt, bus);
	const fdt32_t *ranges = fdt_getprop(fdt, bus, "ranges", &len);
	int child_ac = fdt_address_cells(fdt, bus);
	int parent_ac, sc = fdt_size_cells(fdt, bus);

	if (!ranges)
		return -EINVAL; /* a bus without ranges is not memory mapped */
	if (len == 0)
		return 0; /* identity */
	if (parent < 0)
		return -EINVAL;
	parent_ac = fdt_address_cells(fdt, parent);
	if (!cells_ok(child_ac) || !cells_ok(parent_ac) || sc < 1 || sc > 2)
		return -EINVAL;
	int entry = child_ac + parent_ac + sc;
	for (int i = 0; (i + 1) * entry * 4 <= len; i++) {
		const fdt32_t *e = ranges + i * entry;
		uint64_t child = dt_read_cells(e, child_ac);
		uint64_t par = dt_read_cells(e + child_ac, parent_ac);
		uint64_t size = dt_read_cells(e + child_ac + parent_ac, sc);
		if (*addr >= child && *addr - child < size) {
			*addr = par + (*addr - child);
			return 0;
		}
	}
	return -EINVAL;
}

int dt_reg_raw(const void *fdt, int node, unsigned index, uint64_t *base, uint64_t *size)
{
	int parent = dt_parent(fdt, node);
	int len, ac, sc;
	const fdt32_t *reg;

	if (parent < 0)
		return -EINVAL;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (!cells_ok(ac) || sc < 0 || sc > 2)
		return -EINVAL;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 0)
		return -ENOENT;
	if ((uint64_t)(index + 1) * (unsigned)(ac + sc) * 4 > (uint64_t)len)
		return -ENOENT;
	reg += index * (unsigned)(ac + sc);
	*base = dt_read_cells(reg, ac);
	*size = sc ? dt_read_cells(reg + ac, sc) : 0;
	return 0;
}

int dt_reg(const void *fdt, int node, unsigned index, uint64_t *base, uint64_t *size)
{
	int parent = dt_parent(fdt, node);
	int err = dt_reg_raw(fdt, node, index, base, size);

	if (err)
		return err;
	/* Walk up through every bus between node and the root. */
	for (int bus = parent, depth = 0; bus > 0; depth++) {
		if (depth > DT_MAX_DEPTH || translate_one(fdt, bus, base))
			return -EINVAL;
		bus = dt_parent(fdt, bus);
	}
	return 0;
}

int dt_interrupt_parent(const void *fdt, int node, uint32_t *phandle)
{
	for (int depth = 0; node >= 0 && depth < DT_MAX_DEPTH; depth++) {
		if (dt_prop_u32(fdt, node, "interrupt-parent", phandle) == 0)
			return 0;
		node = dt_parent(fdt, node);
	}
	return -ENOENT;
}

/* Walks the structure block's tags in 64-bit offsets: true if each lies
 * inside the block and the walk reaches FDT_END. libfdt's walk (the copy
 * in Debian bookworm's u-boot) adds a property's length to an int offset,
 * and a length near 2^32 brings it back where it started: fdt_check_full
 * itself then goes round for ever. Its other checks are left to it. */
bool dt_struct_walk_ends(const void *fdt)
{
	const uint8_t *base = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
	uint64_t total = fdt_totalsize(fdt), start = fdt_off_dt_struct(fdt), off = 0, size;

	if (start > total)
		return false;
	size = fdt_version(fdt) >= 17 ? fdt_size_dt_struct(fdt) : total - start;
	if (size > total - start)
		return false;

	while (off + FDT_TAGSIZE <= size) {
		uint32_t tag = fdt32_to_cpu(*(const fdt32_t *)(base + off)), len;

		off += FDT_TAGSIZE;
		switch (tag) {
		case FDT_BEGIN_NODE:
			while (off < size && base[off])
				off++;
			if (off++ >= size)
				return false;
			break;
		case FDT_PROP:
			if (size - off < 8)
				return false;
			len = fdt32_to_cpu(*(const fdt32_t *)(base + off));
			off += 8;
			if (fdt_version(fdt) < 0x10 && len >= 8 && off % 8) /* old trees' padding */
				off += 4;
			if (off > size || len > size - off)
				return false;
			off += len;
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return true;
		default:
			return false;
		}
		off = (off + FDT_TAGSIZE - 1) & ~(uint64_t)(FDT_TAGSIZE - 1);
	}
	return false;
}
