/* POSIX timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete. SIGEV_SIGNAL, SIGEV_NONE and
 * SIGEV_THREAD_ID naming the process itself (one thread per process). */
#include <frame/errno.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include "proc/posix_timer.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "syscall/syscall.h"
#include "syscall/sys_timespec.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11
#define TIMER_ABSTIME 1
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD_ID 4

struct k_sigevent {
	uint64_t value;
	int32_t signo, notify;
	int32_t tid; /* SIGEV_THREAD_ID */
	int32_t pad[11];
};

struct k_itimerspec {
	struct k_timespec interval, value;
};

static int read_sigevent(uint64_t usev, int id, struct k_sigevent *ev)
{
	if (!usev) { /* SIGALRM carrying the timer id */
		*ev = (struct k_sigevent){ .value = (uint64_t)id, .signo = SIGALRM };
		return 0;
	}
	if (copy_from_user(ev, usev, sizeof(*ev)))
		return -EFAULT;
	if (ev->notify == SIGEV_THREAD_ID && ev->tid != current->pid)
		return -EINVAL;
	if (ev->notify != SIGEV_SIGNAL && ev->notify != SIGEV_NONE && ev->notify != SIGEV_THREAD_ID)
		return -EINVAL;
	if (ev->notify != SIGEV_NONE && (ev->signo < 1 || ev->signo > NSIG))
		return -EINVAL;
	return 0;
}

static int free_slot(struct posix_timer *table)
{
	for (int id = 0; id < POSIX_TIMER_MAX; id++)
		if (!table[id].used)
			return id;
	return -EAGAIN;
}

/* timer_create(clockid, sevp, timerid) */
SYSCALL(timer_create)
{
	int64_t clock = (int64_t)args->a[0];
	struct posix_timer *table, *t;
	struct k_sigevent ev;
	int id, err;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_TAI)
		return -EINVAL;
	if (!(table = posix_timers(current)))
		return -ENOMEM;
	if ((id = free_slot(table)) < 0)
		return id;
	if ((err = read_sigevent(args->a[1], id, &ev)) != 0)
		return err;
	if (copy_to_user(args->a[2], &id, sizeof(id)))
		return -EFAULT;
	t = &table[id];
	*t = (struct posix_timer){ .used = true, .notify = ev.notify != SIGEV_NONE,
				   .signo = ev.notify == SIGEV_NONE ? 0 : ev.signo, .value = ev.value };
	t->kt.data = current;
	return 0;
}

static struct k_itimerspec current_setting(const struct posix_timer *t)
{
	uint64_t left = posix_timer_left(t);
	struct k_itimerspec v = {
		{ (int64_t)(t->interval_ns / NSEC_PER_SEC), (int64_t)(t->interval_ns % NSEC_PER_SEC) },
		{ (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) },
	};
	return v;
}

static int ts_ns(const struct k_timespec *ts, uint64_t *ns)
{
	if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts->sec > (UINT64_MAX - 1) / NSEC_PER_SEC
		      ? UINT64_MAX - 1
		      : ns_add_sat((uint64_t)ts->sec * NSEC_PER_SEC, (uint64_t)ts->nsec);
	return 0;
}

/* timer_settime(id, flags, new, old) */
SYSCALL(timer_settime)
{
	struct posix_timer *t = posix_timer_get(current, (int)args->a[0]);
	struct k_itimerspec nv, old;
	uint64_t value, interval, deadline;
	int err;

	if (!t || !args->a[2])
		return -EINVAL;
	if (copy_from_user(&nv, args->a[2], sizeof(nv)))
		return -EFAULT;
	if ((err = ts_ns(&nv.value, &value)) || (err = ts_ns(&nv.interval, &interval)))
		return err;
	old = current_setting(t);
	deadline = value == 0 ? 0 : (args->a[1] & TIMER_ABSTIME) ? value
								 : ns_add_sat(time_now_ns(), value);
	if (deadline && deadline <= time_now_ns())
		deadline = time_now_ns() + 1; /* already past: fires at once */
	posix_timer_arm(t, deadline, value ? interval : 0);
	if (args->a[3] && copy_to_user(args->a[3], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(timer_gettime)
{
	struct posix_timer *t = posix_timer_get(current, (int)args->a[0]);
	struct k_itimerspec v;

	if (!t)
		return -EINVAL;
	v = current_setting(t);
	return copy_to_user(args->a[1], &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL(timer_getoverrun)
{
	struct posix_timer *t = posix_timer_get(current, (int)args->a[0]);

	return t ? t->overrun : -EINVAL;
}

SYSCALL(timer_delete)
{
	struct posix_timer *t = posix_timer_get(current, (int)args->a[0]);

	if (!t)
		return -EINVAL;
	posix_timer_arm(t, 0, 0);
	t->used = false;
	return 0;
}
