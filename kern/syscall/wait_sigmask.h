/* The signal mask ppoll, pselect6 and epoll_pwait apply while they wait. */
#ifndef KERN_SYSCALL_WAIT_SIGMASK_H
#define KERN_SYSCALL_WAIT_SIGMASK_H

#include <frame/types.h>

struct wait_sigmask {
	bool active;
};

/* Applies the user's sigset at umask (NULL: nothing) for the wait:
 * 0, -EINVAL if size is not 8, -EFAULT. SIGKILL and SIGSTOP stay open. */
int wait_sigmask_set(uint64_t umask, uint64_t size, struct wait_sigmask *s);
/* Ends the wait with result ret. As Linux, an interrupted wait (-EINTR or
 * a restart code) keeps the temporary mask until the signal that ended it
 * has been delivered (proc/signal_deliver.c puts the old mask back then);
 * any other result puts it back now. */
void wait_sigmask_restore(struct wait_sigmask *s, long ret);

#endif
