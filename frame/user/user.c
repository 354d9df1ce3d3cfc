/* user_run: one trip to user mode and back. The service calling it holds
 * the BKL; it is free while the hart runs user code, and taken back on the
 * way in, before the trap is looked at. */
#include <frame/user.h>
#include <arch/csr.h>
#include "smp/bkl.h"
#include "smp/hart.h"
#include "time/watchdog.h"
#include "trap/trap.h"

#define CAUSE_ECALL_U 8

void user_enter(struct user_regs *regs);

void user_run(struct user_regs *regs, struct user_trap *out)
{
	struct hart *h = this_hart();

	watchdog_touch(); /* back to user mode: this hart is not stuck */
	bkl_release();
	user_enter(regs); /* returns at the next trap from user mode */
	out->cause = h->ucause;
	out->addr = h->utval;
	bkl_acquire(); /* interrupts masked: this hart's trap state stays put */
	if (out->cause & SCAUSE_INTERRUPT) {
		trap_handle_interrupt(out->cause);
		out->event = USER_EV_INTERRUPT;
	} else if (out->cause == CAUSE_ECALL_U) {
		regs->pc += 4;
		out->event = USER_EV_SYSCALL;
	} else {
		out->event = USER_EV_FAULT;
	}
	csr_set(sstatus, SSTATUS_SIE); /* the service runs with interrupts on */
}

const char *user_cause_name(uint64_t cause)
{
	return trap_cause_name(cause);
}
