/* Signal delivery on the way back to user mode (called by process_main):
 * pick the pending unblocked signals one by one, run the default action or
 * push a handler frame, and decide what a call interrupted by the signal
 * returns (EINTR, or a restart) as Linux's arch/riscv/kernel/signal.c does. */
#include <frame/errno.h>
#include <frame/log.h>
#include <kern/syscall_nr.h>
#include "proc/jobctl.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/signal_frame.h"
#include "proc/thread.h"

#define ERESTARTNOINTR 513

static bool is_restart(long ret)
{
	return ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND ||
	       ret == -ERESTART_RESTARTBLOCK;
}

/* Runs the call again: back over the ecall with the original a0. */
static void restart_call(struct process *p, long ret)
{
	p->regs.pc -= 4;
	if (ret == -ERESTART_RESTARTBLOCK)
		p->regs.x[UREG_A7] = NR_restart_syscall; /* continue with what is left */
	else
		p->regs.x[UREG_A0] = p->regs.orig_a0;
}

/* A handler is about to run: only SA_RESTART restarts ERESTARTSYS. */
static void restart_for_handler(struct process *p, long ret, const struct k_sigaction *a)
{
	if (ret == -ERESTARTNOINTR || (ret == -ERESTARTSYS && (a->flags & SA_RESTART)))
		restart_call(p, ret);
	else
		p->regs.x[UREG_A0] = (uint64_t)-EINTR;
}

static bool is_fault(const struct k_siginfo *info)
{
	int s = info->signo;

	return (s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGTRAP || s == SIGFPE) &&
	       info->code > 0 && info->code < SI_KERNEL;
}

/* Forced on the process by the kernel (proc/signal.c signal_force_fault). */
static bool is_forced(const struct k_siginfo *info)
{
	return is_fault(info) || (info->signo == SIGSEGV && info->code == SI_KERNEL);
}

/* A stop is the process's: the other threads stop too (with SIGSTOP, which
 * none can block; the leader's stop is what the parent sees). */
static void stop_other_threads(struct process *p)
{
	struct k_siginfo info = { .signo = SIGSTOP, .code = SI_KERNEL };

	for (struct process *t = p->leader; t; t = t->thread_next)
		if (t != p && !t->sig.stopped && !t->exited)
			signal_send_thread(t, &info);
}

static void default_action(struct process *p, int sig, const struct k_siginfo *info)
{
	if (p->leader->pid == 1 && !is_forced(info))
		return; /* init ignores what it does not handle (Linux's SIGNAL_UNKILLABLE) */
	switch (signal_default_action(sig)) {
	case SIGDFL_IGNORE:
	case SIGDFL_CONT: /* the continuing happened when it was sent */
		return;
	case SIGDFL_STOP:
		/* POSIX: terminal stops of an orphaned group are dropped. */
		if (sig == SIGSTOP || !pgrp_is_orphaned(p->pgid, NULL)) {
			stop_other_threads(p);
			jobctl_stop(p, sig);
		}
		return;
	case SIGDFL_TERM:
	case SIGDFL_CORE: /* no core file is written, so no WCOREDUMP flag */
		if (is_fault(info))
			pr_info("%s[%d]: killed by %s at 0x%lx, pc 0x%lx\n", p->comm, p->pid,
				signal_name(sig), info->fault.addr, p->regs.pc);
		thread_group_exit(p, sig); /* fatal signals end every thread */
		return;
	}
}

/* Pushes the frame and switches to the handler's mask. */
static void run_handler(struct process *p, int sig, struct signal_frame_head *head,
			struct k_sigaction *a)
{
	uint64_t saved = p->sig.restore_blocked ? p->sig.saved_blocked : p->sig.blocked;

	p->sig.restore_blocked = false;
	if (signal_frame_push(p, head, a, saved)) {
		/* Linux's force_sigsegv: a signal that cannot be delivered kills. */
		pr_info("%s[%d]: bad signal stack for %s: killed\n", p->comm, p->pid,
			signal_name(sig));
		thread_group_exit(p, SIGSEGV);
		return;
	}
	p->sig.blocked |= a->mask;
	if (!(a->flags & SA_NODEFER))
		p->sig.blocked |= SIG_BIT(sig);
	p->sig.blocked &= ~SIG_UNBLOCKABLE;
	if (a->flags & SA_RESETHAND)
		*a = (struct k_sigaction){ SIG_DFL, 0, 0 };
}

/* The work when something is to be done; kept apart so the common return
 * to user mode does not pay for its 192-byte frame head (zeroed on entry).
 * The signal is dequeued straight into the head that goes on the stack. */
static __attribute__((noinline)) void deliver_pending(struct process *p, long ret, bool restart)
{
	struct signal_frame_head head;
	int sig;

	while (!p->exited &&
	       (sig = signal_dequeue(p, ~p->sig.blocked | SIG_UNBLOCKABLE, &head.info)) != 0) {
		struct k_sigaction *a = &p->sig.action[sig];
		if (a->handler == SIG_IGN)
			continue;
		if (a->handler == SIG_DFL) {
			default_action(p, sig, &head.info);
			continue;
		}
		if (restart)
			restart_for_handler(p, ret, a);
		restart = false;
		run_handler(p, sig, &head, a);
	}
	if (restart)
		restart_call(p, ret); /* no handler ran: the call goes on */
	if (p->sig.restore_blocked) {
		p->sig.blocked = p->sig.saved_blocked;
		p->sig.restore_blocked = false;
	}
}

void signal_deliver(struct process *p, bool from_syscall)
{
	long ret = (long)p->regs.x[UREG_A0];
	bool restart = from_syscall && !p->sig.no_restart && is_restart(ret);

	p->sig.no_restart = false;
	/* Nearly every return: no signal, no restart, no mask to put back. A
	 * signal sent after this check is acted on at the next trap, as one
	 * sent after signal_dequeue found nothing always was. */
	if (!restart && !p->sig.restore_blocked && !signal_pending(p))
		return;
	deliver_pending(p, ret, restart);
}
