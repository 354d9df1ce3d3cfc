/* Process groups and sessions, the minimum job control needs: setsid,
 * setpgid, getpgid, getsid with Linux's rules. (The signals work owns these
 * rules; this is the slice the tty layer needs to be testable.) */
#include <frame/errno.h>
#include "proc/process.h"
#include "syscall/syscall.h"
#include "tty/ctty.h"

/* Zombies keep their group until reaped, as in Linux. */
static bool group_exists(int pgid, int sid_or_any)
{
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->pgid == pgid && (sid_or_any < 0 || p->sid == sid_or_any))
			return true;
	return false;
}

SYSCALL(setsid)
{
	struct process *p = current;

	(void)args;
	if (group_exists(p->pid, -1))
		return -EPERM; /* already a group leader */
	p->sid = p->pgid = p->pid;
	tty_session_leave(p);
	return p->sid;
}

SYSCALL(setpgid)
{
	struct process *self = current, *p;
	int pid = (int)args->a[0], pgid = (int)args->a[1];

	if (pgid < 0)
		return -EINVAL;
	p = pid ? process_find(pid) : self;
	if (!p || p->state == PROC_ZOMBIE || (p != self && p->parent != self))
		return -ESRCH;
	if (p != self && p->sid != self->sid)
		return -EPERM;
	if (p->sid == p->pid)
		return -EPERM; /* a session leader stays in its own group */
	if (!pgid)
		pgid = p->pid;
	if (pgid != p->pid && !group_exists(pgid, self->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

static struct process *target(int pid)
{
	return pid ? process_find(pid) : current; /* zombies too, until reaped */
}

SYSCALL(getpgid)
{
	struct process *p = target((int)args->a[0]);
	return p ? p->pgid : -ESRCH;
}

SYSCALL(getsid)
{
	struct process *p = target((int)args->a[0]);
	return p ? p->sid : -ESRCH;
}
