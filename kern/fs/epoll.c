/* epoll instances (see epoll.h). Level-triggered items report while their
 * file is ready; edge-triggered ones once per new event (the file's
 * poll_gen count moved, or a readiness bit newly set); one-shot items report
 * once and then wait for EPOLL_CTL_MOD. */
#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/epoll.h"
#include "fs/fcntl.h"
#include "fs/file.h"
#include "fs/poll.h"
#include "fs/stat.h"

#define EP_PRIVATE (EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET)
#define EP_MAX_NESTS 4 /* Linux's limit on epoll sets inside epoll sets */

struct epitem {
	struct epitem *next;
	struct file *file; /* not a reference: see epoll_file_closed */
	int fd;
	uint32_t events;   /* what was asked, with EPOLLERR | EPOLLHUP */
	uint64_t data;
	bool reported;     /* edge-triggered: reported since the last ADD/MOD */
	uint64_t gen;      /* edge-triggered: the file's poll_gen when last reported */
	unsigned last;     /* edge-triggered without poll_gen: readiness at the last wait */
};

struct epoll {
	struct epitem *items; /* reported ones move to the end, so none starves */
	struct epoll *next_all;
};

static struct epoll *all_epolls; /* every instance, for epoll_file_closed */

static const struct file_ops epoll_ops;

bool file_is_epoll(const struct file *f)
{
	return f->ops == &epoll_ops;
}

/* The events it in would report now, 0 if none; consume: a wait takes
 * them (edge-triggered and one-shot state moves on). */
static unsigned item_check(struct epitem *it, bool consume)
{
	unsigned mask = it->events & ~EP_PRIVATE, ready;
	const struct file_ops *ops = it->file->ops;
	uint64_t gen;
	bool fresh;

	if (!mask)
		return 0; /* a one-shot that fired */
	ready = file_poll(it->file) & mask;
	if (it->events & EPOLLET) {
		gen = ops->poll_gen ? ops->poll_gen(it->file, mask) : 0;
		fresh = !it->reported || (ops->poll_gen ? gen != it->gen : (ready & ~it->last) != 0);
		if (consume)
			it->last = ready;
		if (!fresh)
			return 0;
		if (ready && consume) {
			it->reported = true;
			it->gen = gen;
		}
	}
	if (ready && consume && (it->events & EPOLLONESHOT))
		it->events &= EP_PRIVATE;
	return ready;
}

/* Collects up to max events; reported items move to the end of the list. */
static int collect(struct epoll *ep, struct epoll_event *out, int max)
{
	struct epitem *keep = NULL, **kt = &keep, *done = NULL, **dt = &done, *next;
	int n = 0;

	for (struct epitem *it = ep->items; it; it = next) {
		unsigned r = n < max ? item_check(it, true) : 0;

		next = it->next;
		it->next = NULL;
		if (r) {
			out[n++] = (struct epoll_event){ .events = r, .data = it->data };
			*dt = it;
			dt = &it->next;
		} else {
			*kt = it;
			kt = &it->next;
		}
	}
	*kt = done;
	ep->items = keep;
	return n;
}

struct wait_ctx {
	struct epoll *ep;
	struct epoll_event *out;
	int max;
};

static long collect_scan(void *ctx)
{
	struct wait_ctx *w = ctx;

	return collect(w->ep, w->out, w->max);
}

int epoll_wait(struct file *f, struct epoll_event *out, int max, uint64_t deadline_ns)
{
	struct wait_ctx w = { f->priv, out, max };
	long n = poll_wait(collect_scan, &w, deadline_ns);

	return n == -ERESTARTSYS ? -EINTR : (int)n; /* never restarted, as Linux */
}

static struct epitem *find(struct epoll *ep, int fd, const struct file *target)
{
	for (struct epitem *it = ep->items; it; it = it->next)
		if (it->fd == fd && it->file == target)
			return it;
	return NULL;
}

/* How deep the epoll sets below ep go (ep itself is 1), and whether to is
 * among them: adding must not make a cycle or nest too deep. */
static unsigned nest_depth(const struct epoll *ep, const struct epoll *to, bool *reaches)
{
	unsigned depth = 0;

	if (ep == to)
		*reaches = true;
	for (struct epitem *it = ep->items; it && !*reaches; it = it->next)
		if (file_is_epoll(it->file))
			depth = MAX(depth, nest_depth(it->file->priv, to, reaches));
	return depth + 1;
}

static int item_add(struct epoll *ep, int fd, struct file *target, const struct epoll_event *ev)
{
	struct epitem *it;
	bool loop = false;

	if (find(ep, fd, target))
		return -EEXIST;
	if (file_is_epoll(target) &&
	    (nest_depth(target->priv, ep, &loop) > EP_MAX_NESTS || loop))
		return -ELOOP;
	if (!(it = kzalloc(sizeof(*it))))
		return -ENOMEM;
	*it = (struct epitem){ .next = ep->items, .file = target, .fd = fd,
			       .events = ev->events | EPOLLERR | EPOLLHUP, .data = ev->data };
	ep->items = it;
	target->epoll_watches++;
	poll_wake(); /* a waiter on ep looks at the new item */
	return 0;
}

static void item_remove(struct epoll *ep, struct epitem *victim)
{
	for (struct epitem **pp = &ep->items; *pp; pp = &(*pp)->next) {
		if (*pp == victim) {
			*pp = victim->next;
			victim->file->epoll_watches--;
			kfree(victim);
			return;
		}
	}
}

int epoll_ctl(struct file *f, int op, int fd, struct file *target, const struct epoll_event *ev)
{
	struct epoll *ep = f->priv;
	struct epitem *it;

	switch (op) {
	case EPOLL_CTL_ADD:
		return item_add(ep, fd, target, ev);
	case EPOLL_CTL_DEL:
		if (!(it = find(ep, fd, target)))
			return -ENOENT;
		item_remove(ep, it);
		return 0;
	case EPOLL_CTL_MOD:
		if (!(it = find(ep, fd, target)))
			return -ENOENT;
		if (it->events & EPOLLEXCLUSIVE)
			return -EINVAL; /* an exclusive item cannot be modified, as Linux */
		it->events = ev->events | EPOLLERR | EPOLLHUP;
		it->data = ev->data;
		it->reported = false;
		poll_wake();
		return 0;
	default:
		return -EINVAL;
	}
}

void epoll_file_closed(struct file *f)
{
	for (struct epoll *ep = all_epolls; ep && f->epoll_watches; ep = ep->next_all)
		for (struct epitem *it = ep->items, *next; it; it = next) {
			next = it->next;
			if (it->file == f)
				item_remove(ep, it);
		}
}

/* An epoll file is readable when a wait would report something. */
static unsigned epoll_poll(struct file *f)
{
	struct epoll *ep = f->priv;

	for (struct epitem *it = ep->items; it; it = it->next)
		if (item_check(it, false))
			return POLLIN | POLLRDNORM;
	return 0;
}

static void epoll_release(struct file *f)
{
	struct epoll *ep = f->priv;

	for (struct epoll **pp = &all_epolls; *pp; pp = &(*pp)->next_all)
		if (*pp == ep) {
			*pp = ep->next_all;
			break;
		}
	while (ep->items)
		item_remove(ep, ep->items);
	kfree(ep);
}

/* An anonymous inode's: mode 0600 with no file type bits, as Linux's. */
static int epoll_stat(struct file *f, struct kstat *st)
{
	(void)f;
	*st = (struct kstat){ .mode = 0600, .nlink = 1, .blksize = 4096 };
	return 0;
}

static const struct file_ops epoll_ops = {
	.llseek = file_noop_llseek,
	.poll = epoll_poll,
	.stat = epoll_stat,
	.release = epoll_release,
};

int epoll_create(unsigned flags, struct file **out)
{
	struct epoll *ep = kzalloc(sizeof(*ep));
	int err = ep ? file_create(&epoll_ops, O_RDWR | (flags & O_NONBLOCK), ep, out) : -ENOMEM;

	if (err) {
		kfree(ep);
		return err;
	}
	ep->next_all = all_epolls;
	all_epolls = ep;
	return 0;
}
