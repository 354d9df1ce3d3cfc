/* The master end of a pty as a file: reads take the slave's output, writes
 * are the slave's input, and the pty ioctls (TIOCGPTN, TIOCSPTLCK,
 * TIOCGPTPEER) live here with the ones asked of the slave through it. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/uaccess.h>
#include "fs/fcntl.h"
#include "fs/fdtable.h"
#include "fs/poll.h"
#include "proc/sleep.h"
#include "tty/pty.h"

#define CHUNK 256

static struct pty *pty_of(struct file *f)
{
	return f->priv;
}

static size_t pending(const struct pty *p)
{
	return p->ohead - p->otail;
}

static int wait_output(struct pty *p, struct file *f)
{
	unsigned long flags;
	int err = 0;

	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	flags = irq_save();
	while (!pending(p) && !pty_slave_gone(p) && !err)
		err = proc_sleep(&p->master_wait);
	irq_restore(flags);
	return err;
}

static long master_read(struct file *f, uint64_t ubuf, size_t len)
{
	struct pty *p = pty_of(f);
	char kbuf[CHUNK];
	size_t done = 0;
	int err;

	if (!len)
		return 0;
	while (!pending(p)) {
		if (pty_slave_gone(p))
			return -EIO; /* as Linux once every slave file is closed */
		if ((err = wait_output(p, f)) != 0)
			return err;
	}
	while (done < len && pending(p)) {
		size_t n = MIN(MIN(len - done, sizeof(kbuf)), pending(p));
		for (size_t i = 0; i < n; i++)
			kbuf[i] = p->obuf[(p->otail + i) % TTY_BUF];
		if (copy_to_user(ubuf + done, kbuf, n))
			return done ? (long)done : -EFAULT;
		p->otail += (unsigned)n;
		done += n;
	}
	tty_wake(&p->slave); /* slave writers wait for room */
	return (long)done;
}

static int wait_input_room(struct pty *p, struct file *f)
{
	unsigned long flags;
	int err = 0;

	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	flags = irq_save();
	while (p->slave.head - p->slave.tail >= TTY_BUF && !err)
		err = proc_sleep(&p->slave.write_wait);
	irq_restore(flags);
	return err;
}

static long master_write(struct file *f, uint64_t ubuf, size_t len)
{
	struct pty *p = pty_of(f);
	char kbuf[CHUNK];
	size_t done = 0;
	int err;

	while (done < len) {
		size_t n = MIN(len - done, sizeof(kbuf)), taken;
		if (copy_from_user(kbuf, ubuf + done, n))
			return done ? (long)done : -EFAULT;
		taken = tty_receive(&p->slave, kbuf, n);
		done += taken;
		if (taken < n && (err = wait_input_room(p, f)) != 0)
			return done ? (long)done : err;
	}
	return (long)done;
}

static unsigned master_poll(struct file *f)
{
	struct pty *p = pty_of(f);
	unsigned mask = 0;

	if (pending(p))
		mask |= POLLIN | POLLRDNORM;
	if (pty_slave_gone(p))
		mask |= POLLHUP;
	if (p->slave.head - p->slave.tail < TTY_BUF)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static long put_uint(uint64_t arg, unsigned v)
{
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* TIOCGPTPEER: the slave opened straight from the master, no path needed. */
static long open_peer(struct pty *p, unsigned long flags)
{
	struct file *f;
	int err, fd;

	if (flags & ~(unsigned long)(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	if ((err = pty_open_slave(p->index, (unsigned)flags, &f)) != 0)
		return err;
	if ((fd = fd_alloc(current, f, 0, flags & O_CLOEXEC)) < 0)
		file_put(f);
	return fd;
}

static long master_ioctl(struct file *f, unsigned long cmd, uint64_t arg)
{
	struct pty *p = pty_of(f);
	int v;

	switch (cmd) {
	case TIOCGPTN:
		return put_uint(arg, p->index);
	case TIOCSPTLCK:
		if (copy_from_user(&v, arg, sizeof(v)))
			return -EFAULT;
		p->locked = v != 0;
		return 0;
	case TIOCGPTLCK:
		return put_uint(arg, p->locked);
	case TIOCGPTPEER:
		return open_peer(p, arg);
	case TCGETS: case TCSETS: case TCSETSW: case TCSETSF:
	case TCGETS2: case TCSETS2: case TCSETSW2: case TCSETSF2:
	case TIOCGWINSZ: case TIOCSWINSZ:
		return tty_ioctl(&p->slave, f, cmd, arg); /* as Linux: the slave's */
	case FIONREAD:
		return put_uint(arg, (unsigned)pending(p));
	case TIOCOUTQ:
		return put_uint(arg, 0);
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH)
			p->otail = p->ohead;
		return 0;
	case FIONBIO:
		if (copy_from_user(&v, arg, sizeof(v)))
			return -EFAULT;
		f->flags = v ? f->flags | O_NONBLOCK : f->flags & ~(unsigned)O_NONBLOCK;
		return 0;
	case TCSBRK: case TCSBRKP: case TCXONC: case TIOCEXCL: case TIOCNXCL:
		return 0;
	default:
		return tty_jobctl_ioctl(NULL, &p->slave, f, cmd, arg);
	}
}

static void master_release(struct file *f)
{
	pty_master_closed(pty_of(f));
}

const struct file_ops pty_master_ops = {
	.read = master_read,
	.write = master_write,
	.ioctl = master_ioctl,
	.poll = master_poll,
	.release = master_release,
};
