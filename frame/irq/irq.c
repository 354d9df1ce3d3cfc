/* IRQ line handles: attach one handler per PLIC source, enable, dispatch.
 * Locking: irq_lock guards the per-source handler table. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include "cap/cap_table.h"
#include "irq/irq_internal.h"
#include "irq/plic.h"

struct irq_line {
	unsigned holder;
	irq_handler_fn fn;
	void *arg;
	uint64_t count;
	bool enabled;
};

static struct irq_line lines[PLIC_MAX_SOURCES];
static spinlock_t irq_lock = SPINLOCK_INIT("irq");

int irq_grant(unsigned source, unsigned holder, irq_t *out)
{
	struct cap_entry *e;

	if (source == 0 || source >= plic_num_sources())
		return -EINVAL;
	e = cap_alloc(CAP_KIND_IRQ, CAP_READ | CAP_WRITE, holder, -1, &out->raw);
	if (!e)
		return -ENOSPC;
	e->irq.source = source;
	return 0;
}

static struct cap_entry *decode(irq_t h, int *err)
{
	return cap_lookup(h.raw, CAP_KIND_IRQ, err);
}

int irq_attach(irq_t h, irq_handler_fn fn, void *arg)
{
	int err;
	struct cap_entry *e = decode(h, &err);
	unsigned long flags;

	if (!e)
		return err;
	if (!fn)
		return -EINVAL;
	flags = spin_lock_irqsave(&irq_lock);
	struct irq_line *l = &lines[e->irq.source];
	if (l->fn) {
		spin_unlock_irqrestore(&irq_lock, flags);
		return -EBUSY;
	}
	l->fn = fn;
	l->arg = arg;
	l->holder = e->holder;
	spin_unlock_irqrestore(&irq_lock, flags);
	return 0;
}

static void line_off(unsigned source)
{
	unsigned long flags = spin_lock_irqsave(&irq_lock);

	plic_enable(source, false);
	lines[source].enabled = false;
	lines[source].fn = NULL;
	lines[source].arg = NULL;
	spin_unlock_irqrestore(&irq_lock, flags);
}

int irq_detach(irq_t h)
{
	int err;
	struct cap_entry *e = decode(h, &err);

	if (!e)
		return err;
	line_off(e->irq.source);
	return 0;
}

static int set_enabled(irq_t h, bool on)
{
	int err;
	struct cap_entry *e = decode(h, &err);
	unsigned long flags;

	if (!e)
		return err;
	flags = spin_lock_irqsave(&irq_lock);
	struct irq_line *l = &lines[e->irq.source];
	if (on && !l->fn) {
		spin_unlock_irqrestore(&irq_lock, flags);
		return -EINVAL; /* invariant 3: never enabled without a handler */
	}
	l->enabled = on;
	plic_enable(e->irq.source, on);
	spin_unlock_irqrestore(&irq_lock, flags);
	return 0;
}

int irq_enable(irq_t h)
{
	return set_enabled(h, true);
}

int irq_disable(irq_t h)
{
	return set_enabled(h, false);
}

static void on_revoke(struct cap_entry *e)
{
	line_off(e->irq.source);
}

int irq_revoke(irq_t h)
{
	return cap_revoke(h.raw, CAP_KIND_IRQ, on_revoke);
}

uint64_t irq_count(irq_t h)
{
	int err;
	struct cap_entry *e = decode(h, &err);

	return e ? lines[e->irq.source].count : 0;
}

void irq_dispatch(unsigned source)
{
	struct irq_line *l = &lines[source];

	l->count++;
	if (l->fn && l->enabled)
		l->fn(l->arg);
	else
		plic_enable(source, false); /* nobody wants it: silence it */
}

void irq_report(void)
{
	for (unsigned src = 1; src < plic_num_sources(); src++) {
		const struct irq_line *l = &lines[src];
		if (l->fn || l->count)
			pr_info("irq %u: %lu interrupts, %s, %s\n", src, l->count,
				l->enabled ? "enabled" : "disabled",
				l->fn ? holder_name(l->holder) : "no handler");
	}
}
