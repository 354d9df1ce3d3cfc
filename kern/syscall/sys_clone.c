/* clone and clone3: new processes (fork, vfork, posix_spawn's
 * CLONE_VM|CLONE_VFORK) and new threads (pthread_create's CLONE_VM |
 * CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
 * CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID). A fork child
 * shares every page copy-on-write and a reference to every open file;
 * CLONE_VM shares the mm itself. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/uaccess.h>
#include <string.h>
#include "fs/fdtable.h"
#include "mm/mm.h"
#include "proc/proc_info.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/task_limit.h"
#include "proc/thread.h"
#include "syscall/syscall.h"

#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000

/* Flags we honour, or may ignore without changing what the program sees:
 * CLONE_FS shares the cwd and umask between threads (fork children with
 * CLONE_FS get copies: docs/architecture.md), there are no SysV semaphores to share, no tracer
 * for CLONE_UNTRACED, and Linux itself ignores CLONE_DETACHED. */
#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_VFORK | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | \
			 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | \
			 CLONE_UNTRACED | CLONE_CHILD_SETTID)

/* What clone and clone3 both ask for. */
struct clone_req {
	uint64_t flags, stack, ptid, tls, ctid;
	int exit_signal;
};

/* Linux's copy_process rules for flag combinations. */
static int check_flags(uint64_t flags)
{
	if (flags & ~(uint64_t)CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL; /* a thread shares its group's signal actions */
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL; /* handlers are addresses in one address space */
	return 0;
}

/* The memory, descriptors and cwd of the child. */
static int copy_resources(struct process *child, struct process *parent, uint64_t flags)
{
	child->mm = (flags & CLONE_VM) ? mm_get(parent->mm) : mm_fork(parent->mm);
	if (!child->mm)
		return -ENOMEM;
	child->as = child->mm->as;
	return fs_process_fork(child, parent, flags & CLONE_FILES) ? -ENOMEM : 0;
}

static struct process *copy_process(struct process *parent, const struct clone_req *r)
{
	bool thread = r->flags & CLONE_THREAD;
	struct process *child = thread ? process_new_thread(parent->leader) : process_new();

	if (!child)
		return NULL;
	if (copy_resources(child, parent, r->flags)) {
		process_free(child);
		return NULL;
	}
	child->regs = parent->regs;
	child->regs.x[UREG_A0] = 0; /* fork returns 0 in the child */
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	memcpy(child->comm, parent->comm, sizeof(child->comm));
	child->oom_score_adj = parent->leader->oom_score_adj;
	child->oom_score_adj_min = parent->leader->oom_score_adj_min;
	if (!thread)
		child->exit_signal = r->exit_signal;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->ctty = parent->ctty;
	child->exec_done = thread && parent->exec_done;
	child->own_fs = thread && !(r->flags & CLONE_FS);
	signal_fork(child, parent, thread); /* pending signals are not inherited */
	if (procinfo_fork(child, parent) != 0) {
		process_free(child);
		return NULL;
	}
	return child;
}

/* The tid words and registers the caller asked for; the child has not run. */
static void set_child_state(struct process *child, const struct clone_req *r)
{
	int tid = child->pid;

	if (r->stack)
		child->regs.x[UREG_SP] = r->stack;
	if (r->flags & CLONE_SETTLS)
		child->regs.x[UREG_TP] = r->tls;
	if (r->flags & CLONE_CHILD_CLEARTID)
		child->clear_tid = r->ctid;
	/* A tid word that cannot be written is not an error: Linux's clone
	 * leaves its put_user results unchecked for both. */
	if ((r->flags & CLONE_PARENT_SETTID) && copy_to_user(r->ptid, &tid, sizeof(tid))) {
		/* ignored */
	}
	/* Through the child's mm: a fork child's copy, or the shared one. */
	if ((r->flags & CLONE_CHILD_SETTID) && mm_write(child->mm, r->ctid, &tid, sizeof(tid))) {
		/* ignored */
	}
}

static void wait_vfork(struct process *child)
{
	unsigned long irq = irq_save();

	while (child->vfork_pending)
		wait_queue_sleep(&child->vfork_done);
	irq_restore(irq);
}

static long do_clone(const struct clone_req *r)
{
	struct process *parent = current, *child;
	int tid, err;

	if ((err = check_flags(r->flags)) != 0)
		return err;
	if ((err = task_limit_check(&parent->cred, parent->rlim[RLIMIT_NPROC].cur)) != 0)
		return err; /* EAGAIN: the thread cap or RLIMIT_NPROC */
	if (!(child = copy_process(parent, r)))
		return -ENOMEM;
	tid = child->pid;
	set_child_state(child, r);
	child->vfork_pending = r->flags & CLONE_VFORK;
	/* The new task runs only once we yield: starting it before the
	 * adoption lets a failure free a child nobody has seen. */
	if (process_start(child)) {
		process_free(child);
		return -ENOMEM;
	}
	if (!(r->flags & CLONE_THREAD))
		process_adopt(parent->leader, child); /* children belong to the process */
	if (r->flags & CLONE_VFORK)
		wait_vfork(child);
	return tid;
}

/* clone(flags, newsp, parent_tidptr, tls, child_tidptr): the riscv64 order. */
SYSCALL(clone)
{
	struct clone_req r = { args->a[0] & ~(uint64_t)CSIGNAL, args->a[1], args->a[2],
			       args->a[3], args->a[4], (int)(args->a[0] & CSIGNAL) };

	return do_clone(&r);
}

/* struct clone_args, version 0 (64 bytes); later fields must be zero. */
struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};
#define CLONE_ARGS_SIZE_VER0 64
#define CLONE_ARGS_MAX 4096

/* A larger struct is accepted if what we do not know is zero (as Linux). */
static int unknown_fields_zero(uint64_t uargs, uint64_t size)
{
	uint8_t b;

	for (uint64_t off = CLONE_ARGS_SIZE_VER0; off < size; off++) {
		if (copy_from_user(&b, uargs + off, 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	return 0;
}

SYSCALL(clone3)
{
	uint64_t uargs = args->a[0], size = args->a[1];
	struct clone_args ca;
	struct clone_req r;
	int err;

	if (size < CLONE_ARGS_SIZE_VER0 || size > CLONE_ARGS_MAX)
		return size > CLONE_ARGS_MAX ? -E2BIG : -EINVAL;
	if (copy_from_user(&ca, uargs, sizeof(ca)))
		return -EFAULT;
	if ((err = unknown_fields_zero(uargs, size)) != 0)
		return err;
	if ((ca.flags & CSIGNAL) || ca.exit_signal > CSIGNAL || (ca.stack == 0) != (ca.stack_size == 0))
		return -EINVAL;
	r = (struct clone_req){ ca.flags, ca.stack ? ca.stack + ca.stack_size : 0, ca.parent_tid,
				ca.tls, ca.child_tid, (int)ca.exit_signal };
	return do_clone(&r);
}
