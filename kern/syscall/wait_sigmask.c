/* The temporary signal mask of the waiting calls (see wait_sigmask.h). */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "proc/process.h"
#include "proc/signal.h"
#include "syscall/wait_sigmask.h"

int wait_sigmask_set(uint64_t umask, uint64_t size, struct wait_sigmask *s)
{
	uint64_t mask;

	s->active = false;
	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	s->saved = current->sig_blocked;
	s->active = true;
	current->sig_blocked = mask & ~(SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP));
	return 0;
}

void wait_sigmask_restore(struct wait_sigmask *s)
{
	if (s->active)
		current->sig_blocked = s->saved;
	s->active = false;
}
