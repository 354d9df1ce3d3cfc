/* Trap dispatch: interrupts to their controllers, exceptions in the kernel
 * to a panic report. (User-mode traps arrive with the process work.) */
#include <frame/panic.h>
#include <arch/csr.h>
#include <arch/trapframe.h>
#include "irq/plic.h"
#include "smp/ipi.h"
#include "mm/vmarea.h"
#include "time/timer.h"
#include "trap/trap.h"

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

static void handle_interrupt(struct trapframe *tf)
{
	switch (tf->scause & ~SCAUSE_INTERRUPT) {
	case IRQ_S_TIMER:
		timer_interrupt();
		break;
	case IRQ_S_EXT:
		plic_handle_external();
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, SIE_SSIE);
		ipi_received();
		break;
	default:
		panic_trap(tf, "unexpected interrupt");
	}
}

void trap_dispatch(struct trapframe *tf)
{
	if (tf->scause & SCAUSE_INTERRUPT) {
		handle_interrupt(tf);
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
