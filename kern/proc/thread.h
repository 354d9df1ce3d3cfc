/* Thread groups: what threads of one process share and how a group ends
 * (exit_group, fatal signals, exec from any thread). See process.h. */
#ifndef KERN_PROC_THREAD_H
#define KERN_PROC_THREAD_H

#include <frame/types.h>

struct process;

/* Puts t (made by process_new_thread) on leader's list of threads. */
void thread_attach(struct process *leader, struct process *t);
/* Takes t (not the leader) off its group's list. */
void thread_detach(struct process *t);
/* Ends thread t alone: it leaves its task loop at the next chance, even
 * from an interruptible sleep. */
void thread_kill(struct process *t);
/* exit_group(2) and fatal signals: every thread of p's group ends and the
 * process reports wait_status. */
void thread_group_exit(struct process *p, int wait_status);
/* For exec: kills the other threads of self's group, waits until they are
 * gone and makes self the leader with the process's pid (Linux's
 * de_thread). */
void thread_group_single(struct process *self);
/* The thread of p's group that takes a process-directed signal: the leader
 * if it can, else any live thread not blocking it, else the leader or the
 * first live thread (it stays pending there). */
struct process *thread_pick(struct process *p, int sig);
/* Applies f(t, arg) to every thread of p's group (shared state such as
 * signal actions, rlimits, pgid: each thread keeps a copy, all written). */
void thread_for_each(struct process *p, void (*f)(struct process *t, void *arg), void *arg);

/* The same for the threads that share p's cwd and umask (CLONE_FS): the
 * group's threads made with CLONE_FS, or p alone. */
void thread_for_each_fs(struct process *p, void (*f)(struct process *t, void *arg), void *arg);

#endif
