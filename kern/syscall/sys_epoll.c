/* epoll_create1, epoll_ctl, epoll_pwait, epoll_pwait2: decoding, in
 * Linux's order of checks; the sets themselves are fs/epoll.c. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include <limits.h>
#include "fs/epoll.h"
#include "syscall/sys_file.h"
#include "syscall/wait_sigmask.h"
#include "syscall/wait_timeout.h"

#define EP_MAX_EVENTS (INT_MAX / (int)sizeof(struct epoll_event))
#define EP_BATCH 64 /* events collected per wait: more wait for the next call */

SYSCALL(epoll_create1)
{
	unsigned flags = (unsigned)args->a[0];
	struct file *f;
	int err;

	if (flags & ~(unsigned)EPOLL_CLOEXEC)
		return -EINVAL;
	if ((err = epoll_create(0, &f)) != 0)
		return err;
	if ((err = fd_alloc(current, f, 0, flags & EPOLL_CLOEXEC)) < 0)
		file_put(f);
	return err;
}

/* EPOLLEXCLUSIVE: only with ADD, not on an epoll file, and with no other
 * flag than the event bits Linux allows beside it. */
static bool exclusive_ok(int op, const struct file *target, uint32_t events)
{
	const uint32_t allowed = EPOLLEXCLUSIVE | EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP |
				 EPOLLWAKEUP | EPOLLET;

	if (!(events & EPOLLEXCLUSIVE))
		return true;
	return op == EPOLL_CTL_ADD && !file_is_epoll(target) && !(events & ~allowed);
}

/* epoll_ctl(epfd, op, fd, event) */
SYSCALL(epoll_ctl)
{
	int epfd = (int)args->a[0], op = (int)args->a[1], fd = (int)args->a[2];
	struct epoll_event ev = { 0 };
	struct file *ep, *target;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, args->a[3], sizeof(ev)))
		return -EFAULT;
	if (!(ep = fd_file(epfd)) || !(target = fd_file(fd)))
		return -EBADF;
	if (!target->ops->poll)
		return -EPERM; /* regular files, directories, /dev/null: as Linux */
	ev.events &= ~EPOLLWAKEUP; /* needs CAP_BLOCK_SUSPEND; dropped quietly as Linux */
	if (ep == target || !file_is_epoll(ep))
		return -EINVAL;
	if (!exclusive_ok(op, target, ev.events))
		return -EINVAL;
	return epoll_ctl(ep, op, fd, target, op == EPOLL_CTL_DEL ? NULL : &ev);
}

static long do_epoll_wait(const struct syscall_args *args, const struct wait_timeout *t)
{
	int maxevents = (int)args->a[2];
	uint64_t uevents = args->a[1];
	struct epoll_event *buf;
	struct wait_sigmask m;
	struct file *ep;
	long n;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!(ep = fd_file((int)args->a[0])))
		return -EBADF;
	if (!file_is_epoll(ep))
		return -EINVAL;
	if ((n = wait_sigmask_set(args->a[4], args->a[5], &m)) != 0)
		return n;
	maxevents = MIN(maxevents, EP_BATCH);
	if (!(buf = kmalloc((size_t)maxevents * sizeof(*buf)))) {
		wait_sigmask_restore(&m, -ENOMEM);
		return -ENOMEM;
	}
	n = epoll_wait(ep, buf, maxevents, t->deadline);
	wait_sigmask_restore(&m, n);
	if (n > 0 && copy_to_user(uevents, buf, (size_t)n * sizeof(*buf)))
		n = -EFAULT;
	kfree(buf);
	return n;
}

/* epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize) */
SYSCALL(epoll_pwait)
{
	struct wait_timeout t;

	wait_timeout_from_ms((int)args->a[3], &t);
	return do_epoll_wait(args, &t);
}

/* epoll_pwait2: the timeout is a struct timespec (NULL: forever). */
SYSCALL(epoll_pwait2)
{
	struct wait_timeout t;
	int err = wait_timeout_from_timespec(args->a[3], &t);

	t.utimeout = 0; /* epoll_pwait2 does not write the time left back */
	return err ? err : do_epoll_wait(args, &t);
}
