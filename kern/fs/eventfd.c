/* eventfd: a 64-bit counter as a file. A write adds to it (waiting while
 * the sum would pass 2^64 - 2); a read takes it all and leaves 0, or with
 * EFD_SEMAPHORE takes 1 (waiting while it is 0). Linux's fs/eventfd.c. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/uaccess.h>
#include "fs/eventfd.h"
#include "fs/fcntl.h"
#include "fs/poll.h"
#include "fs/stat.h"
#include "proc/sleep.h"

#define COUNT_MAX (UINT64_MAX - 1)

struct eventfd {
	uint64_t count;
	bool semaphore;
	uint64_t reads, writes; /* events, for edge-triggered epoll */
	struct wait_queue wq;
};

static bool readable(const struct eventfd *e, uint64_t add)
{
	(void)add;
	return e->count > 0;
}

static bool room_for(const struct eventfd *e, uint64_t add)
{
	return COUNT_MAX - e->count >= add;
}

/* Sleeps until ok(e, arg): -EAGAIN for O_NONBLOCK, -ERESTARTSYS on a signal. */
static int efd_wait(struct file *f, bool (*ok)(const struct eventfd *, uint64_t), uint64_t arg)
{
	struct eventfd *e = f->priv;
	unsigned long flags = irq_save();
	int err = 0;

	while (!ok(e, arg)) {
		if (f->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		if ((err = proc_sleep(&e->wq)) != 0)
			break;
	}
	irq_restore(flags);
	return err;
}

static void efd_wake(struct eventfd *e)
{
	wait_queue_wake_all(&e->wq);
	poll_wake();
}

static long efd_read(struct file *f, uint64_t ubuf, size_t len)
{
	struct eventfd *e = f->priv;
	uint64_t v;
	int err;

	if (len < sizeof(v))
		return -EINVAL;
	if ((err = efd_wait(f, readable, 0)) != 0)
		return err;
	v = e->semaphore ? 1 : e->count;
	if (copy_to_user(ubuf, &v, sizeof(v)))
		return -EFAULT;
	e->count -= v;
	e->reads++;
	efd_wake(e);
	return sizeof(v);
}

static long efd_write(struct file *f, uint64_t ubuf, size_t len)
{
	struct eventfd *e = f->priv;
	uint64_t v;
	int err;

	if (len < sizeof(v))
		return -EINVAL;
	if (copy_from_user(&v, ubuf, sizeof(v)))
		return -EFAULT;
	if (v == UINT64_MAX)
		return -EINVAL;
	if ((err = efd_wait(f, room_for, v)) != 0)
		return err;
	e->count += v;
	e->writes++;
	efd_wake(e);
	return sizeof(v);
}

static unsigned efd_poll(struct file *f)
{
	struct eventfd *e = f->priv;
	unsigned mask = 0;

	if (e->count > 0)
		mask |= POLLIN | POLLRDNORM;
	if (e->count < COUNT_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* Linux wakes pollers on every write (POLLIN) and every read (POLLOUT). */
static uint64_t efd_poll_gen(struct file *f, unsigned events)
{
	struct eventfd *e = f->priv;

	return (events & POLLIN ? e->writes : 0) + (events & POLLOUT ? e->reads : 0);
}

/* An anonymous inode's: mode 0600 with no file type bits, as Linux's. */
static int efd_stat(struct file *f, struct kstat *st)
{
	(void)f;
	*st = (struct kstat){ .mode = 0600, .nlink = 1, .blksize = 4096 };
	return 0;
}

static void efd_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops eventfd_ops = {
	.read = efd_read,
	.write = efd_write,
	.llseek = file_noop_llseek,
	.poll = efd_poll,
	.poll_gen = efd_poll_gen,
	.stat = efd_stat,
	.release = efd_release,
};

bool file_is_eventfd(const struct file *f)
{
	return f->ops == &eventfd_ops;
}

int eventfd_create(unsigned initval, unsigned flags, struct file **out)
{
	struct eventfd *e = kzalloc(sizeof(*e));
	int err = e ? file_create(&eventfd_ops, O_RDWR | (flags & O_NONBLOCK), e, out) : -ENOMEM;

	if (err) {
		kfree(e);
		return err;
	}
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	e->wq = (struct wait_queue)WAIT_QUEUE_INIT;
	return 0;
}
