/* Process groups and sessions: setpgid, getpgid, getsid, setsid, with
 * Linux's rules (kernel/sys.c). The controlling terminal is the tty code's;
 * setsid only drops the process's reference to it. */
#include <frame/errno.h>
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "syscall/syscall.h"

static bool is_session_leader(const struct process *p)
{
	return p->sid == p->pid;
}

/* Which process setpgid may move: the caller or a child in its session
 * that has not exec'd. */
static int setpgid_target(int pid, struct process **out)
{
	struct process *self = current->leader, *p = process_find(pid);

	if (!p || p->state == PROC_ZOMBIE)
		return -ESRCH;
	if (p->parent == self) {
		if (p->sid != self->sid)
			return -EPERM;
		if (p->exec_done)
			return -EACCES;
	} else if (p != self) {
		return -ESRCH;
	}
	*out = p;
	return 0;
}

/* The process group and session are the process's: every thread's copy. */
static void set_pgid(struct process *t, void *arg)
{
	t->pgid = *(int *)arg;
}

static void set_session(struct process *t, void *arg)
{
	(void)arg;
	t->pgid = t->sid = t->leader->pid;
	t->ctty = NULL; /* a new session has no controlling terminal */
}

SYSCALL(setpgid)
{
	int pid = (int)args->a[0], pgid = (int)args->a[1], err;
	struct process *p;

	if (!pid)
		pid = current->leader->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	if ((err = setpgid_target(pid, &p)) != 0)
		return err;
	if (is_session_leader(p))
		return -EPERM;
	/* Joining a group: it must exist in the caller's session. */
	if (pgid != pid && !pgrp_in_session(pgid, current->sid))
		return -EPERM;
	thread_for_each(p, set_pgid, &pgid);
	return 0;
}

static struct process *lookup(int pid)
{
	return pid ? process_find(pid) : current->leader;
}

SYSCALL(getpgid)
{
	struct process *p = lookup((int)args->a[0]);

	return p ? p->pgid : -ESRCH;
}

SYSCALL(getsid)
{
	struct process *p = lookup((int)args->a[0]);

	return p ? p->sid : -ESRCH;
}

SYSCALL(setsid)
{
	struct process *self = current->leader;

	(void)args;
	if (pgrp_exists(self->pid))
		return -EPERM; /* a group with our id exists: we would not lead alone */
	thread_for_each(self, set_session, NULL);
	return self->sid;
}
