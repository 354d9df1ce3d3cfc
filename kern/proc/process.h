/* Processes and threads, as Linux's task_struct: each struct process is one
 * thread (one task, its own tid, registers, signal mask); a thread group is
 * the leader (pid == tgid) and the threads on its `thread_next` list. The
 * leader stands for the process: it is on the process table, in the tree of
 * parents and children, and a zombie until its parent waits for it, which
 * happens only once every thread of the group is gone (proc/thread.c). */
#ifndef KERN_PROC_PROCESS_H
#define KERN_PROC_PROCESS_H

#include <frame/aspace.h>
#include <frame/task.h>
#include <frame/user.h>
#include "fs/file.h"
#include "proc/cred.h"
#include "proc/sigstate.h"

struct mm;

#define MAX_FDS 256

struct fdtable;

#define RLIM_NLIMITS 16
#define RLIMIT_STACK 3
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIM_INFINITY (~0UL)

struct rlimit64 {
	uint64_t cur, max;
};
#define COMM_LEN 16

enum process_state { PROC_RUNNING, PROC_ZOMBIE };

struct tty;

struct process {
	int pid;                       /* the thread id; the leader's is the group's pid */
	enum process_state state;
	struct task *task;             /* the kernel task that runs it */
	struct process *all_next;      /* every leader, newest first (process_first) */

	/* Thread group (proc/thread.c). Only the leader's parent, children,
	 * pgid/sid, wait status and group_* fields count for the process. */
	struct process *leader;        /* the group leader (itself for a leader) */
	struct process *thread_next;   /* the leader's list of its other threads */
	int nr_threads;                /* leader: threads not yet exited, itself included */
	bool group_exiting;            /* leader: exit_group or a fatal signal ended it */
	int group_status;              /* leader: the wait status that then applies */
	struct wait_queue thread_exit; /* leader: a thread exited (exec waits here) */
	uint64_t robust_list;          /* set_robust_list head, walked at exit */
	bool own_fs;                   /* a thread made without CLONE_FS: cwd, umask its own */
	int pgid, sid;                 /* process group and session (job control) */
	struct tty *ctty;              /* controlling terminal, or NULL */
	struct sigstate sig;           /* pending, mask, actions ... (proc/signal*.c) */
	bool exec_done;                /* has exec'd since fork (setpgid EACCES) */
	struct process *parent;        /* NULL for init and orphans of init */
	struct process *children;      /* first child */
	struct process *next_sibling;
	struct wait_queue child_event; /* a child exited (wait4 sleeps here) */
	struct wait_queue vfork_done;  /* the vfork child exec'd or exited */
	bool vfork_pending;
	int exit_signal;               /* sent to the parent at exit (SIGCHLD) */
	char comm[COMM_LEN];
	struct mm *mm;                 /* memory: areas, address space, break (kern/mm) */
	struct aspace *as;             /* always mm->as (kept for the frame calls) */
	struct user_regs regs;
	struct fdtable *files;             /* descriptors, shared with CLONE_FILES (fs/fdtable.c) */
	struct inode *cwd;                 /* a reference; NULL only before the VFS is up */
	uint32_t umask;

	uint64_t clear_tid;      /* set_tid_address */
	struct rlimit64 rlim[RLIM_NLIMITS];

	bool exited;
	int wait_status; /* as wait4 reports it */

	/* Identity and accounting (proc/cred.h, proc/proc_info.c, /proc). */
	struct cred cred;
	int nice;                      /* -20..19: kept and shown; the scheduler ignores it */
	/* leader: /proc/PID/oom_score_adj (mm/oom.h), -1000..1000, inherited
	 * by fork and kept by exec; the lowest an unprivileged write may set. */
	int oom_score_adj, oom_score_adj_min;
	int pdeath_signal;             /* prctl PR_SET_PDEATHSIG: sent when the parent exits */
	uint64_t start_ns;             /* when the process was made, ns since boot */
	uint64_t utime_ns;             /* CPU time in user mode (the rest of the task's is system) */
	uint64_t stime_ns;             /* CPU time in the kernel, fixed when it becomes a zombie */
	uint64_t cutime_ns, cstime_ns; /* of its reaped children, theirs included */
	uint64_t affinity;             /* sched_setaffinity mask (bit n: hart index n) */
	char *exe;                     /* the running program's path (kmalloc'd), or NULL */
	char *args;                    /* argv then envp strings, each NUL-ended (kmalloc'd) */
	size_t argv_len, env_len;      /* their bytes in args */
};

/* The process whose syscall is being handled: the running task's. */
static inline struct process *current_process(void)
{
	return task_current_data();
}
#define current (current_process())

/* p has something to do before it runs user code again (a signal, an
 * exit, a rewritten context): its next system call comes back to
 * process_main instead of going straight to user mode (frame/user.h's
 * regs.work). Only process_main clears it, once nothing is left. */
static inline void process_note_work(struct process *p)
{
	p->regs.work = 1;
}

/* A new process with a fresh pid and no address space. */
struct process *process_new(void);
/* A new thread in leader's group (not on the process table). */
struct process *process_new_thread(struct process *leader);
/* Frees a process that never started, or a reaped zombie. */
void process_free(struct process *p);
/* Makes p a child of parent (NULL: no parent). */
void process_adopt(struct process *parent, struct process *p);
/* Takes p off its parent's list of children (it has one). */
void process_unlink_child(struct process *p);
/* Starts p's task: it runs user code until the process exits. */
int process_start(struct process *p);
/* Ends the process with a wait status (exit code << 8, or signal number). */
void process_exit(struct process *p, int wait_status);
/* Sleeps until p is a zombie (for kern_main, which is not a process). */
void process_wait_zombie(struct process *p);
/* Thread t (not the leader) becomes its group's leader in place of the
 * old one, which is a zombie and its only other thread: t takes the pid,
 * parent and children (exec from a thread, Linux's de_thread). */
void process_take_over(struct process *t);
/* Releases a vfork parent (at exec or exit of the child). */
void process_vfork_release(struct process *p);

/* The process (group leader) with this pid or with a thread of this tid
 * (zombies included), or NULL. */
struct process *process_find(int pid);
/* The thread with this tid, or NULL. */
struct process *thread_find(int tid);
/* Walking every process (group leaders only): for (p = process_first(); p; p = process_next(p)). */
struct process *process_first(void);
struct process *process_next(struct process *p);

/* fs/fdtable.c: the file at fd (no reference taken), or NULL; installing
 * f (the caller's reference) at the lowest free descriptor, or -EMFILE. */
struct file *fd_get(struct process *p, int fd);
int fd_install(struct process *p, struct file *f);

#endif
