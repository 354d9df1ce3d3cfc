/* Processes. Today one runs at a time, on the boot task; tasks, fork and
 * wait arrive with the scheduler. */
#ifndef KERN_PROC_PROCESS_H
#define KERN_PROC_PROCESS_H

#include <frame/aspace.h>
#include <frame/user.h>
#include "fs/file.h"

#define MAX_FDS 256
#define RLIM_NLIMITS 16
#define RLIMIT_STACK 3
#define RLIMIT_NOFILE 7
#define RLIM_INFINITY (~0UL)

struct rlimit64 {
	uint64_t cur, max;
};
#define COMM_LEN 16

struct process {
	int pid, ppid;
	char comm[COMM_LEN];
	struct aspace *as;
	struct user_regs regs;
	struct file *fds[MAX_FDS];

	uint64_t brk_start, brk; /* the program break, page-granular underneath */
	uint64_t mmap_top;       /* anonymous mmaps go below this, top down */
	uint64_t clear_tid;      /* set_tid_address */
	struct rlimit64 rlim[RLIM_NLIMITS];

	bool exited;
	int wait_status; /* as wait4 reports it */
};

/* The process whose syscall is being handled. */
extern struct process *current;

struct process *process_new(int pid);
void process_free(struct process *p);
/* Runs p until it exits; returns its wait status. */
int process_run(struct process *p);
/* Ends the process with a wait status (exit code << 8, or signal number). */
void process_exit(struct process *p, int wait_status);

int fd_install(struct process *p, struct file *f);
struct file *fd_get(struct process *p, int fd);

#endif
