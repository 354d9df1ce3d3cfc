/* The controlling terminal and job control on it: which session a tty
 * belongs to, its foreground process group, what a background group may do,
 * and the ioctls that change these. The rules are Linux's (tty_jobctrl.c).
 * The process side (pgid, sid) belongs to proc/; this file only reads it
 * and owns p->ctty and the tty's session and pgrp. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "fs/fcntl.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "tty/ctty.h"
#include "tty/tty.h"

static bool is_leader(const struct process *p)
{
	return p->sid == p->pid;
}

/* A group is orphaned when no member has a parent in another group of the
 * same session: nobody is left to continue it after a stop. */
static bool pgrp_orphaned(int pgid)
{
	for (struct process *p = process_first(); p; p = process_next(p)) {
		struct process *q = p->parent;
		if (p->pgid != pgid || p->state == PROC_ZOMBIE || !q)
			continue;
		if (q->pgid != pgid && q->sid == p->sid)
			return false;
	}
	return true;
}

int tty_check_change(struct tty *t, int sig)
{
	struct process *p = current;

	if (p->ctty != t || !t->pgrp || p->pgid == t->pgrp)
		return 0;
	if (signal_blocked_or_ignored(p, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_orphaned(p->pgid))
		return -EIO;
	signal_send_pgrp(p->pgid, sig);
	process_note_work(p); /* the restart code must reach signal_deliver */
	return -ERESTARTSYS;
}

static void set_ctty(struct process *p, struct tty *t)
{
	t->session = p->sid;
	t->pgrp = p->pgid;
	p->ctty = t;
}

void tty_open_ctty(struct tty *t, unsigned flags)
{
	struct process *p = current;

	if (!(flags & O_NOCTTY) && is_leader(p) && !p->ctty && !t->session &&
	    (flags & O_ACCMODE) != O_WRONLY)
		set_ctty(p, t);
}

/* Every process of session sid loses t as its controlling tty. */
static void session_clear(struct tty *t, int sid)
{
	for (struct process *p = process_first(); p; p = process_next(p))
		if (p->ctty == t && (!sid || p->sid == sid))
			p->ctty = NULL;
}

/* The session gives t up: its foreground group is told (SIGHUP, SIGCONT). */
static void disassociate(struct tty *t)
{
	if (t->session && t->pgrp) {
		signal_send_pgrp(t->pgrp, SIGHUP);
		signal_send_pgrp(t->pgrp, SIGCONT);
	}
	session_clear(t, t->session);
	t->session = t->pgrp = 0;
}

void tty_hangup(struct tty *t)
{
	struct process *leader = t->session ? process_find(t->session) : NULL;

	if (leader && leader->state != PROC_ZOMBIE) {
		signal_send(leader, SIGHUP);
		signal_send(leader, SIGCONT);
	}
	session_clear(t, 0);
	t->session = t->pgrp = 0;
	t->hungup = true;
	tty_wake(t);
}

void tty_forget(struct tty *t)
{
	session_clear(t, 0);
}

void tty_session_leader_exit(struct process *p)
{
	if (p->ctty && is_leader(p) && p->ctty->session == p->sid)
		disassociate(p->ctty);
	p->ctty = NULL;
}

void tty_session_leave(struct process *p)
{
	p->ctty = NULL;
}

static long tiocsctty(struct tty *t, struct file *f, uint64_t arg)
{
	struct process *p = current;

	if (is_leader(p) && p->sid == t->session)
		return 0; /* already ours */
	if (!is_leader(p) || p->ctty)
		return -EPERM;
	if (t->session) {
		if (arg != 1) /* stealing: root only, and everyone is root */
			return -EPERM;
		session_clear(t, t->session);
	}
	(void)f;
	set_ctty(p, t);
	return 0;
}

static long tiocnotty(struct tty *t)
{
	struct process *p = current;

	if (p->ctty != t)
		return -ENOTTY;
	if (is_leader(p))
		disassociate(t);
	else
		p->ctty = NULL;
	return 0;
}

/* The session a process group (or, failing one, a process) belongs to. */
static int session_of_pgrp(int pgid)
{
	struct process *pid_match = NULL;

	/* Zombies count until reaped, as in Linux. */
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->pgid == pgid)
			return p->sid;
		if (p->pid == pgid)
			pid_match = p;
	}
	return pid_match ? pid_match->sid : -1;
}

static long tiocspgrp(struct tty *real, uint64_t arg)
{
	struct process *p = current;
	int pgrp, err = tty_check_change(real, SIGTTOU), sid;

	if (err == -EIO)
		return -ENOTTY;
	if (err)
		return err;
	if (copy_from_user(&pgrp, arg, sizeof(pgrp)))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (p->ctty != real || real->session != p->sid)
		return -ENOTTY;
	if ((sid = session_of_pgrp(pgrp)) < 0)
		return -ESRCH;
	if (sid != p->sid)
		return -EPERM;
	real->pgrp = pgrp;
	return 0;
}

/* TIOCGPGRP and TIOCGSID: asked through the tty itself, only of one's ctty. */
static long get_id(struct tty *t, struct tty *real, uint64_t arg, bool sid)
{
	int v;

	if (t == real && current->ctty != real)
		return -ENOTTY;
	if (sid && !real->session)
		return -ENOTTY;
	v = sid ? real->session : real->pgrp;
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

long tty_jobctl_ioctl(struct tty *t, struct tty *real, struct file *f, unsigned long cmd,
		      uint64_t arg)
{
	switch (cmd) {
	case TIOCSCTTY:
		return tiocsctty(real, f, arg);
	case TIOCNOTTY:
		return t == real ? tiocnotty(real) : -ENOTTY;
	case TIOCGPGRP:
		return get_id(t, real, arg, false);
	case TIOCGSID:
		return get_id(t, real, arg, true);
	case TIOCSPGRP:
		return tiocspgrp(real, arg);
	default:
		return -ENOTTY;
	}
}
