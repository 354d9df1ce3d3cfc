/* The system-wide thread cap and RLIMIT_NPROC (task_limit.h). */
#include <frame/errno.h>
#include <frame/meminfo.h>
#include "proc/cred.h"
#include "proc/process.h"
#include "proc/task_limit.h"

#define THREAD_COST (16UL * 1024) /* Linux's THREAD_SIZE on riscv64 */
#define THREADS_MIN 20
#define THREADS_LIMIT 0x3fffffff  /* Linux's FUTEX_TID_MASK bound */

static long live_threads;

long task_limit_max(void)
{
	uint64_t n = mem_total_bytes() / (8 * THREAD_COST);

	return (long)MIN(MAX(n, (uint64_t)THREADS_MIN), (uint64_t)THREADS_LIMIT);
}

long task_limit_count(void)
{
	return live_threads;
}

/* Threads whose real uid is uid, zombies included (Linux's per-user count). */
static uint64_t threads_of(uint32_t uid)
{
	uint64_t n = 0;

	for (struct process *p = process_first(); p; p = process_next(p))
		for (struct process *t = p; t; t = t->thread_next)
			n += t->cred.uid == uid;
	return n;
}

int task_limit_check(const struct cred *c, uint64_t rlimit_nproc)
{
	if (live_threads >= task_limit_max())
		return -EAGAIN;
	if (c->uid != 0 && c->euid != 0 && threads_of(c->uid) >= rlimit_nproc)
		return -EAGAIN;
	return 0;
}

void task_limit_account(int delta)
{
	live_threads += delta;
}
