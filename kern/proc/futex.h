/* Futex operations, the core of sys_futex (syscall/sys_futex.c) and of the
 * CLONE_CHILD_CLEARTID wake at thread exit. */
#ifndef KERN_PROC_FUTEX_H
#define KERN_PROC_FUTEX_H

#include <frame/types.h>

#define FUTEX_BITSET_ANY 0xffffffffu

/* Sleeps while the u32 at uaddr equals expected, until woken with a
 * matching bitset: 0, -EAGAIN (value differs), -EFAULT, -EINVAL,
 * -ETIMEDOUT (deadline in ns since boot, or SLEEP_FOREVER), -ERESTARTSYS. */
int futex_wait(uint64_t uaddr, uint32_t expected, uint32_t bitset, uint64_t deadline_ns);
/* Wakes up to nr waiters on uaddr whose bitset meets bitset; how many. */
int futex_wake(uint64_t uaddr, int nr, uint32_t bitset);
/* Wakes nr_wake waiters on uaddr and moves up to nr_requeue others to
 * uaddr2; with expected, first checks the word (-EAGAIN if it differs).
 * Returns how many were woken or moved. */
int futex_requeue(uint64_t uaddr, int nr_wake, uint64_t uaddr2, int nr_requeue,
		  const uint32_t *expected);

#endif
