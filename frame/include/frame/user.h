/* Running code in user mode.
 *
 * A kernel task runs a user context by calling user_run(), which returns at
 * the context's next trap: a system call, a fault, or an interrupt that
 * arrived while it ran. The service decides what happens next (handle the
 * call, deliver a signal, schedule) and calls user_run() again.
 *
 * Invariants:
 *   1. User code runs in U-mode with interrupts enabled, in the address
 *      space last activated with aspace_activate().
 *   2. While user code runs, the kernel cannot touch user pages except
 *      through the uaccess.h functions.
 *   3. On return the registers in *regs are the user's at the trap, with pc
 *      already advanced past an ecall. */
#ifndef FRAME_USER_H
#define FRAME_USER_H

#include <frame/types.h>

/* The lower half of Sv39: user addresses are below this. */
#define USER_TOP 0x4000000000UL

struct user_regs {
	uint64_t x[32]; /* x[n] is register xn; x[0] is ignored */
	uint64_t pc;
	uint64_t f[32]; /* f0..f31 */
	uint64_t fcsr;
	/* The frame's own: which load of the FP registers holds f/fcsr (0:
	 * none). Copying the struct is fine; writing f or fcsr requires
	 * user_regs_fpu_changed() before the next user_run. */
	uint64_t fpu_token;
	/* a0 as the last ecall found it (the ecall path keeps it: the call's
	 * result overwrites x[10]), for restarting the call. */
	uint64_t orig_a0;
	/* The service's word: nonzero while it has something to do before
	 * this context runs user code again (a signal, an exit, a rewritten
	 * context). The ecall path then returns USER_EV_SYSCALL_DONE instead
	 * of going straight back to user mode. */
	uint64_t work;
};

/* Argument and return registers of the Linux RISC-V syscall convention. */
enum { UREG_RA = 1, UREG_SP = 2, UREG_TP = 4, UREG_A0 = 10, UREG_A7 = 17 };

enum user_event {
	USER_EV_FAULT,     /* page fault, illegal instruction, misaligned access ... */
	USER_EV_INTERRUPT, /* an interrupt was handled; nothing for the service */
	USER_EV_SYSCALL_DONE, /* an ecall, already run from the installed table (below) */
};

struct user_trap {
	enum user_event event;
	uint64_t cause; /* scause */
	uint64_t addr;  /* stval: the faulting address or instruction */
	/* USER_EV_INTERRUPT: tick periods (timer_ticks) that ended while the
	 * trip to user mode lasted; 0 for the other events. */
	uint64_t ticks;
};

void user_run(struct user_regs *regs, struct user_trap *out);

/* System calls run inside the trap: an ecall does not return from
 * user_run. The trap code runs table[a7](a0-a5) on the kernel stack, with
 * the BKL held, interrupts on, regs->orig_a0 set and regs->pc past the
 * ecall; the call may sleep. Its result goes to a0, and the context goes
 * straight back to user mode, as user_run would, unless regs->work is set,
 * the hart should reschedule or another space was loaded meanwhile: then
 * user_run returns USER_EV_SYSCALL_DONE. Numbers past the table, or with a
 * NULL entry, run unknown(nr) (before user_set_syscalls: -ENOSYS).
 *
 * The straight way back reloads every register from regs but s2-s11,
 * which the calling convention kept. A call that rewrites regs beyond a0
 * (sigreturn, exec), or that returns a value the service must act on (a
 * restart code), sets regs->work first. */
struct syscall_args {
	uint64_t a[6]; /* a0-a5, read where they lie in struct user_regs */
};
typedef long (*user_syscall_fn)(const struct syscall_args *args);
struct user_syscalls {
	const user_syscall_fn *table;
	uint64_t count;
	long (*unknown)(uint64_t nr);
};
/* Set once, before the first user_run. */
void user_set_syscalls(const struct user_syscalls *calls);
/* regs->f or regs->fcsr was written (sigreturn): the next user_run loads
 * them into the FP registers again. */
void user_regs_fpu_changed(struct user_regs *regs);
/* A readable name for a trap cause (for log lines). */
const char *user_cause_name(uint64_t cause);

#endif
