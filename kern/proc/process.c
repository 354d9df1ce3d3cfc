/* Process objects and the loop that runs one: user mode, then whatever
 * brought it back (a syscall, a fault, an interrupt), until it exits. */
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/errno.h>
#include <string.h>
#include "proc/process.h"
#include "proc/signal_names.h"
#include "syscall/syscall.h"

struct process *current;

struct process *process_new(int pid)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->pid = pid;
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	p->rlim[RLIMIT_STACK].cur = 8UL << 20;
	p->rlim[RLIMIT_NOFILE] = (struct rlimit64){ MAX_FDS, MAX_FDS };
	return p;
}

void process_free(struct process *p)
{
	if (!p)
		return;
	for (int fd = 0; fd < MAX_FDS; fd++)
		file_put(p->fds[fd]);
	aspace_destroy(p->as);
	kfree(p);
}

void process_exit(struct process *p, int wait_status)
{
	p->exited = true;
	p->wait_status = wait_status;
}

/* The signal a fault raises, as Linux maps RISC-V exceptions. */
static int fault_signal(uint64_t cause)
{
	switch (cause) {
	case 0: case 4: case 6: return SIGBUS;  /* misaligned */
	case 2: return SIGILL;
	case 3: return SIGTRAP;
	default: return SIGSEGV;                /* access and page faults */
	}
}

static void handle_fault(struct process *p, const struct user_trap *t)
{
	int sig = fault_signal(t->cause);

	pr_info("%s[%d]: killed by %s: %s at 0x%lx, pc 0x%lx\n", p->comm, p->pid,
		signal_name(sig), user_cause_name(t->cause), t->addr, p->regs.pc);
	process_exit(p, sig);
}

int process_run(struct process *p)
{
	struct user_trap trap;

	current = p;
	aspace_activate(p->as);
	while (!p->exited) {
		user_run(&p->regs, &trap);
		if (trap.event == USER_EV_SYSCALL)
			p->regs.x[UREG_A0] = (uint64_t)syscall_dispatch(&p->regs);
		else if (trap.event == USER_EV_FAULT)
			handle_fault(p, &trap);
	}
	current = NULL;
	return p->wait_status;
}

int fd_install(struct process *p, struct file *f)
{
	for (int fd = 0; fd < MAX_FDS; fd++) {
		if (!p->fds[fd]) {
			p->fds[fd] = f;
			return fd;
		}
	}
	return -EMFILE;
}

struct file *fd_get(struct process *p, int fd)
{
	return fd >= 0 && fd < MAX_FDS ? p->fds[fd] : NULL;
}
