/* Job control inside the signal code: stopping and continuing a process,
 * and telling its parent (SIGCHLD, wait4's WUNTRACED/WCONTINUED). */
#ifndef KERN_PROC_JOBCTL_H
#define KERN_PROC_JOBCTL_H

struct process;

/* p (the current process) stops on sig until SIGCONT or SIGKILL. */
void jobctl_stop(struct process *p, int sig);
/* Resumes p if it is stopped (SIGCONT, SIGKILL). */
void jobctl_continue(struct process *p);
/* Lets a stopped p run without reporting it continued (SIGKILL). */
void jobctl_wake(struct process *p);

#endif
