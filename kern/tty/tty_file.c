/* Files on a tty: /dev/console, /dev/ttyS0, /dev/tty and /dev/pts/N all
 * reach one of these, whose priv is the tty. */
#include <frame/errno.h>
#include "fs/stat.h"
#include "tty/tty.h"

static struct tty *tty_of(struct file *f)
{
	return f->priv;
}

static long file_read(struct file *f, uint64_t ubuf, size_t len)
{
	return tty_read(tty_of(f), f, ubuf, len);
}

static long file_write(struct file *f, uint64_t ubuf, size_t len)
{
	return tty_write(tty_of(f), f, ubuf, len);
}

static long file_ioctl(struct file *f, unsigned long cmd, uint64_t arg)
{
	return tty_ioctl(tty_of(f), f, cmd, arg);
}

static unsigned file_poll(struct file *f)
{
	return tty_poll(tty_of(f));
}

/* Files not opened through a node (init's console) still stat as one. */
static int file_stat_op(struct file *f, struct kstat *st)
{
	*st = (struct kstat){ .mode = S_IFCHR | 0620, .nlink = 1, .rdev = tty_of(f)->rdev,
			      .blksize = 1024, .ino = 1 };
	return 0;
}

static void file_release(struct file *f)
{
	struct tty *t = tty_of(f);

	t->opens--;
	if (t->driver->closed)
		t->driver->closed(t);
}

const struct file_ops tty_file_ops = {
	.read = file_read,
	.write = file_write,
	.ioctl = file_ioctl,
	.poll = file_poll,
	.stat = file_stat_op,
	.release = file_release,
};

int tty_open_file(struct tty *t, unsigned flags, bool may_ctty, struct file **out)
{
	int err = file_create(&tty_file_ops, flags, t, out);

	if (err)
		return err;
	if (t->opens++ == 0)
		t->hungup = false; /* a fresh open of a hung-up tty starts over */
	if (t->driver->opened)
		t->driver->opened(t);
	if (may_ctty)
		tty_open_ctty(t, flags);
	return 0;
}
