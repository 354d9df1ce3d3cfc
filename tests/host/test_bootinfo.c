/* Host tests of bootinfo_parse() (frame/dt/bootinfo.c) on dtc-built
 * fixtures: banks, reserved ranges, /chosen, harts and timebase, the error
 * paths, and truncated or corrupted blobs under ASan. */
#include <libfdt.h>
#include <stdlib.h>
#include <unistd.h>

#include <frame/errno.h>
#include "dt/bootinfo.h"
#include "fixture.h"
#include "rng.h"
#include "test.h"

#define FDT_PA 0x9fe00000UL

static struct boot_info bi;

static uint64_t fold_seed(const uint32_t *cells, unsigned n)
{
	uint64_t s = 0;

	for (unsigned i = 0; i < n; i++)
		s = (s << 7 | s >> 57) ^ cells[i];
	return s;
}

static void check_range(int line, const struct bi_range *r, uint64_t base, uint64_t size,
			const char *name)
{
	CHECK_MSG(r->base == base && r->size == size && strcmp(r->name, name) == 0,
		  "line %d: range 0x%lx+0x%lx \"%s\", want 0x%lx+0x%lx \"%s\"", line,
		  (unsigned long)r->base, (unsigned long)r->size, r->name, (unsigned long)base,
		  (unsigned long)size, name);
}
#define RANGE(r, base, size, name) check_range(__LINE__, r, base, size, name)

static int parse(const char *stem, uint32_t hart, const char **why, size_t *size)
{
	void *fdt = load_dtb(stem, size);
	int err = bootinfo_parse(&bi, fdt, FDT_PA, hart, why);

	CHECK_MSG(*why != NULL, "%s: why set", stem);
	CHECK_MSG(err ? (*why)[0] != '\0' : (*why)[0] == '\0', "%s: why \"%s\" goes with %d", stem,
		  *why, err);
	return err;
}

static void done(void)
{
	free((void *)bi.fdt);
}

/* The reason a fixture is refused with. */
static void check_refused(int line, const char *stem, uint32_t hart, const char *want_why)
{
	const char *why = NULL;
	void *fdt = load_dtb(stem, NULL);
	int err = bootinfo_parse(&bi, fdt, FDT_PA, hart, &why);

	CHECK_MSG(err == -EINVAL && why && strcmp(why, want_why) == 0,
		  "line %d: %s, hart %u: %d \"%s\", want -EINVAL \"%s\"", line, stem, hart, err,
		  why ? why : "(null)", want_why);
	free(fdt);
}
#define REFUSED(stem, hart, why) check_refused(__LINE__, stem, hart, why)

static void test_virt(void)
{
	const char *why;
	size_t size;

	CHECK_EQ(parse("virt", 1, &why, &size), 0);
	const void *fdt = bi.fdt;
	CHECK_EQ(bi.fdt_pa, FDT_PA);
	CHECK_EQ(bi.fdt_size, size);
	CHECK_STR(bi.model, "riscv-virtio,qemu");
	CHECK_STR(bi.bootargs, "console=ttyS0 rdinit=/init");
	CHECK_STR(bi.stdout_path, "/soc/serial@10000000");
	CHECK_EQ(bi.initrd_start, 0x88200000);
	CHECK_EQ(bi.initrd_end, 0x88400000);
	static const uint32_t seed[] = { 0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10 };
	CHECK_EQ(bi.rng_seed, fold_seed(seed, 4));

	/* Three banks from two nodes; disabled, empty and untyped ones left out. */
	CHECK_EQ(bi.nbanks, 3);
	RANGE(&bi.banks[0], 0x80000000, 0x8000000, "memory@80000000");
	RANGE(&bi.banks[1], 0x100000000ULL, 0x4000000, "memory@100000000");
	RANGE(&bi.banks[2], 0x110000000ULL, 0x1000000, "memory@100000000");

	/* /memreserve/, fixed /reserved-memory regions (not the disabled or
	 * the dynamic one), the tree itself, the initrd. */
	CHECK_EQ(bi.nreserved, 6);
	RANGE(&bi.reserved[0], 0x87f00000, 0x100000, "memreserve");
	RANGE(&bi.reserved[1], 0x9fff0000, 0x8000, "memreserve");
	RANGE(&bi.reserved[2], 0x80000000, 0x40000, "mmode_resv1@80000000");
	RANGE(&bi.reserved[3], 0x80040000, 0x20000, "mmode_resv0@80040000");
	RANGE(&bi.reserved[4], FDT_PA, size, "device tree");
	RANGE(&bi.reserved[5], 0x88200000, 0x200000, "initrd");

	CHECK_EQ(bi.timebase_hz, 10000000);
	CHECK_EQ(bi.nharts, 2);
	CHECK_EQ(bi.skipped_harts, 0);
	CHECK_EQ(bi.boot_hart, 1);
	CHECK_EQ(bi.harts[0].hartid, 0);
	CHECK_EQ(bi.harts[1].hartid, 1);
	CHECK_EQ(bi.harts[0].node, fdt_path_offset(fdt, "/cpus/cpu@0"));
	CHECK_EQ(bi.harts[1].node, fdt_path_offset(fdt, "/cpus/cpu@1"));
	CHECK_STR(bi.harts[0].isa, "rv64imafdch_zicsr_zifencei");
	CHECK_STR(bi.harts[1].isa, "rv64imafdc");
	uint32_t ph0 = fdt_get_phandle(fdt, fdt_path_offset(fdt, "/cpus/cpu@0/interrupt-controller"));
	uint32_t ph1 = fdt_get_phandle(fdt, fdt_path_offset(fdt, "/cpus/cpu@1/interrupt-controller"));
	CHECK(ph0 && ph1 && ph0 != ph1);
	CHECK_EQ(bi.harts[0].intc_phandle, ph0);
	CHECK_EQ(bi.harts[1].intc_phandle, ph1);

	/* bootinfo_reserve: appends, skips empty, refuses wrapping and full. */
	unsigned n = bi.nreserved;
	CHECK_EQ(bootinfo_reserve(&bi, 0x80200000, 0x1000000, "kernel image"), 0);
	RANGE(&bi.reserved[n], 0x80200000, 0x1000000, "kernel image");
	CHECK_EQ(bootinfo_reserve(&bi, 0x1000, 0, "empty"), 0);
	CHECK_EQ(bi.nreserved, n + 1);
	CHECK_EQ(bootinfo_reserve(&bi, ~0ULL - 0xfff, 0x2000, "wraps"), -EINVAL);
	CHECK_EQ(bootinfo_reserve(&bi, 0x1000, 0x1000, "a name far longer than BI_NAME_LEN bytes"), 0);
	CHECK_EQ(strlen(bi.reserved[n + 1].name), BI_NAME_LEN - 1);
	CHECK_EQ(bootinfo_reserve(&bi, 0x1000, 0x1000, NULL), 0);
	CHECK_STR(bi.reserved[n + 2].name, "?");
	while (bi.nreserved < BI_MAX_RESERVED)
		CHECK_EQ(bootinfo_reserve(&bi, 0x2000, 0x1000, "fill"), 0);
	CHECK_EQ(bootinfo_reserve(&bi, 0x3000, 0x1000, "one too many"), -ENOSPC);
	CHECK_EQ(bi.nreserved, BI_MAX_RESERVED);
	done();

	/* The same tree for boot hart 0. */
	CHECK_EQ(parse("virt", 0, &why, &size), 0);
	CHECK_EQ(bi.boot_hart, 0);
	done();
	REFUSED("virt", 2, "the boot hart has no usable /cpus entry");
	REFUSED("virt", 0xffffffff, "the boot hart has no usable /cpus entry");
}

static void test_cells32(void)
{
	const char *why;
	size_t size;

	CHECK_EQ(parse("cells32", 0, &why, &size), 0);
	CHECK_STR(bi.model, "Rivet test board (1/1 cells)");
	CHECK_STR(bi.bootargs, "console=ttyS0,115200 earlycon");
	CHECK_STR(bi.stdout_path, "serial0:115200n8");
	/* 32-bit initrd properties. */
	CHECK_EQ(bi.initrd_start, 0x48000000);
	CHECK_EQ(bi.initrd_end, 0x48123456);
	static const uint32_t seed[] = { 0xdeadbeef };
	CHECK_EQ(bi.rng_seed, fold_seed(seed, 1));
	CHECK_EQ(bi.nbanks, 2);
	RANGE(&bi.banks[0], 0x40000000, 0x10000000, "memory@40000000");
	RANGE(&bi.banks[1], 0x60000000, 0x8000000, "memory@40000000");
	CHECK_EQ(bi.nreserved, 3);
	RANGE(&bi.reserved[0], 0x40000000, 0x10000, "memreserve");
	RANGE(&bi.reserved[1], FDT_PA, size, "device tree");
	RANGE(&bi.reserved[2], 0x48000000, 0x123456, "initrd");
	/* Timebase from the cpu node. */
	CHECK_EQ(bi.timebase_hz, 24000000);
	CHECK_EQ(bi.nharts, 1);
	CHECK_EQ(bi.boot_hart, 0);
	CHECK_STR(bi.harts[0].isa, "rv64imac");
	done();
}

static void test_monitor_harts(void)
{
	const char *why;
	size_t size;

	/* sifive_u: the E51 (hart 0) has no MMU. */
	for (uint32_t boot = 1; boot <= 4; boot++) {
		CHECK_EQ(parse("sifive_u", boot, &why, &size), 0);
		CHECK_EQ(bi.nharts, 4);
		CHECK_EQ(bi.skipped_harts, 1);
		CHECK(bi.boot_hart >= 0 && bi.harts[bi.boot_hart].hartid == boot);
		for (unsigned i = 0; i < bi.nharts; i++)
			CHECK(bi.harts[i].hartid != 0 && bi.harts[i].intc_phandle != 0);
		CHECK_EQ(bi.timebase_hz, 1000000);
		done();
	}
	CHECK_EQ(parse("sifive_u", 1, &why, &size), 0);
	CHECK_STR(bi.model, "SiFive HiFive Unleashed A00");
	CHECK_STR(bi.bootargs, "");                /* no bootargs */
	CHECK_EQ(bi.initrd_start, 0);               /* start == end: no initrd */
	CHECK_EQ(bi.initrd_end, 0);
	CHECK_EQ(bi.rng_seed, 0);
	CHECK_EQ(bi.nreserved, 1);                  /* only the tree */
	RANGE(&bi.reserved[0], FDT_PA, size, "device tree");
	done();
	REFUSED("sifive_u", 0, "the boot hart has no usable /cpus entry");
	REFUSED("sifive_u", 5, "the boot hart has no usable /cpus entry");

	/* JH7110: the S7 (hart 0) is disabled and has no MMU; hart 4 is
	 * disabled; the timebase is per cpu and the S7's must not count. */
	CHECK_EQ(parse("jh7110", 3, &why, &size), 0);
	CHECK_EQ(bi.nharts, 3);
	CHECK_EQ(bi.skipped_harts, 2);
	CHECK(bi.boot_hart >= 0 && bi.harts[bi.boot_hart].hartid == 3);
	CHECK_EQ(bi.timebase_hz, 4000000);
	CHECK_EQ(bi.nbanks, 1);
	RANGE(&bi.banks[0], 0x40000000, 0x100000000ULL, "memory@40000000");
	CHECK_STR(bi.model, "unknown machine");
	CHECK_STR(bi.bootargs, "");        /* not NUL-terminated: ignored */
	CHECK(bi.stdout_path == NULL);     /* likewise */
	CHECK_EQ(bi.initrd_start, 0);      /* a 12-byte start: ignored */
	CHECK_EQ(bi.initrd_end, 0);
	static const uint32_t seed[] = { 0x11223344 }; /* the odd fifth byte is dropped */
	CHECK_EQ(bi.rng_seed, fold_seed(seed, 1));
	CHECK_EQ(bi.nreserved, 3);
	RANGE(&bi.reserved[0], 0x40000000, 0x80000, "opensbi@40000000");
	RANGE(&bi.reserved[1], 0x6ce00000, 0x1600000, "e24@6ce00000");
	RANGE(&bi.reserved[2], FDT_PA, size, "device tree");
	done();
	CHECK_EQ(parse("jh7110", 1, &why, &size), 0);
	done();
	REFUSED("jh7110", 0, "the boot hart has no usable /cpus entry");
	REFUSED("jh7110", 4, "the boot hart has no usable /cpus entry");

	/* More MMU harts than BI_MAX_HARTS: the first 16 are kept. */
	CHECK_EQ(parse("manyharts", 16, &why, &size), 0);
	CHECK_EQ(bi.nharts, BI_MAX_HARTS);
	CHECK_EQ(bi.skipped_harts, 3); /* the monitor hart and harts 17, 18 */
	CHECK_EQ(bi.harts[bi.boot_hart].hartid, 16);
	done();
	REFUSED("manyharts", 17, "the boot hart has no usable /cpus entry");
}

static void test_refused(void)
{
	REFUSED("nomem", 0, "no /memory node with a usable reg");
	REFUSED("notimebase", 1, "no timebase-frequency");
	REFUSED("nocpus", 0, "no /cpus node");
	REFUSED("wrapbank", 0, "too many or invalid memory banks");
	REFUSED("manybanks", 0, "too many or invalid memory banks");
	REFUSED("manyrsv", 0, "bad /memreserve/ entry");
	REFUSED("fullrsv", 0, "too many reserved ranges");
}

/* Malformed blobs. bootinfo_parse's contract: the buffer holds at least
 * fdt_totalsize() bytes (boot/main.c maps that much); everything inside may
 * be garbage. Every outcome must be 0, or -EINVAL with a reason, and ASan
 * must stay quiet. */
static void parse_blob(const void *blob, int *refused, int *accepted, bool *consistent)
{
	const char *why = NULL;
	int err = bootinfo_parse(&bi, blob, FDT_PA, 1, &why);

	if (err == -EINVAL && why && why[0])
		(*refused)++;
	else if (err == 0 && why && !why[0])
		(*accepted)++;
	else
		*consistent = false;
}

static void test_truncated(void)
{
	size_t size;
	unsigned char *orig = load_dtb("virt", &size);
	uint32_t off_struct = fdt_off_dt_struct(orig), size_struct = fdt_size_dt_struct(orig);
	int refused = 0, accepted = 0, header_refused = 0;
	bool consistent = true;

	/* (a) A short file whose header was fixed up to its size: the header
	 * no longer fits. The buffer is exactly n bytes. */
	for (size_t n = 40; n < size; n++) {
		unsigned char *b = malloc(n);
		memcpy(b, orig, n);
		((fdt32_t *)b)[1] = cpu_to_fdt32((uint32_t)n); /* totalsize */
		const char *why = NULL;
		int err = bootinfo_parse(&bi, b, FDT_PA, 1, &why);
		header_refused += err == -EINVAL && why && strcmp(why, "bad device tree header") == 0;
		free(b);
	}
	CHECK_EQ(header_refused, size - 40);

	/* (b) A file cut at n with the header intact: the rest of the buffer
	 * is zeros, then 0xff. fdt_check_full (which boot/main.c runs first)
	 * must refuse it; bootinfo_parse alone must not crash. */
	int full_refused = 0, cuts = 0, struct_cuts_refused = 0, struct_cuts = 0;
	/* Cut at or before the boot hart's node: there is no way to accept. */
	size_t before_hart = off_struct + (size_t)fdt_path_offset(orig, "/cpus/cpu@1");
	for (int fillv = 0; fillv < 2; fillv++) {
		for (size_t n = 0; n < size; n += 4) {
			unsigned char *b = malloc(size);
			memcpy(b, orig, size);
			memset(b + MAX(n, 40), fillv ? 0xff : 0x00, size - MAX(n, 40));
			if (n < off_struct + size_struct) { /* inside the structure */
				cuts++;
				full_refused += fdt_check_full(b, size) != 0;
			}
			int r0 = refused;
			parse_blob(b, &refused, &accepted, &consistent);
			if (n <= before_hart) {
				struct_cuts++;
				struct_cuts_refused += refused > r0;
			}
			free(b);
		}
	}
	CHECK_EQ(full_refused, cuts);
	CHECK_EQ(struct_cuts_refused, struct_cuts);

	/* (c) The header's own checks. */
	unsigned char *b = malloc(size);
	const char *why;
	memcpy(b, orig, size);
	b[0] ^= 1; /* magic */
	CHECK_EQ(bootinfo_parse(&bi, b, FDT_PA, 1, &why), -EINVAL);
	CHECK_STR(why, "bad device tree header");
	memcpy(b, orig, size);
	((fdt32_t *)b)[5] = cpu_to_fdt32(1); /* version 1 */
	CHECK_EQ(bootinfo_parse(&bi, b, FDT_PA, 1, &why), -EINVAL);
	CHECK_STR(why, "bad device tree header");
	memcpy(b, orig, size);
	((fdt32_t *)b)[2] = cpu_to_fdt32((uint32_t)size); /* off_dt_struct past the end */
	CHECK_EQ(bootinfo_parse(&bi, b, FDT_PA, 1, &why), -EINVAL);
	CHECK_STR(why, "bad device tree header");
	free(b);
	free(orig);
	CHECK_MSG(consistent, "truncated: every result is 0 or -EINVAL with a reason");
	printf("bootinfo: truncated: %d refused, %d accepted\n", refused, accepted);
}

/* Random corruption of every fixture: byte flips after the header, and
 * header fields set to random values that keep the blocks aligned (see
 * test_misaligned for the others); totalsize stays the buffer's size, the
 * caller's checked size. */
static void test_corrupted(unsigned rounds)
{
	static const char *stems[] = { "virt", "cells32", "sifive_u", "jh7110" };
	int refused = 0, accepted = 0;
	bool consistent = true;

	for (unsigned s = 0; s < ARRAY_SIZE(stems); s++) {
		size_t size;
		unsigned char *orig = load_dtb(stems[s], &size);
		unsigned char *b = malloc(size);
		for (unsigned r = 0; r < rounds; r++) {
			memcpy(b, orig, size);
			unsigned flips = 1 + (unsigned)rng_below(8);
			for (unsigned f = 0; f < flips; f++) {
				size_t at = 40 + rng_below(size - 40);
				b[at] = rng_below(3) ? (unsigned char)rng() : b[at] ^ (1u << rng_below(8));
			}
			if (rng_below(4) == 0) {
				/* off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
				 * last_comp_version, boot_cpuid, size_dt_strings,
				 * size_dt_struct */
				unsigned field = 2 + (unsigned)rng_below(8);
				uint32_t v = rng_below(3) ? (uint32_t)rng_below(size + 64) : (uint32_t)rng();
				if (field == 2)
					v &= ~3u;
				if (field == 4)
					v &= ~7u;
				((fdt32_t *)b)[field] = cpu_to_fdt32(v);
			}
			parse_blob(b, &refused, &accepted, &consistent);
		}
		free(b);
		free(orig);
	}
	CHECK_MSG(consistent, "corrupted: every result is 0 or -EINVAL with a reason");
	CHECK(refused > 0 && accepted > 0);
	printf("bootinfo: corrupted: %d refused, %d accepted\n", refused, accepted);
}

/* A header whose blocks are misaligned passes fdt_check_header (and
 * fdt_check_full), after which libfdt and dt_util read cells in place:
 * misaligned loads, undefined behaviour (UBSan aborts; on a hart they trap to
 * the firmware). bootinfo_parse must refuse such a tree up front. Each case
 * runs in a child: it must exit normally with -EINVAL. */
static const unsigned char *mis_blob;
static void parse_misaligned(void *arg)
{
	const char *why = NULL;
	int err = bootinfo_parse(&bi, mis_blob, FDT_PA, 1, &why);

	(void)arg;
	fprintf(stderr, "bootinfo_parse: %d \"%s\"\n", err, why ? why : "(null)");
	_exit(err == -EINVAL && why && why[0] ? 0 : 3);
}

static void test_misaligned(void)
{
	size_t size;
	unsigned char *orig = load_dtb("virt", &size);
	uint32_t off_struct = fdt_off_dt_struct(orig), off_rsv = fdt_off_mem_rsvmap(orig);
	unsigned char *b = malloc(size + 1);

	/* The structure and strings blocks moved up by one byte. */
	memcpy(b, orig, off_struct);
	b[off_struct] = 0;
	memcpy(b + off_struct + 1, orig + off_struct, size - off_struct);
	((fdt32_t *)b)[1] = cpu_to_fdt32((uint32_t)size + 1);
	((fdt32_t *)b)[2] = cpu_to_fdt32(off_struct + 1);
	((fdt32_t *)b)[3] = cpu_to_fdt32(fdt_off_dt_strings(orig) + 1);
	mis_blob = b;
	expect_exit("misaligned structure block", parse_misaligned, NULL, 0);

	/* The memory reservation block at a 4-byte offset. */
	memcpy(b, orig, size);
	((fdt32_t *)b)[4] = cpu_to_fdt32(off_rsv + 4);
	mis_blob = b;
	expect_exit("misaligned /memreserve/ block", parse_misaligned, NULL, 0);
	free(b);
	free(orig);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng_init("bootinfo");
	test_virt();
	test_cells32();
	test_monitor_harts();
	test_refused();
	test_truncated();
	test_corrupted(3000);
	test_misaligned();
	return test_done("bootinfo");
}
