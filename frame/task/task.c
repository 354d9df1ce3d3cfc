/* Tasks and the scheduler: one run queue per hart, round robin on each.
 *
 * Locking: sched_lock (a spinlock, interrupts masked) protects every run
 * queue, every wait queue, and each task's state, next and sleeping_on.
 * It is held across context_switch and dropped by the task switched to
 * (sched_unlock), so no other hart can run or wake a task before its old
 * hart has left its stack. Lock order: BKL, then sched_lock, then the
 * allocator locks. One lock for all queues is the simple, obviously
 * correct choice for a handful of harts; per-queue locks come later.
 *
 * Balancing: a woken or new task goes to the least loaded online hart
 * (queued + running) in its affinity mask, its last hart on a tie; a hart
 * with nothing to run steals from the longest queue holding a task allowed
 * on it, and an idle hart is kicked with an IPI when work is placed on it.
 * Idle harts also look every tick. Every task on a hart's queue is allowed
 * on that hart (task_set_affinity moves one that no longer is). */
#include <frame/aspace.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/spinlock.h>
#include <frame/task.h>
#include <frame/time.h>
#include <string.h>
#include <arch/csr.h>
#include "mm/aspace_internal.h"
#include "smp/bkl.h"
#include "smp/hart.h"
#include "smp/ipi.h"
#include "task/task_internal.h"

#define TICKS_PER_SLICE 2

void context_switch(struct task_context *from, struct task_context *to);
void task_trampoline(void);

static spinlock_t sched_lock = SPINLOCK_INIT("sched");
static struct task boot_task;

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

static void runq_push(struct hart *h, struct task *t)
{
	t->next = NULL;
	if (h->run_tail)
		h->run_tail->next = t;
	else
		h->run_head = t;
	h->run_tail = t;
	h->nr_queued++;
}

static struct task *runq_pop(struct hart *h)
{
	struct task *t = h->run_head;

	if (t) {
		h->run_head = t->next;
		if (!h->run_head)
			h->run_tail = NULL;
		t->next = NULL;
		h->nr_queued--;
	}
	return t;
}

static bool allowed_on(const struct task *t, const struct hart *h)
{
	return (t->allowed >> h->slot) & 1;
}

/* Unlinks t, which follows prev (NULL: t is the head), from h's queue. */
static void runq_unlink(struct hart *h, struct task *prev, struct task *t)
{
	if (prev)
		prev->next = t->next;
	else
		h->run_head = t->next;
	if (h->run_tail == t)
		h->run_tail = prev;
	t->next = NULL;
	h->nr_queued--;
}

/* The first task on h's queue that may run on self, unlinked; or NULL. */
static struct task *runq_take(struct hart *h, const struct hart *self)
{
	struct task *prev = NULL;

	for (struct task *t = h->run_head; t; prev = t, t = t->next) {
		if (!allowed_on(t, self))
			continue;
		runq_unlink(h, prev, t);
		return t;
	}
	return NULL;
}

static bool runq_has_for(const struct hart *h, const struct hart *self)
{
	for (const struct task *t = h->run_head; t; t = t->next)
		if (allowed_on(t, self))
			return true;
	return false;
}

static unsigned hart_load(const struct hart *h)
{
	return h->nr_queued + (h->current && h->current != h->idle ? 1 : 0);
}

/* Where a task that becomes runnable should wait: an online hart in its
 * mask (the mask always has one: task_set_affinity sees to it). */
static struct hart *place(const struct task *t)
{
	uint64_t online = harts_online_mask(), ok = online & t->allowed;
	struct hart *best = NULL;

	if (!ok)
		ok = online; /* cannot happen; better run than be lost */
	if ((ok >> t->hart) & 1)
		best = hart_by_slot(t->hart);
	else if ((ok >> this_hart()->slot) & 1)
		best = this_hart();
	for (unsigned i = 0; i < MAX_HARTS; i++) {
		struct hart *h = hart_by_slot(i);
		if ((ok >> i) & 1 && (!best || hart_load(h) < hart_load(best)))
			best = h;
	}
	return best;
}

/* Queues t where it is best run; sched_lock held. */
static void make_runnable(struct task *t)
{
	struct hart *h = place(t);

	t->state = TASK_RUNNABLE;
	t->sleeping_on = NULL;
	runq_push(h, t);
	if (h != this_hart() && h->idling) {
		h->idling = false;
		ipi_send(1ull << h->slot);
	}
}

/* For a hart with nothing to run: the first task allowed here on the
 * longest other queue that has one. */
static struct task *steal(struct hart *self)
{
	uint64_t online = harts_online_mask();
	struct hart *victim = NULL;

	for (unsigned i = 0; i < MAX_HARTS; i++) {
		struct hart *h = hart_by_slot(i);
		if (h == self || !((online >> i) & 1) || !h->nr_queued)
			continue;
		if ((!victim || h->nr_queued > victim->nr_queued) && runq_has_for(h, self))
			victim = h;
	}
	return victim ? runq_take(victim, self) : NULL;
}

static struct task *task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	if (vmarea_alloc_stack(&t->stack)) {
		kfree(t);
		return NULL;
	}
	strlcpy(t->name, name, sizeof(t->name));
	t->allowed = ~0ull;
	return t;
}

static void task_free(struct task *t)
{
	vmarea_free_stack(&t->stack);
	kfree(t);
}

void task_init_boot(uintptr_t stack_bottom, uintptr_t stack_top)
{
	struct hart *h = this_hart();

	boot_task.stack = (struct kstack){ stack_bottom, stack_top };
	boot_task.state = TASK_RUNNING;
	boot_task.allowed = ~0ull;
	strlcpy(boot_task.name, "boot", sizeof(boot_task.name));
	h->current = &boot_task;
	if (!(h->idle = task_create_idle(h->slot)))
		panic("no memory for the idle task");
	h->idle->ctx.ra = (uintptr_t)task_trampoline; /* starts idle_loop */
}

struct task *task_create(void (*fn)(void *arg), void *arg, const char *name)
{
	return task_create_affine(fn, arg, name, ~0ull);
}

struct task *task_create_affine(void (*fn)(void *arg), void *arg, const char *name, uint64_t cpus)
{
	struct task *t = task_alloc(name);
	unsigned long flags;

	if (!t)
		return NULL;
	t->allowed = harts_slots_of_cpus(cpus);
	t->ctx.ra = (uintptr_t)task_trampoline;
	t->ctx.sp = t->stack.top;
	t->ctx.s[1] = (uintptr_t)fn;
	t->ctx.s[2] = (uintptr_t)arg;
	t->bkl = true; /* its service code runs under the BKL from the start */
	flags = spin_lock_irqsave(&sched_lock);
	t->hart = this_hart()->slot;
	make_runnable(t);
	spin_unlock_irqrestore(&sched_lock, flags);
	return t;
}

struct task *task_current(void)
{
	return this_hart()->current;
}

/* Under sched_lock, as switch_to: a new task may already run on another
 * hart, whose copy must follow. */
void task_set_data(struct task *t, void *data)
{
	unsigned long flags = spin_lock_irqsave(&sched_lock);
	struct hart *h = hart_by_slot(t->hart);

	t->data = data;
	if (t->state == TASK_RUNNING && h->current == t)
		h->current_data = data;
	spin_unlock_irqrestore(&sched_lock, flags);
}

void *task_data(const struct task *t)
{
	return t->data;
}

/* No frame of its own: two instructions, and nothing to see in a backtrace. */
__attribute__((optimize("omit-frame-pointer"))) void *task_current_data(void)
{
	return this_hart()->current_data;
}

uint64_t task_runtime_ns(const struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&sched_lock);
	uint64_t ns = t->run_ns + (t->state == TASK_RUNNING ? time_now_ns() - t->run_since : 0);

	spin_unlock_irqrestore(&sched_lock, flags);
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

static void switch_to(struct hart *h, struct task *prev, struct task *next, uint64_t now)
{
	next->state = TASK_RUNNING;
	next->hart = h->slot;
	next->run_since = now;
	h->resched = false;
	h->slice_ticks = 0;
	if (next == prev)
		return;
	h->idling = next == h->idle;
	h->current = next;
	h->current_data = next->data;
	__atomic_store_n(&h->switches, h->switches + 1, __ATOMIC_RELEASE);
	if (bkl_held_here()) {
		prev->bkl = true; /* taken again in sched_unlock when it runs */
		bkl_release();
	}
	hart_set_stack(next->stack.bottom, next->stack.top);
	if (next->as)
		aspace_activate(next->as); /* user pointers mean next's memory again */
	else if (next == h->idle && h->aspace)
		aspace_leave_if_active(h->aspace); /* an idle hart needs no shootdowns */
	context_switch(&prev->ctx, &next->ctx);
}

/* Picks the next task for this hart and switches to it; sched_lock held
 * (and nothing else: sleeping with a spinlock held is a bug, caught here).
 * Returns false if there was nothing else to run: no switch happened. */
static bool schedule(void)
{
	struct hart *h = this_hart();
	struct task *prev = h->current, *next;
	uint64_t now = time_now_ns();

	if (h->locks_held != 1)
		panic("schedule with %u spinlock(s) held besides sched_lock", h->locks_held - 1);
	if (h->irq_depth)
		panic("schedule from an interrupt handler");
	prev->run_ns += now - prev->run_since;
	bool stay = allowed_on(prev, h); /* else it leaves for a hart in its mask */

	next = runq_pop(h);
	if (!next && (prev->state != TASK_RUNNING || prev == h->idle || !stay))
		next = steal(h);
	if (!next) {
		if (prev->state == TASK_RUNNING && stay) {
			prev->run_since = now;
			return false; /* nothing else to run: keep going */
		}
		next = h->idle;
	}
	if (prev->state == TASK_RUNNING && prev != h->idle) {
		if (stay) {
			prev->state = TASK_RUNNABLE;
			runq_push(h, prev);
		} else {
			/* Safe before the switch: sched_lock is held until the
			 * next task has left prev's stack (sched_unlock). */
			make_runnable(prev);
		}
	}
	switch_to(h, prev, next, now);
	return true;
}

/* What follows every switch, in the task switched to (on whichever hart it
 * now runs): drop the lock the switch carried, free a task that died here,
 * take the BKL back if this task had it. */
static void sched_unlock(unsigned long flags)
{
	struct hart *h = this_hart();
	struct task *dead = h->dead, *cur = h->current;

	h->dead = NULL;
	spin_unlock(&sched_lock);
	if (dead)
		task_free(dead);
	irq_restore(flags);
	if (cur->bkl) {
		cur->bkl = false;
		bkl_acquire();
	}
}

/* A new task's first instructions (task_trampoline, before its function). */
void task_first_run(void);
void task_first_run(void)
{
	sched_unlock(SSTATUS_SIE); /* tasks start with interrupts on */
}

void task_set_aspace(struct aspace *as)
{
	this_hart()->current->as = as;
}

void task_forget_aspace(struct aspace *as)
{
	struct task *cur = this_hart()->current;

	/* Only the current task can be running in it; sleeping tasks that
	 * still name it are gone with their process. */
	if (cur->as == as)
		cur->as = NULL;
}

#define BKL_HANDOVER_SPINS 200

void task_yield(void)
{
	unsigned long flags = spin_lock_irqsave(&sched_lock);
	bool switched = schedule();

	sched_unlock(flags);
	/* If nothing else ran here the BKL was never dropped: a service
	 * yielding in a loop (waiting for a device completion, say) would
	 * keep every other hart's interrupt handler out. Let them in. After
	 * a switch it was dropped (and taken back on the way here), and with
	 * one hart nobody else can want it: spinning then only cost a
	 * thousand instructions per sched_yield. */
	if (!switched && bkl_held_here() && (harts_online_mask() & ~(1ull << this_hart()->slot))) {
		bkl_release();
		for (volatile int i = 0; i < BKL_HANDOVER_SPINS; i++)
			ipi_poll();
		bkl_acquire();
	}
}

/* Takes t off whichever queue holds it; sched_lock held. */
static void runq_remove(struct task *t)
{
	for (unsigned i = 0; i < MAX_HARTS; i++) {
		struct hart *h = hart_by_slot(i);
		struct task *prev = NULL;
		for (struct task *q = h->run_head; q; prev = q, q = q->next) {
			if (q != t)
				continue;
			runq_unlink(h, prev, t);
			return;
		}
	}
}

/* Until hart there has switched tasks since it had done seen switches:
 * its task (which may be gone by then: it is not looked at) has left.
 * The BKL is let go meanwhile: the task needs it to get from its trap to
 * its schedule. Should the waiter itself be sent off this hart meanwhile
 * (two threads moving each other), it goes at once: each waiting for the
 * other's hart to switch would never end. */
static void wait_for_switch(struct hart *there, uint64_t seen)
{
	bool bkl = bkl_held_here();

	if (bkl)
		bkl_release();
	while (__atomic_load_n(&there->switches, __ATOMIC_ACQUIRE) == seen) {
		ipi_poll(); /* it may be waiting for this hart's flush */
		if (!allowed_on(this_hart()->current, this_hart())) {
			unsigned long flags = spin_lock_irqsave(&sched_lock);
			schedule();
			sched_unlock(flags);
		}
	}
	if (bkl)
		bkl_acquire();
}

int task_set_affinity(struct task *t, uint64_t cpus)
{
	uint64_t slots = harts_slots_of_cpus(cpus);
	unsigned long flags;
	struct hart *h;

	if (!(slots & harts_online_mask()))
		return -EINVAL;
	flags = spin_lock_irqsave(&sched_lock);
	h = this_hart();
	t->allowed = slots;
	if (t == h->current) {
		if (!allowed_on(t, h))
			schedule(); /* off this hart now: back on one in the mask */
		sched_unlock(flags);
		return 0;
	}
	if (t->state == TASK_RUNNABLE) {
		/* Queued where it may no longer run: queue it again. */
		runq_remove(t);
		make_runnable(t);
	} else if (t->state == TASK_RUNNING && !((slots >> t->hart) & 1)) {
		/* On another hart (user mode, most likely): the IPI brings it
		 * into the kernel, the resched flag to its schedule, which
		 * sends it to an allowed hart; as on Linux, the call returns
		 * once it has left. */
		struct hart *there = hart_by_slot(t->hart);
		uint64_t seen = there->switches;
		there->resched = true;
		ipi_send(1ull << there->slot);
		spin_unlock_irqrestore(&sched_lock, flags);
		wait_for_switch(there, seen);
		return 0;
	}
	spin_unlock_irqrestore(&sched_lock, flags);
	return 0;
}

uint64_t task_affinity(const struct task *t)
{
	return harts_cpus_of_slots(t->allowed & harts_online_mask());
}

bool task_need_resched(void)
{
	return this_hart()->resched;
}

void task_tick(void)
{
	struct hart *h = this_hart();

	/* An unlocked peek: at worst a slice ends a tick early or late. */
	if (++h->slice_ticks >= TICKS_PER_SLICE && h->run_head)
		h->resched = true;
}

void task_exit(void)
{
	struct hart *h;

	irq_save();
	spin_lock(&sched_lock);
	h = this_hart();
	BUG_ON(h->current == &boot_task || h->current == h->idle);
	h->current->state = TASK_DEAD;
	h->dead = h->current;
	schedule();
	panic("a dead task was scheduled");
}

void wait_queue_sleep(struct wait_queue *wq)
{
	unsigned long flags = spin_lock_irqsave(&sched_lock);
	struct task *cur = this_hart()->current;

	cur->state = TASK_SLEEPING;
	cur->sleeping_on = wq;
	enqueue(wq, cur);
	schedule();
	sched_unlock(flags);
}

/* Most wakes find nobody waiting (every pipe read and write wakes its
 * pollers). With the BKL held, an empty queue needs no lock: a sleeper is
 * queued before it lets the BKL go, and services (their interrupt and
 * timer handlers too) sleep and wake only with it held. */
static inline bool nobody_waits(const struct wait_queue *wq)
{
	return !__atomic_load_n(&wq->head, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&bkl_owner, __ATOMIC_RELAXED) == (int)this_hart()->slot;
}

void wait_queue_wake_all(struct wait_queue *wq)
{
	unsigned long flags;
	struct task *t;

	if (nobody_waits(wq))
		return;
	flags = spin_lock_irqsave(&sched_lock);
	while ((t = dequeue(wq)) != NULL)
		make_runnable(t);
	spin_unlock_irqrestore(&sched_lock, flags);
}

void task_interrupt(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&sched_lock);
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
		make_runnable(t);
	} else if (t->state == TASK_RUNNING && t->hart != this_hart()->slot) {
		/* Running on another hart, maybe in user mode: make it trap so
		 * it sees why it was interrupted (a signal) without waiting for
		 * its next tick. */
		ipi_send(1ull << t->hart);
	}
	spin_unlock_irqrestore(&sched_lock, flags);
}

/* The idle task: looks for work, else waits for an interrupt (an IPI when
 * work is placed here, the tick, a device). Never holds the BKL. */
static void idle_loop(void *unused)
{
	struct hart *h = this_hart(); /* the idle task never migrates */

	(void)unused;
	for (;;) {
		irq_save();
		spin_lock(&sched_lock);
		h->idling = true;
		schedule(); /* back here when nothing (else) is runnable */
		sched_unlock(0);
		/* A task queued since the lock was dropped sent an IPI: the
		 * wfi then returns at once. */
		cpu_wait_for_interrupt();
		csr_set(sstatus, SSTATUS_SIE); /* take it: a handler may wake a task */
		csr_clear(sstatus, SSTATUS_SIE);
	}
}

struct task *task_create_idle(unsigned slot)
{
	struct task *t = task_alloc("idle");

	if (!t)
		return NULL;
	t->ctx.sp = t->stack.top;
	t->ctx.s[1] = (uintptr_t)idle_loop;
	t->state = TASK_RUNNING; /* an idle task is never queued */
	t->hart = slot;
	return t;
}

void task_hart_enter(void)
{
	struct hart *h = this_hart();

	h->current = h->idle;
	h->idle->run_since = time_now_ns();
	hart_set_stack(h->idle->stack.bottom, h->idle->stack.top);
	idle_loop(NULL);
	panic("idle loop returned");
}
