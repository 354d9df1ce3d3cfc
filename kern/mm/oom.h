/* The OOM killer: when a user page cannot be had (free memory is down to
 * the reserve that keeps the kernel's own allocations working, fault.c),
 * the process with the highest badness is killed with SIGKILL, as Linux's
 * out_of_memory picks, and a line like Linux's is logged:
 *   Out of memory: Killed process N (comm) total-vm:XkB, rss:YkB, UID:U
 * Badness is Linux's oom_badness: the resident pages plus oom_score_adj
 * thousandths of all memory (/proc/PID/oom_score_adj, -1000..1000), so
 * +1000 makes a process the first victim whatever its size and -1000
 * exempts it. Init (pid 1) is never chosen, nor a process that holds no
 * page (killing it frees nothing). While a victim is still on its way out,
 * no second one is picked: the faulting process waits for the memory.
 * With nobody left to pick, the faulting process itself dies, exempt or
 * not (Linux panics there: "no killable processes"). */
#ifndef KERN_MM_OOM_H
#define KERN_MM_OOM_H

#include <frame/types.h>

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

struct process;

enum oom_outcome {
	OOM_RETRY,     /* another process dies for it: yield, then retry the access */
	OOM_KILL_SELF, /* the faulting process is the victim (or there is none) */
};

/* Called by the fault path of faulter when a user page could not be had.
 * Never sleeps (the fault may be inside copy_*_user). */
enum oom_outcome oom_kill(struct process *faulter);

/* /proc/PID/oom_score of process p (its leader), as Linux computes it:
 * badness as thousandths of memory, moved up by 1000 (to 0..2000) and
 * then times 2/3; 0 for a process the killer never picks (init,
 * oom_score_adj -1000, a zombie). */
unsigned oom_score(struct process *p);

#endif
