/* Harts: the per-hart blocks, and what the frame reports about each hart.
 * Secondary harts are detected and their SBI HSM state is read; starting
 * them (SMP) is not done yet, so they stay parked in the firmware. */
#include <frame/cpu.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <string.h>
#include <arch/csr.h>
#include "sbi/sbi.h"
#include "smp/hart.h"

static struct hart harts[MAX_HARTS];
static char emergency_stacks[MAX_HARTS][EMERGENCY_STACK_SIZE] __attribute__((aligned(16)));
static const struct boot_info *boot_bi;
static unsigned nharts = 1;

static void hart_setup(struct hart *h, unsigned index, uint32_t hartid)
{
	h->index = index;
	h->hartid = hartid;
	h->emergency_top = (uintptr_t)&emergency_stacks[index][EMERGENCY_STACK_SIZE];
	h->plic_context = UINT32_MAX;
}

void hart_boot_init(uint32_t hartid, uintptr_t stack_lo, uintptr_t stack_hi)
{
	struct hart *h = &harts[0];

	hart_setup(h, 0, hartid);
	h->stack_lo = stack_lo;
	h->stack_hi = stack_hi;
	h->online = true;
	__asm__ volatile("mv tp, %0" ::"r"(h));
	csr_write(sscratch, 0);
}

void hart_set_stack(uintptr_t lo, uintptr_t hi)
{
	struct hart *h = this_hart();

	h->stack_lo = lo;
	h->stack_hi = hi;
}

static const char *hsm_state_name(long s)
{
	static const char *const names[] = { "started", "stopped", "start-pending",
					     "stop-pending", "suspended" };
	return s >= 0 && s < (long)ARRAY_SIZE(names) ? names[s] : "unknown";
}

void harts_init(const struct boot_info *bi)
{
	struct hart *boot = &harts[0];

	boot_bi = bi;
	nharts = bi->nharts;
	/* The boot hart keeps block 0; the others take the remaining blocks in
	 * device-tree order, so block index != device-tree index in general. */
	boot->index = (unsigned)bi->boot_hart;
	for (unsigned i = 0, slot = 1; i < bi->nharts; i++) {
		if ((int)i == bi->boot_hart)
			continue;
		hart_setup(&harts[slot++], i, bi->harts[i].hartid);
	}
	pr_info("cpus: %u harts with an MMU, %u skipped (no MMU or disabled), boot hart %u\n",
		bi->nharts, bi->skipped_harts, boot->hartid);
	for (unsigned i = 0; i < bi->nharts; i++) {
		uint32_t id = bi->harts[i].hartid;
		long st = sbi_hart_get_status(id);
		pr_info("cpus: hart %u: %s, %s%s\n", id, bi->harts[i].isa, hsm_state_name(st),
			(int)i == bi->boot_hart ? " (boot)" : "");
	}
}

struct hart *hart_by_index(unsigned index)
{
	return index < MAX_HARTS ? &harts[index] : NULL;
}

unsigned hart_count(void)
{
	return nharts;
}

int hart_get_info(unsigned index, struct hart_info *out)
{
	if (!boot_bi || index >= boot_bi->nharts)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->hartid = boot_bi->harts[index].hartid;
	out->boot = (int)index == boot_bi->boot_hart;
	out->online = out->boot;
	out->sbi_state = (int)sbi_hart_get_status(out->hartid);
	strlcpy(out->isa, boot_bi->harts[index].isa, sizeof(out->isa));
	return 0;
}

void cpu_idle(void)
{
	/* wfi with interrupts masked still wakes on a pending interrupt; enabling
	 * them afterwards lets the trap run before we return. */
	unsigned long flags = irq_save();

	cpu_wait_for_interrupt();
	csr_set(sstatus, SSTATUS_SIE);
	if (!flags)
		csr_clear(sstatus, SSTATUS_SIE);
}
