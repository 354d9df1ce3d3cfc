/* Process objects, the loop that runs one, and the end of a process: it
 * becomes a zombie that keeps only its wait status until its parent reaps
 * it (sys_wait.c). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <string.h>
#include "fs/fdtable.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/signal_names.h"
#include "syscall/syscall.h"
#include "tty/ctty.h"

static int next_pid = 1;
static struct process *all_processes;
/* kern_main waits here for processes without a parent (init). */
static struct wait_queue orphan_event = WAIT_QUEUE_INIT;

struct process *process_new(void)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->pid = next_pid++;
	p->pgid = p->sid = p->pid;
	p->all_next = all_processes;
	all_processes = p;
	p->exit_signal = SIGCHLD;
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	p->rlim[RLIMIT_STACK].cur = 8UL << 20;
	p->rlim[RLIMIT_NOFILE] = (struct rlimit64){ MAX_FDS, MAX_FDS };
	fs_process_init(p);
	return p;
}

/* What a zombie no longer needs: memory and descriptors. */
static void release_resources(struct process *p)
{
	for (int fd = 0; fd < MAX_FDS; fd++) {
		file_put(p->fds[fd]);
		p->fds[fd] = NULL;
	}
	aspace_destroy(p->as);
	p->as = NULL;
}

static void unlink_process(struct process *p)
{
	for (struct process **link = &all_processes; *link; link = &(*link)->all_next) {
		if (*link == p) {
			*link = p->all_next;
			return;
		}
	}
}

struct process *process_find(int pid)
{
	for (struct process *p = all_processes; p; p = p->all_next)
		if (p->pid == pid)
			return p;
	return NULL;
}

struct process *process_first(void)
{
	return all_processes;
}

struct process *process_next(struct process *p)
{
	return p->all_next;
}

void process_free(struct process *p)
{
	if (!p)
		return;
	unlink_process(p);
	release_resources(p);
	fs_process_release(p);
	kfree(p);
}

void process_adopt(struct process *parent, struct process *p)
{
	p->parent = parent;
	if (parent) {
		p->next_sibling = parent->children;
		parent->children = p;
	}
}

void process_exit(struct process *p, int wait_status)
{
	p->exited = true;
	p->wait_status = wait_status;
}

void process_vfork_release(struct process *p)
{
	if (p->vfork_pending) {
		p->vfork_pending = false;
		wait_queue_wake_all(&p->vfork_done);
	}
}

/* The init process (pid 1), which adopts orphans; NULL once it is gone. */
static struct process *init_process;

static void reparent_children(struct process *p)
{
	struct process *c = p->children, *next;

	p->children = NULL;
	for (; c; c = next) {
		next = c->next_sibling;
		c->next_sibling = NULL;
		if (init_process && init_process != p) {
			process_adopt(init_process, c);
		} else {
			c->parent = NULL;
			if (c->state == PROC_ZOMBIE)
				process_free(c); /* nobody will ever wait for it */
		}
	}
	if (init_process && init_process != p)
		wait_queue_wake_all(&init_process->child_event);
}

static void become_zombie(struct process *p)
{
	tty_session_leader_exit(p);
	release_resources(p);
	reparent_children(p);
	process_vfork_release(p);
	if (p == init_process)
		init_process = NULL;
	p->state = PROC_ZOMBIE;
	wait_queue_wake_all(p->parent ? &p->parent->child_event : &orphan_event);
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

static bool is_page_fault(uint64_t cause)
{
	return cause == 12 || cause == 13 || cause == 15;
}

static void handle_fault(struct process *p, const struct user_trap *t)
{
	int sig = fault_signal(t->cause);

	if (is_page_fault(t->cause) && aspace_fault(p->as, t->addr, t->cause == 15) == 0)
		return; /* copy-on-write resolved: retry */
	pr_info("%s[%d]: killed by %s: %s at 0x%lx, pc 0x%lx\n", p->comm, p->pid,
		signal_name(sig), user_cause_name(t->cause), t->addr, p->regs.pc);
	process_exit(p, sig);
}

/* The body of a process's task. */
static void process_main(void *arg)
{
	struct process *p = arg;
	struct user_trap trap;

	while (!p->exited) {
		aspace_activate(p->as); /* another process may have run meanwhile */
		user_run(&p->regs, &trap);
		if (trap.event == USER_EV_SYSCALL)
			p->regs.x[UREG_A0] = (uint64_t)syscall_dispatch(&p->regs);
		else if (trap.event == USER_EV_FAULT)
			handle_fault(p, &trap);
		if (!p->exited)
			signal_deliver(p, trap.event == USER_EV_SYSCALL);
		if (task_need_resched())
			task_yield();
	}
	become_zombie(p);
}

int process_start(struct process *p)
{
	struct task *t;

	if (p->pid == 1)
		init_process = p;
	t = task_create(process_main, p, p->comm);
	if (!t)
		return -ENOMEM;
	p->task = t;
	task_set_data(t, p); /* runs later: the queue is only looked at by yield */
	return 0;
}

void process_wait_zombie(struct process *p)
{
	unsigned long flags = irq_save();

	while (p->state != PROC_ZOMBIE)
		wait_queue_sleep(&orphan_event);
	irq_restore(flags);
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
