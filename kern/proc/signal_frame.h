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
/* Pushes a frame for sig and points p's registers at the handler; the
 * handler's mask is set by the caller. -EFAULT if the stack is bad. */
int signal_frame_push(struct process *p, int sig, const struct k_siginfo *info,
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
