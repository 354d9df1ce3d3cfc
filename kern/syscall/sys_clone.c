/* clone: new processes (fork, vfork). The child shares every page
 * copy-on-write and a reference to every open file. Threads (CLONE_THREAD,
 * a shared address space) are not supported yet. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/uaccess.h>
#include <string.h>
#include "fs/fdtable.h"
#include "mm/mm.h"
#include "proc/proc_info.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "syscall/syscall.h"

#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000

/* Flags we honour, or may ignore without changing what the program sees. */
#define CLONE_SUPPORTED (CSIGNAL | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

static struct process *copy_process(struct process *parent, uint64_t flags)
{
	struct process *child = process_new();

	if (!child)
		return NULL;
	if (!(child->mm = mm_fork(parent->mm))) {
		process_free(child);
		return NULL;
	}
	child->as = child->mm->as;
	child->regs = parent->regs;
	child->regs.x[UREG_A0] = 0; /* fork returns 0 in the child */
	if (fs_process_fork(child, parent, flags & CLONE_FILES)) {
		process_free(child);
		return NULL;
	}
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	memcpy(child->comm, parent->comm, sizeof(child->comm));
	child->exit_signal = (int)(flags & CSIGNAL);
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->ctty = parent->ctty;
	signal_fork(child, parent); /* pending signals are not inherited */
	if (procinfo_fork(child, parent) != 0) {
		process_free(child);
		return NULL;
	}
	return child;
}

/* clone(flags, newsp, parent_tidptr, tls, child_tidptr): the riscv64 order. */
SYSCALL(clone)
{
	uint64_t flags = args->a[0], newsp = args->a[1], ptid = args->a[2], tls = args->a[3];
	uint64_t ctid = args->a[4];
	struct process *parent = current, *child;
	int pid;

	/* vfork's CLONE_VM is served by copy-on-write: the parent waits anyway. */
	if ((flags & CLONE_VFORK) && (flags & CLONE_VM))
		flags &= ~(uint64_t)CLONE_VM;
	if (flags & ~(uint64_t)CLONE_SUPPORTED)
		return -EINVAL; /* threads and shared tables: not yet */
	if (!(child = copy_process(parent, flags)))
		return -ENOMEM;
	pid = child->pid;
	if (newsp)
		child->regs.x[UREG_SP] = newsp;
	if (flags & CLONE_SETTLS)
		child->regs.x[UREG_TP] = tls;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_tid = ctid;
	/* The child's memory is a copy of ours, so writing its tid there is
	 * writing through its own address space: do it before it runs. */
	if ((flags & CLONE_PARENT_SETTID) && copy_to_user(ptid, &pid, sizeof(pid))) {
		process_free(child);
		return -EFAULT;
	}
	if ((flags & CLONE_CHILD_SETTID) && mm_write(child->mm, ctid, &pid, sizeof(pid))) {
		process_free(child);
		return -EFAULT;
	}
	process_adopt(parent, child);
	child->vfork_pending = flags & CLONE_VFORK;
	if (process_start(child)) {
		/* Cannot happen after adoption without leaking: start first next time. */
		process_exit(child, 9);
		return -ENOMEM;
	}
	if (flags & CLONE_VFORK) {
		unsigned long irq = irq_save();
		while (child->vfork_pending)
			wait_queue_sleep(&child->vfork_done);
		irq_restore(irq);
	}
	return pid;
}
