/* The big service lock (BKL): one lock that serialises the services
 * (kern/ and drivers/), as Linux's big kernel lock once did.
 *
 * Who holds it: a task running service code. It is taken when a task
 * starts, when a trap from user mode enters the kernel, and by an
 * interrupt handler that calls into a service (device IRQs, expired
 * ktimers) on a hart that does not already hold it. It is dropped when the
 * task returns to user mode or blocks (schedule() drops it and the task
 * takes it again when it runs), and after such a handler.
 *
 * Lock order: the BKL comes before every spinlock; it is never taken while
 * this hart holds a spinlock (checked). Spinning for it polls this hart's
 * TLB mailbox, so a holder waiting on a shootdown cannot deadlock. */
#ifndef FRAME_SMP_BKL_H
#define FRAME_SMP_BKL_H

#include <frame/types.h>

void bkl_acquire(void);
void bkl_release(void);
/* Does this hart hold it? */
bool bkl_held_here(void);

#endif
