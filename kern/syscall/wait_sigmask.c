/* The temporary signal mask of the waiting calls (see wait_sigmask.h),
 * kept in the same saved-mask slot rt_sigsuspend uses. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "proc/process.h"
#include "proc/signal.h"
#include "syscall/wait_sigmask.h"

int wait_sigmask_set(uint64_t umask, uint64_t size, struct wait_sigmask *s)
{
	struct process *p = current;
	uint64_t mask;

	s->active = false;
	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	p->sig.saved_blocked = p->sig.blocked;
	p->sig.restore_blocked = true;
	process_note_work(p);
	p->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	s->active = true;
	return 0;
}

static bool interrupted(long ret)
{
	return ret == -EINTR || ret == -ERESTARTSYS || ret == -ERESTARTNOHAND ||
	       ret == -ERESTART_RESTARTBLOCK;
}

void wait_sigmask_restore(struct wait_sigmask *s, long ret)
{
	struct process *p = current;

	if (s->active && !interrupted(ret)) {
		p->sig.blocked = p->sig.saved_blocked;
		p->sig.restore_blocked = false;
	}
	s->active = false;
}
