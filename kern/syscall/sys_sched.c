/* Scheduling knobs: nice values (kept and shown in /proc, not yet used by
 * the round-robin scheduler), CPU affinity over the online harts, the
 * policy calls (everything is SCHED_OTHER), getcpu. */
#include <frame/cpu.h>
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "proc/proc_info.h"
#include "syscall/syscall.h"

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_RESET_ON_FORK 0x40000000

/* The target of a pid argument: 0 is the caller. NULL: -ESRCH. */
static struct process *target(int64_t pid)
{
	struct process *p = pid == 0 ? current : process_find((int)pid);

	return p && p->state != PROC_ZOMBIE && pid >= 0 && pid <= 0x7fffffff ? p : NULL;
}

/* May the caller change p (Linux's set_one_prio_perm and sched checks)? */
static bool may_change(const struct process *p)
{
	const struct cred *c = cred_current();

	return cred_capable() || p->cred.uid == c->euid || p->cred.euid == c->euid;
}

static bool prio_match(const struct process *p, int which, uint32_t who)
{
	if (p->state == PROC_ZOMBIE)
		return false;
	switch (which) {
	case PRIO_PROCESS: return (uint32_t)p->pid == (who ? who : (uint32_t)current->pid);
	case PRIO_PGRP: return (uint32_t)p->pgid == (who ? who : (uint32_t)current->pgid);
	default: return p->cred.uid == (who ? who : cred_current()->uid);
	}
}

/* The syscall's value is 20 - nice (1..40), which glibc turns back. */
SYSCALL(getpriority)
{
	int which = (int)args->a[0], best = -1;
	uint32_t who = (uint32_t)args->a[1];

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	for (struct process *p = process_first(); p; p = process_next(p))
		if (prio_match(p, which, who) && 20 - p->nice > best)
			best = 20 - p->nice;
	return best < 0 ? -ESRCH : best;
}

SYSCALL(setpriority)
{
	int which = (int)args->a[0], nice = (int)args->a[2];
	uint32_t who = (uint32_t)args->a[1];
	long err = -ESRCH;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (!prio_match(p, which, who))
			continue;
		if (!may_change(p)) {
			err = -EPERM;
		} else if (nice < p->nice && !cred_capable()) {
			err = -EACCES; /* raising priority needs CAP_SYS_NICE */
		} else {
			p->nice = nice;
			if (err == -ESRCH)
				err = 0; /* as Linux: a later match's error still wins */
		}
	}
	return err;
}

static uint64_t online_mask(void)
{
	unsigned n = procinfo_cpus();

	return n >= 64 ? ~0ull : (1ull << n) - 1;
}

/* Affinity is per thread, as on Linux: a tid names that thread alone
 * (the group leader's pid too), 0 the caller. NULL: -ESRCH. */
static struct process *thread_target(int64_t tid)
{
	struct process *t = tid == 0 ? current : tid > 0 && tid <= 0x7fffffff ? thread_find((int)tid) : NULL;

	return t && t->state != PROC_ZOMBIE && !t->exited ? t : NULL;
}

/* Linux's sizes: the buffer must hold a bit per possible cpu and be whole
 * longs; it gets our mask's size (8 bytes), the rest untouched. */
SYSCALL(sched_getaffinity)
{
	struct process *p = thread_target((int64_t)args->a[0]);
	uint64_t len = args->a[1];

	if ((len * 8 < procinfo_cpus()) || (len & 7))
		return -EINVAL;
	if (!p)
		return -ESRCH;
	return copy_to_user(args->a[2], &p->affinity, 8) ? -EFAULT : 8;
}

/* A shorter buffer is zero-extended, a longer one's bits past 64 cpus
 * ignored (Linux keeps only cpumask_size() bytes); offline cpus drop out
 * and a mask with no online cpu left is EINVAL. The thread moves off a
 * hart it excluded before this returns (task_set_affinity). */
SYSCALL(sched_setaffinity)
{
	struct process *p = thread_target((int64_t)args->a[0]);
	uint64_t mask = 0, old, len = args->a[1];
	struct task *task;
	long err = 0;

	if (copy_from_user(&mask, args->a[2], MIN(len, (uint64_t)8)))
		return -EFAULT;
	if (!p)
		return -ESRCH;
	if (!may_change(p))
		return -EPERM;
	if (!(mask &= online_mask()))
		return -EINVAL;
	/* Recorded first: moving a thread on another hart lets the BKL go,
	 * and the thread may exit before the call returns. */
	old = p->affinity;
	p->affinity = mask;
	task = p->task;
	if (task && (err = task_set_affinity(task, mask)) != 0)
		p->affinity = old; /* refused at once, before anything could run */
	return err;
}

SYSCALL(sched_getscheduler)
{
	if ((int64_t)args->a[0] < 0)
		return -EINVAL;
	return target((int64_t)args->a[0]) ? SCHED_OTHER : -ESRCH;
}

SYSCALL(sched_getparam)
{
	int prio = 0;

	if ((int64_t)args->a[0] < 0 || !args->a[1])
		return -EINVAL;
	if (!target((int64_t)args->a[0]))
		return -ESRCH;
	return copy_to_user(args->a[1], &prio, sizeof(prio)) ? -EFAULT : 0;
}

/* Normal policies only: real-time ones are refused (they would not be
 * honoured). */
static long set_policy(int64_t pid, int policy, uint64_t uparam)
{
	struct process *p;
	int prio;

	if (pid < 0 || !uparam)
		return -EINVAL;
	if (copy_from_user(&prio, uparam, sizeof(prio)))
		return -EFAULT;
	if (!(p = target(pid)))
		return -ESRCH;
	policy &= ~SCHED_RESET_ON_FORK;
	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return -EPERM; /* partial: no real-time scheduling */
	if (policy != SCHED_OTHER && policy != SCHED_BATCH && policy != SCHED_IDLE)
		return -EINVAL;
	if (prio != 0)
		return -EINVAL;
	return may_change(p) ? 0 : -EPERM;
}

SYSCALL(sched_setscheduler)
{
	return set_policy((int64_t)args->a[0], (int)args->a[1], args->a[2]);
}

SYSCALL(sched_setparam)
{
	struct process *p = target((int64_t)args->a[0]);
	int prio;

	if ((int64_t)args->a[0] < 0 || !args->a[1])
		return -EINVAL;
	if (copy_from_user(&prio, args->a[1], sizeof(prio)))
		return -EFAULT;
	if (!p)
		return -ESRCH;
	return prio == 0 ? 0 : -EINVAL;
}

SYSCALL(sched_get_priority_max)
{
	int policy = (int)args->a[0];

	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return 99;
	return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE ? 0 : -EINVAL;
}

SYSCALL(sched_get_priority_min)
{
	int policy = (int)args->a[0];

	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return 1;
	return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE ? 0 : -EINVAL;
}

/* The hart the caller runs on (its /proc/cpuinfo processor number), node 0. */
SYSCALL(getcpu)
{
	unsigned cpu = cpu_current(), zero = 0;

	if (args->a[0] && copy_to_user(args->a[0], &cpu, sizeof(cpu)))
		return -EFAULT;
	if (args->a[1] && copy_to_user(args->a[1], &zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}
