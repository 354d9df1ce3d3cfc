/* Kernel tasks: threads of kernel control, each with its own guarded kernel
 * stack, scheduled round-robin on the hart. A user process is a task that
 * calls user_run() in a loop.
 *
 * Scheduling is cooperative inside the kernel: a task runs until it blocks
 * (wait queues), yields, or exits. Interrupts mark the running task for
 * rescheduling (task_need_resched); services yield at their safe points,
 * such as after user_run returns.
 *
 * Invariants:
 *   1. A task is on at most one wait queue or the run queue, never both.
 *   2. A task blocks only on a queue; a wake makes it runnable exactly once.
 *   3. A task's stack is freed only after it has switched away for good. */
#ifndef FRAME_TASK_H
#define FRAME_TASK_H

#include <frame/types.h>

struct task;

struct wait_queue {
	struct task *head, *tail;
};

#define WAIT_QUEUE_INIT { NULL, NULL }

/* A runnable task running fn(arg); it exits when fn returns. NULL if out of memory. */
struct task *task_create(void (*fn)(void *arg), void *arg, const char *name);
/* The same, allowed only on the cpus in the mask (as task_set_affinity),
 * from its first instruction on. */
struct task *task_create_affine(void (*fn)(void *arg), void *arg, const char *name, uint64_t cpus);
/* CPU affinity. cpus: bit n = cpu n (hart_get_info's order, Linux's cpu
 * numbers; bits past the last hart are ignored). From now on t runs only
 * on those harts, is queued, balanced and stolen only there. If t runs on
 * a hart the mask excludes, the call returns once it has left (an IPI and
 * its next schedule; meanwhile the BKL is let go, and t may be gone by the
 * return: the caller must not touch what belongs to it afterwards).
 * -EINVAL (at once): no online hart in cpus. */
int task_set_affinity(struct task *t, uint64_t cpus) __must_check;
/* The online cpus t may run on (same numbering). */
uint64_t task_affinity(const struct task *t);
struct task *task_current(void);
/* A pointer the task's creator keeps with it (kern: the process). */
void task_set_data(struct task *t, void *data);
void *task_data(const struct task *t);
/* task_data(task_current()) in one load, for every system call: the frame
 * keeps it in the hart block. A call, not an inline reading tp: the
 * compiler keeps copies of tp across calls, and a task that slept may wake
 * on another hart (scripts/check-boundary/instructions.sh refuses tp in
 * services for that reason). */
void *task_current_data(void);
const char *task_name(const struct task *t);
/* Is t blocked on a wait queue (ps's S state, else R)? */
bool task_sleeping(const struct task *t);
/* Time t has spent running on a hart (ns), for CPU-time accounting. */
uint64_t task_runtime_ns(const struct task *t);
/* Lets other runnable tasks run. */
void task_yield(void);
/* True when the tick says the current task has had its share. */
bool task_need_resched(void);
void task_exit(void) __noreturn;

/* Sleeps on wq until woken. Callers re-check their condition in a loop,
 * with interrupts masked so a wake cannot slip in between check and sleep:
 *   flags = irq_save(); while (!cond) wait_queue_sleep(&wq); irq_restore(flags);
 * The waker updates the condition before it calls wait_queue_wake_all. */
void wait_queue_sleep(struct wait_queue *wq);
/* Wakes every task sleeping on wq (safe from interrupt handlers). */
void wait_queue_wake_all(struct wait_queue *wq);
/* Wakes t if it sleeps, taking it off its queue (a signal for it): it
 * returns from wait_queue_sleep and re-checks why it slept. */
void task_interrupt(struct task *t);

#endif
