/* Interval timers: setitimer and getitimer (glibc's alarm is setitimer).
 * ITIMER_REAL sends SIGALRM from a ktimer; CPU time is not accounted yet,
 * so ITIMER_VIRTUAL and ITIMER_PROF are kept and reported but never fire. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/ktimer.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include <string.h>
#include "proc/posix_timer.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "syscall/syscall.h"
#include "syscall/sys_timespec.h"

#define ITIMER_REAL 0
#define ITIMER_PROF 2
#define USEC 1000ULL

struct k_timeval {
	int64_t sec, usec;
};

struct k_itimerval {
	struct k_timeval interval, value;
};

static int tv_to_ns(const struct k_timeval *tv, uint64_t *ns)
{
	if (tv->sec < 0 || tv->usec < 0 || tv->usec >= 1000000)
		return -EINVAL;
	if ((uint64_t)tv->sec > (UINT64_MAX - 1) / NSEC_PER_SEC)
		*ns = UINT64_MAX - 1;
	else
		*ns = ns_add_sat((uint64_t)tv->sec * NSEC_PER_SEC, (uint64_t)tv->usec * USEC);
	return 0;
}

/* Rounded up to whole microseconds, as the timer could not fire earlier. */
static struct k_timeval ns_to_tv(uint64_t ns)
{
	uint64_t us = ns / USEC + (ns % USEC != 0);

	return (struct k_timeval){ (int64_t)(us / 1000000), (int64_t)(us % 1000000) };
}

/* Interrupt context: SIGALRM, and the next period if there is one. */
static void alarm_fired(struct ktimer *t)
{
	struct process *p = t->data;

	signal_send(p, SIGALRM);
	if (p->sig.alarm_interval_ns) {
		int missed; /* SIGALRM does not queue: missed periods just go */
		ktimer_arm(t, timer_next_deadline(t->deadline_ns, p->sig.alarm_interval_ns, &missed),
			   alarm_fired);
	}
}

static struct k_itimerval real_get(struct process *p)
{
	struct k_itimerval v = { ns_to_tv(p->sig.alarm_interval_ns), { 0, 0 } };
	uint64_t now = time_now_ns();

	if (p->sig.alarm.armed) /* at least 1 us while armed, as Linux */
		v.value = ns_to_tv(p->sig.alarm.deadline_ns > now ? p->sig.alarm.deadline_ns - now : USEC);
	return v;
}

/* The CPU-time timers are stored only (see above). */
static struct k_itimerval cpu_get(struct process *p, uint64_t which)
{
	struct k_itimerval v;

	_Static_assert(sizeof(v) == sizeof(p->sig.cpu_itimer[0]), "itimerval");
	memcpy(&v, p->sig.cpu_itimer[which - 1], sizeof(v));
	return v;
}

static void real_set(struct process *p, uint64_t value, uint64_t interval)
{
	unsigned long flags = irq_save();

	ktimer_cancel(&p->sig.alarm);
	p->sig.alarm_interval_ns = interval;
	p->sig.alarm.data = p;
	if (value)
		ktimer_arm(&p->sig.alarm, ns_add_sat(time_now_ns(), value), alarm_fired);
	irq_restore(flags);
}

void itimer_take_over(struct process *old, struct process *t)
{
	uint64_t deadline = old->sig.alarm.deadline_ns;
	bool armed = old->sig.alarm.armed;

	memcpy(t->sig.cpu_itimer, old->sig.cpu_itimer, sizeof(t->sig.cpu_itimer));
	t->sig.alarm_interval_ns = old->sig.alarm_interval_ns;
	ktimer_cancel(&old->sig.alarm);
	if (armed) {
		t->sig.alarm.data = t;
		ktimer_arm(&t->sig.alarm, deadline, alarm_fired);
	}
}

SYSCALL(getitimer)
{
	uint64_t which = args->a[0];
	struct process *p = current->leader; /* interval timers are the process's */
	struct k_itimerval v;

	if (which > ITIMER_PROF)
		return -EINVAL;
	v = which == ITIMER_REAL ? real_get(p) : cpu_get(p, which);
	return copy_to_user(args->a[1], &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL(setitimer)
{
	uint64_t which = args->a[0], unew = args->a[1], uold = args->a[2], value, interval;
	struct k_itimerval nv = { { 0, 0 }, { 0, 0 } }, old;
	struct process *p = current->leader; /* interval timers are the process's */
	int err;

	if (which > ITIMER_PROF)
		return -EINVAL;
	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT; /* NULL: disarm, as Linux still accepts */
	if ((err = tv_to_ns(&nv.value, &value)) || (err = tv_to_ns(&nv.interval, &interval)))
		return err;
	old = which == ITIMER_REAL ? real_get(p) : cpu_get(p, which);
	if (which == ITIMER_REAL)
		real_set(p, value, interval);
	else
		memcpy(p->sig.cpu_itimer[which - 1], &nv, sizeof(nv));
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
