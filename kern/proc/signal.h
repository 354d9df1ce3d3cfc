/* Signals: what other services need to raise them and to notice them.
 * Delivery (handlers, frames, default actions) lives in proc/signal*.c. */
#ifndef KERN_PROC_SIGNAL_H
#define KERN_PROC_SIGNAL_H

#include <frame/types.h>
#include "proc/signal_names.h"

struct process;

#define NSIG 64
#define SIG_BIT(sig) (1ULL << ((sig) - 1))

/* Queues sig for p as the kernel's (si_code SI_KERNEL) and wakes p if it
 * sleeps interruptibly. 0, or -EINVAL for a bad number. sig 0 only checks. */
int signal_send(struct process *p, int sig);
/* The same for every process in group pgid; -ESRCH if there is none. */
int signal_send_pgrp(int pgid, int sig);
/* True if p has a pending signal it does not block: an interruptible sleep
 * ends and the call returns -ERESTARTSYS. */
bool signal_pending(const struct process *p);
/* True if p blocks sig or ignores it (SIG_IGN): the tty code's test for
 * SIGTTIN/SIGTTOU. The first cut has no dispositions: blocked only. */
bool signal_blocked_or_ignored(const struct process *p, int sig);
/* Called on the way back to user mode (proc/process.c): acts on pending
 * signals; fixes up a0 when the call returned -ERESTARTSYS and friends. */
void signal_deliver(struct process *p, bool from_syscall);

#endif
