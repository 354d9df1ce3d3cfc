/* How many threads may exist: a system-wide cap and RLIMIT_NPROC, as Linux
 * applies them in fork and clone (both give EAGAIN). A fork bomb then ends
 * in EAGAIN while the kernel still has memory for everything else.
 *
 * The cap is Linux's threads-max: RAM / (8 * 16 KiB), one eighth of memory
 * for the threads' kernel stacks if each had 16 KiB (Rivet's are 16 KiB
 * plus a guard page; page tables and the process come on top); at least
 * 20. Init's RLIMIT_NPROC is half of it, as on Linux. Threads count until
 * they are freed: a zombie counts until it is reaped. */
#ifndef KERN_PROC_TASK_LIMIT_H
#define KERN_PROC_TASK_LIMIT_H

#include <frame/types.h>

struct cred;

/* The system-wide cap (/proc/sys/kernel/threads-max). */
long task_limit_max(void);
/* Threads that exist now (zombies included). */
long task_limit_count(void);
/* May a thread with credentials c make one more? 0 or -EAGAIN: over the
 * cap, or over rlimit_nproc threads of its real uid unless that uid is 0
 * or it has CAP_SYS_RESOURCE / CAP_SYS_ADMIN (euid 0 here). */
int task_limit_check(const struct cred *c, uint64_t rlimit_nproc);
/* A thread was made (+1) or freed (-1). */
void task_limit_account(int delta);

#endif
