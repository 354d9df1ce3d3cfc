/* Sending signals: kill (one process, the caller's group, everyone, a
 * group; one thread of each takes it), tkill and tgkill (one thread),
 * rt_sigqueueinfo (a process) and rt_tgsigqueueinfo (one thread).
 * Everyone is root, so no EPERM for lack of rights. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "proc/process.h"
#include "proc/signal.h"
#include "syscall/syscall.h"

#define INT_MIN_PID (-2147483647 - 1)

/* Fills a zeroed siginfo (filled in place: returned by value, it was
 * zeroed twice and copied). */
static void user_info(struct k_siginfo *info, int sig, int code)
{
	info->signo = sig;
	info->code = code;
	info->kill.pid = current->leader->pid;
}

/* Every process of a group, zombies included (they are still members). */
static int send_group(int pgid, const struct k_siginfo *info)
{
	int found = 0;

	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->pgid == pgid) {
			signal_send_info(p, info);
			found = 1;
		}
	}
	return found ? 0 : -ESRCH;
}

/* kill(-1): all but init and the caller. */
static int send_all(const struct k_siginfo *info)
{
	int found = 0;

	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->pid > 1 && p != current->leader) {
			signal_send_info(p, info);
			found = 1;
		}
	}
	return found ? 0 : -ESRCH;
}

static int send_to(int pid, const struct k_siginfo *info)
{
	struct process *p;

	if (pid > 0) {
		if (!(p = process_find(pid)))
			return -ESRCH;
		return signal_send_info(p, info);
	}
	if (pid == 0)
		return send_group(current->pgid, info);
	if (pid == -1)
		return send_all(info);
	if (pid == INT_MIN_PID)
		return -ESRCH; /* -INT_MIN does not exist, as Linux says */
	return send_group(-pid, info);
}

SYSCALL(kill)
{
	int pid = (int)args->a[0], sig = (int)args->a[1];
	struct k_siginfo info;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	user_info(&info, sig, SI_USER);
	return send_to(pid, &info);
}

/* Thread tid, which must be in group tgid unless tgid is -1 (tkill). */
static long send_thread(int tgid, int tid, int sig)
{
	struct process *t;
	struct k_siginfo info;

	if (tid <= 0 || (tgid != -1 && tgid <= 0))
		return -EINVAL;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	t = thread_find(tid);
	if (!t || (tgid != -1 && tgid != t->leader->pid))
		return -ESRCH;
	user_info(&info, sig, SI_TKILL);
	return signal_send_thread(t, &info);
}

SYSCALL(tkill)
{
	return send_thread(-1, (int)args->a[0], (int)args->a[1]);
}

SYSCALL(tgkill)
{
	return send_thread((int)args->a[0], (int)args->a[1], (int)args->a[2]);
}

/* rt_sigqueueinfo and rt_tgsigqueueinfo: a caller-made siginfo. */
static long queue_info(int tgid, int pid, int sig, uint64_t uinfo)
{
	struct k_siginfo info;
	struct process *p;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	/* Only the kernel may claim kill() or tkill() origins for others. */
	if ((info.code >= 0 || info.code == SI_TKILL) && pid != current->leader->pid)
		return -EPERM;
	if (sig < 1 || sig > NSIG || (tgid != -1 && (tgid <= 0 || pid <= 0)))
		return -EINVAL;
	info.signo = sig;
	if (tgid == -1) /* the process: any of its threads may take it */
		return (p = process_find(pid)) ? signal_send_info(p, &info) : -ESRCH;
	if (!(p = thread_find(pid)) || p->leader->pid != tgid)
		return -ESRCH;
	return signal_send_thread(p, &info);
}

SYSCALL(rt_sigqueueinfo)
{
	return queue_info(-1, (int)args->a[0], (int)args->a[1], args->a[2]);
}

SYSCALL(rt_tgsigqueueinfo)
{
	return queue_info((int)args->a[0], (int)args->a[1], (int)args->a[2], args->a[3]);
}
