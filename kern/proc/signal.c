/* Signals: the pending set, sending, and the per-process lifetime of the
 * signal state. A standard signal is pending at most once (the first
 * siginfo is kept); real-time signals queue, up to SIGQUEUE_MAX behind the
 * pending one, and come out in the order they were sent.
 * Locking: the pending set changes with interrupts masked, since the
 * interval timer sends SIGALRM from its interrupt callback. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <string.h>
#include "proc/jobctl.h"
#include "proc/posix_timer.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"

#define DEFAULT_IGNORE (SIG_BIT(SIGCHLD) | SIG_BIT(SIGURG) | SIG_BIT(SIGWINCH))
#define DEFAULT_CORE (SIG_BIT(SIGQUIT) | SIG_BIT(SIGILL) | SIG_BIT(SIGTRAP) | \
		      SIG_BIT(SIGABRT) | SIG_BIT(SIGBUS) | SIG_BIT(SIGFPE) | SIG_BIT(SIGSEGV) | \
		      SIG_BIT(SIGXCPU) | SIG_BIT(SIGXFSZ) | SIG_BIT(SIGSYS))

enum sig_default signal_default_action(int sig)
{
	uint64_t bit = SIG_BIT(sig);

	if (sig == SIGCONT)
		return SIGDFL_CONT;
	if (bit & SIG_STOP_SET)
		return SIGDFL_STOP;
	if (bit & DEFAULT_IGNORE)
		return SIGDFL_IGNORE;
	return bit & DEFAULT_CORE ? SIGDFL_CORE : SIGDFL_TERM;
}

static inline bool ignored(const struct process *p, int sig)
{
	uint64_t handler = p->sig.action[sig].handler;

	if ((p->sig.blocked | p->sig.waiting) & SIG_BIT(sig))
		return false; /* the handler may change before it is unblocked */
	if (handler == SIG_IGN)
		return true;
	/* SIGCONT's default does its work when sent: nothing is left to deliver. */
	return handler == SIG_DFL && (signal_default_action(sig) == SIGDFL_IGNORE || sig == SIGCONT);
}

bool signal_ignored(const struct process *p, int sig)
{
	return ignored(p, sig);
}

bool signal_blocked_or_ignored(const struct process *p, int sig)
{
	return (p->sig.blocked & SIG_BIT(sig)) || p->sig.action[sig].handler == SIG_IGN;
}

/* Process-directed signals parked on a thread that blocks them (no thread
 * took them when sent): another thread of the group may take them. */
static uint64_t parked(const struct process *t)
{
	return t->sig.pending & t->sig.shared & t->sig.blocked;
}

uint64_t signal_pending_set(const struct process *p)
{
	uint64_t set = p->sig.pending;

	for (const struct process *t = p->leader; t; t = t->thread_next)
		if (t != p)
			set |= parked(t);
	return set;
}

bool signal_pending(const struct process *p)
{
	uint64_t wanted = ~p->sig.blocked | SIG_UNBLOCKABLE;

	if (p->sig.pending & wanted)
		return true;
	for (const struct process *t = p->leader; t; t = t->thread_next)
		if (t != p && (parked(t) & wanted))
			return true;
	return false;
}

/* Drops queued instances of the signals in set. Interrupts masked. */
static void unqueue(struct sigstate *s, uint64_t set)
{
	int kept = 0;

	for (int i = 0; i < s->queued; i++)
		if (!(set & SIG_BIT(s->queue[i].signo)))
			s->queue[kept++] = s->queue[i];
	s->queued = kept;
}

/* The next queued instance of sig moves up to be the pending one. */
static bool promote(struct sigstate *s, int sig)
{
	for (int i = 0; i < s->queued; i++) {
		if (s->queue[i].signo == sig) {
			s->info[sig] = s->queue[i];
			for (int j = i + 1; j < s->queued; j++)
				s->queue[j - 1] = s->queue[j];
			s->queued--;
			return true;
		}
	}
	return false;
}

void signal_discard(struct process *p, uint64_t set)
{
	unsigned long flags = irq_save();

	p->sig.pending &= ~set;
	p->sig.shared &= ~set;
	unqueue(&p->sig, set);
	irq_restore(flags);
}

/* The lowest signal in a non-empty set: the isolated low bit's index by
 * a de Bruijn sequence (rv64imac has no count-trailing-zeros, and GCC
 * would call libgcc for one). A walk from bit 0 was ten rounds for
 * SIGUSR1. */
static int lowest_sig(uint64_t set)
{
	static const uint8_t index[64] = {
		0,  1,  2,  53, 3,  7,  54, 27, 4,  38, 41, 8,  34, 55, 48, 28,
		62, 5,  39, 46, 44, 42, 22, 9,  24, 35, 59, 56, 49, 18, 29, 11,
		63, 52, 6,  26, 37, 40, 33, 47, 61, 45, 43, 21, 23, 58, 17, 10,
		51, 25, 36, 32, 60, 20, 57, 16, 50, 31, 19, 15, 30, 14, 13, 12,
	};

	return index[((set & -set) * 0x022fdd63cc95386dULL) >> 58] + 1;
}

/* Takes the lowest signal of `ready` off t's pending set (a queued
 * real-time instance moves up behind it). */
static int take(struct process *t, uint64_t ready, struct k_siginfo *info)
{
	int sig = lowest_sig(ready); /* lowest first, as Linux */

	*info = t->sig.info[sig];
	if (sig < SIGRTMIN_K || !promote(&t->sig, sig)) {
		t->sig.pending &= ~SIG_BIT(sig);
		t->sig.shared &= ~SIG_BIT(sig);
	}
	return sig;
}

int signal_dequeue(struct process *p, uint64_t set, struct k_siginfo *info)
{
	unsigned long flags;
	int sig = 0;

	/* Alone and nothing in set (delivery's last look): no masking needed,
	 * a signal raised just after this is seen at the next trap. */
	if (!(p->sig.pending & set) && p->leader == p && !p->thread_next)
		return 0;
	flags = irq_save();

	if (p->sig.pending & set)
		sig = take(p, p->sig.pending & set, info);
	for (struct process *t = p->leader; !sig && t; t = t->thread_next)
		if (t != p && (parked(t) & set))
			sig = take(t, parked(t) & set, info);
	irq_restore(flags);
	return sig;
}

/* Stop and continue signals cancel each other when sent (POSIX). */
static __attribute__((noinline)) void job_control_on_send(struct process *p, int sig);

/* Marks sig pending, or queues a real-time instance behind it; -EAGAIN
 * when the queue is full (Linux: over RLIMIT_SIGPENDING). */
static int enqueue(struct sigstate *s, const struct k_siginfo *info)
{
	int sig = info->signo;

	if (!(s->pending & SIG_BIT(sig))) {
		s->pending |= SIG_BIT(sig);
		s->info[sig] = *info;
	} else if (sig >= SIGRTMIN_K) {
		if (s->queued == SIGQUEUE_MAX)
			return -EAGAIN;
		s->queue[s->queued++] = *info;
	}
	return 0;
}

/* Linux's SIGNAL_UNKILLABLE: init only gets the signals it handles, apart
 * from the faults forced on it; the rest would end the system. */
static bool init_protected(const struct process *p, int sig, bool forced)
{
	if (p->leader->pid != 1 || forced || ((p->sig.blocked | p->sig.waiting) & SIG_BIT(sig)))
		return false; /* blocked ones wait, as for anyone (signal_deliver decides) */
	return p->sig.action[sig].handler == SIG_DFL;
}

/* Queues info on thread t; shared marks a process-directed signal. */
static int send(struct process *t, const struct k_siginfo *info, bool forced, bool shared)
{
	int sig = info->signo, err;
	unsigned long flags;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig == 0 || t->state == PROC_ZOMBIE || init_protected(t, sig, forced))
		return 0;
	if (sig == SIGCONT || (SIG_BIT(sig) & SIG_STOP_SET) || sig == SIGKILL)
		job_control_on_send(t, sig);
	if (ignored(t, sig))
		return 0;
	flags = irq_save();
	err = enqueue(&t->sig, info);
	if (!err && shared)
		t->sig.shared |= SIG_BIT(sig);
	process_note_work(t);
	irq_restore(flags);
	/* A sender signalling itself is running here: it looks at its
	 * signals on the way out, nothing to interrupt. */
	if (t->task && t->task != task_current() && signal_pending(t))
		task_interrupt(t->task);
	return err;
}

int signal_send_thread(struct process *p, const struct k_siginfo *info)
{
	return send(p, info, false, false);
}

int signal_send_info(struct process *p, const struct k_siginfo *info)
{
	if (info->signo < 0 || info->signo > NSIG)
		return -EINVAL;
	if (!info->signo)
		return send(p, info, false, false);
	return send(thread_pick(p, info->signo), info, false, true);
}

int signal_send(struct process *p, int sig)
{
	struct k_siginfo info = { .signo = sig, .code = SI_KERNEL };

	return signal_send_info(p, &info);
}

int signal_send_pgrp(int pgid, int sig)
{
	int found = 0;

	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->pgid == pgid && p->state != PROC_ZOMBIE) {
			signal_send(p, sig);
			found = 1;
		}
	}
	return found ? 0 : -ESRCH;
}

void signal_force_fault(struct process *p, int sig, int code, uint64_t addr)
{
	struct k_siginfo info = { .signo = sig, .code = code, .fault.addr = addr };
	struct k_sigaction *a = &p->sig.action[sig];

	/* A fault the program cannot handle kills it rather than looping. */
	if ((p->sig.blocked & SIG_BIT(sig)) || a->handler == SIG_IGN) {
		a->handler = SIG_DFL;
		p->sig.blocked &= ~SIG_BIT(sig);
	}
	send(p, &info, true, false); /* the faulting thread, not any */
}

/* Stops and continues are the whole process's: every thread's. */
static void job_control_thread(struct process *t, void *arg)
{
	int sig = *(int *)arg;

	if (sig == SIGCONT) {
		signal_discard(t, SIG_STOP_SET);
		jobctl_continue(t);
	} else if (sig == SIGKILL) {
		jobctl_wake(t); /* a stopped process must run to die (no CLD_CONTINUED) */
	} else {
		signal_discard(t, SIG_BIT(SIGCONT));
	}
}

/* Apart from send: its &sig would cost every send a stack canary. */
static __attribute__((noinline)) void job_control_on_send(struct process *p, int sig)
{
	thread_for_each(p, job_control_thread, &sig);
}

void signal_fork(struct process *child, const struct process *parent, bool thread)
{
	child->sig.blocked = parent->sig.blocked;
	memcpy(child->sig.action, parent->sig.action, sizeof(child->sig.action));
	if (!thread) /* a new thread starts without an altstack, as on Linux */
		child->sig.altstack = parent->sig.altstack;
}

void signal_exec(struct process *p)
{
	for (int sig = 1; sig <= NSIG; sig++) {
		struct k_sigaction *a = &p->sig.action[sig];
		if (a->handler != SIG_IGN) /* ignored ones stay ignored, handlers go */
			*a = (struct k_sigaction){ SIG_DFL, 0, 0 };
		else
			a->flags = a->mask = 0;
	}
	p->sig.altstack = (struct k_stack){ 0 }; /* size 0: none (SS_DISABLE) */
	posix_timers_release(p); /* POSIX: exec deletes the timers */
	p->exec_done = true;
}

void signal_exit(struct process *p)
{
	ktimer_cancel(&p->sig.alarm);
	posix_timers_release(p);
}
