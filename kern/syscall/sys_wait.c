/* wait4 and waitid: reaping zombie children and seeing children stop and
 * continue (kernel/exit.c's wait_consider_task, in small pieces). */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/uaccess.h>
#include <string.h>
#include "proc/proc_info.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/sleep.h"
#include "syscall/syscall.h"

#define WNOHANG 1
#define WUNTRACED 2 /* WSTOPPED */
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define RUSAGE_SIZE 144

struct wait_req {
	int idtype, id;
	unsigned options;
};

/* What a wait found: the child's pid, wait4's status, waitid's siginfo. */
struct wait_result {
	int pid, status, code, si_status;
};

static bool eligible(const struct process *c, const struct wait_req *w)
{
	if (!(w->options & __WALL) && ((c->exit_signal != SIGCHLD) ^ !!(w->options & __WCLONE)))
		return false;
	switch (w->idtype) {
	case P_PID: return c->pid == w->id;
	case P_PGID: return c->pgid == w->id;
	default: return true;
	}
}

static void exit_result(const struct process *c, struct wait_result *r)
{
	int ws = c->wait_status;

	r->status = ws;
	r->code = (ws & 0x7f) ? CLD_KILLED : CLD_EXITED;
	r->si_status = (ws & 0x7f) ? ws & 0x7f : (ws >> 8) & 0xff;
}

/* The report c has for this wait, if any; consumes it unless WNOWAIT. */
static bool consider(struct process *c, const struct wait_req *w, struct wait_result *r)
{
	bool keep = w->options & WNOWAIT;

	r->pid = c->pid;
	if (c->state == PROC_ZOMBIE && c->nr_threads)
		return false; /* the leader is gone, other threads still run */
	if (c->state == PROC_ZOMBIE)
		return (w->options & WEXITED) ? (exit_result(c, r), true) : false;
	if ((w->options & WUNTRACED) && c->sig.stopped && c->sig.job_report == JOB_REPORT_STOPPED) {
		*r = (struct wait_result){ c->pid, (c->sig.stop_sig << 8) | 0x7f, CLD_STOPPED,
					  c->sig.stop_sig };
	} else if ((w->options & WCONTINUED) && c->sig.job_report == JOB_REPORT_CONTINUED) {
		*r = (struct wait_result){ c->pid, 0xffff, CLD_CONTINUED, SIGCONT };
	} else {
		return false;
	}
	if (!keep)
		c->sig.job_report = JOB_REPORT_NONE;
	return true;
}

/* One pass over the children: 1 found (a zombie is reaped unless WNOWAIT),
 * 0 none ready, -ECHILD none eligible at all. */
static int scan(struct process *self, const struct wait_req *w, struct wait_result *r)
{
	bool any = false;

	for (struct process *c = self->children; c; c = c->next_sibling) {
		if (!eligible(c, w))
			continue;
		any = true;
		if (!consider(c, w, r))
			continue;
		if (c->state == PROC_ZOMBIE && !(w->options & WNOWAIT)) {
			process_unlink_child(c);
			procinfo_reap(self, c);
			process_free(c);
		}
		return 1;
	}
	return any ? 0 : -ECHILD;
}

static int do_wait(const struct wait_req *w, struct wait_result *r)
{
	struct process *self = current->leader; /* any thread waits for the process's children */
	unsigned long irq = irq_save();
	int found;

	while ((found = scan(self, w, r)) == 0 && !(w->options & WNOHANG)) {
		int err = proc_sleep(&self->child_event);
		if (err) {
			found = err;
			break;
		}
	}
	irq_restore(irq);
	return found;
}

/* Times are not accounted yet: an honest all-zero struct rusage. */
static int put_rusage(uint64_t uru)
{
	uint8_t ru[RUSAGE_SIZE];

	memset(ru, 0, sizeof(ru));
	return uru && copy_to_user(uru, ru, sizeof(ru)) ? -EFAULT : 0;
}

SYSCALL(wait4)
{
	int pid = (int)args->a[0], found;
	uint64_t ustatus = args->a[1], options = args->a[2];
	struct wait_req w = { P_PID, pid, (unsigned)options | WEXITED };
	struct wait_result r;

	if (options & ~(uint64_t)(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == -1)
		w.idtype = P_ALL;
	else if (pid < 0)
		w = (struct wait_req){ P_PGID, pid == -2147483647 - 1 ? 0 : -pid, w.options };
	else if (pid == 0)
		w = (struct wait_req){ P_PGID, current->pgid, w.options };
	if (pid == -2147483647 - 1)
		return -ESRCH;
	if ((found = do_wait(&w, &r)) <= 0)
		return found;
	if (ustatus && copy_to_user(ustatus, &r.status, sizeof(r.status)))
		return -EFAULT;
	return put_rusage(args->a[3]) ? -EFAULT : r.pid;
}

/* waitid(idtype, id, infop, options, rusage) */
SYSCALL(waitid)
{
	struct wait_req w = { (int)args->a[0], (int)args->a[1], (unsigned)args->a[3] };
	struct wait_result r;
	struct k_siginfo info = { 0 };
	int found;

	if (w.options & ~(unsigned)(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED |
				    __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(w.options & (WEXITED | WUNTRACED | WCONTINUED)))
		return -EINVAL;
	if (w.idtype == P_PID && w.id <= 0)
		return -EINVAL;
	if (w.idtype == P_PGID && w.id < 0)
		return -EINVAL;
	if (w.idtype == P_PGID && w.id == 0)
		w.id = current->pgid;
	if (w.idtype != P_ALL && w.idtype != P_PID && w.idtype != P_PGID)
		return -EINVAL; /* P_PIDFD: no pidfds yet */
	if ((found = do_wait(&w, &r)) < 0)
		return found;
	if (found) /* nothing ready under WNOHANG: an all-zero siginfo */
		info = (struct k_siginfo){ .signo = SIGCHLD, .code = r.code,
					   .child = { .pid = r.pid, .status = r.si_status } };
	if (args->a[2] && copy_to_user(args->a[2], &info, sizeof(info)))
		return -EFAULT;
	return put_rusage(args->a[4]) ? -EFAULT : 0;
}
