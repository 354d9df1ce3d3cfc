/* The syscall table (the frame's ecall path, frame/user.h, bounds-checks the
 * number, then one indirect call).
 * docs/syscalls.md is generated from this table (scripts/gen-syscall-doc.py):
 * a comment starting "partial:" after an entry says what is missing. */
#include <frame/errno.h>
#include <frame/log.h>
#include <kern/syscall_nr.h>
#include "syscall/syscall.h"

const syscall_fn syscall_table[NR_syscalls] = {
	[NR_ioctl] = sys_ioctl, /* partial: ttys and ptys (termios, window size, job control, pty ioctls); no FIOCLEX/FIONCLEX, packet mode, TCGETA/TCSETA, modem lines */
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
	[NR_preadv2] = sys_preadv2, /* partial: RWF_NOWAIT and RWF_APPEND give EOPNOTSUPP */
	[NR_pwritev2] = sys_pwritev2, /* partial: RWF_NOWAIT and RWF_APPEND give EOPNOTSUPP */
	[NR_lseek] = sys_lseek, /* partial: SEEK_DATA/SEEK_HOLE see no holes inside a file */
	[NR_fsync] = sys_fsync,
	[NR_fdatasync] = sys_fdatasync,
	[NR_sync] = sys_sync,
	[NR_syncfs] = sys_syncfs,
	[NR_dup] = sys_dup,
	[NR_dup3] = sys_dup3,
	[NR_close_range] = sys_close_range,
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
	[NR_exit] = sys_exit,
	[NR_exit_group] = sys_exit_group,
	[NR_set_tid_address] = sys_set_tid_address,
	[NR_set_robust_list] = sys_set_robust_list,
	[NR_get_robust_list] = sys_get_robust_list,
	[NR_clock_gettime] = sys_clock_gettime, /* partial: the CPU-time clocks count elapsed time */
	[NR_clock_getres] = sys_clock_getres,
	[NR_clock_settime] = sys_clock_settime,
	[NR_sched_yield] = sys_sched_yield, /* partial: yields to every runnable task; no priorities */
	[NR_uname] = sys_uname,
	[NR_gettimeofday] = sys_gettimeofday,
	[NR_settimeofday] = sys_settimeofday, /* partial: the timezone is ignored */
	[NR_reboot] = sys_reboot, /* partial: HALT powers off; no kexec or suspend (EINVAL); RESTART2's command string is ignored */
	[NR_getpid] = sys_getpid,
	[NR_getppid] = sys_getppid,
	[NR_getuid] = sys_getuid,
	[NR_geteuid] = sys_geteuid,
	[NR_getgid] = sys_getgid,
	[NR_getegid] = sys_getegid,
	[NR_gettid] = sys_gettid,
	[NR_brk] = sys_brk,
	[NR_clone] = sys_clone, /* partial: CLONE_FS shared among threads only; no namespaces, CLONE_PARENT, CLONE_PIDFD, ptrace flags */
	[NR_clone3] = sys_clone3, /* partial: as clone; struct version 0 fields only */
	[NR_execve] = sys_execve, /* partial: static ELF executables and #! scripts; no dynamic loader (PT_INTERP gives ENOEXEC) */
	[NR_wait4] = sys_wait4, /* partial: rusage is all zero (no CPU accounting yet) */
	[NR_waitid] = sys_waitid, /* partial: no P_PIDFD; rusage is all zero */
	[NR_rt_sigaction] = sys_rt_sigaction,
	[NR_rt_sigprocmask] = sys_rt_sigprocmask,
	[NR_rt_sigpending] = sys_rt_sigpending,
	[NR_rt_sigsuspend] = sys_rt_sigsuspend,
	[NR_rt_sigtimedwait] = sys_rt_sigtimedwait,
	[NR_rt_sigqueueinfo] = sys_rt_sigqueueinfo, /* partial: at most 16 real-time signals queued per process (then EAGAIN) */
	[NR_rt_tgsigqueueinfo] = sys_rt_tgsigqueueinfo, /* partial: at most 16 real-time signals queued per process (then EAGAIN) */
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
	[NR_timer_create] = sys_timer_create, /* partial: CPU-time clocks give EINVAL; at most 32 timers; SIGEV_THREAD_ID only names the calling thread, and the signal goes to the process */
	[NR_timer_settime] = sys_timer_settime,
	[NR_timer_gettime] = sys_timer_gettime,
	[NR_timer_getoverrun] = sys_timer_getoverrun,
	[NR_timer_delete] = sys_timer_delete,
	[NR_munmap] = sys_munmap,
	[NR_mmap] = sys_mmap, /* partial: tmpfs files and /dev/zero (other devices ENODEV); MAP_GROWSDOWN does not grow */
	[NR_mprotect] = sys_mprotect,
	[NR_mremap] = sys_mremap, /* partial: old_len 0 (duplicating a shared mapping) gives EINVAL */
	[NR_madvise] = sys_madvise, /* partial: DONTNEED drops pages, POPULATE_* maps them, REMOVE gives EOPNOTSUPP, others are hints */
	[NR_msync] = sys_msync,
	[NR_mincore] = sys_mincore, /* partial: a file page counts only where this process mapped it */
	[NR_mlock] = sys_mlock,
	[NR_mlock2] = sys_mlock2,
	[NR_munlock] = sys_munlock,
	[NR_mlockall] = sys_mlockall, /* partial: MCL_FUTURE accepted; nothing is ever paged out anyway */
	[NR_munlockall] = sys_munlockall,
	[NR_prlimit64] = sys_prlimit64,
	[NR_getrlimit] = sys_getrlimit,
	[NR_setrlimit] = sys_setrlimit,
	[NR_futex] = sys_futex, /* partial: no FUTEX_WAKE_OP or PI operations; shared futexes match within one address space only */
	[NR_getrandom] = sys_getrandom, /* partial: never blocks; fed by virtio-rng when present */
	[NR_ppoll] = sys_ppoll,
	[NR_pselect6] = sys_pselect6,
	[NR_epoll_create1] = sys_epoll_create1,
	[NR_epoll_ctl] = sys_epoll_ctl, /* partial: nesting depth is checked below the added set only; EPOLLEXCLUSIVE wakes every waiter */
	[NR_epoll_pwait] = sys_epoll_pwait,
	[NR_epoll_pwait2] = sys_epoll_pwait2,
	[NR_eventfd2] = sys_eventfd2,
	[NR_pipe2] = sys_pipe2, /* partial: an O_DIRECT packet written right after stream data stays a packet (Linux merges it into the stream's page) */
	[NR_sendfile] = sys_sendfile, /* partial: from a regular file to a regular file or a pipe only (else EINVAL) */
	[NR_copy_file_range] = sys_copy_file_range,
	[NR_fadvise64] = sys_fadvise64,
	[NR_readahead] = sys_readahead,
	[NR_sync_file_range] = sys_sync_file_range,
	[NR_splice] = sys_splice, /* partial: between pipes and regular files, copied through the kernel (no page moving) */
	[NR_vmsplice] = sys_vmsplice, /* partial: copies (SPLICE_F_GIFT gifts nothing) */
	[NR_tee] = sys_tee, /* partial: copies bytes; packet boundaries of the source are not kept */
	/* mounts (sys_mount.c) */
	[NR_mount] = sys_mount, /* partial: tmpfs, proc, sysfs, devpts and ext2; no bind or move mounts (EINVAL); propagation flags accepted (every mount is private) */
	[NR_umount2] = sys_umount2, /* partial: MNT_FORCE is an ordinary umount; MNT_EXPIRE always gives EAGAIN */
	/* credentials (sys_cred.c) */
	[NR_getresuid] = sys_getresuid,
	[NR_getresgid] = sys_getresgid,
	[NR_setuid] = sys_setuid,
	[NR_setgid] = sys_setgid,
	[NR_setreuid] = sys_setreuid,
	[NR_setregid] = sys_setregid,
	[NR_setresuid] = sys_setresuid,
	[NR_setresgid] = sys_setresgid,
	[NR_setfsuid] = sys_setfsuid,
	[NR_setfsgid] = sys_setfsgid,
	[NR_getgroups] = sys_getgroups,
	[NR_setgroups] = sys_setgroups, /* partial: at most 64 groups (ENOMEM beyond) */
	[NR_capget] = sys_capget, /* partial: all capabilities while euid is 0, none otherwise */
	[NR_capset] = sys_capset, /* partial: only the sets the process already has (else EPERM) */
	/* system information (sys_info.c, sys_syslog.c, sys_reboot.c) */
	[NR_sethostname] = sys_sethostname,
	[NR_setdomainname] = sys_setdomainname,
	[NR_sysinfo] = sys_sysinfo, /* partial: shared and buffer RAM are 0; no swap */
	[NR_times] = sys_times,
	[NR_getrusage] = sys_getrusage, /* partial: CPU times and maxrss; fault, I/O and switch counts are 0 */
	[NR_syslog] = sys_syslog, /* partial: READ does not wait for new messages; console on/off/level are accepted and ignored */
	/* scheduling (sys_sched.c, sys_prctl.c) */
	[NR_getpriority] = sys_getpriority,
	[NR_setpriority] = sys_setpriority, /* partial: nice values are kept, the scheduler ignores them */
	[NR_sched_getaffinity] = sys_sched_getaffinity,
	[NR_sched_setaffinity] = sys_sched_setaffinity,
	[NR_sched_getscheduler] = sys_sched_getscheduler,
	[NR_sched_setscheduler] = sys_sched_setscheduler, /* partial: SCHED_OTHER, BATCH and IDLE accepted; FIFO and RR give EPERM */
	[NR_sched_getparam] = sys_sched_getparam,
	[NR_sched_setparam] = sys_sched_setparam,
	[NR_sched_get_priority_max] = sys_sched_get_priority_max,
	[NR_sched_get_priority_min] = sys_sched_get_priority_min,
	[NR_getcpu] = sys_getcpu,
	[NR_prctl] = sys_prctl, /* partial: PR_SET/GET_NAME, PR_SET/GET_PDEATHSIG, PR_GET/SET_DUMPABLE; others EINVAL */
};

long syscall_unknown(uint64_t nr)
{
	pr_debug("syscall %lu: not implemented\n", nr);
	return -ENOSYS;
}
