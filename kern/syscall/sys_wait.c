/* wait4 and waitid: reaping zombie children. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/uaccess.h>
#include <string.h>
#include "proc/proc_info.h"
#include "proc/process.h"
#include "syscall/syscall.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WEXITED 4
#define WCONTINUED 8
#define __WALL 0x40000000
#define __WCLONE 0x80000000

static bool matches(const struct process *c, int pid)
{
	return pid == -1 || pid == 0 || pid < -1 || c->pid == pid; /* groups: later */
}

/* Unlinks and returns a zombie child matching pid; *any says if any child
 * matched at all. */
static struct process *take_zombie(struct process *p, int pid, bool *any)
{
	struct process **link = &p->children;

	*any = false;
	for (struct process *c = *link; c; link = &c->next_sibling, c = *link) {
		if (!matches(c, pid))
			continue;
		*any = true;
		if (c->state == PROC_ZOMBIE) {
			*link = c->next_sibling;
			return c;
		}
	}
	return NULL;
}

SYSCALL(wait4)
{
	int pid = (int)args->a[0];
	uint64_t ustatus = args->a[1], options = args->a[2], urusage = args->a[3];
	struct process *self = current, *z;
	unsigned long irq;
	bool any;

	if (options & ~(uint64_t)(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	irq = irq_save();
	while (!(z = take_zombie(self, pid, &any)) && any && !(options & WNOHANG))
		wait_queue_sleep(&self->child_event);
	irq_restore(irq);
	if (!z)
		return any ? 0 : -ECHILD;
	int status = z->wait_status, zpid = z->pid;
	procinfo_reap(self, z);
	process_free(z);
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	if (urusage) {
		uint8_t ru[144]; /* struct rusage: times are not accounted yet */
		memset(ru, 0, sizeof(ru));
		if (copy_to_user(urusage, ru, sizeof(ru)))
			return -EFAULT;
	}
	return zpid;
}
