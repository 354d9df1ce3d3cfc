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

/* Everyone is root until credentials arrive. */
SYSCALL(getuid) { (void)args; return 0; }
SYSCALL(geteuid) { (void)args; return 0; }
SYSCALL(getgid) { (void)args; return 0; }
SYSCALL(getegid) { (void)args; return 0; }

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

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

SYSCALL(uname)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname)); /* what programs test for */
	strlcpy(u.nodename, "rivet", sizeof(u.nodename));
	strlcpy(u.release, "6.1.0-rivet", sizeof(u.release));
	strlcpy(u.version, "#1 Rivet framekernel", sizeof(u.version));
	strlcpy(u.machine, "riscv64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(args->a[0], &u, sizeof(u)) ? -EFAULT : 0;
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
