/* Signals: what other services need to raise them and to notice them.
 * Sending and the pending set live in proc/signal.c, delivery on the way
 * back to user mode in proc/signal_deliver.c, the user stack frame in
 * proc/signal_frame.c, stop/continue and SIGCHLD in proc/jobctl.c. */
#ifndef KERN_PROC_SIGNAL_H
#define KERN_PROC_SIGNAL_H

#include <frame/types.h>
#include "proc/signal_names.h"
#include "proc/sigstate.h"

struct process;

#define SIG_BIT(sig) (1ULL << ((sig) - 1))
#define SIG_UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
#define SIG_STOP_SET (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU))

/* Queues sig for p as the kernel's (si_code SI_KERNEL) and wakes p if it
 * sleeps interruptibly. 0, or -EINVAL for a bad number. sig 0 only checks.
 * Never sleeps or allocates: callable from interrupt handlers (a tty's ^C). */
int signal_send(struct process *p, int sig);
/* The same with a siginfo (si_signo names the signal). Both are
 * process-directed: one thread of p's group takes it (proc/thread.c). */
int signal_send_info(struct process *p, const struct k_siginfo *info);
/* Thread-directed (tgkill, faults): thread p itself takes it. */
int signal_send_thread(struct process *p, const struct k_siginfo *info);
/* The same for every process in group pgid; -ESRCH if there is none. */
int signal_send_pgrp(int pgid, int sig);
/* A fault: delivered even if blocked or ignored (then it kills), as
 * Linux's force_sig. */
void signal_force_fault(struct process *p, int sig, int code, uint64_t addr);
/* True if p has a pending signal it does not block: an interruptible sleep
 * ends and the call returns -ERESTARTSYS. */
bool signal_pending(const struct process *p);
/* True if p blocks sig or ignores it (SIG_IGN): the tty code's test for
 * SIGTTIN/SIGTTOU. The first cut has no dispositions: blocked only. */
bool signal_blocked_or_ignored(const struct process *p, int sig);
/* Called on the way back to user mode (proc/process.c): acts on pending
 * signals; restarts or fails calls that returned -ERESTARTSYS and friends. */
void signal_deliver(struct process *p, bool from_syscall);
/* signal_deliver's own first test, inline for the trap path (a call and a
 * walk of the thread group per trap were a tenth of a null syscall): true
 * if it has nothing to do for a process alone in its group whose state is
 * s and whose a0 is ret. Stricter than it (any pending signal, blocked or
 * not, takes the full path), so false only costs the call. */
static inline bool signal_restart_code(long ret)
{
	return ret >= -516 && ret <= -512; /* -ERESTARTSYS ... -ERESTART_RESTARTBLOCK */
}

static inline bool signal_quiet(const struct sigstate *s, long ret, bool from_syscall,
				bool alone)
{
	return alone && !s->pending && !s->restore_blocked && !s->no_restart &&
	       !(from_syscall && signal_restart_code(ret));
}

/* Lifetime hooks: fork copies actions, mask and altstack (a new thread
 * gets no altstack); exec resets
 * handled signals to SIG_DFL; exit stops the interval timer. */
void signal_fork(struct process *child, const struct process *parent, bool thread);
void signal_exec(struct process *p);
void signal_exit(struct process *p);
/* At exit (proc/process.c): tells the parent with exit_signal and CLD_*.
 * True if the parent ignores SIGCHLD (or SA_NOCLDWAIT): no zombie then. */
bool signal_notify_exit(struct process *p);

/* The default action of a signal. */
enum sig_default { SIGDFL_TERM, SIGDFL_CORE, SIGDFL_IGNORE, SIGDFL_STOP, SIGDFL_CONT };
enum sig_default signal_default_action(int sig);
/* True if sig sent to p now would be discarded (ignored, not blocked). */
bool signal_ignored(const struct process *p, int sig);
/* True if p blocks sig or its action is SIG_IGN: the tty code's test for
 * SIGTTIN/SIGTTOU (a background read then fails with EIO, as Linux). */
bool signal_blocked_or_ignored(const struct process *p, int sig);
/* Takes the lowest pending signal in `set` off p's pending set, filling
 * *info; 0 if none. */
int signal_dequeue(struct process *p, uint64_t set, struct k_siginfo *info);
/* What sigpending reports before masking: p's own pending signals and
 * the process's that wait on other threads. */
uint64_t signal_pending_set(const struct process *p);
/* Drops sig from the pending set (when it becomes ignored). */
void signal_discard(struct process *p, uint64_t set);

/* Process groups (proc/jobctl.c). True if some live process of group pgid
 * is in session sid (for TIOCSPGRP); true if pgid has members at all. */
bool pgrp_in_session(int pgid, int sid);
bool pgrp_exists(int pgid);
/* True if no member of the group has a parent in another group of the same
 * session (POSIX orphaned process group): job-control stops are dropped. */
bool pgrp_is_orphaned(int pgid, const struct process *ignore);
/* p is going away: groups it kept from being orphaned get SIGHUP + SIGCONT
 * if they hold a stopped process (POSIX, as Linux). */
void pgrp_orphan_check(struct process *p);

#endif
