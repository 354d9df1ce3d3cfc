/* Signals, first cut: a pending set per process and the default actions
 * (terminate or ignore). Handlers, masks from user space, stop/continue and
 * siginfo arrive with the signal syscalls. */
#include <frame/errno.h>
#include "proc/process.h"
#include "proc/signal.h"

#define UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
#define IGNORED_BY_DEFAULT (SIG_BIT(SIGCHLD) | SIG_BIT(SIGURG) | SIG_BIT(SIGWINCH) | SIG_BIT(SIGCONT))

int signal_send(struct process *p, int sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig == 0 || p->state == PROC_ZOMBIE)
		return 0;
	if (SIG_BIT(sig) & IGNORED_BY_DEFAULT)
		return 0;
	p->sig_pending |= SIG_BIT(sig);
	if (p->task && signal_pending(p))
		task_interrupt(p->task);
	return 0;
}

int signal_send_pgrp(int pgid, int sig)
{
	int found = 0;

	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->pgid == pgid && p->state != PROC_ZOMBIE) {
			signal_send(p, sig);
			found = 1;
		}
	}
	return found ? 0 : -ESRCH;
}

bool signal_pending(const struct process *p)
{
	return (p->sig_pending & (~p->sig_blocked | UNBLOCKABLE)) != 0;
}

bool signal_blocked_or_ignored(const struct process *p, int sig)
{
	return (p->sig_blocked & SIG_BIT(sig)) != 0;
}

void signal_deliver(struct process *p, bool from_syscall)
{
	uint64_t ready = p->sig_pending & (~p->sig_blocked | UNBLOCKABLE);
	long ret = (long)p->regs.x[UREG_A0];

	if (from_syscall && (ret == -ERESTARTSYS || ret == -ERESTARTNOHAND ||
			     ret == -ERESTART_RESTARTBLOCK))
		p->regs.x[UREG_A0] = (uint64_t)-EINTR;
	if (!ready)
		return;
	int sig = 1;
	while (!(ready & SIG_BIT(sig)))
		sig++;
	p->sig_pending &= ~SIG_BIT(sig);
	process_exit(p, sig); /* the default action of what is not ignored */
}
