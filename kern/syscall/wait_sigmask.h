/* The signal mask ppoll, pselect6 and epoll_pwait apply while they wait. */
#ifndef KERN_SYSCALL_WAIT_SIGMASK_H
#define KERN_SYSCALL_WAIT_SIGMASK_H

#include <frame/types.h>

struct wait_sigmask {
	uint64_t saved;
	bool active;
};

/* Applies the user's sigset at umask (NULL: nothing) for the wait:
 * 0, -EINVAL if size is not 8, -EFAULT. SIGKILL and SIGSTOP stay open. */
int wait_sigmask_set(uint64_t umask, uint64_t size, struct wait_sigmask *s);
/* Puts the caller's mask back. Linux keeps the temporary mask until the
 * signal that ended the wait has been delivered; here it is put back at
 * once, so a signal that only the temporary mask let through stays
 * pending (blocked) after the call returns EINTR. Changing that needs a
 * restore-after-delivery hook in proc/signal.c. */
void wait_sigmask_restore(struct wait_sigmask *s);

#endif
