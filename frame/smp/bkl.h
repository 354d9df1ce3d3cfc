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

/* The same as bkl_release/bkl_acquire, inline for user_run, which does
 * both on every trap: the call layers cost as much as the uncontended
 * lock itself. The checks and the slow paths stay out of line. */
#include "smp/hart.h"

#define BKL_NO_OWNER (-1)
extern int bkl_owner;
extern uint64_t bkl_waiters;
void bkl_release_wake(uint64_t sleeping);
void bkl_acquire_slow(struct hart *h);
__noreturn void bkl_misuse(struct hart *h, bool acquire);

/* With one hart (the device tree names no other, so none can come online
 * later) nobody else can ever want the BKL: the trap path then keeps it
 * across the trips to user mode instead of dropping and taking it on every
 * trap. Set once by harts_init, before any user mode, in the hart block
 * (one load through tp on the trap path, no address to keep). schedule()
 * still drops it for the next task as before. */
static inline bool bkl_free_in_user(void)
{
	return !this_hart()->bkl_kept_in_user;
}

/* One AMO with acquire and release both (amoswap.w.aqrl) is a full fence
 * under RVWMO: the load of the waiters cannot move above the store that
 * frees the lock, which the waiters' own fetch_or + load pairs with. */
static inline void bkl_release_inline(struct hart *h)
{
	int was = __atomic_exchange_n(&bkl_owner, BKL_NO_OWNER, __ATOMIC_SEQ_CST);

	if (was != (int)h->slot)
		bkl_misuse(h, false);
	uint64_t sleeping = __atomic_load_n(&bkl_waiters, __ATOMIC_RELAXED);
	if (sleeping)
		bkl_release_wake(sleeping);
}

/* Taking it twice fails the exchange here and is caught in the slow path;
 * wants_bkl (the watchdog's) is counted there too, where the waiting is. */
static inline void bkl_acquire_inline(struct hart *h)
{
	int expect = BKL_NO_OWNER;

	if (h->locks_held)
		bkl_misuse(h, true);
	if (!__atomic_compare_exchange_n(&bkl_owner, &expect, (int)h->slot, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		bkl_acquire_slow(h);
}

#endif
