/* The signal frame on the user stack (Linux riscv64 struct rt_sigframe)
 * and the page holding the sigreturn trampoline handlers return through. */
#ifndef KERN_PROC_SIGNAL_FRAME_H
#define KERN_PROC_SIGNAL_FRAME_H

#include <frame/aspace.h>
#include "proc/sigstate.h"

struct mm;

struct process;

/* The trampoline's page: the last page of user space, above the stack.
 * Linux keeps it in the vDSO; glibc never names it (riscv has no
 * SA_RESTORER), so any address the kernel puts in ra will do. */
#define SIGTRAMP_VA 0x3ffffff000UL

/* Maps the trampoline page (read + execute) into a new address space. */
int signal_tramp_map(struct mm *mm);
/* The first 192 bytes of the frame: the siginfo, then the ucontext's
 * head (uc_flags, uc_link, uc_stack, uc_sigmask and two words of its
 * unused tail). The caller dequeues the signal into .info, and the push
 * writes the whole in one piece. */
struct signal_uc_head {
	uint64_t flags;
	uint64_t link;
	struct k_stack stack;
	uint64_t sigmask;
	uint64_t unused[2];
};
struct signal_frame_head {
	struct k_siginfo info;
	struct signal_uc_head uc;
};

/* Pushes a frame for head->info.signo and points p's registers at the
 * handler; fills head->uc. The handler's mask is set by the caller.
 * -EFAULT if the stack is bad. */
int signal_frame_push(struct process *p, struct signal_frame_head *head,
		      const struct k_sigaction *a, uint64_t saved_mask);
/* sigaltstack's state word for sp (SS_DISABLE, SS_ONSTACK or 0), and
 * setting a new stack (do_sigaltstack: -EPERM while on it, -EINVAL,
 * -ENOMEM for a small one). */
int signal_altstack_flags(const struct k_stack *ss, uint64_t sp);
int signal_altstack_set(struct process *p, const struct k_stack *ss);
/* rt_sigreturn: registers, mask and altstack back from the frame at sp.
 * -EFAULT for an unreadable or malformed frame. */
int signal_frame_pop(struct process *p);

#endif
