/* Host tests of the device-tree helpers (frame/dt/dt_util.c) on fixtures
 * compiled by dtc: cells, reg with bus translation, status, u32 properties,
 * interrupt parents. */
#include <libfdt.h>
#include <stdlib.h>

#include <frame/errno.h>
#include "dt/dt_util.h"
#include "fixture.h"
#include "test.h"

static const void *fdt;

static int node(const char *path)
{
	int off = fdt_path_offset(fdt, path);

	CHECK_MSG(off >= 0, "fixture node %s: %s", path, fdt_strerror(off));
	return off;
}

/* dt_reg(path, index) == (want_err, base, size) */
static void check_reg(int line, const char *path, unsigned index, int want_err, uint64_t want_base,
		      uint64_t want_size)
{
	uint64_t base = 0xbad, size = 0xbad;
	int err = dt_reg(fdt, node(path), index, &base, &size);

	if (want_err)
		CHECK_MSG(err == want_err, "line %d: dt_reg(%s, %u) = %d, want %d", line, path, index,
			  err, want_err);
	else
		CHECK_MSG(err == 0 && base == want_base && size == want_size,
			  "line %d: dt_reg(%s, %u) = %d 0x%lx+0x%lx, want 0x%lx+0x%lx", line, path, index,
			  err, (unsigned long)base, (unsigned long)size, (unsigned long)want_base,
			  (unsigned long)want_size);
}
#define REG(path, i, base, size) check_reg(__LINE__, path, i, 0, base, size)
#define REG_ERR(path, i, err) check_reg(__LINE__, path, i, err, 0, 0)

static void check_raw(int line, const char *path, unsigned index, int want_err, uint64_t want_base,
		      uint64_t want_size)
{
	uint64_t base = 0xbad, size = 0xbad;
	int err = dt_reg_raw(fdt, node(path), index, &base, &size);

	CHECK_MSG(err == want_err && (err || (base == want_base && size == want_size)),
		  "line %d: dt_reg_raw(%s, %u) = %d 0x%lx+0x%lx", line, path, index, err,
		  (unsigned long)base, (unsigned long)size);
}
#define RAW(path, i, base, size) check_raw(__LINE__, path, i, 0, base, size)
#define RAW_ERR(path, i, err) check_raw(__LINE__, path, i, err, 0, 0)

static void test_read_cells(void)
{
	static const uint8_t be[] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
	uint32_t words[2];

	memcpy(words, be, sizeof(words)); /* aligned, as property data is */
	CHECK_EQ(dt_read_cells(words, 1), 0x12345678);
	CHECK_EQ(dt_read_cells(words, 2), 0x123456789abcdef0ULL);
	CHECK_EQ(dt_read_cells(words, 0), 0);
}

static void test_cells32(void)
{
	fdt = load_dtb("cells32", NULL);

	/* The memory node's two entries, 1/1 cells, no translation. */
	REG("/memory@40000000", 0, 0x40000000, 0x10000000);
	REG("/memory@40000000", 1, 0x60000000, 0x8000000);
	REG_ERR("/memory@40000000", 2, -ENOENT);
	REG_ERR("/memory@40000000", 1000000, -ENOENT);
	RAW("/memory@40000000", 1, 0x60000000, 0x8000000);

	/* Through /soc's two windows. */
	REG("/soc/serial@2000", 0, 0x10002000, 0x100);
	RAW("/soc/serial@2000", 0, 0x2000, 0x100);
	REG("/soc/dev@200010", 0, 0x20000010, 0x10);
	REG_ERR("/soc/outside@300000", 0, -EINVAL); /* in no window */
	/* Two buses deep, two entries. */
	REG("/soc/bus@3000/dev@10", 0, 0x10003010, 0x4);
	REG("/soc/bus@3000/dev@10", 1, 0x10003020, 0x8);
	REG("/soc/bus@3000", 0, 0x10003000, 0x1000);
	/* An empty `ranges` is the identity, then /soc translates. */
	REG("/soc/identity@4000/dev@4000", 0, 0x10004000, 0x10);
	/* A bus with 2 address cells under one with 1. */
	REG("/soc/wide@5000/dev@1,100", 0, 0x10005100, 0x10);
	RAW("/soc/wide@5000/dev@1,100", 0, 0x100000100ULL, 0x10);
	/* No `ranges`: not memory mapped, but the raw entry is readable. */
	REG_ERR("/nobus/dev@0", 0, -EINVAL);
	RAW("/nobus/dev@0", 0, 0x0, 0x10);
	/* 3 address cells (PCI) are not supported. */
	REG_ERR("/pci/dev@0", 0, -EINVAL);
	RAW_ERR("/pci/dev@0", 0, -EINVAL);
	/* #size-cells 0: size 0 (cpu ids and the like). */
	RAW("/nosize/dev@7", 0, 7, 0);
	RAW("/cpus/cpu@0", 0, 0, 0);
	/* A reg too short for one entry, and no reg at all. */
	REG_ERR("/short-reg@1000", 0, -ENOENT);
	REG_ERR("/regless", 0, -ENOENT);
	/* The root has no parent. */
	uint64_t b, s;
	CHECK_EQ(dt_reg(fdt, 0, 0, &b, &s), -EINVAL);
	CHECK_EQ(dt_reg_raw(fdt, 0, 0, &b, &s), -EINVAL);

	/* Status. */
	CHECK(dt_node_enabled(fdt, node("/props/st-none")));
	CHECK(dt_node_enabled(fdt, node("/props/st-okay")));
	CHECK(dt_node_enabled(fdt, node("/props/st-ok")));
	CHECK(!dt_node_enabled(fdt, node("/props/st-disabled")));
	CHECK(!dt_node_enabled(fdt, node("/props/st-fail")));
	CHECK(!dt_node_enabled(fdt, node("/props/st-empty")));
	CHECK(dt_node_enabled(fdt, node("/props/st-okay-nonul")));
	CHECK(!dt_node_enabled(fdt, node("/props/st-okayish")));

	/* u32 properties. */
	uint32_t v = 0xbad;
	CHECK_EQ(dt_prop_u32(fdt, node("/props"), "u32", &v), 0);
	CHECK_EQ(v, 0x12345678);
	v = 0xbad;
	CHECK_EQ(dt_prop_u32(fdt, node("/props"), "u64", &v), -EINVAL);
	CHECK_EQ(dt_prop_u32(fdt, node("/props"), "byte", &v), -EINVAL);
	CHECK_EQ(dt_prop_u32(fdt, node("/props"), "empty", &v), -EINVAL);
	CHECK_EQ(dt_prop_u32(fdt, node("/props"), "missing", &v), -ENOENT);
	CHECK_EQ(v, 0xbad); /* untouched on error */

	/* Interrupt parents: own, inherited from the bus, from the root. */
	uint32_t plic = fdt_get_phandle(fdt, node("/soc/interrupt-controller@c000000"));
	uint32_t other = fdt_get_phandle(fdt, node("/soc/interrupt-controller@d000000"));
	uint32_t intc = fdt_get_phandle(fdt, node("/cpus/cpu@0/interrupt-controller"));
	uint32_t ph = 0;
	CHECK(plic && other && intc && plic != other);
	CHECK_EQ(dt_interrupt_parent(fdt, node("/soc/serial@2000"), &ph), 0);
	CHECK_EQ(ph, plic);
	CHECK_EQ(dt_interrupt_parent(fdt, node("/soc/dev@200010"), &ph), 0);
	CHECK_EQ(ph, other);
	CHECK_EQ(dt_interrupt_parent(fdt, node("/soc/bus@3000/dev@10"), &ph), 0);
	CHECK_EQ(ph, plic);
	CHECK_EQ(dt_interrupt_parent(fdt, node("/nobus/dev@0"), &ph), 0);
	CHECK_EQ(ph, intc);
	free((void *)fdt);
}

static void test_virt(void)
{
	fdt = load_dtb("virt", NULL);

	/* 2/2 cells, an empty `ranges` on /soc. */
	REG("/memory@80000000", 0, 0x80000000, 0x8000000);
	REG("/memory@100000000", 0, 0x100000000ULL, 0x4000000);
	REG("/memory@100000000", 1, 0x110000000ULL, 0x1000000);
	REG_ERR("/memory@100000000", 2, -ENOENT);
	REG("/soc/serial@10000000", 0, 0x10000000, 0x100);
	REG("/soc/interrupt-controller@c000000", 0, 0xc000000, 0x600000);
	REG("/reserved-memory/mmode_resv1@80000000", 0, 0x80000000, 0x40000);
	REG_ERR("/reserved-memory/dynamic-pool", 0, -ENOENT);
	/* cpu nodes: their parent /cpus has no ranges; raw is the hart id. */
	RAW("/cpus/cpu@1", 0, 1, 0);
	REG_ERR("/cpus/cpu@1", 0, -EINVAL);
	uint32_t ph;
	CHECK_EQ(dt_interrupt_parent(fdt, node("/soc/serial@10000000"), &ph), 0);
	CHECK_EQ(ph, fdt_get_phandle(fdt, node("/soc/interrupt-controller@c000000")));
	CHECK_EQ(dt_interrupt_parent(fdt, node("/memory@80000000"), &ph), -ENOENT);
	free((void *)fdt);
}

/* The parent index answers as libfdt does, for every node of a tree. */
static void check_index_matches(const char *fixture)
{
	int depth = 0, nodes = 0, bad = 0;
	char a[256], b[256];

	fdt = load_dtb(fixture, NULL);
	dt_index_build(fdt);
	for (int n = fdt_next_node(fdt, -1, &depth); n >= 0; n = fdt_next_node(fdt, n, &depth)) {
		nodes++;
		int ea = dt_get_path(fdt, n, a, sizeof(a)), eb = fdt_get_path(fdt, n, b, sizeof(b));
		bad += dt_parent(fdt, n) != fdt_parent_offset(fdt, n) || ea != eb ||
		       (!ea && strcmp(a, b) != 0);
		/* A buffer too small fails as libfdt's does. */
		bad += (dt_get_path(fdt, n, a, 4) == 0) != (fdt_get_path(fdt, n, b, 4) == 0);
	}
	CHECK_MSG(nodes > 3 && bad == 0, "%s: %d of %d nodes differ", fixture, bad, nodes);
	/* Not a node's offset: libfdt's answer (an error), not the index's. */
	CHECK(dt_parent(fdt, 1) < 0);
	free((void *)fdt);
}

static void test_index(void)
{
	check_index_matches("virt");
	check_index_matches("cells32");
	check_index_matches("jh7110");
	/* The index belongs to the tree it was built from: another tree (here
	 * the same bytes at another address) is answered by libfdt. */
	const void *one = load_dtb("virt", NULL), *other = load_dtb("virt", NULL);
	int serial = fdt_path_offset(other, "/soc/serial@10000000");
	char path[64];
	dt_index_build(one);
	CHECK_EQ(dt_parent(other, serial), fdt_parent_offset(other, serial));
	CHECK(dt_get_path(other, serial, path, sizeof(path)) == 0 &&
	      strcmp(path, "/soc/serial@10000000") == 0);
	dt_index_build(other); /* now the index is other's */
	CHECK(dt_get_path(other, serial, path, sizeof(path)) == 0 &&
	      strcmp(path, "/soc/serial@10000000") == 0);
	free((void *)one);
	free((void *)other);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_read_cells();
	test_cells32();
	test_virt();
	test_index();
	return test_done("dt");
}
