/* Capability table: allocation, decoding, derivation tree and revocation,
 * plus the ledger view (who holds what). Locking: cap_lock guards slot
 * allocation and revocation; decoding reads a slot without the lock, which
 * is safe while one hart runs services (SMP brings a seqlock here). */
#include <frame/errno.h>
#include <frame/ledger.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include <string.h>
#include "cap/cap_table.h"

#define MAX_HOLDERS 64

static struct cap_entry slots[CAP_SLOTS];
static char holders[MAX_HOLDERS][HOLDER_NAME_LEN] = { "frame" };
static unsigned nholders = 1;
static uint64_t rng_state;
static uint64_t refusals;
static spinlock_t cap_lock = SPINLOCK_INIT("cap");

static const char *const kind_names[] = { "none", "mmio", "irq", "dma" };

static uint32_t next_tag(void)
{
	/* xorshift64*: unpredictability comes from the boot seed (rng-seed). */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 40) & 0xffffff;
}

void cap_table_init(uint64_t seed)
{
	rng_state = seed ? seed : 0x9e3779b97f4a7c15ULL;
	for (unsigned i = 0; i < CAP_SLOTS; i++)
		slots[i].generation = (uint16_t)next_tag();
}

static uint64_t encode(unsigned slot, const struct cap_entry *e)
{
	return (uint64_t)slot | (uint64_t)e->kind << 12 | (uint64_t)e->rights << 16 |
	       (uint64_t)e->generation << 24 | (uint64_t)e->tag << 40;
}

int cap_slot(const struct cap_entry *e)
{
	return (int)(e - slots);
}

struct cap_entry *cap_alloc(enum cap_kind kind, unsigned rights, unsigned holder, int parent,
			    uint64_t *raw)
{
	unsigned long flags = spin_lock_irqsave(&cap_lock);
	struct cap_entry *e = NULL;

	/* Slot 0 is never used, so a zeroed handle is always invalid. */
	for (unsigned i = 1; i < CAP_SLOTS; i++) {
		if (slots[i].kind == CAP_KIND_NONE) {
			e = &slots[i];
			break;
		}
	}
	if (e) {
		e->kind = (uint8_t)kind;
		e->rights = (uint8_t)rights;
		e->tag = next_tag();
		e->parent = (int16_t)parent;
		e->holder = (uint16_t)holder;
		*raw = encode((unsigned)cap_slot(e), e);
	}
	spin_unlock_irqrestore(&cap_lock, flags);
	return e;
}

struct cap_entry *cap_lookup(uint64_t raw, enum cap_kind kind, int *err)
{
	unsigned slot = raw & 0xfff;
	struct cap_entry *e = slot < CAP_SLOTS ? &slots[slot] : NULL;

	if (!e || e->kind == CAP_KIND_NONE || encode(slot, e) != raw) {
		*err = -ESTALE;
		refusals++;
		pr_warn("cap: refused stale or forged %s handle 0x%016lx\n",
			kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "?", raw);
		return NULL;
	}
	if (e->kind != kind) {
		*err = -EINVAL;
		cap_refuse(e, "wrong handle kind", kind);
		return NULL;
	}
	*err = 0;
	return e;
}

void cap_refuse(const struct cap_entry *e, const char *what, uint64_t arg)
{
	refusals++;
	pr_warn("cap: refused %s (0x%lx) on %s handle 0x%016lx (slot %d) held by %s\n", what, arg,
		kind_names[e->kind], encode((unsigned)cap_slot(e), e), cap_slot(e),
		holder_name(e->holder));
}

static void revoke_slot(unsigned slot, void (*on_revoke)(struct cap_entry *))
{
	struct cap_entry *e = &slots[slot];

	/* Children first, so a callback never sees a dangling parent. */
	for (unsigned i = 1; i < CAP_SLOTS; i++)
		if (slots[i].kind != CAP_KIND_NONE && slots[i].parent == (int)slot)
			revoke_slot(i, on_revoke);
	if (on_revoke)
		on_revoke(e);
	e->kind = CAP_KIND_NONE;
	e->generation++;
	e->parent = -1;
}

int cap_revoke(uint64_t raw, enum cap_kind kind, void (*on_revoke)(struct cap_entry *))
{
	int err;
	struct cap_entry *e = cap_lookup(raw, kind, &err);
	unsigned long flags;

	if (!e)
		return err;
	flags = spin_lock_irqsave(&cap_lock);
	revoke_slot((unsigned)cap_slot(e), on_revoke);
	spin_unlock_irqrestore(&cap_lock, flags);
	return 0;
}

unsigned holder_register(const char *name)
{
	if (nholders >= MAX_HOLDERS)
		return HOLDER_FRAME;
	strlcpy(holders[nholders], name, HOLDER_NAME_LEN);
	return nholders++;
}

const char *holder_name(unsigned holder)
{
	return holder < nholders ? holders[holder] : "?";
}

uint64_t ledger_refusals(void)
{
	return refusals;
}

static void dump_entry(unsigned slot, const struct cap_entry *e)
{
	char rights[4] = { e->rights & CAP_READ ? 'r' : '-', e->rights & CAP_WRITE ? 'w' : '-',
			   e->rights & CAP_DERIVE ? 'd' : '-', 0 };

	if (e->kind == CAP_KIND_MMIO || e->kind == CAP_KIND_DMA)
		pr_info("  %4u %-4s %s 0x%09lx+0x%-6lx parent %4d  %s\n", slot, kind_names[e->kind],
			rights, e->kind == CAP_KIND_MMIO ? e->mmio.pa : e->dma.pa,
			e->kind == CAP_KIND_MMIO ? e->mmio.size : e->dma.size, e->parent,
			holder_name(e->holder));
	else
		pr_info("  %4u %-4s %s source %-13u parent %4d  %s\n", slot, "irq", rights,
			e->irq.source, e->parent, holder_name(e->holder));
}

void ledger_dump(void)
{
	pr_info("ledger: slot kind rights range/line         parent  holder\n");
	for (unsigned i = 1; i < CAP_SLOTS; i++)
		if (slots[i].kind != CAP_KIND_NONE)
			dump_entry(i, &slots[i]);
	pr_info("ledger: %lu refused uses since boot\n", refusals);
}
