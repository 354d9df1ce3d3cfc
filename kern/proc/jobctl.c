/* Job control: stopped processes, the SIGCHLD a parent gets when a child
 * stops, continues or exits, and orphaned process groups (POSIX, as Linux
 * implements them in kernel/signal.c and kernel/exit.c). */
#include <frame/irq.h>
#include "proc/jobctl.h"
#include "proc/process.h"
#include "proc/signal.h"

/* SIGCHLD (or the child's exit_signal) to c's parent with CLD_* info. */
static void tell_parent(struct process *c, int sig, int code, int status)
{
	struct process *parent = c->parent;
	struct k_siginfo info = {
		.signo = sig, .code = code, .child = { .pid = c->pid, .status = status },
	};

	if (!parent)
		return;
	if (sig)
		signal_send_info(parent, &info);
	wait_queue_wake_all(&parent->child_event);
}

/* Stops and continues are reported with SIGCHLD unless SA_NOCLDSTOP. */
static void tell_parent_job(struct process *c, int code, int status)
{
	struct process *parent = c->parent;
	bool quiet = parent && (parent->sig.action[SIGCHLD].flags & SA_NOCLDSTOP);

	tell_parent(c, quiet ? 0 : SIGCHLD, code, status);
}

void jobctl_stop(struct process *p, int sig)
{
	unsigned long flags;

	p->sig.stopped = true;
	p->sig.stop_sig = sig;
	p->sig.job_report = JOB_REPORT_STOPPED;
	tell_parent_job(p, CLD_STOPPED, sig);
	flags = irq_save();
	while (p->sig.stopped && !(p->sig.pending & SIG_BIT(SIGKILL)))
		wait_queue_sleep(&p->sig.resume);
	irq_restore(flags);
}

void jobctl_continue(struct process *p)
{
	if (!p->sig.stopped)
		return;
	p->sig.stopped = false;
	p->sig.job_report = JOB_REPORT_CONTINUED;
	tell_parent_job(p, CLD_CONTINUED, SIGCONT);
	wait_queue_wake_all(&p->sig.resume);
}

void jobctl_wake(struct process *p)
{
	p->sig.stopped = false;
	p->sig.job_report = JOB_REPORT_NONE;
	wait_queue_wake_all(&p->sig.resume);
}

bool signal_notify_exit(struct process *p)
{
	struct process *parent = p->parent;
	int ws = p->wait_status, sig = p->exit_signal;
	bool autoreap = false;

	if (!parent)
		return false;
	if (sig == SIGCHLD) {
		const struct k_sigaction *a = &parent->sig.action[SIGCHLD];
		autoreap = a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
		if (a->handler == SIG_IGN)
			sig = 0;
	}
	if (ws & 0x7f)
		tell_parent(p, sig, CLD_KILLED, ws & 0x7f);
	else
		tell_parent(p, sig, CLD_EXITED, (ws >> 8) & 0xff);
	return autoreap;
}

static bool live(const struct process *p)
{
	return p && p->state != PROC_ZOMBIE;
}

/* A group exists while any member does, zombies included until they are
 * reaped (Linux: the pid stays attached to its group until then). A shell
 * puts the second command of "echo | tr" into the first one's group, which
 * may already be a zombie by then. */
bool pgrp_in_session(int pgid, int sid)
{
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == pgid && p->sid == sid)
			return true;
	return false;
}

bool pgrp_exists(int pgid)
{
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == pgid)
			return true;
	return false;
}

bool pgrp_is_orphaned(int pgid, const struct process *ignore)
{
	for (struct process *q = process_first(); q; q = process_next(q)) {
		const struct process *par = q->parent;
		if (q == ignore || !live(q) || q->pgid != pgid)
			continue;
		if (par != ignore && live(par) && par->pgid != pgid && par->sid == q->sid)
			return false; /* a parent that can still continue it */
	}
	return true;
}

static bool has_stopped(int pgid)
{
	for (struct process *q = process_first(); q; q = process_next(q))
		if (live(q) && q->pgid == pgid && q->sig.stopped)
			return true;
	return false;
}

/* The group of `member` loses its last outside parent when p goes. */
static void check_group(const struct process *member, const struct process *outside,
			struct process *p)
{
	int pgid = member->pgid;

	if (!outside || outside->pgid == pgid || outside->sid != member->sid)
		return;
	if (pgrp_is_orphaned(pgid, p) && has_stopped(pgid)) {
		signal_send_pgrp(pgid, SIGHUP);
		signal_send_pgrp(pgid, SIGCONT);
	}
}

void pgrp_orphan_check(struct process *p)
{
	check_group(p, p->parent, p);
	for (struct process *c = p->children; c; c = c->next_sibling)
		check_group(c, p, p);
}
