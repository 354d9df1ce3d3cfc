/* What a process carries for /proc, times(2) and getrusage(2): its program
 * path, argv and environment, start time and CPU times, from creation,
 * fork, exec and exit. */
#ifndef KERN_PROC_PROC_INFO_H
#define KERN_PROC_PROC_INFO_H

#include "proc/process.h"

void procinfo_init(struct process *p);
/* Harts running processes (Linux's online CPUs, numbered from 0 in hart
 * order): the affinity masks and /proc/cpuinfo count these. */
unsigned procinfo_cpus(void);
/* The child's copy (credentials, nice, program, arguments, affinity). */
int procinfo_fork(struct process *child, const struct process *parent);
/* A new program: path (as exec found it), argv and envp (NULL-terminated).
 * What cannot be recorded (out of memory) keeps its old value. */
void procinfo_exec(struct process *p, const char *path, const char *const argv[],
		   const char *const envp[]);
/* At exit: the system time becomes fixed (the task goes away). */
void procinfo_exit(struct process *p);
/* wait4 reaped child: its times and its children's count as parent's children's. */
void procinfo_reap(struct process *parent, const struct process *child);
void procinfo_free(struct process *p);
/* CPU time in the kernel so far. */
uint64_t procinfo_stime(const struct process *p);
/* Since boot: processes made, and the CPU time of all (the exited too). */
uint64_t procinfo_forks(void);
void procinfo_cpu_totals(uint64_t *user_ns, uint64_t *sys_ns);

#endif
