/* Syscall dispatch: bounds-check the number, then one indirect call.
 * docs/syscalls.md is generated from this table (scripts/gen-syscall-doc.py):
 * a comment starting "partial:" after an entry says what is missing. */
#include <frame/errno.h>
#include <frame/log.h>
#include <kern/syscall_nr.h>
#include "syscall/syscall.h"

static const syscall_fn syscall_table[NR_syscalls] = {
	[NR_ioctl] = sys_ioctl, /* partial: console TCGETS, TCSETS(W,F) and TIOCGWINSZ only */
	[NR_close] = sys_close,
	[NR_read] = sys_read, /* partial: the console only (no VFS yet) */
	[NR_write] = sys_write, /* partial: the console only (no VFS yet) */
	[NR_readv] = sys_readv, /* partial: as read */
	[NR_writev] = sys_writev, /* partial: as write */
	[NR_newfstatat] = sys_newfstatat, /* partial: AT_EMPTY_PATH on a descriptor; paths give ENOENT until the VFS */
	[NR_fstat] = sys_fstat,
	[NR_exit] = sys_exit, /* partial: one thread per process */
	[NR_exit_group] = sys_exit_group,
	[NR_set_tid_address] = sys_set_tid_address,
	[NR_set_robust_list] = sys_set_robust_list, /* partial: accepted, not yet walked at exit (no futexes) */
	[NR_clock_gettime] = sys_clock_gettime, /* partial: all clocks count from boot until an RTC gives wall time */
	[NR_sched_yield] = sys_sched_yield, /* partial: one runnable process */
	[NR_uname] = sys_uname,
	[NR_gettimeofday] = sys_gettimeofday, /* partial: time since boot until an RTC */
	[NR_getpid] = sys_getpid,
	[NR_getppid] = sys_getppid,
	[NR_getuid] = sys_getuid, /* partial: always root until credentials */
	[NR_geteuid] = sys_geteuid, /* partial: always root until credentials */
	[NR_getgid] = sys_getgid, /* partial: always root until credentials */
	[NR_getegid] = sys_getegid, /* partial: always root until credentials */
	[NR_gettid] = sys_gettid,
	[NR_brk] = sys_brk,
	[NR_clone] = sys_clone, /* partial: processes only (no CLONE_THREAD, CLONE_VM outside vfork, CLONE_FILES) */
	[NR_execve] = sys_execve, /* partial: static executables and the initramfs only */
	[NR_wait4] = sys_wait4, /* partial: process groups arrive with job control; rusage is zero */
	[NR_munmap] = sys_munmap,
	[NR_mmap] = sys_mmap, /* partial: anonymous mappings only (file mappings give ENODEV) */
	[NR_mprotect] = sys_mprotect,
	[NR_prlimit64] = sys_prlimit64,
	[NR_getrandom] = sys_getrandom, /* partial: generator not yet fed by a hardware source */
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
