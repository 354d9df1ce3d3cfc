/* Tasks and the round-robin scheduler. One hart runs tasks today (SMP brings
 * per-hart queues). Locking: every queue change happens with interrupts
 * masked, since interrupt handlers wake tasks. */
#include <frame/aspace.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/task.h>
#include <frame/time.h>
#include <string.h>
#include <arch/csr.h>
#include "smp/hart.h"
#include "task/task_internal.h"

#define TICKS_PER_SLICE 2

void context_switch(struct task_context *from, struct task_context *to);
void task_trampoline(void);

static struct task boot_task;
static struct task *current_task;
static struct wait_queue run_queue;
static struct task *dead_task; /* freed by the next task to run */
static unsigned slice_ticks;
static volatile bool resched;

static void enqueue(struct wait_queue *q, struct task *t)
{
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

static struct task *dequeue(struct wait_queue *q)
{
	struct task *t = q->head;

	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = NULL;
		t->next = NULL;
	}
	return t;
}

void task_init_boot(uintptr_t stack_bottom, uintptr_t stack_top)
{
	boot_task.stack = (struct kstack){ stack_bottom, stack_top };
	boot_task.state = TASK_RUNNING;
	strlcpy(boot_task.name, "boot", sizeof(boot_task.name));
	current_task = &boot_task;
}

struct task *task_create(void (*fn)(void *arg), void *arg, const char *name)
{
	struct task *t = kzalloc(sizeof(*t));
	unsigned long flags;

	if (!t)
		return NULL;
	if (vmarea_alloc_stack(&t->stack)) {
		kfree(t);
		return NULL;
	}
	strlcpy(t->name, name, sizeof(t->name));
	t->ctx.ra = (uintptr_t)task_trampoline;
	t->ctx.sp = t->stack.top;
	t->ctx.s[1] = (uintptr_t)fn;
	t->ctx.s[2] = (uintptr_t)arg;
	t->state = TASK_RUNNABLE;
	flags = irq_save();
	enqueue(&run_queue, t);
	irq_restore(flags);
	return t;
}

struct task *task_current(void)
{
	return current_task;
}

void task_set_data(struct task *t, void *data)
{
	t->data = data;
}

void *task_data(const struct task *t)
{
	return t->data;
}

uint64_t task_runtime_ns(const struct task *t)
{
	unsigned long flags = irq_save();
	uint64_t ns = t->run_ns + (t == current_task ? time_now_ns() - t->run_since : 0);

	irq_restore(flags);
	return ns;
}

bool task_sleeping(const struct task *t)
{
	return t->state == TASK_SLEEPING;
}

const char *task_name(const struct task *t)
{
	return t->name;
}

static void reap_dead(void)
{
	if (dead_task && dead_task != current_task) {
		vmarea_free_stack(&dead_task->stack);
		kfree(dead_task);
		dead_task = NULL;
	}
}

/* Picks the next task and switches to it; interrupts are masked. When
 * nothing can run, the hart waits for an interrupt to wake something. */
static void schedule(void)
{
	struct task *prev = current_task, *next;

	/* Run time stops while the hart idles, and restarts for whoever runs. */
	prev->run_ns += time_now_ns() - prev->run_since;
	while (!(next = dequeue(&run_queue))) {
		if (prev->state == TASK_RUNNING) {
			prev->run_since = time_now_ns();
			return; /* nothing else to run: keep going */
		}
		cpu_wait_for_interrupt();
		csr_set(sstatus, SSTATUS_SIE); /* take it: a handler may wake a task */
		csr_clear(sstatus, SSTATUS_SIE);
	}
	if (prev->state == TASK_RUNNING) {
		prev->state = TASK_RUNNABLE;
		enqueue(&run_queue, prev);
	}
	next->state = TASK_RUNNING;
	resched = false;
	slice_ticks = 0;
	next->run_since = time_now_ns();
	if (next == prev)
		return;
	current_task = next;
	hart_set_stack(next->stack.bottom, next->stack.top);
	if (next->as)
		aspace_activate(next->as); /* user pointers mean next's memory again */
	context_switch(&prev->ctx, &next->ctx);
	reap_dead(); /* runs in whichever task was switched back to */
}

void task_set_aspace(struct aspace *as)
{
	current_task->as = as;
}

void task_forget_aspace(struct aspace *as)
{
	unsigned long flags = irq_save();

	/* Only the current task can be running in it; sleeping tasks that
	 * still name it are gone with their process. */
	if (current_task->as == as)
		current_task->as = NULL;
	irq_restore(flags);
}

void task_yield(void)
{
	unsigned long flags = irq_save();

	schedule();
	irq_restore(flags);
}

bool task_need_resched(void)
{
	return resched;
}

void task_tick(void)
{
	if (++slice_ticks >= TICKS_PER_SLICE && run_queue.head)
		resched = true;
}

void task_exit(void)
{
	irq_save();
	BUG_ON(current_task == &boot_task);
	current_task->state = TASK_DEAD;
	/* A task's first run starts in task_trampoline, not after
	 * context_switch, so it never reaped the task that died before it:
	 * free that one now, or dead_task would forget it (a leaked stack
	 * for every thread that died on its first run, e.g. pthread_create
	 * then join in a loop). */
	reap_dead();
	dead_task = current_task;
	schedule();
	panic("a dead task was scheduled");
}

void wait_queue_sleep(struct wait_queue *wq)
{
	unsigned long flags = irq_save();

	current_task->state = TASK_SLEEPING;
	current_task->sleeping_on = wq;
	enqueue(wq, current_task);
	schedule();
	irq_restore(flags);
}

void wait_queue_wake_all(struct wait_queue *wq)
{
	unsigned long flags = irq_save();
	struct task *t;

	while ((t = dequeue(wq)) != NULL) {
		t->state = TASK_RUNNABLE;
		t->sleeping_on = NULL;
		enqueue(&run_queue, t);
	}
	irq_restore(flags);
}

void task_interrupt(struct task *t)
{
	unsigned long flags = irq_save();
	struct wait_queue *q = t->sleeping_on;

	if (t->state == TASK_SLEEPING && q) {
		struct task **link = &q->head, *prev = NULL;
		while (*link && *link != t) {
			prev = *link;
			link = &(*link)->next;
		}
		if (*link) {
			*link = t->next;
			if (q->tail == t)
				q->tail = prev;
		}
		t->sleeping_on = NULL;
		t->state = TASK_RUNNABLE;
		enqueue(&run_queue, t);
	}
	irq_restore(flags);
}
