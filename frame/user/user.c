/* user_run: one trip to user mode and back. The service calling it holds
 * the BKL; it is free while the hart runs user code, and taken back on the
 * way in, before the trap is looked at (on a machine with one hart it is
 * kept instead: bkl.h). */
#include <frame/errno.h>
#include <frame/user.h>
#include <arch/csr.h>
#include <arch/trapframe.h>
#include "smp/bkl.h"
#include "smp/hart.h"
#include "task/task_internal.h"
#include "time/timer.h"
#include "trap/trap.h"

/* h->ucause after the ecall path ran the call (no scause has all bits). */
#define UCAUSE_SYSCALL_DONE UINT64_MAX

void user_enter(struct user_regs *regs);
bool user_syscall_trap(struct user_regs *regs); /* called by trap_entry.S */
void fpu_save(struct user_regs *regs);
void fpu_restore(struct user_regs *regs);

/* Lazy FP state: the kernel never uses the FP registers, so after a trap
 * they still hold the state of the user context that last ran on the
 * hart, and loading them again on every return cost more than a null
 * syscall's work. Each load, and each save of a changed state, takes a new
 * token (a per-hart count with the hart's index in the low byte) recorded
 * both in the hart and in the regs: the registers are regs' state exactly
 * when the two tokens are equal. A copy of regs (fork) shares the token
 * and the contents; whichever changes them first takes a new token. */
static void fpu_claim(struct hart *h, struct user_regs *regs)
{
	regs->fpu_token = h->fpu_loaded = (++h->fpu_count << 8) | h->index;
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
	if (regs->fpu_token != h->fpu_loaded || !regs->fpu_token)
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

/* What both ways back to user mode do last, with interrupts masked. */
static inline void back_to_user(struct hart *h, struct user_regs *regs)
{
	if (bkl_free_in_user())
		bkl_release_inline(h);
	fpu_prepare(h, regs);
	/* Ticks are worked out only after an interrupt; the watchdog sees
	 * the mark move as progress. */
	h->user_time_mark = read_time();
}

static long no_syscalls(uint64_t nr)
{
	(void)nr;
	return -ENOSYS;
}

/* A copy, not a pointer: the ecall path then keeps no register for it
 * across the call. Until the service installs its table, every call is
 * unknown. */
static struct user_syscalls syscalls = { .unknown = no_syscalls };

void user_set_syscalls(const struct user_syscalls *calls)
{
	syscalls = *calls;
}

_Static_assert(__builtin_offsetof(struct user_regs, x[UREG_A0]) + sizeof(struct syscall_args) <=
		       __builtin_offsetof(struct user_regs, pc),
	       "syscall_args overlays a0-a5 of struct user_regs");

/* The installed table's call for regs' a7. */
static inline long run_syscall(struct user_regs *regs)
{
	uint64_t nr = regs->x[UREG_A7];
	user_syscall_fn fn = nr < syscalls.count ? syscalls.table[nr] : NULL;

	if (!fn)
		return syscalls.unknown(nr);
	return fn((const struct syscall_args *)(const void *)&regs->x[UREG_A0]);
}

/* After the call: must the service see the context first? */
static inline bool come_back(const struct hart *h, const struct user_regs *regs)
{
	/* A switch to another space meanwhile (the call slept): aspace_activate
	 * in the service's loop loads ours again. */
	return regs->work || h->resched || h->aspace != h->current->as;
}

/* Called by trap_from_user (trap_entry.S) for an ecall, with interrupts
 * masked, on the kernel stack that user_enter left: the state is the one
 * user_run would see on its return. True sends the context straight back
 * to user mode (trap_from_user reloads regs, but for s2-s11, which the
 * call preserved, and srets); false returns from user_enter into user_run,
 * with h->ucause saying the call ran (trap_from_user leaves the trap slots
 * of the hart to this function). No frame pointer: the asm left fp 0, so
 * a backtrace from inside a call ends at the call either way. */
__attribute__((optimize("omit-frame-pointer"))) bool user_syscall_trap(struct user_regs *regs)
{
	struct hart *h = this_hart();

	fpu_collect(h, regs); /* before anything can switch to another context */
	if (bkl_free_in_user())
		bkl_acquire_inline(h);
	regs->pc += 4;
	regs->orig_a0 = regs->x[UREG_A0];
	csr_set(sstatus, SSTATUS_SIE);
	regs->x[UREG_A0] = (uint64_t)run_syscall(regs);
	csr_clear(sstatus, SSTATUS_SIE);
	h = this_hart(); /* the call may have slept and woken on another hart */
	if (come_back(h, regs)) {
		h->utval = 0; /* an ecall has no stval */
		h->ucause = UCAUSE_SYSCALL_DONE;
		return false;
	}
	back_to_user(h, regs);
	return true;
}

/* What user_enter's return means, for a trap user_syscall_trap left alone. */
static void decode_trap(struct hart *h, struct user_trap *out)
{
	out->ticks = 0;
	if (out->cause & SCAUSE_INTERRUPT) {
		trap_handle_interrupt(out->cause);
		out->ticks = timer_ticks_inline() - timer_ticks_at(h->user_time_mark);
		out->event = USER_EV_INTERRUPT;
	} else {
		out->event = USER_EV_FAULT;
	}
}

void user_run(struct user_regs *regs, struct user_trap *out)
{
	struct hart *h = this_hart();

	back_to_user(h, regs);
	user_enter(regs); /* returns at the next trap that needs the service */
	h = this_hart();  /* the ecall path may have slept and moved harts */
	out->cause = h->ucause;
	out->addr = h->utval;
	if (out->cause == UCAUSE_SYSCALL_DONE) {
		out->event = USER_EV_SYSCALL_DONE; /* with the BKL, FP state kept */
		out->ticks = 0;
	} else {
		fpu_collect(h, regs);
		if (bkl_free_in_user()) /* interrupts masked: this hart's trap state stays put */
			bkl_acquire_inline(h);
		decode_trap(h, out);
	}
	csr_set(sstatus, SSTATUS_SIE); /* the service runs with interrupts on */
}

const char *user_cause_name(uint64_t cause)
{
	return trap_cause_name(cause);
}
