/* Opening a FIFO (a named pipe on a file system): the inode's pipe, made at
 * the first open, with Linux's fifo_open rules: a reader waits for a
 * writer and a writer for a reader, unless O_NONBLOCK (then a reader opens
 * at once and a writer without a reader gets ENXIO); O_RDWR never waits. */
#include <frame/errno.h>
#include <frame/irq.h>
#include "fs/fcntl.h"
#include "fs/fifo.h"
#include "fs/pipe.h"
#include "fs/vfs.h"

/* Sleeps until *counter moves (a partner opened); -ERESTARTSYS on a signal. */
static int wait_for_partner(struct pipe *p, const unsigned *counter)
{
	unsigned seen = *counter;
	unsigned long flags = irq_save();
	int err = 0;

	while (*counter == seen && !err)
		err = pipe_sleep(p);
	irq_restore(flags);
	return err;
}

/* The end is counted in the pipe (pipe_open_end) before any wait, so the
 * pipe stays while this open sleeps and a partner sees it. */
static int open_wait(struct pipe *p, unsigned flags)
{
	unsigned acc = flags & O_ACCMODE;

	if (acc == O_RDONLY && !p->writers && !(flags & O_NONBLOCK))
		return wait_for_partner(p, &p->w_counter);
	if (acc == O_WRONLY && !p->readers)
		return wait_for_partner(p, &p->r_counter);
	return 0;
}

int fifo_open(struct inode *ino, unsigned flags, struct file **out)
{
	struct pipe *p = ino->pipe;
	unsigned acc = flags & O_ACCMODE;
	int err;

	if (acc == O_WRONLY && (flags & O_NONBLOCK) && (!p || !p->readers))
		return -ENXIO;
	if (!p) {
		if (!(p = pipe_new()))
			return -ENOMEM;
		p->inode = ino;
		ino->pipe = p;
	}
	if ((err = pipe_open_end(p, flags, out)) != 0) {
		if (!p->readers && !p->writers)
			pipe_drop(p, false, false);
		return err;
	}
	pipe_wake(p); /* a partner waiting in open, or a poller */
	if ((err = open_wait(p, flags)) != 0) {
		file_put(*out); /* its release undoes the count and wakes the other side */
		*out = NULL;
	}
	return err;
}
