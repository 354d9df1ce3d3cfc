/* Process identity and lifetime syscalls. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include <string.h>
#include "proc/process.h"
#include "syscall/syscall.h"

SYSCALL(exit)
{
	/* One thread per process today, so exit and exit_group agree. */
	process_exit(current, (int)(args->a[0] & 0xff) << 8);
	return 0;
}

SYSCALL(exit_group)
{
	return sys_exit(args);
}

SYSCALL(getpid)
{
	(void)args;
	return current->pid;
}

SYSCALL(getppid)
{
	(void)args;
	return current->parent ? current->parent->pid : 0;
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
	/* struct robust_list_head is 24 bytes on 64-bit. */
	return args->a[1] == 24 ? 0 : -EINVAL;
}

SYSCALL(sched_yield)
{
	(void)args;
	return 0;
}

SYSCALL(prlimit64)
{
	int pid = (int)args->a[0];
	unsigned resource = (unsigned)args->a[1];
	struct rlimit64 old, new;

	if (pid != 0 && pid != current->pid)
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
	}
	if (args->a[3] && copy_to_user(args->a[3], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
