/* Interruptible sleeps for system calls: a signal or a deadline ends them.
 * The caller masks interrupts and re-checks its condition in a loop, as
 * frame/task.h asks:
 *     flags = irq_save();
 *     while (!ready && !(err = proc_sleep(&wq)))
 *         ;
 *     irq_restore(flags);
 * and returns err (-ERESTARTSYS) to user space when a signal came. */
#ifndef KERN_PROC_SLEEP_H
#define KERN_PROC_SLEEP_H

#include <frame/task.h>
#include <frame/types.h>

#define SLEEP_FOREVER UINT64_MAX

/* 0 when woken, -ERESTARTSYS if a signal is (or becomes) pending. */
int proc_sleep(struct wait_queue *wq);
/* As proc_sleep, and -ETIMEDOUT once time_now_ns() >= deadline_ns.
 * wq may be NULL: a pure timed sleep (nanosleep). */
int proc_sleep_until(struct wait_queue *wq, uint64_t deadline_ns);

#endif
