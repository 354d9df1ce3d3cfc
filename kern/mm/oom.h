/* The OOM killer: when a user page cannot be had (free memory is down to
 * the reserve that keeps the kernel's own allocations working, fault.c),
 * the biggest process by resident pages is killed with SIGKILL, as Linux's
 * out_of_memory picks by RSS, and a line like Linux's is logged:
 *   Out of memory: Killed process N (comm) total-vm:XkB, rss:YkB, UID:U
 * Init (pid 1) is never chosen. While a victim is still on its way out, no
 * second one is picked: the faulting process waits for the memory. */
#ifndef KERN_MM_OOM_H
#define KERN_MM_OOM_H

#include <frame/types.h>

struct process;

enum oom_outcome {
	OOM_RETRY,     /* another process dies for it: yield, then retry the access */
	OOM_KILL_SELF, /* the faulting process is the victim (or there is none) */
};

/* Called by the fault path of faulter when a user page could not be had.
 * Never sleeps (the fault may be inside copy_*_user). */
enum oom_outcome oom_kill(struct process *faulter);

#endif
