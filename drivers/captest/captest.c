/* A capability-misuse test service: with `rivet.captest=1` on the command
 * line it binds QEMU virt's fw-cfg window (`qemu,fw-cfg-mmio`, which no
 * other service uses) and, holding real handles for it, misuses them the
 * ways a buggy or hostile driver could: accesses out of range, writes
 * through a read-only handle, derivations wider than the parent, handles
 * used after revocation (their own and their parent's), forged values
 * (random, zero, flipped tag, raised rights, stale generation) and the
 * wrong kind of handle. Each must be refused with its errno and counted
 * once in the ledger's refusals (the frame logs a line naming the handle
 * and the reason); this service logs a "captest:" line for each.
 *
 * "Nothing else happens" is checked on the device itself: fw-cfg streams
 * the selected item's bytes through its data register, so the test selects
 * the signature ("QEMU"), reads 'Q', runs every misuse (one of them tries
 * to select another item through the read-only handle), and must then read
 * "EMU": no refused access reached the device. tests/boot (boot.captest)
 * reads these lines; without the option the service stays out of the way.
 *
 * Building forged values means knowing the handle layout (docs/frame-api.md),
 * which services must never rely on: here it is the point. */
#include <frame/device.h>
#include <frame/errno.h>
#include <frame/ledger.h>
#include <frame/log.h>
#include <frame/time.h>
#include <kern/cmdline.h>

#define FW_CFG_DATA 0x00
#define FW_CFG_SELECTOR 0x08 /* 16-bit, big-endian */
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_ID 0x0001
#define CAP_GENERATION_ONE (1ull << 24) /* docs/frame-api.md: bits 39:24 */
#define CAP_TAG_BIT (1ull << 40)        /* bits 63:40 */
#define CAP_RIGHTS_SHIFT 16             /* bits 23:16 */

struct captest {
	mmio_t regs;   /* the whole window, every right */
	mmio_t ro;     /* derived: read and derive only */
	mmio_t parent; /* derived from regs, then revoked ... */
	mmio_t child;  /* ... taking this one (derived from parent) with it */
	dma_t buf;     /* a handle of another kind */
	uint64_t size;
	uint64_t random;
};

static uint16_t be16(uint16_t v)
{
	return (uint16_t)(v << 8 | v >> 8);
}

/* xorshift64: forged values need not be good random numbers, only not ours. */
static uint64_t next_random(struct captest *t)
{
	t->random ^= t->random << 13;
	t->random ^= t->random >> 7;
	t->random ^= t->random << 17;
	return t->random;
}

static mmio_t forged(uint64_t raw)
{
	return (mmio_t){ raw };
}

static int read_at(mmio_t h, uint64_t off, unsigned width)
{
	uint64_t v;

	return mmio_try_read(h, off, width, &v);
}

/* ---- The misuses: each returns what the frame answered. ---- */

static int past_the_end(struct captest *t) { return read_at(t->regs, t->size, 4); }
static int straddling_the_end(struct captest *t) { return read_at(t->regs, t->size - 4, 8); }
static int huge_offset(struct captest *t) { return read_at(t->regs, 1ull << 63, 1); }
static int wrapping_offset(struct captest *t) { return read_at(t->regs, ~0ull - 2, 4); }
static int misaligned(struct captest *t) { return read_at(t->regs, 2, 4); }

static int write_read_only(struct captest *t)
{
	return mmio_try_write(t->ro, FW_CFG_SELECTOR, 2, be16(FW_CFG_ID));
}

static int derive_more_rights(struct captest *t)
{
	mmio_t h;

	return mmio_derive(t->ro, 0, 8, CAP_READ | CAP_WRITE, &h);
}

static int derive_past_parent(struct captest *t)
{
	mmio_t h;

	return mmio_derive(t->ro, 8, t->size, CAP_READ, &h);
}

static int child_of_revoked(struct captest *t) { return read_at(t->child, FW_CFG_DATA, 1); }
static int revoked(struct captest *t) { return read_at(t->parent, FW_CFG_DATA, 1); }
static int revoke_revoked(struct captest *t) { return mmio_revoke(t->parent); }

static int derive_from_revoked(struct captest *t)
{
	mmio_t h;

	return mmio_derive(t->parent, 0, 8, CAP_READ, &h);
}

static int forged_random(struct captest *t) { return read_at(forged(next_random(t)), 0, 1); }
static int forged_zero(struct captest *t) { (void)t; return read_at(forged(0), 0, 1); }
static int forged_ones(struct captest *t) { (void)t; return read_at(forged(~0ull), 0, 1); }
static int forged_tag(struct captest *t)
{
	return read_at(forged(t->regs.raw ^ CAP_TAG_BIT), 0, 1);
}

/* regs's live slot as its previous incarnation would have named it. */
static int stale_generation(struct captest *t)
{
	return read_at(forged(t->regs.raw - CAP_GENERATION_ONE), FW_CFG_DATA, 1);
}

static int raised_rights(struct captest *t)
{
	mmio_t h = forged(t->ro.raw | (uint64_t)CAP_WRITE << CAP_RIGHTS_SHIFT);

	return mmio_try_write(h, FW_CFG_SELECTOR, 2, be16(FW_CFG_ID));
}

static int dma_as_mmio(struct captest *t) { return read_at(forged(t->buf.raw), 0, 1); }

static int mmio_as_dma(struct captest *t)
{
	uint8_t b;

	return dma_copy_out((dma_t){ t->regs.raw }, 0, &b, 1);
}

struct misuse {
	const char *what;
	int (*run)(struct captest *t);
	int want;
};

static const struct misuse misuses[] = {
	{ "read past the end", past_the_end, -ERANGE },
	{ "read straddling the end", straddling_the_end, -ERANGE },
	{ "read at offset 2^63", huge_offset, -ERANGE },
	{ "read at a wrapping offset", wrapping_offset, -ERANGE },
	{ "misaligned read", misaligned, -ERANGE },
	{ "write through a read-only handle", write_read_only, -EACCES },
	{ "derive more rights than the parent", derive_more_rights, -EINVAL },
	{ "derive past the parent's range", derive_past_parent, -EINVAL },
	{ "read through a child of a revoked handle", child_of_revoked, -ESTALE },
	{ "read through a revoked handle", revoked, -ESTALE },
	{ "revoke a revoked handle", revoke_revoked, -ESTALE },
	{ "derive from a revoked handle", derive_from_revoked, -ESTALE },
	{ "forged handle: random value", forged_random, -ESTALE },
	{ "forged handle: random value", forged_random, -ESTALE },
	{ "forged handle: zero", forged_zero, -ESTALE },
	{ "forged handle: all ones", forged_ones, -ESTALE },
	{ "forged handle: flipped tag", forged_tag, -ESTALE },
	{ "forged handle: stale generation", stale_generation, -ESTALE },
	{ "forged handle: raised rights", raised_rights, -ESTALE },
	{ "wrong kind: a DMA handle as MMIO", dma_as_mmio, -EINVAL },
	{ "wrong kind: an MMIO handle as DMA", mmio_as_dma, -EINVAL },
};

/* Runs one misuse: refused with the errno it should be, and counted once. */
static bool try_misuse(struct captest *t, const struct misuse *m)
{
	uint64_t before = ledger_refusals();
	int got = m->run(t);
	uint64_t counted = ledger_refusals() - before;

	if (got == m->want && counted == 1) {
		pr_info("captest: refused: %s (%s)\n", m->what, errno_name(got));
		return true;
	}
	pr_err("captest: NOT REFUSED as expected: %s: got %d (want %s), %lu refusals counted\n",
	       m->what, got, errno_name(m->want), counted);
	return false;
}

static int take_handles(struct device *dev, struct captest *t)
{
	int err;

	if ((err = device_mmio(dev, 0, CAP_RIGHTS_ALL, &t->regs)) ||
	    (err = device_dma(dev, 4096, &t->buf)))
		return err;
	t->size = mmio_size(t->regs);
	if ((err = mmio_derive(t->regs, 0, t->size, CAP_READ | CAP_DERIVE, &t->ro)) ||
	    (err = mmio_derive(t->regs, 0, t->size, CAP_RIGHTS_ALL, &t->parent)) ||
	    (err = mmio_derive(t->parent, 0, 8, CAP_READ, &t->child)))
		return err;
	return mmio_revoke(t->parent); /* the child goes with it */
}

/* The signature's bytes must still come in order: nothing was selected or
 * read behind the test's back. */
static bool device_untouched(struct captest *t, const char *want)
{
	for (; *want; want++)
		if (mmio_read8(t->regs, FW_CFG_DATA) != (uint8_t)*want)
			return false;
	return true;
}

static int captest_probe(struct device *dev)
{
	struct captest t = { .random = time_now_ns() | 1 };
	unsigned refused = 0, n = sizeof(misuses) / sizeof(misuses[0]);
	int err;

	if (!cmdline_flag("rivet.captest=1"))
		return -ENODEV;
	if ((err = take_handles(dev, &t))) {
		pr_err("captest: no handles for %s: %s\n", device_name(dev), errno_name(err));
		return err;
	}
	mmio_write16(t.regs, FW_CFG_SELECTOR, be16(FW_CFG_SIGNATURE));
	bool started = device_untouched(&t, "Q");
	for (unsigned i = 0; i < n; i++)
		refused += try_misuse(&t, &misuses[i]);
	bool untouched = started && device_untouched(&t, "EMU");
	pr_info("captest: %u of %u misuses refused; device %s\n", refused, n,
		untouched ? "untouched" : "TOUCHED");
	(void)mmio_revoke(t.regs);
	(void)dma_revoke(t.buf);
	return 0;
}

static const char *const captest_compatible[] = { "qemu,fw-cfg-mmio", NULL };
static const struct driver captest_driver = {
	.name = "captest",
	.compatible = captest_compatible,
	.probe = captest_probe,
};
DRIVER_REGISTER(captest_driver);
