/* Syscall dispatch: bounds-check the number, then one indirect call. The
 * status of every number is kept in docs/syscalls.md. */
#include <frame/errno.h>
#include <frame/log.h>
#include <kern/syscall_nr.h>
#include "syscall/syscall.h"

static const syscall_fn syscall_table[NR_syscalls] = {
	[NR_ioctl] = sys_ioctl,
	[NR_close] = sys_close,
	[NR_read] = sys_read,
	[NR_write] = sys_write,
	[NR_readv] = sys_readv,
	[NR_writev] = sys_writev,
	[NR_newfstatat] = sys_newfstatat,
	[NR_fstat] = sys_fstat,
	[NR_exit] = sys_exit,
	[NR_exit_group] = sys_exit_group,
	[NR_set_tid_address] = sys_set_tid_address,
	[NR_set_robust_list] = sys_set_robust_list,
	[NR_clock_gettime] = sys_clock_gettime,
	[NR_sched_yield] = sys_sched_yield,
	[NR_uname] = sys_uname,
	[NR_gettimeofday] = sys_gettimeofday,
	[NR_getpid] = sys_getpid,
	[NR_getppid] = sys_getppid,
	[NR_getuid] = sys_getuid,
	[NR_geteuid] = sys_geteuid,
	[NR_getgid] = sys_getgid,
	[NR_getegid] = sys_getegid,
	[NR_gettid] = sys_gettid,
	[NR_brk] = sys_brk,
	[NR_munmap] = sys_munmap,
	[NR_mmap] = sys_mmap,
	[NR_mprotect] = sys_mprotect,
	[NR_prlimit64] = sys_prlimit64,
	[NR_getrandom] = sys_getrandom,
};

long syscall_dispatch(struct user_regs *regs)
{
	uint64_t nr = regs->x[UREG_A7];
	struct syscall_args args;

	if (nr >= NR_syscalls || !syscall_table[nr]) {
		pr_debug("syscall %lu: not implemented\n", nr);
		return -ENOSYS;
	}
	for (int i = 0; i < 6; i++)
		args.a[i] = regs->x[UREG_A0 + i];
	return syscall_table[nr](&args);
}
