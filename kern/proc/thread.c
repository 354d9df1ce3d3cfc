/* Thread groups (see process.h): the list of a leader's threads, ending one
 * thread, ending the group, and choosing the thread a signal goes to.
 * Shared state that threads keep as copies (signal actions, rlimits, the
 * process group) is written to every copy through thread_for_each. */
#include <frame/irq.h>
#include <frame/task.h>
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"

void thread_attach(struct process *leader, struct process *t)
{
	t->leader = leader;
	t->thread_next = leader->thread_next;
	leader->thread_next = t;
	leader->nr_threads++;
	process_note_work(leader); /* neither is alone in its group now */
	process_note_work(t);
}

void thread_detach(struct process *t)
{
	for (struct process **link = &t->leader->thread_next; *link; link = &(*link)->thread_next) {
		if (*link == t) {
			*link = t->thread_next;
			break;
		}
	}
	t->thread_next = NULL;
}

static bool live(const struct process *t)
{
	return t->state != PROC_ZOMBIE && !t->exited;
}

void thread_kill(struct process *t)
{
	unsigned long flags;

	if (!live(t))
		return;
	process_exit(t, SIGKILL);
	/* A pending SIGKILL ends any interruptible sleep it is in. */
	flags = irq_save();
	t->sig.pending |= SIG_BIT(SIGKILL);
	process_note_work(t);
	irq_restore(flags);
	if (t->task && t != current)
		task_interrupt(t->task);
}

/* A do-while: the leader is never NULL (a for loop testing it first lets
 * the compiler isolate a NULL path with a trap instruction). */
static void kill_others(struct process *self)
{
	struct process *t = self->leader;

	do {
		if (t != self)
			thread_kill(t);
	} while ((t = t->thread_next));
}

void thread_group_exit(struct process *p, int wait_status)
{
	struct process *leader = p->leader;

	if (!leader->group_exiting) { /* the first cause wins, as Linux */
		leader->group_exiting = true;
		leader->group_status = wait_status;
	}
	kill_others(p);
	process_exit(p, wait_status);
}

void thread_group_single(struct process *self)
{
	struct process *leader = self->leader;
	unsigned long flags;

	kill_others(self);
	flags = irq_save();
	while (leader->nr_threads > 1)
		wait_queue_sleep(&leader->thread_exit);
	irq_restore(flags);
	if (self != leader)
		process_take_over(self);
}

static bool takes(const struct process *t, int sig)
{
	return live(t) && (sig == SIGKILL || !(t->sig.blocked & SIG_BIT(sig)));
}

struct process *thread_pick(struct process *p, int sig)
{
	struct process *leader = p->leader, *fallback = NULL;

	for (struct process *t = leader; t; t = t->thread_next) {
		if (takes(t, sig))
			return t;
		if (!fallback && live(t))
			fallback = t;
	}
	return fallback ? fallback : leader;
}

void thread_for_each_fs(struct process *p, void (*f)(struct process *t, void *arg), void *arg)
{
	if (p->own_fs) {
		f(p, arg);
		return;
	}
	for (struct process *t = p->leader; t; t = t->thread_next)
		if (!t->own_fs)
			f(t, arg);
}

void thread_for_each(struct process *p, void (*f)(struct process *t, void *arg), void *arg)
{
	for (struct process *t = p->leader; t; t = t->thread_next)
		f(t, arg);
}
