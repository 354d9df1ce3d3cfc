/* user_run: one trip to user mode and back. The service calling it holds
 * the BKL; it is free while the hart runs user code, and taken back on the
 * way in, before the trap is looked at. */
#include <frame/user.h>
#include <arch/csr.h>
#include "smp/bkl.h"
#include "smp/hart.h"
#include "time/timer.h"
#include "trap/trap.h"

#define CAUSE_ECALL_U 8

void user_enter(struct user_regs *regs);
void fpu_save(struct user_regs *regs);
void fpu_restore(struct user_regs *regs);

/* Lazy FP state: the kernel never uses the FP registers, so after a trap
 * they still hold the state of the user context that last ran on the
 * hart, and loading them again on every return cost more than a null
 * syscall's work. Each load, and each save of a changed state, takes a new
 * token (a per-hart count with the hart's index in the low byte) recorded
 * both per hart and in the regs: the registers are regs' state exactly
 * when the two tokens are equal. A copy of regs (fork) shares the token
 * and the contents; whichever changes them first takes a new token. */
static uint64_t fpu_loaded[MAX_HARTS];
static uint64_t fpu_count[MAX_HARTS];

static void fpu_claim(struct hart *h, struct user_regs *regs)
{
	regs->fpu_token = fpu_loaded[h->index] = (++fpu_count[h->index] << 8) | h->index;
}

static void fpu_mark_clean(void)
{
	csr_clear(sstatus, SSTATUS_FS_MASK);
	csr_set(sstatus, SSTATUS_FS_CLEAN);
}

/* Out of line: the common case (the registers hold regs' state) then
 * needs no saved registers for it in user_run. */
static __attribute__((noinline)) void fpu_load(struct hart *h, struct user_regs *regs)
{
	csr_set(sstatus, SSTATUS_FS_MASK); /* on, to load */
	fpu_restore(regs);
	fpu_mark_clean();
	fpu_claim(h, regs);
}

/* Before entering: the registers must hold regs' state. */
static inline void fpu_prepare(struct hart *h, struct user_regs *regs)
{
	if (regs->fpu_token != fpu_loaded[h->index] || !regs->fpu_token)
		fpu_load(h, regs);
}

/* After the trap: keep a state the program changed. */
static __attribute__((noinline)) void fpu_store(struct hart *h, struct user_regs *regs)
{
	fpu_save(regs);
	fpu_mark_clean();
	fpu_claim(h, regs); /* a copy sharing the old token is now stale */
}

static inline void fpu_collect(struct hart *h, struct user_regs *regs)
{
	if ((csr_read(sstatus) & SSTATUS_FS_MASK) == SSTATUS_FS_DIRTY)
		fpu_store(h, regs);
}

void user_regs_fpu_changed(struct user_regs *regs)
{
	regs->fpu_token = 0;
}

void user_run(struct user_regs *regs, struct user_trap *out)
{
	struct hart *h = this_hart();

	h->user_returns++; /* back to user mode: progress for the watchdog */
	bkl_release_inline(h);
	fpu_prepare(h, regs);
	out->ticks = timer_ticks_inline(); /* kept in *out, not in a saved register */
	user_enter(regs); /* returns at the next trap from user mode */
	fpu_collect(h, regs);
	out->cause = h->ucause;
	out->addr = h->utval;
	bkl_acquire_inline(h); /* interrupts masked: this hart's trap state stays put */
	if (out->cause & SCAUSE_INTERRUPT) {
		trap_handle_interrupt(out->cause);
		out->ticks = timer_ticks_inline() - out->ticks;
		out->event = USER_EV_INTERRUPT;
	} else if (out->cause == CAUSE_ECALL_U) {
		out->ticks = 0;
		regs->pc += 4;
		out->event = USER_EV_SYSCALL;
	} else {
		out->ticks = 0;
		out->event = USER_EV_FAULT;
	}
	csr_set(sstatus, SSTATUS_SIE); /* the service runs with interrupts on */
}

const char *user_cause_name(uint64_t cause)
{
	return trap_cause_name(cause);
}
