/* Process identity and lifetime syscalls. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include <string.h>
#include "proc/process.h"
#include "proc/thread.h"
#include "syscall/syscall.h"

/* exit ends the calling thread; the process ends with its last thread. */
SYSCALL(exit)
{
	process_exit(current, (int)(args->a[0] & 0xff) << 8);
	return 0;
}

SYSCALL(exit_group)
{
	thread_group_exit(current, (int)(args->a[0] & 0xff) << 8);
	return 0;
}

/* The process id is the thread group's: its leader's tid. */
SYSCALL(getpid)
{
	(void)args;
	return current->leader->pid;
}

SYSCALL(getppid)
{
	struct process *parent = current->leader->parent;

	(void)args;
	return parent ? parent->pid : 0;
}

SYSCALL(gettid)
{
	(void)args;
	return current->pid;
}

SYSCALL(set_tid_address)
{
	current->clear_tid = args->a[0];
	return current->pid;
}

SYSCALL(set_robust_list)
{
	/* struct robust_list_head is 24 bytes on 64-bit; walked at exit. */
	if (args->a[1] != 24)
		return -EINVAL;
	current->robust_list = args->a[0];
	return 0;
}

SYSCALL(get_robust_list)
{
	struct process *t = args->a[0] ? thread_find((int)args->a[0]) : current;
	uint64_t len = 24;

	if (!t || t->state == PROC_ZOMBIE)
		return -ESRCH;
	if (copy_to_user(args->a[1], &t->robust_list, sizeof(t->robust_list)) ||
	    copy_to_user(args->a[2], &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

/* Every other runnable task (threads of this process too) runs first. */
SYSCALL(sched_yield)
{
	(void)args;
	task_yield();
	return 0;
}

static void set_rlimit(struct process *t, void *arg)
{
	const struct rlimit64 *r = arg;

	t->rlim[r - current->rlim] = *r; /* rlimits belong to the process */
}

SYSCALL(prlimit64)
{
	int pid = (int)args->a[0];
	unsigned resource = (unsigned)args->a[1];
	struct rlimit64 old, new;

	if (pid != 0 && process_find(pid) != current->leader)
		return -ESRCH;
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	old = current->rlim[resource];
	if (args->a[2]) {
		if (copy_from_user(&new, args->a[2], sizeof(new)))
			return -EFAULT;
		if (new.cur > new.max)
			return -EINVAL;
		current->rlim[resource] = new; /* root may raise limits too */
		thread_for_each(current, set_rlimit, &current->rlim[resource]);
	}
	if (args->a[3] && copy_to_user(args->a[3], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* getrlimit/setrlimit: prlimit64 on the caller (struct rlimit is struct
 * rlimit64 on a 64-bit machine). */
SYSCALL(getrlimit)
{
	struct syscall_args a = { .a = { 0, args->a[0], 0, args->a[1] } };

	return sys_prlimit64(&a);
}

SYSCALL(setrlimit)
{
	struct syscall_args a = { .a = { 0, args->a[0], args->a[1], 0 } };

	return sys_prlimit64(&a);
}
