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
	[NR_read] = sys_read,
	[NR_write] = sys_write,
	[NR_readv] = sys_readv,
	[NR_writev] = sys_writev,
	[NR_newfstatat] = sys_newfstatat,
	[NR_fstat] = sys_fstat,
	[NR_openat] = sys_openat, /* partial: sockets and block devices give ENXIO; O_TMPFILE gives EOPNOTSUPP */
	[NR_pread64] = sys_pread64,
	[NR_pwrite64] = sys_pwrite64,
	[NR_preadv] = sys_preadv,
	[NR_pwritev] = sys_pwritev,
	[NR_lseek] = sys_lseek, /* partial: SEEK_DATA/SEEK_HOLE see no holes inside a file */
	[NR_fsync] = sys_fsync,
	[NR_fdatasync] = sys_fdatasync,
	[NR_sync] = sys_sync,
	[NR_syncfs] = sys_syncfs,
	[NR_mount] = sys_mount, /* partial: new tmpfs or ext2 only; no remount, bind, move or options */
	[NR_dup] = sys_dup,
	[NR_dup3] = sys_dup3,
	[NR_fcntl] = sys_fcntl, /* partial: no owners/signals (F_SETOWN, F_SETSIG), leases or notify */
	[NR_flock] = sys_flock,
	[NR_getdents64] = sys_getdents64,
	[NR_getcwd] = sys_getcwd,
	[NR_chdir] = sys_chdir,
	[NR_fchdir] = sys_fchdir,
	[NR_statx] = sys_statx,
	[NR_faccessat] = sys_faccessat,
	[NR_faccessat2] = sys_faccessat2,
	[NR_readlinkat] = sys_readlinkat,
	[NR_statfs] = sys_statfs,
	[NR_fstatfs] = sys_fstatfs,
	[NR_mkdirat] = sys_mkdirat,
	[NR_mknodat] = sys_mknodat, /* partial: sockets can be made, not opened (ENXIO) */
	[NR_symlinkat] = sys_symlinkat,
	[NR_linkat] = sys_linkat,
	[NR_unlinkat] = sys_unlinkat,
	[NR_renameat2] = sys_renameat2, /* partial: RENAME_WHITEOUT gives EINVAL */
	[NR_fchmod] = sys_fchmod,
	[NR_fchmodat] = sys_fchmodat,
	[NR_fchown] = sys_fchown,
	[NR_fchownat] = sys_fchownat,
	[NR_utimensat] = sys_utimensat,
	[NR_truncate] = sys_truncate,
	[NR_ftruncate] = sys_ftruncate,
	[NR_umask] = sys_umask,
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
	[NR_execve] = sys_execve, /* partial: static ELF executables and #! scripts; no dynamic loader (PT_INTERP gives ENOEXEC) */
	[NR_wait4] = sys_wait4, /* partial: rusage is all zero (no CPU accounting yet) */
	[NR_waitid] = sys_waitid, /* partial: no P_PIDFD; rusage is all zero */
	[NR_rt_sigaction] = sys_rt_sigaction,
	[NR_rt_sigprocmask] = sys_rt_sigprocmask,
	[NR_rt_sigpending] = sys_rt_sigpending,
	[NR_rt_sigsuspend] = sys_rt_sigsuspend,
	[NR_rt_sigtimedwait] = sys_rt_sigtimedwait, /* partial: real-time signals do not queue (one pending each) */
	[NR_rt_sigqueueinfo] = sys_rt_sigqueueinfo, /* partial: real-time signals do not queue (one pending each) */
	[NR_rt_sigreturn] = sys_rt_sigreturn,
	[NR_sigaltstack] = sys_sigaltstack,
	[NR_kill] = sys_kill,
	[NR_tkill] = sys_tkill,
	[NR_tgkill] = sys_tgkill,
	[NR_setpgid] = sys_setpgid,
	[NR_getpgid] = sys_getpgid,
	[NR_getsid] = sys_getsid,
	[NR_setsid] = sys_setsid,
	[NR_nanosleep] = sys_nanosleep,
	[NR_clock_nanosleep] = sys_clock_nanosleep, /* partial: CPU-time clocks give EOPNOTSUPP */
	[NR_restart_syscall] = sys_restart_syscall,
	[NR_setitimer] = sys_setitimer, /* partial: ITIMER_VIRTUAL and ITIMER_PROF are kept but never fire */
	[NR_getitimer] = sys_getitimer, /* partial: ITIMER_VIRTUAL and ITIMER_PROF are kept but never fire */
	[NR_munmap] = sys_munmap,
	[NR_mmap] = sys_mmap, /* partial: anonymous mappings only (file mappings give ENODEV) */
	[NR_mprotect] = sys_mprotect,
	[NR_prlimit64] = sys_prlimit64,
	[NR_futex] = sys_futex, /* partial: no FUTEX_WAKE_OP or PI operations; shared futexes match within one address space only */
	[NR_getrandom] = sys_getrandom, /* partial: generator not yet fed by a hardware source */
	[NR_pipe2] = sys_pipe2, /* partial: O_DIRECT is accepted but pipes stay byte streams (no packet mode) */
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
