/* The Linux syscall interface: one table keyed by the riscv64 numbers. */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include <frame/user.h>
#include <kern/syscall_nr.h>

/* struct syscall_args (a0-a5 where they lie in user_regs) and the ecall
 * path that runs the table are the frame's (frame/user.h). */
typedef user_syscall_fn syscall_fn;

extern const syscall_fn syscall_table[];
long syscall_unknown(uint64_t nr); /* -ENOSYS, with a debug line */

/* One declaration per implemented call, grouped by the file that holds it. */
#define SYSCALL(name) long sys_##name(const struct syscall_args *args)
/* sys_proc.c */
SYSCALL(exit); SYSCALL(exit_group); SYSCALL(getpid); SYSCALL(getppid); SYSCALL(gettid);
SYSCALL(set_tid_address); SYSCALL(set_robust_list); SYSCALL(prlimit64);
SYSCALL(getrlimit); SYSCALL(setrlimit);
SYSCALL(sched_yield);
/* sys_clone.c, sys_wait.c, sys_exec.c */
SYSCALL(clone); SYSCALL(clone3); SYSCALL(get_robust_list); SYSCALL(wait4); SYSCALL(execve);
/* sys_mem.c */
SYSCALL(brk); SYSCALL(mmap); SYSCALL(munmap); SYSCALL(mprotect); SYSCALL(mremap);
SYSCALL(madvise); SYSCALL(msync);
/* sys_mem_resident.c */
SYSCALL(mincore); SYSCALL(mlock); SYSCALL(mlock2); SYSCALL(munlock); SYSCALL(mlockall);
SYSCALL(munlockall);
/* sys_fd.c */
SYSCALL(read); SYSCALL(write); SYSCALL(readv); SYSCALL(writev); SYSCALL(ioctl);
SYSCALL(close); SYSCALL(fstat);
/* sys_file_open.c, sys_file_rw.c, sys_file_fd.c, sys_file_dir.c */
SYSCALL(openat); SYSCALL(pread64); SYSCALL(pwrite64); SYSCALL(preadv); SYSCALL(pwritev);
SYSCALL(preadv2); SYSCALL(pwritev2); SYSCALL(close_range);
SYSCALL(lseek); SYSCALL(fsync); SYSCALL(fdatasync); SYSCALL(sync);
SYSCALL(syncfs); SYSCALL(mount);
SYSCALL(dup); SYSCALL(dup3); SYSCALL(fcntl); SYSCALL(flock);
SYSCALL(getdents64); SYSCALL(getcwd); SYSCALL(chdir); SYSCALL(fchdir);
/* sys_path_stat.c, sys_path_create.c, sys_path_remove.c, sys_path_attr.c */
SYSCALL(newfstatat); SYSCALL(statx); SYSCALL(faccessat); SYSCALL(faccessat2);
SYSCALL(readlinkat); SYSCALL(statfs); SYSCALL(fstatfs);
SYSCALL(mkdirat); SYSCALL(mknodat); SYSCALL(symlinkat); SYSCALL(linkat);
SYSCALL(unlinkat); SYSCALL(renameat2);
SYSCALL(fchmod); SYSCALL(fchmodat); SYSCALL(fchown); SYSCALL(fchownat); SYSCALL(utimensat);
SYSCALL(truncate); SYSCALL(ftruncate); SYSCALL(umask);
/* sys_futex.c */
SYSCALL(futex);
/* sys_signal.c, sys_kill.c, sys_pgrp.c */
SYSCALL(rt_sigaction); SYSCALL(rt_sigprocmask); SYSCALL(rt_sigpending); SYSCALL(rt_sigsuspend);
SYSCALL(rt_sigtimedwait); SYSCALL(rt_sigreturn); SYSCALL(sigaltstack);
SYSCALL(kill); SYSCALL(tkill); SYSCALL(tgkill); SYSCALL(rt_sigqueueinfo);
SYSCALL(rt_tgsigqueueinfo);
SYSCALL(setpgid); SYSCALL(getpgid); SYSCALL(getsid); SYSCALL(setsid);
/* sys_wait.c, sys_sleep.c, sys_itimer.c */
SYSCALL(waitid); SYSCALL(nanosleep); SYSCALL(clock_nanosleep); SYSCALL(restart_syscall);
SYSCALL(setitimer); SYSCALL(getitimer);
/* sys_pipe.c, sys_poll.c, sys_epoll.c, sys_eventfd.c */
SYSCALL(pipe2); SYSCALL(ppoll); SYSCALL(pselect6);
SYSCALL(epoll_create1); SYSCALL(epoll_ctl); SYSCALL(epoll_pwait); SYSCALL(epoll_pwait2);
SYSCALL(eventfd2); SYSCALL(sendfile); SYSCALL(splice); SYSCALL(vmsplice); SYSCALL(tee);
SYSCALL(copy_file_range);
/* sys_file_hint.c */
SYSCALL(fadvise64); SYSCALL(readahead); SYSCALL(sync_file_range);
/* sys_timer.c */
SYSCALL(timer_create); SYSCALL(timer_settime); SYSCALL(timer_gettime);
SYSCALL(timer_getoverrun); SYSCALL(timer_delete);
/* sys_time.c */
SYSCALL(clock_gettime); SYSCALL(gettimeofday); SYSCALL(getrandom); SYSCALL(clock_getres);
SYSCALL(clock_settime); SYSCALL(settimeofday);
/* sys_mount.c */
SYSCALL(mount); SYSCALL(umount2);
/* sys_cred.c */
SYSCALL(getuid); SYSCALL(geteuid); SYSCALL(getgid); SYSCALL(getegid);
SYSCALL(getresuid); SYSCALL(getresgid); SYSCALL(setuid); SYSCALL(setgid);
SYSCALL(setreuid); SYSCALL(setregid); SYSCALL(setresuid); SYSCALL(setresgid);
SYSCALL(setfsuid); SYSCALL(setfsgid); SYSCALL(getgroups); SYSCALL(setgroups);
/* sys_info.c, sys_syslog.c, sys_reboot.c */
SYSCALL(uname); SYSCALL(sethostname); SYSCALL(setdomainname); SYSCALL(sysinfo);
SYSCALL(times); SYSCALL(getrusage); SYSCALL(syslog); SYSCALL(reboot);
/* sys_sched.c, sys_prctl.c */
SYSCALL(getpriority); SYSCALL(setpriority); SYSCALL(sched_getaffinity);
SYSCALL(sched_setaffinity); SYSCALL(sched_getscheduler); SYSCALL(sched_setscheduler);
SYSCALL(sched_getparam); SYSCALL(sched_setparam); SYSCALL(sched_get_priority_max);
SYSCALL(sched_get_priority_min); SYSCALL(getcpu); SYSCALL(prctl); SYSCALL(capget);
SYSCALL(capset);

struct process;
/* sys_itimer.c: exec from a thread (proc/thread.c): the interval timers of
 * the old leader `old` move to t, which becomes the leader. */
void itimer_take_over(struct process *old, struct process *t);

#endif
