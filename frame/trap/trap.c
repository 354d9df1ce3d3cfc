/* Trap dispatch: interrupts to their controllers, exceptions in the kernel
 * to a panic report. (User-mode traps arrive with the process work.) */
#include <frame/aspace.h>
#include <frame/panic.h>
#include <frame/log.h>
#include <arch/csr.h>
#include <arch/trapframe.h>
#include "irq/plic.h"
#include "smp/bkl.h"
#include "smp/ipi.h"
#include "mm/aspace_internal.h"
#include "mm/vmarea.h"
#include "time/timer.h"
#include "time/watchdog.h"
#include "smp/hart.h"
#include "trap/trap.h"
#include "user/uaccess_internal.h"

static const char *const exception_names[] = {
	[0] = "instruction address misaligned",
	[1] = "instruction access fault",
	[2] = "illegal instruction",
	[3] = "breakpoint",
	[4] = "load address misaligned",
	[5] = "load access fault",
	[6] = "store address misaligned",
	[7] = "store access fault",
	[8] = "environment call from U-mode",
	[9] = "environment call from S-mode",
	[12] = "instruction page fault",
	[13] = "load page fault",
	[15] = "store page fault",
};

const char *trap_cause_name(uint64_t scause)
{
	uint64_t code = scause & ~SCAUSE_INTERRUPT;

	if (scause & SCAUSE_INTERRUPT) {
		switch (code) {
		case IRQ_S_SOFT: return "supervisor software interrupt";
		case IRQ_S_TIMER: return "supervisor timer interrupt";
		case IRQ_S_EXT: return "supervisor external interrupt";
		default: return "unknown interrupt";
		}
	}
	if (code < ARRAY_SIZE(exception_names) && exception_names[code])
		return exception_names[code];
	return "unknown exception";
}

extern void trap_entry(void);

void trap_init(void)
{
	csr_write(stvec, (uintptr_t)trap_entry);
}

/* Device handlers are services': they run under the BKL, taken here
 * unless this hart already holds it (the interrupted code is a service,
 * which masks interrupts where it shares data with its handler). */
static void external_interrupt(void)
{
	bool mine = bkl_held_here();

	if (!mine)
		bkl_acquire();
	plic_handle_external();
	if (!mine)
		bkl_release();
}

void trap_handle_interrupt(uint64_t scause)
{
	struct hart *h = this_hart();

	h->irq_depth++;
	switch (scause & ~SCAUSE_INTERRUPT) {
	case IRQ_S_TIMER:
		timer_interrupt();
		break;
	case IRQ_S_EXT:
		external_interrupt();
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, SIE_SSIE);
		ipi_received();
		break;
	default:
		panic("unexpected interrupt, scause 0x%lx", scause);
	}
	h->irq_depth--;
}

static bool is_memory_fault(uint64_t scause)
{
	return scause == 5 || scause == 7 || scause == 13 || scause == 15;
}

void trap_dispatch(struct trapframe *tf)
{
	uint64_t pad;

	if (tf->scause & SCAUSE_INTERRUPT) {
		trap_handle_interrupt(tf->scause);
		if (tf->scause == (SCAUSE_INTERRUPT | IRQ_S_TIMER))
			watchdog_kernel_tick(tf); /* a tick in the kernel: is it stuck? */
		return;
	}
	/* Inside copy_{from,to}_user: a page fault goes to the address space's
	 * owner (demand paging, copy-on-write) and the access is retried if it
	 * was resolved; any other bad user pointer resumes at the pad. */
	if (is_memory_fault(tf->scause) && (pad = uaccess_fixup(tf->sepc)) != 0) {
		bool page_fault = tf->scause == 13 || tf->scause == 15;
		if (!(page_fault && aspace_uaccess_fault(this_hart()->aspace, tf->stval, tf->scause == 15) == 0))
			tf->sepc = pad;
		return;
	}
	if (vmarea_is_guard(tf->stval))
		panic_trap(tf, "kernel stack overflow (guard page hit)");
	panic_trap(tf, "kernel exception");
}

void trap_kernel_stack_overflow(struct trapframe *tf)
{
	panic_trap(tf, "kernel stack overflow (trap with no stack left)");
}

void trap_bad_sscratch(struct trapframe *tf)
{
	panic_trap(tf, "trap with a corrupt sscratch");
}
