/* Signal actions, masks and waits: rt_sigaction, rt_sigprocmask,
 * rt_sigpending, sigaltstack, rt_sigreturn, rt_sigsuspend, rt_sigtimedwait.
 * A sigset_t is 8 bytes here, as the riscv64 kernel's. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/thread.h"
#include "proc/signal_frame.h"
#include "proc/sleep.h"
#include "syscall/syscall.h"
#include "syscall/sys_timespec.h"

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* Signal numbers are C ints in Linux's prototypes: the upper half of the
 * register is not looked at. */
static bool valid_sig(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

/* POSIX: a signal whose action becomes "ignore" (SIG_IGN, or SIG_DFL
 * where the default ignores) is discarded where pending. Apart, so that
 * installing a handler calls nothing. */
static __attribute__((noinline)) void drop_ignored(struct process *p, int sig, uint64_t handler)
{
	if (handler == SIG_DFL && signal_default_action(sig) != SIGDFL_IGNORE && sig != SIGCONT)
		return;
	for (struct process *t = p->leader; t; t = t->thread_next)
		signal_discard(t, SIG_BIT(sig));
}

/* do_sigaction: the new action on every thread's copy (signal actions
 * belong to the process, CLONE_SIGHAND). A loop here rather than
 * thread_for_each: this is all of sigaction's work, and a callback per
 * thread was a fifth of it. */
static inline void set_action(struct process *p, int sig, struct k_sigaction *a)
{
	a->flags &= SA_KNOWN;
	a->mask &= ~SIG_UNBLOCKABLE;
	for (struct process *t = p->leader; t; t = t->thread_next)
		t->sig.action[sig] = *a;
	if (a->handler == SIG_DFL || a->handler == SIG_IGN)
		drop_ignored(p, sig, a->handler);
}

/* rt_sigaction with an oldact: the old action is read before the new one
 * is set. Apart, so the usual call (no oldact) keeps one local. */
static __attribute__((noinline)) long swap_action(int sig, struct k_sigaction *act, uint64_t uold)
{
	struct process *p = current;
	struct k_sigaction old = p->sig.action[sig];

	if (act)
		set_action(p, sig, act);
	return copy_to_user(uold, &old, sizeof(old)) ? -EFAULT : 0;
}

SYSCALL(rt_sigaction)
{
	int sig = (int)args->a[0];
	uint64_t uact = args->a[1], uold = args->a[2];
	struct k_sigaction act;

	if (args->a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (!valid_sig(sig) || (uact && (SIG_BIT(sig) & SIG_UNBLOCKABLE)))
		return -EINVAL;
	if (uold)
		return swap_action(sig, uact ? &act : NULL, uold);
	if (uact)
		set_action(current, sig, &act);
	return 0;
}

SYSCALL(rt_sigprocmask)
{
	uint64_t how = args->a[0], uset = args->a[1], uold = args->a[2], set;
	struct process *p = current;
	uint64_t old = p->sig.blocked;

	if (args->a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		if (how == SIG_BLOCK)
			set |= old;
		else if (how == SIG_UNBLOCK)
			set = old & ~set;
		else if (how != SIG_SETMASK)
			return -EINVAL;
		p->sig.blocked = set & ~SIG_UNBLOCKABLE; /* newly unblocked ones go out on return */
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(rt_sigpending)
{
	struct process *p = current;
	uint64_t set = signal_pending_set(p) & p->sig.blocked;

	if (args->a[1] > sizeof(set))
		return -EINVAL;
	return copy_to_user(args->a[0], &set, args->a[1]) ? -EFAULT : 0;
}

SYSCALL(sigaltstack)
{
	uint64_t uss = args->a[0], uold = args->a[1];
	struct process *p = current;
	struct k_stack ss, old = p->sig.altstack;
	int err = 0;

	old.flags = signal_altstack_flags(&old, p->regs.x[UREG_SP]) |
		    (p->sig.altstack.flags & (int32_t)SS_AUTODISARM);
	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		err = signal_altstack_set(p, &ss);
	}
	if (!err && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

SYSCALL(rt_sigreturn)
{
	struct process *p = current;

	(void)args;
	p->sig.restart_fn = NULL; /* a restart block from before the handler is stale */
	if (signal_frame_pop(p)) {
		pr_info("%s[%d]: bad signal frame at 0x%lx: SIGSEGV\n", p->comm, p->pid,
			p->regs.x[UREG_SP]);
		signal_force_fault(p, SIGSEGV, SI_KERNEL, 0);
	}
	/* a0 is the interrupted code's, not a result: a value that looks
	 * like a restart code must not restart anything. Only then, so the
	 * usual return takes the quiet path (proc/signal.h). */
	p->sig.no_restart = signal_restart_code((long)p->regs.x[UREG_A0]);
	process_note_work(p); /* the whole context is new */
	return (long)p->regs.x[UREG_A0];
}

/* Sleeps until a signal p does not block is pending (or the deadline). */
static int sleep_for_signal(uint64_t deadline)
{
	unsigned long flags = irq_save();
	int err;

	while ((err = proc_sleep_until(NULL, deadline)) == 0)
		;
	irq_restore(flags);
	return err;
}

SYSCALL(rt_sigsuspend)
{
	struct process *p = current;
	uint64_t mask;

	if (args->a[1] != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, args->a[0], sizeof(mask)))
		return -EFAULT;
	/* The handler runs with this mask; the old one comes back after it. */
	p->sig.saved_blocked = p->sig.blocked;
	p->sig.restore_blocked = true;
	process_note_work(p);
	p->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	sleep_for_signal(SLEEP_FOREVER);
	return -ERESTARTNOHAND;
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize) */
SYSCALL(rt_sigtimedwait)
{
	uint64_t set, uinfo = args->a[1], deadline = SLEEP_FOREVER;
	struct process *p = current;
	struct k_siginfo info;
	int sig, err = 0;

	if (args->a[3] != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, args->a[0], sizeof(set)))
		return -EFAULT;
	set &= ~SIG_UNBLOCKABLE;
	if (args->a[2] && (err = timespec_deadline(args->a[2], &deadline)) != 0)
		return err;
	if (!(sig = signal_dequeue(p, set, &info))) {
		uint64_t blocked = p->sig.blocked;
		/* Unblocked while waiting, so their arrival wakes us; never discarded. */
		p->sig.waiting = set;
		p->sig.blocked &= ~set;
		err = sleep_for_signal(deadline);
		p->sig.blocked = blocked;
		p->sig.waiting = 0;
		sig = signal_dequeue(p, set, &info);
	}
	if (!sig)
		return err == -ETIMEDOUT ? -EAGAIN : -EINTR;
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}
