/* Process (thread) objects, the loop that runs one, and the end of a
 * thread; the end of the last thread of a group is the end of the process:
 * its leader becomes a zombie that keeps only its wait status until its
 * parent reaps it (sys_wait.c). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include <stddef.h>
#include <string.h>
#include "fs/fdtable.h"
#include "mm/mm.h"
#include "mm/oom.h"
#include "proc/futex.h"
#include "proc/loadavg.h"
#include "proc/proc_info.h"
#include "proc/process.h"
#include "proc/robust_list.h"
#include "proc/signal.h"
#include "proc/signal_names.h"
#include "proc/task_limit.h"
#include "proc/thread.h"
#include "syscall/syscall.h"
#include "tty/ctty.h"

static int next_pid = 1;
static struct process *all_processes;
/* kern_main waits here for processes without a parent (init). */
static struct wait_queue orphan_event = WAIT_QUEUE_INIT;

/* A thread with a fresh id, the leader of its own group so far. */
static struct process *alloc_process(void)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->pid = next_pid++;
	p->pgid = p->sid = p->pid;
	p->leader = p;
	p->nr_threads = 1;
	p->exit_signal = SIGCHLD;
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	p->rlim[RLIMIT_STACK].cur = 8UL << 20;
	p->rlim[RLIMIT_NOFILE] = (struct rlimit64){ MAX_FDS, MAX_FDS };
	/* Init's, as Linux sets it; everyone else inherits theirs. */
	p->rlim[RLIMIT_NPROC].cur = p->rlim[RLIMIT_NPROC].max = (uint64_t)task_limit_max() / 2;
	task_limit_account(1);
	fs_process_init(p);
	procinfo_init(p);
	return p;
}

struct process *process_new(void)
{
	struct process *p = alloc_process();

	if (p) {
		p->all_next = all_processes;
		all_processes = p;
	}
	return p;
}

struct process *process_new_thread(struct process *leader)
{
	struct process *t = alloc_process();

	if (t) {
		t->exit_signal = 0; /* threads are never waited for */
		thread_attach(leader, t);
	}
	return t;
}

/* What a zombie no longer needs: memory and descriptors. Record locks
 * belong to the process, so only its last thread drops them. */
static void release_resources(struct process *p, bool last)
{
	if (last)
		fd_release_locks(p);
	fdtable_put(p->files);
	p->files = NULL;
	mm_put(p->mm);
	p->mm = NULL;
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

struct process *thread_find(int tid)
{
	for (struct process *p = all_processes; p; p = p->all_next)
		for (struct process *t = p; t; t = t->thread_next)
			if (t->pid == tid)
				return t;
	return NULL;
}

struct process *process_find(int pid)
{
	struct process *t = thread_find(pid);

	return t ? t->leader : NULL; /* a tid names its process, as on Linux */
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
	if (p->leader == p)
		unlink_process(p);
	else {
		p->leader->nr_threads--; /* a thread that never ran */
		thread_detach(p);
	}
	release_resources(p, false);
	fs_process_release(p);
	procinfo_free(p);
	kfree(p);
	task_limit_account(-1);
}

void process_unlink_child(struct process *p)
{
	for (struct process **link = &p->parent->children; *link; link = &(*link)->next_sibling) {
		if (*link == p) {
			*link = p->next_sibling;
			break;
		}
	}
	p->parent = NULL;
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
	process_note_work(p);
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

/* t takes old's place on the process table and among its siblings. */
static void replace_links(struct process *old, struct process *t)
{
	for (struct process **link = &all_processes; *link; link = &(*link)->all_next) {
		if (*link == old) {
			t->all_next = old->all_next;
			*link = t;
			break;
		}
	}
	if (!old->parent)
		return;
	for (struct process **link = &old->parent->children; *link; link = &(*link)->next_sibling) {
		if (*link == old) {
			t->next_sibling = old->next_sibling;
			*link = t;
			break;
		}
	}
}

void process_take_over(struct process *t)
{
	struct process *old = t->leader;

	replace_links(old, t);
	t->parent = old->parent;
	t->children = old->children;
	for (struct process *c = t->children; c; c = c->next_sibling)
		c->parent = t;
	t->pid = old->pid;
	t->exit_signal = old->exit_signal;
	t->pdeath_signal = old->pdeath_signal;
	t->oom_score_adj = old->oom_score_adj;
	t->oom_score_adj_min = old->oom_score_adj_min;
	t->start_ns = old->start_ns;
	t->cutime_ns = old->cutime_ns;
	t->cstime_ns = old->cstime_ns;
	t->leader = t;
	t->thread_next = NULL;
	t->nr_threads = 1;
	if (init_process == old)
		init_process = t;
	itimer_take_over(old, t); /* the process's: they survive exec */
	old->parent = old->children = NULL;
	old->leader = old; /* off every list now: process_free finds nothing */
	old->thread_next = NULL;
	process_free(old);
}

static void reparent_children(struct process *p)
{
	struct process *c = p->children, *next;

	p->children = NULL;
	for (; c; c = next) {
		next = c->next_sibling;
		c->next_sibling = NULL;
		if (c->pdeath_signal)
			signal_send(c, c->pdeath_signal); /* prctl PR_SET_PDEATHSIG */
		/* Whatever clone asked for, init hears SIGCHLD: an orphan's
		 * exit signal must not kill it (Linux's reparent_leader). */
		c->exit_signal = SIGCHLD;
		if (init_process && init_process != p) {
			process_adopt(init_process, c);
			/* A zombie tells its new parent, which may not want it (Linux). */
			if (c->state == PROC_ZOMBIE && signal_notify_exit(c)) {
				process_unlink_child(c);
				process_free(c);
			}
		} else {
			c->parent = NULL;
			if (c->state == PROC_ZOMBIE)
				process_free(c); /* nobody will ever wait for it */
		}
	}
	if (init_process && init_process != p)
		wait_queue_wake_all(&init_process->child_event);
}

/* CLONE_CHILD_CLEARTID / set_tid_address: at exit the word is zeroed and
 * one futex waiter woken (how pthread_join learns a thread is gone). The
 * exiting task still runs in its own address space here. */
static void clear_child_tid(struct process *p)
{
	uint32_t zero = 0;

	if (p->clear_tid && copy_to_user(p->clear_tid, &zero, sizeof(zero)) == 0)
		futex_wake(p->clear_tid, 1, FUTEX_BITSET_ANY);
}

/* The last thread of p's group is gone: the process ends. True if the
 * parent asked for no zombies (SIGCHLD ignored): then nobody reaps p. */
static bool group_end(struct process *p)
{
	bool autoreap = false;

	tty_session_leader_exit(p); /* a session leader takes its tty's session along */
	if (p->group_exiting)
		p->wait_status = p->group_status;
	signal_exit(p);
	pgrp_orphan_check(p);
	reparent_children(p);
	if (p == init_process)
		init_process = NULL;
	p->state = PROC_ZOMBIE;
	if (p->parent) {
		autoreap = signal_notify_exit(p); /* SIGCHLD, and wakes wait4 */
		if (autoreap)
			process_unlink_child(p);
	} else {
		wait_queue_wake_all(&orphan_event);
	}
	return autoreap;
}

/* Thread t ends. True if the caller frees t once it no longer runs on it:
 * a thread other than the leader always, the leader when its process has
 * no zombie. A leader that ends before its threads stays a zombie that its
 * parent cannot reap yet (nr_threads > 0), as on Linux. */
static bool become_zombie(struct process *t)
{
	struct process *leader = t->leader;
	bool last = --leader->nr_threads == 0;

	clear_child_tid(t);
	robust_list_exit(t);
	procinfo_exit(t);
	release_resources(t, last);
	process_vfork_release(t);
	wait_queue_wake_all(&leader->thread_exit);
	if (t != leader) {
		thread_detach(t);
		t->leader = t; /* in no group now: process_free must not look */
		if (last && group_end(leader))
			process_free(leader); /* its task is long gone */
		return true;
	}
	if (!last) {
		t->state = PROC_ZOMBIE;
		return false;
	}
	return group_end(t);
}

/* The signal and si_code a fault raises, as Linux maps RISC-V exceptions;
 * *addr is what si_addr reports (the pc, except for page faults). */
static int fault_signal(const struct user_trap *t, uint64_t pc, int *code, uint64_t *addr)
{
	*addr = pc;
	switch (t->cause) {
	case 0: case 4: case 6: *code = BUS_ADRALN; return SIGBUS; /* misaligned */
	case 2: *code = ILL_ILLOPC; return SIGILL;
	case 3: *code = TRAP_BRKPT; return SIGTRAP;
	default: /* access faults (page faults are the mm's: handle_fault) */
		*addr = t->addr;
		*code = SEGV_ACCERR;
		return SIGSEGV;
	}
}

static bool is_page_fault(uint64_t cause)
{
	return cause == 12 || cause == 13 || cause == 15;
}

static unsigned fault_access(uint64_t cause)
{
	return cause == 15 ? MM_WRITE : cause == 12 ? MM_EXEC : MM_READ;
}

static void handle_fault(struct process *p, const struct user_trap *t)
{
	uint64_t addr;
	int code, sig;

	if (is_page_fault(t->cause)) {
		/* The mm policy maps the page, or says which signal and si_code. */
		enum mm_fault_result r = mm_fault(p->mm, t->addr, fault_access(t->cause));
		if (r == MM_FAULT_OK)
			return; /* retry the access */
		if (r == MM_FAULT_OOM && oom_kill(p) == OOM_RETRY) {
			task_yield(); /* the victim runs, dies and frees its memory */
			return;       /* then the access is tried again */
		}
		sig = mm_fault_signal(r, &code);
		addr = t->addr;
	} else {
		sig = fault_signal(t, p->regs.pc, &code, &addr);
	}
	signal_force_fault(p, sig, code, addr); /* signal_deliver acts on it next */
}

/* User time is sampled at the tick, as Linux's tick-based accounting does:
 * a tick that interrupted user mode charges its whole period to it. Reading
 * the clock around every trip to user mode cost more than a null syscall's
 * own work. */
static void account_user_ticks(struct process *p, uint64_t ticks)
{
	p->utime_ns += ticks * (1000000000ULL / timer_hz());
	loadavg_update(time_now_ns());
}

/* The ecall path (frame/user.h) runs the table inside the trap and goes
 * straight back to user mode while p->regs.work is clear. A restart code
 * only comes back from a call with a signal pending, which set it. */
static const struct user_syscalls syscalls = {
	.table = syscall_table,
	.count = NR_syscalls,
	.unknown = syscall_unknown,
};

static bool alone_in_group(const struct process *p)
{
	return p->leader == p && !p->thread_next;
}

/* After the loop's work: clears regs.work once nothing is left for the
 * ecall path to come back for. Interrupts masked: a signal sent by an
 * interrupt handler meanwhile sets it again after the look, not before. */
static void settle_work(struct process *p)
{
	unsigned long flags = irq_save();

	if (!p->exited && alone_in_group(p) && signal_quiet(&p->sig, 0, false, true))
		p->regs.work = 0;
	irq_restore(flags);
}

/* The body of a process's task. */
static void process_main(void *arg)
{
	struct process *p = arg;
	struct user_trap trap;

	while (!p->exited) {
		aspace_activate(p->as); /* another process may have run meanwhile */
		user_run(&p->regs, &trap);
		switch (trap.event) {
		case USER_EV_INTERRUPT:
			/* A tick period that ended while user mode ran, and an
			 * interrupt (the tick) that brought it back: user time. */
			if (trap.ticks)
				account_user_ticks(p, trap.ticks);
			break;
		case USER_EV_FAULT:
			handle_fault(p, &trap);
			break;
		case USER_EV_SYSCALL_DONE:
			break;
		}
		bool syscall = trap.event == USER_EV_SYSCALL_DONE;
		if (!p->exited && !signal_quiet(&p->sig, (long)p->regs.x[UREG_A0], syscall,
						alone_in_group(p)))
			signal_deliver(p, syscall);
		if (p->regs.work)
			settle_work(p);
		if (task_need_resched())
			task_yield();
	}
	if (become_zombie(p))
		process_free(p); /* the parent ignores SIGCHLD: nobody reaps us */
}

int process_start(struct process *p)
{
	struct task *t;

	if (p->pid == 1) {
		init_process = p;
		user_set_syscalls(&syscalls); /* before any user_run */
	}
	t = task_create_affine(process_main, p, p->comm, p->affinity);
	if (!t)
		return -ENOMEM;
	p->task = t;
	task_set_data(t, p); /* runs later: the queue is only looked at by yield */
	return 0;
}

void process_wait_zombie(struct process *p)
{
	unsigned long flags = irq_save();

	while (p->state != PROC_ZOMBIE || p->nr_threads)
		wait_queue_sleep(&orphan_event);
	irq_restore(flags);
}
