/* Harts: the per-hart blocks, starting the secondary harts, and what the
 * frame reports about each hart.
 *
 * Every hart the device tree lists with an MMU starts through SBI HSM
 * hart_start at secondary_entry (arch/riscv/entry.S) with the physical
 * address of its struct secondary_boot: the kernel's satp, the top of its
 * idle task's guarded stack, and its hart block. It then sets up its trap
 * vector, PLIC context, timer and IPIs and joins the scheduler. */
#include <frame/cpu.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/time.h>
#include <string.h>
#include <arch/csr.h>
#include <arch/layout.h>
#include "irq/plic.h"
#include "mm/kmap.h"
#include "sbi/sbi.h"
#include "smp/bkl.h"
#include "smp/hart.h"
#include "task/task_internal.h"
#include "time/timer.h"
#include "trap/trap.h"

#define START_WAIT_NS 10000000000ULL /* how long the boot hart waits for the others */
#define RETRY_NS 200000000ULL /* a start that went astray is retried this often */

/* Read by secondary_entry with the MMU off: keep the layout in step. */
struct secondary_boot {
	uint64_t satp;
	uint64_t sp;
	uint64_t tp;
	uint64_t entry; /* virtual: where the hart lands once paging is on */
};

void secondary_entry(void);
void secondary_high(void);

static struct hart harts[MAX_HARTS];
static char emergency_stacks[MAX_HARTS][EMERGENCY_STACK_SIZE] __attribute__((aligned(16)));
static struct secondary_boot boot_params[MAX_HARTS];
static const struct boot_info *boot_bi;
static unsigned nharts = 1;
static uint64_t online_mask;

static void hart_setup(struct hart *h, unsigned index, uint32_t hartid)
{
	h->slot = (unsigned)(h - harts);
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
	online_mask = 1;
	__asm__ volatile("mv tp, %0" ::"r"(h));
	csr_write(sscratch, 0);
}

uint64_t harts_online_mask(void)
{
	return __atomic_load_n(&online_mask, __ATOMIC_ACQUIRE);
}

/* The first C code of a secondary hart, on its idle task's stack. */
void __noreturn hart_secondary_main(void);
void __noreturn hart_secondary_main(void)
{
	struct hart *h = this_hart();

	trap_init();                       /* stvec */
	csr_write(sscratch, 0);
	plic_hart_init(h);                 /* its S-mode context */
	timer_hart_init();                 /* its own tick */
	csr_set(sie, SIE_SSIE);            /* IPIs: kicks and TLB shootdowns */
	h->online = true;
	__atomic_fetch_or(&online_mask, 1ull << h->slot, __ATOMIC_RELEASE);
	pr_info("smp: hart %u online (block %u)\n", h->hartid, h->slot);
	task_hart_enter();                 /* joins the scheduler */
}

/* The physical address of a kernel image symbol. */
static paddr_t image_pa(const void *va, paddr_t load_pa)
{
	return (uintptr_t)va - KERNEL_VIRT_BASE + load_pa;
}

static void start_one(struct hart *h, paddr_t load_pa)
{
	struct secondary_boot *p = &boot_params[h->slot];
	uint64_t deadline;
	long err;

	if (!(h->idle = task_create_idle(h->slot))) {
		pr_err("smp: hart %u: no memory for its idle task\n", h->hartid);
		return;
	}
	h->current = h->idle;
	h->stack_lo = h->idle->stack.bottom;
	h->stack_hi = h->idle->stack.top;
	p->satp = SATP_MODE_SV39 | (kmap_root_pa() >> PAGE_SHIFT);
	p->sp = h->idle->stack.top;
	p->tp = (uintptr_t)h;
	p->entry = (uintptr_t)secondary_high;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* A hart that lost the boot lottery (entry.S) may still be on its way
	 * back to the stopped state. */
	deadline = time_now_ns() + START_WAIT_NS;
	while (sbi_hart_get_status(h->hartid) != SBI_HSM_STOPPED && time_now_ns() < deadline)
		;
	err = sbi_hart_start(h->hartid, image_pa((const void *)secondary_entry, load_pa),
			     image_pa(p, load_pa));
	if (err)
		pr_warn("smp: hart %u: SBI hart_start failed (%ld), left stopped\n", h->hartid, err);
}

/* OpenSBI 1.1 under QEMU now and then sends a hart it was asked to start
 * to the kernel's boot entry instead of secondary_entry; the boot lottery
 * (entry.S) puts it back to stopped, and here it is started again. */
static void retry_stopped(paddr_t load_pa)
{
	static uint64_t last_try;
	uint64_t now = time_now_ns();

	if (now - last_try < RETRY_NS)
		return;
	last_try = now;
	for (unsigned slot = 1; slot < nharts; slot++) {
		struct hart *h = &harts[slot];
		if (!__atomic_load_n(&h->online, __ATOMIC_ACQUIRE) && h->idle &&
		    sbi_hart_get_status(h->hartid) == SBI_HSM_STOPPED) {
			pr_warn("smp: hart %u went back to stopped: starting it again\n", h->hartid);
			(void)sbi_hart_start(h->hartid, image_pa((const void *)secondary_entry, load_pa),
					     image_pa(&boot_params[slot], load_pa));
		}
	}
}

void harts_start_secondaries(paddr_t load_pa)
{
	uint64_t deadline;

	for (unsigned slot = 1; slot < nharts; slot++)
		start_one(&harts[slot], load_pa);
	/* All start at once; an emulator on a busy host can take seconds.
	 * A hart that arrives later still joins (it needs nothing from here). */
	deadline = time_now_ns() + START_WAIT_NS;
	while (hart_mask_count(harts_online_mask()) < nharts && time_now_ns() < deadline)
		retry_stopped(load_pa);
	for (unsigned slot = 1; slot < nharts; slot++)
		if (!__atomic_load_n(&harts[slot].online, __ATOMIC_ACQUIRE))
			pr_warn("smp: hart %u not up after %llu s\n", harts[slot].hartid,
				START_WAIT_NS / 1000000000ULL);
	pr_info("smp: %u of %u harts online\n", hart_mask_count(harts_online_mask()),
		nharts);
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

	if (bi->nharts > MAX_HARTS || bi->nharts > 64)
		panic("too many harts");
	boot_bi = bi;
	nharts = bi->nharts;
	boot->bkl_kept_in_user = nharts == 1; /* the only block that will run */
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

unsigned cpu_current(void)
{
	return this_hart()->index;
}

uint64_t harts_slots_of_cpus(uint64_t cpus)
{
	uint64_t slots = 0;

	for (unsigned slot = 0; slot < nharts && slot < 64; slot++)
		if (harts[slot].index < 64 && ((cpus >> harts[slot].index) & 1))
			slots |= 1ull << slot;
	return slots;
}

uint64_t harts_cpus_of_slots(uint64_t slots)
{
	uint64_t cpus = 0;

	for (unsigned slot = 0; slot < nharts && slot < 64; slot++)
		if (((slots >> slot) & 1) && harts[slot].index < 64)
			cpus |= 1ull << harts[slot].index;
	return cpus;
}

struct hart *hart_by_slot(unsigned slot)
{
	return slot < MAX_HARTS ? &harts[slot] : NULL;
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
	for (unsigned slot = 0; slot < nharts; slot++)
		if (harts[slot].index == index)
			out->online = __atomic_load_n(&harts[slot].online, __ATOMIC_ACQUIRE);
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
