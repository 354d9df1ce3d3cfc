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
};

/* Argument and return registers of the Linux RISC-V syscall convention. */
enum { UREG_RA = 1, UREG_SP = 2, UREG_TP = 4, UREG_A0 = 10, UREG_A7 = 17 };

enum user_event {
	USER_EV_SYSCALL,   /* ecall: number in a7, arguments in a0-a5 */
	USER_EV_FAULT,     /* page fault, illegal instruction, misaligned access ... */
	USER_EV_INTERRUPT, /* an interrupt was handled; nothing for the service */
	USER_EV_SYSCALL_DONE, /* an ecall the syscall handler already ran (below) */
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

/* The system-call path that stays in the trap. With a handler installed, an
 * ecall does not return from user_run: the trap code calls the handler
 * on the kernel stack, with the BKL held, interrupts on and regs->pc past
 * the ecall. The handler runs the call (it may sleep) and returns true when
 * nothing else is due before the context goes back to user mode (no
 * signal, no exit); then it goes straight back, as user_run would. When it
 * returns false, or the hart should reschedule, or another space was
 * loaded meanwhile, user_run returns USER_EV_SYSCALL_DONE. Without a
 * handler an ecall returns USER_EV_SYSCALL. Set once, before the first
 * user_run. */
typedef bool (*user_syscall_fn)(struct user_regs *regs);
void user_set_syscall_handler(user_syscall_fn handler);
/* regs->f or regs->fcsr was written (sigreturn): the next user_run loads
 * them into the FP registers again. */
void user_regs_fpu_changed(struct user_regs *regs);
/* A readable name for a trap cause (for log lines). */
const char *user_cause_name(uint64_t cause);

#endif
