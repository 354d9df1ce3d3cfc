/* DMA buffer handles (frame/cap/dma.c) over the real page allocator, whose
 * "RAM" is a host buffer: grants are zeroed whole pages, every copy is
 * range- and rights-checked, derived handles are narrower, revoking the root
 * returns the pages, stale and forged values and wrong kinds are refused.
 * The planted violation: a driver's out-of-range dma_copy_in is refused,
 * logged against it, and writes nothing, not even into the next page. */
#include <stdlib.h>
#include <string.h>

#include <frame/dma.h>
#include <frame/errno.h>
#include <frame/ledger.h>
#include <frame/mmio.h>
#include "cap/cap_table.h"
#include "mm/pmm.h"
#include "stubs.h"
#include "test.h"

#define FAKE_BASE 0x80000000UL
#define PG PMM_PAGE_SIZE
#define BUF_SIZE (16UL << 20)

static unsigned char *ram;
static unsigned holder;

static dma_t grant(uint64_t size)
{
	dma_t h = { 0 };

	CHECK_EQ(dma_grant(holder, size, &h.raw), 0);
	return h;
}

static unsigned char *host_view(dma_t h)
{
	uint64_t pa = 0;

	CHECK_EQ(dma_device_addr(h, 0, &pa), 0);
	return ram + (pa - FAKE_BASE);
}

static void test_grant(void)
{
	uint64_t free0 = pmm_free_pages();
	dma_t small = grant(100), big = grant(5 * PG), none = { 0 };
	uint64_t pa;

	CHECK_EQ(dma_size(small), PG);            /* whole pages */
	CHECK_EQ(dma_size(big), 8 * PG);          /* a buddy block: next power of two */
	CHECK_EQ(pmm_free_pages(), free0 - 9);
	CHECK_EQ(dma_device_addr(small, 0, &pa), 0);
	CHECK_EQ(pa % PG, 0);
	CHECK(pa >= FAKE_BASE && pa + PG <= FAKE_BASE + BUF_SIZE);
	for (unsigned i = 0; i < PG; i++) /* zeroed: the RAM was 0xa5 */
		if (host_view(small)[i]) {
			CHECK_MSG(0, "byte %u of a new buffer not zero", i);
			break;
		}
	CHECK_EQ(dma_grant(holder, 0, &none.raw), -EINVAL);
	CHECK_EQ(dma_grant(holder, (4UL << 20) + 1, &none.raw), -EINVAL); /* above 4 MiB */
	CHECK_EQ(dma_revoke(small), 0);
	CHECK_EQ(dma_revoke(big), 0);
	CHECK_EQ(pmm_free_pages(), free0); /* pages back */
	CHECK_EQ(dma_revoke(small), -ESTALE);
}

static void test_copies(void)
{
	dma_t h = grant(PG);
	unsigned char in[64], out[64];
	uint64_t pa;

	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 1);
	CHECK_EQ(dma_copy_in(h, PG - 64, in, 64), 0); /* ends exactly at the end */
	CHECK(memcmp(host_view(h) + PG - 64, in, 64) == 0);
	CHECK_EQ(dma_copy_out(h, PG - 64, out, 64), 0);
	CHECK(memcmp(in, out, 64) == 0);
	CHECK_EQ(dma_copy_in(h, PG, in, 0), 0); /* empty at the end is fine */
	CHECK_EQ(dma_copy_out(h, PG - 63, out, 64), -ERANGE);
	CHECK_EQ(dma_copy_out(h, UINT64_MAX - 8, out, 16), -ERANGE); /* wrap-around */
	CHECK_EQ(dma_zero(h, 0, PG + 1), -ERANGE);
	CHECK_EQ(dma_device_addr(h, PG, &pa), -ERANGE);

	dma_write16(h, 2, 0xbeef);
	CHECK_EQ(dma_read16(h, 2), 0xbeef);
	dma_write32(h, 8, 0x12345678);
	CHECK_EQ(dma_read32(h, 8), 0x12345678);
	CHECK_EQ(host_view(h)[8], 0x78); /* little endian, really in the buffer */
	CHECK_EQ(dma_read16(h, 3), 0xffff);           /* misaligned: refused */
	CHECK_EQ(dma_read32(h, PG - 2), 0xffffffffu); /* straddles the end */
	dma_write16(h, PG, 1);                        /* refused, no effect */
	CHECK_EQ(dma_revoke(h), 0);
}

/* The planted violation: a driver holding a one-page window of a two-page
 * buffer asks to copy past the window's end. */
static void test_out_of_range_refused(void)
{
	dma_t root = grant(2 * PG), h;
	unsigned char *next = host_view(root) + PG; /* the page after the window */
	unsigned char junk[32];
	uint64_t refused;
	unsigned long logged;

	CHECK_EQ(dma_derive(root, 0, PG, CAP_READ | CAP_WRITE, &h), 0);
	refused = ledger_refusals();
	logged = host_klog_calls;
	memset(junk, 0x5a, sizeof(junk));
	memset(next, 0xc3, 64);
	CHECK_EQ(dma_copy_in(h, PG - 16, junk, sizeof(junk)), -ERANGE);
	CHECK_EQ(dma_copy_in(h, PG, junk, 1), -ERANGE);
	CHECK_EQ(ledger_refusals(), refused + 2);   /* counted ... */
	CHECK(host_klog_calls >= logged + 2);       /* ... and logged */
	CHECK_EQ(host_view(root)[PG - 16], 0);      /* nothing of it written */
	for (unsigned i = 0; i < 64; i++)
		CHECK_EQ(next[i], 0xc3);
	CHECK_EQ(dma_revoke(root), 0);
	CHECK_EQ(dma_copy_in(h, 0, junk, 1), -ESTALE); /* the window went with it */
}

static void test_rights_derive_revoke(void)
{
	dma_t root = grant(2 * PG), win, ro, sub;
	uint64_t free0, pa_root, pa_win;
	unsigned char b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, o[8];

	CHECK_EQ(dma_derive(root, PG, PG, CAP_READ | CAP_WRITE | CAP_DERIVE, &win), 0);
	CHECK_EQ(dma_size(win), PG);
	CHECK_EQ(dma_device_addr(root, PG, &pa_root), 0);
	CHECK_EQ(dma_device_addr(win, 0, &pa_win), 0);
	CHECK_EQ(pa_root, pa_win);
	CHECK_EQ(dma_copy_in(win, 0, b, 8), 0);
	CHECK_EQ(dma_copy_out(root, PG, o, 8), 0);
	CHECK(memcmp(b, o, 8) == 0);
	CHECK_EQ(dma_copy_in(win, PG - 4, b, 8), -ERANGE); /* the window ends at PG */
	CHECK_EQ(dma_derive(win, 0, 2 * PG, CAP_READ, &sub), -EINVAL); /* wider */
	CHECK_EQ(dma_derive(win, 0, 16, CAP_READ, &ro), 0);
	CHECK_EQ(dma_copy_out(ro, 0, o, 8), 0);
	CHECK_EQ(dma_copy_in(ro, 0, b, 8), -EACCES);           /* read-only */
	CHECK_EQ(dma_derive(ro, 0, 8, CAP_READ, &sub), -EACCES); /* no CAP_DERIVE */
	CHECK_EQ(dma_derive(ro, 0, 8, CAP_READ | CAP_WRITE, &sub), -EACCES);

	/* Revoking a derived handle frees nothing and leaves the root alive. */
	free0 = pmm_free_pages();
	CHECK_EQ(dma_revoke(win), 0);
	CHECK_EQ(pmm_free_pages(), free0);
	CHECK_EQ(dma_copy_out(ro, 0, o, 8), -ESTALE); /* transitively */
	CHECK_EQ(dma_copy_out(root, 0, o, 8), 0);
	CHECK_EQ(dma_revoke(root), 0);
	CHECK_EQ(pmm_free_pages(), free0 + 2);
}

static void test_forgery_and_kinds(void)
{
	dma_t h = grant(PG);
	mmio_t as_mmio = { h.raw };
	unsigned char o[4];
	uint64_t v;

	for (unsigned bit = 0; bit < 64; bit++) {
		dma_t forged = { h.raw ^ (1ULL << bit) };
		CHECK_MSG(dma_copy_out(forged, 0, o, 4) != 0, "forged bit %u accepted", bit);
	}
	CHECK(mmio_try_read(as_mmio, 0, 4, &v) != 0); /* a DMA handle is no MMIO handle */
	CHECK_EQ(dma_revoke(h), 0);
	CHECK_EQ(dma_copy_out(h, 0, o, 4), -ESTALE);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ram = aligned_alloc(PG << PMM_MAX_ORDER, BUF_SIZE);
	if (!ram)
		return 2;
	memset(ram, 0xa5, BUF_SIZE);
	pmm_init((uintptr_t)ram - FAKE_BASE);
	pmm_boot_region(FAKE_BASE, FAKE_BASE + 8 * PG);
	CHECK_EQ(pmm_add_zone(FAKE_BASE, BUF_SIZE), 0);
	pmm_add_free(FAKE_BASE + 8 * PG, BUF_SIZE - 8 * PG);
	pmm_boot_region_close();
	cap_table_init(0x0123456789abcdefULL);
	holder = holder_register("test-driver /soc/virtio@0");

	test_grant();
	test_copies();
	test_out_of_range_refused();
	test_rights_derive_revoke();
	test_forgery_and_kinds();
	CHECK_EQ(host_locks_held, 0);
	free(ram);
	return test_done("host.dma");
}
