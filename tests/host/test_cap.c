/* Capability handles: the checks behind every MMIO access, derivation and
 * revocation, and refusal of stale and forged handle values. The "device"
 * is a host buffer standing in for the kernel mapping of a register window. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/ledger.h>
#include <frame/mmio.h>
#include "cap/cap_table.h"
#include "test.h"

static uint8_t regs[256] __attribute__((aligned(8)));

/* A root MMIO handle over regs, as device_mmio would make it. */
static mmio_t grant(unsigned rights)
{
	mmio_t h = { 0 };
	unsigned holder = holder_register("test-driver /soc/dev@0");
	struct cap_entry *e = cap_alloc(CAP_KIND_MMIO, rights, holder, -1, &h.raw);

	CHECK(e != NULL);
	e->mmio.pa = 0x10000000;
	e->mmio.size = sizeof(regs);
	e->mmio.va = (uintptr_t)regs;
	return h;
}

static void test_access(void)
{
	mmio_t h = grant(CAP_READ | CAP_WRITE | CAP_DERIVE);
	uint64_t v = 0, refused = ledger_refusals();

	mmio_write32(h, 0x10, 0xdeadbeef);
	CHECK_EQ(mmio_read32(h, 0x10), 0xdeadbeef);
	CHECK_EQ(regs[0x10], 0xef); /* little endian, really in the window */
	mmio_write8(h, 0xff, 0x5a);
	CHECK_EQ(mmio_read8(h, 0xff), 0x5a);
	mmio_write64(h, 0xf8, 0x0102030405060708ULL);
	CHECK_EQ(mmio_read64(h, 0xf8), 0x0102030405060708ULL);

	/* Out of range, straddling the end, misaligned, bad width. */
	CHECK_EQ(mmio_try_read(h, 0x100, 1, &v), -ERANGE);
	CHECK_EQ(mmio_try_read(h, 0xfe, 4, &v), -ERANGE);
	CHECK_EQ(mmio_try_read(h, UINT64_MAX - 2, 4, &v), -ERANGE);
	CHECK_EQ(mmio_try_write(h, 0x11, 4, 1), -ERANGE);
	CHECK_EQ(mmio_try_read(h, 0, 3, &v), -EINVAL);
	CHECK_EQ(mmio_read32(h, 0x1000), 0xffffffffu); /* refused read: all ones */
	regs[0x20] = 0x11;
	mmio_write8(h, 0x100, 0x22); /* refused write: no effect anywhere */
	CHECK_EQ(regs[0x20], 0x11);
	CHECK(ledger_refusals() >= refused + 6);
}

static void test_rights(void)
{
	mmio_t ro = grant(CAP_READ);
	mmio_t wo = grant(CAP_WRITE);
	uint64_t v;

	regs[0x40] = 0x77;
	CHECK_EQ(mmio_read8(ro, 0x40), 0x77);
	CHECK_EQ(mmio_try_write(ro, 0x40, 1, 0x99), -EACCES);
	CHECK_EQ(regs[0x40], 0x77);
	CHECK_EQ(mmio_try_read(wo, 0x40, 1, &v), -EACCES);
	CHECK_EQ(mmio_try_write(wo, 0x40, 1, 0x99), 0);
	CHECK_EQ(regs[0x40], 0x99);
	mmio_t child;
	CHECK_EQ(mmio_derive(ro, 0, 8, CAP_READ, &child), -EACCES); /* no CAP_DERIVE */
}

static void test_derive_and_revoke(void)
{
	mmio_t root = grant(CAP_READ | CAP_WRITE | CAP_DERIVE);
	mmio_t win, sub, ro;
	uint64_t v;

	CHECK_EQ(mmio_derive(root, 0x80, 0x40, CAP_READ | CAP_WRITE | CAP_DERIVE, &win), 0);
	CHECK_EQ(mmio_size(win), 0x40);
	mmio_write32(win, 0, 0xcafef00d); /* offset 0 of win is 0x80 of root */
	CHECK_EQ(mmio_read32(root, 0x80), 0xcafef00d);
	CHECK_EQ(mmio_try_read(win, 0x40, 1, &v), -ERANGE); /* window ends at 0x40 */

	/* Never wider than the parent, never more rights. */
	CHECK_EQ(mmio_derive(win, 0x20, 0x21, CAP_READ, &sub), -EINVAL);
	CHECK_EQ(mmio_derive(win, 0x40, 1, CAP_READ, &sub), -EINVAL);
	CHECK_EQ(mmio_derive(win, 0, 0, CAP_READ, &sub), -EINVAL);
	CHECK_EQ(mmio_derive(win, 0x10, 0x10, CAP_READ | CAP_DERIVE, &sub), 0);
	CHECK_EQ(mmio_derive(sub, 0, 8, CAP_READ | CAP_WRITE, &ro), -EINVAL);
	CHECK_EQ(mmio_derive(sub, 0, 8, CAP_READ, &ro), 0);

	/* Revoking the middle kills it and its descendants, not the root. */
	CHECK_EQ(mmio_revoke(win), 0);
	CHECK_EQ(mmio_try_read(win, 0, 4, &v), -ESTALE);
	CHECK_EQ(mmio_try_read(sub, 0, 4, &v), -ESTALE);
	CHECK_EQ(mmio_try_read(ro, 0, 4, &v), -ESTALE);
	CHECK_EQ(mmio_revoke(win), -ESTALE); /* twice: stale */
	CHECK_EQ(mmio_try_read(root, 0x80, 4, &v), 0);

	/* A slot reused after revocation does not revive the old value. */
	mmio_t fresh;
	CHECK_EQ(mmio_derive(root, 0, 8, CAP_READ, &fresh), 0);
	CHECK(fresh.raw != win.raw && fresh.raw != sub.raw && fresh.raw != ro.raw);
	CHECK_EQ(mmio_try_read(ro, 0, 4, &v), -ESTALE);
}

static void test_forgery(void)
{
	mmio_t h = grant(CAP_READ);
	uint64_t v;

	/* Flip each field in turn: slot, kind, rights, generation, tag. */
	const uint64_t flips[] = { 1ULL << 0, 1ULL << 12, 1ULL << 17, 1ULL << 24, 1ULL << 40, 1ULL << 63 };
	for (unsigned i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		mmio_t forged = { h.raw ^ flips[i] };
		CHECK_MSG(mmio_try_read(forged, 0, 1, &v) != 0, "forged bit %u accepted", i);
	}
	/* Granting oneself write in the rights bits is not a write right. */
	mmio_t upgraded = { h.raw | (uint64_t)CAP_WRITE << 16 };
	CHECK(mmio_try_write(upgraded, 0, 1, 1) != 0);
	mmio_t zero = { 0 }, ones = { UINT64_MAX };
	CHECK_EQ(mmio_try_read(zero, 0, 1, &v), -ESTALE);
	CHECK_EQ(mmio_try_read(ones, 0, 1, &v), -ESTALE);
	/* An IRQ handle is not an MMIO handle. */
	irq_t irq = { 0 };
	CHECK(cap_alloc(CAP_KIND_IRQ, CAP_READ | CAP_WRITE, 0, -1, &irq.raw) != NULL);
	mmio_t wrong_kind = { irq.raw };
	CHECK(mmio_try_read(wrong_kind, 0, 1, &v) != 0);
}

static void test_exhaustion(void)
{
	mmio_t root = grant(CAP_READ | CAP_DERIVE), h;
	unsigned made = 0;

	while (mmio_derive(root, 0, 1, CAP_READ, &h) == 0)
		made++;
	CHECK(made > 0 && made < CAP_SLOTS);
	CHECK_EQ(mmio_derive(root, 0, 1, CAP_READ, &h), -ENOSPC);
	CHECK_EQ(mmio_revoke(root), 0); /* frees every child */
	mmio_t again = grant(CAP_READ);
	CHECK(mmio_size(again) == sizeof(regs));
}

int main(void)
{
	cap_table_init(0x1234567890abcdefULL);
	test_access();
	test_rights();
	test_derive_and_revoke();
	test_forgery();
	test_exhaustion();
	return test_done("host.cap");
}
