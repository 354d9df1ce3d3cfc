/* ppoll and pselect6: readiness of a list or bitmaps of descriptors, by
 * the files' poll ops, waiting on poll_waiters (fs/poll.h). Files without
 * a poll op (regular files, /dev/null ...) are always ready. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include "fs/poll.h"
#include "syscall/sys_file.h"
#include "syscall/wait_sigmask.h"
#include "syscall/wait_timeout.h"

#define NR_OPEN_MAX 1048576 /* Linux's default fs.nr_open */

struct pollfd {
	int fd;
	short events, revents;
};

struct poll_ctx {
	struct pollfd *fds;
	uint64_t n;
};

/* Bad descriptors report POLLNVAL; negative ones are skipped. */
static long scan_pollfds(void *ctx)
{
	struct poll_ctx *c = ctx;
	long count = 0;

	for (uint64_t i = 0; i < c->n; i++) {
		struct pollfd *p = &c->fds[i];
		struct file *f = p->fd >= 0 ? fd_file(p->fd) : NULL;

		if (p->fd < 0)
			p->revents = 0;
		else if (!f)
			p->revents = POLLNVAL;
		else
			p->revents = (short)(file_poll(f) & ((unsigned short)p->events | POLLERR | POLLHUP));
		count += p->revents != 0;
	}
	return count;
}

/* The wait with its mask; -ERESTARTNOHAND when a signal came, as Linux
 * (a handler that ran makes it EINTR, never a restart). */
static long wait_with_mask(long (*scan)(void *), void *ctx, const struct wait_timeout *t,
			   struct wait_sigmask *m)
{
	long n = poll_wait(scan, ctx, t->deadline);

	wait_sigmask_restore(m, n);
	wait_timeout_write_left(t);
	return n == -ERESTARTSYS ? -ERESTARTNOHAND : n;
}

/* ppoll(fds, nfds, tmo, sigmask, sigsetsize) */
SYSCALL(ppoll)
{
	uint64_t ufds = args->a[0], nfds = args->a[1];
	struct wait_timeout t;
	struct wait_sigmask m;
	struct poll_ctx c = { NULL, nfds };
	long n;

	if ((n = wait_timeout_from_timespec(args->a[2], &t)) != 0)
		return n;
	/* The limit, not the table size, as Linux; which never lets the limit
	 * pass nr_open (NR_OPEN_MAX here), so neither may nfds. */
	if (nfds > MIN(current->rlim[RLIMIT_NOFILE].cur, (uint64_t)NR_OPEN_MAX))
		return -EINVAL;
	if (nfds && !(c.fds = kmalloc(nfds * sizeof(*c.fds))))
		return -ENOMEM;
	if (nfds && copy_from_user(c.fds, ufds, nfds * sizeof(*c.fds))) {
		kfree(c.fds);
		return -EFAULT;
	}
	if ((n = wait_sigmask_set(args->a[3], args->a[4], &m)) == 0)
		n = wait_with_mask(scan_pollfds, &c, &t, &m);
	for (uint64_t i = 0; n >= 0 && i < nfds; i++)
		if (copy_to_user(ufds + i * sizeof(*c.fds) + 6, &c.fds[i].revents, sizeof(short)))
			n = -EFAULT;
	kfree(c.fds);
	return n;
}

#define BITS 64
#define SET_WORDS (MAX_FDS / BITS)
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET POLLPRI

enum { SET_IN, SET_OUT, SET_EX, NSETS };
static const unsigned set_mask[NSETS] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };

struct select_ctx {
	int n;
	uint64_t in[NSETS][SET_WORDS], out[NSETS][SET_WORDS];
};

static bool bit(const uint64_t *set, int fd)
{
	return set[fd / BITS] >> (fd % BITS) & 1;
}

static long scan_fdsets(void *ctx)
{
	struct select_ctx *c = ctx;
	long count = 0;

	for (int fd = 0; fd < c->n; fd++) {
		unsigned mask;
		bool asked = false;

		for (int s = 0; s < NSETS; s++)
			asked |= bit(c->in[s], fd);
		if (!asked)
			continue;
		struct file *f = fd_file(fd);
		mask = f ? file_poll(f) : 0; /* closed while we slept: never ready */
		for (int s = 0; s < NSETS; s++) {
			if (bit(c->in[s], fd) && (mask & set_mask[s])) {
				c->out[s][fd / BITS] |= 1ull << (fd % BITS);
				count++;
			}
		}
	}
	return count;
}

/* Reads the user's sets (NULL ones stay empty); -EBADF if one names a
 * descriptor that is not open, as Linux's max_select_fd. */
static int read_fdsets(struct select_ctx *c, const uint64_t usets[NSETS])
{
	size_t bytes = (size_t)(c->n + BITS - 1) / BITS * 8;

	for (int s = 0; s < NSETS; s++)
		if (usets[s] && copy_from_user(c->in[s], usets[s], bytes))
			return -EFAULT;
	for (int fd = 0; fd < c->n; fd++)
		for (int s = 0; s < NSETS; s++)
			if (bit(c->in[s], fd) && !fd_file(fd))
				return -EBADF;
	return 0;
}

static int write_fdsets(const struct select_ctx *c, const uint64_t usets[NSETS])
{
	size_t bytes = (size_t)(c->n + BITS - 1) / BITS * 8;

	for (int s = 0; s < NSETS; s++)
		if (usets[s] && copy_to_user(usets[s], c->out[s], bytes))
			return -EFAULT;
	return 0;
}

/* pselect6's sixth argument: { const sigset_t *ss; size_t ss_len; }. */
static int pselect_sigmask(uint64_t uarg, struct wait_sigmask *m)
{
	uint64_t a[2];

	m->active = false;
	if (!uarg)
		return 0;
	if (copy_from_user(a, uarg, sizeof(a)))
		return -EFAULT;
	return wait_sigmask_set(a[0], a[1], m);
}

/* pselect6(n, inp, outp, exp, tsp, sig); n beyond the descriptor table is
 * cut to its size, as Linux. */
SYSCALL(pselect6)
{
	const uint64_t usets[NSETS] = { args->a[1], args->a[2], args->a[3] };
	struct select_ctx *c;
	struct wait_timeout t;
	struct wait_sigmask m;
	long n;

	if ((n = wait_timeout_from_timespec(args->a[4], &t)) != 0)
		return n;
	if ((int)args->a[0] < 0)
		return -EINVAL;
	if ((n = pselect_sigmask(args->a[5], &m)) != 0)
		return n;
	if (!(c = kzalloc(sizeof(*c)))) {
		wait_sigmask_restore(&m, -ENOMEM);
		return -ENOMEM;
	}
	c->n = MIN((int)args->a[0], MAX_FDS);
	if ((n = read_fdsets(c, usets)) == 0)
		n = wait_with_mask(scan_fdsets, c, &t, &m);
	else
		wait_sigmask_restore(&m, n);
	if (n >= 0 && write_fdsets(c, usets))
		n = -EFAULT;
	kfree(c);
	return n;
}
