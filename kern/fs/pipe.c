/* Pipe objects and the file ops of their ends (see pipe.h). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/uaccess.h>
#include "fs/fcntl.h"
#include "fs/iobuf.h"
#include "fs/pipe.h"
#include "fs/poll.h"
#include "fs/vfs.h"
#include "proc/process.h"
#include "proc/signal.h"
#include "proc/sleep.h"

#define FIONREAD 0x541b

/* What one open end keeps: its pipe, and how many writers had opened when
 * it was opened: a FIFO reader sees POLLHUP only once a writer has come and
 * gone since (Linux's f_version against w_counter). */
struct pipe_end {
	struct pipe *pipe;
	unsigned w_seen;
};

static struct pipe *pipe_of(const struct file *f)
{
	return ((struct pipe_end *)f->priv)->pipe;
}

struct pipe *pipe_new(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->wq = (struct wait_queue)WAIT_QUEUE_INIT;
	if (pipe_ring_resize(p, PIPE_DEF_SIZE)) {
		kfree(p);
		return NULL;
	}
	return p;
}

void pipe_wake(struct pipe *p)
{
	if (p->sleepers)
		wait_queue_wake_all(&p->wq);
	poll_wake();
}

int pipe_sleep(struct pipe *p)
{
	int err;

	p->sleepers++;
	err = proc_sleep(&p->wq);
	p->sleepers--;
	return err;
}

void pipe_drop(struct pipe *p, bool reader, bool writer)
{
	if (reader && !--p->readers)
		p->out_gen++; /* writers now see EPIPE / POLLERR */
	if (writer && !--p->writers)
		p->in_gen++; /* readers now see EOF / POLLHUP */
	pipe_wake(p);
	if (p->readers || p->writers)
		return;
	if (p->inode) {
		p->inode->pipe = NULL;
		if (p->anon) /* evicted by the inode_put that ends file_put */
			p->inode->nlink = 0;
	}
	pipe_ring_free(p);
	pipe_packet_free(p);
	kfree(p);
}

/* Sleeps until cond(p, need) or an error: -EAGAIN for O_NONBLOCK, or
 * -ERESTARTSYS when a signal comes. */
static int pipe_wait(struct pipe *p, bool nonblock, bool (*cond)(const struct pipe *, size_t),
		     size_t need)
{
	unsigned long flags = irq_save();
	int err = 0;

	while (!cond(p, need)) {
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		if ((err = pipe_sleep(p)) != 0)
			break;
	}
	irq_restore(flags);
	return err;
}

static bool has_data_or_eof(const struct pipe *p, size_t need)
{
	(void)need;
	return p->len || !p->writers;
}

static bool has_room_or_no_reader(const struct pipe *p, size_t need)
{
	return p->size - p->len >= need || !p->readers;
}

static bool has_packet_room_or_no_reader(const struct pipe *p, size_t need)
{
	return (p->size - p->len >= need && pipe_packet_room(p)) || !p->readers;
}

long pipe_read_iob(struct file *f, const struct iobuf *b, size_t len, bool nonblock)
{
	struct pipe *p = pipe_of(f);
	size_t n, packet;
	bool was_full;
	int err;

	if (len == 0)
		return 0;
	if ((err = pipe_wait(p, nonblock, has_data_or_eof, 0)) != 0)
		return err;
	if (!(n = pipe_packet_take(p, len, &packet)))
		return 0;
	was_full = p->size - p->len < PIPE_BUF || !pipe_packet_room(p);
	if ((err = pipe_ring_get(p, b, n)) != 0)
		return err;
	if (packet) { /* the rest of a packet that did not fit is dropped */
		pipe_ring_skip(p, packet - n);
		pipe_packet_pop(p);
	}
	if (was_full) /* only then is room news for edge-triggered writers, as Linux */
		p->out_gen++;
	pipe_wake(p);
	return (long)n;
}

/* Room to wait for before the next piece: all of a write up to PIPE_BUF
 * (atomic), else any room at all. */
static size_t room_needed(size_t len, size_t left)
{
	return len <= PIPE_BUF ? left : 1;
}

static long write_result(size_t done, long err)
{
	return done ? (long)done : err;
}

/* One piece of a write: in packet mode a packet of up to PIPE_BUF bytes
 * (waiting for all of it and a slot), else as much as fits. */
static int write_piece(struct pipe *p, const struct iobuf *b, size_t len, size_t left,
		       bool packets, bool nonblock, size_t *moved)
{
	size_t want = packets ? MIN(left, (size_t)PIPE_BUF) : room_needed(len, left);
	int err = pipe_wait(p, nonblock, packets ? has_packet_room_or_no_reader : has_room_or_no_reader,
			    want);
	size_t n;

	if (err)
		return err;
	if (!p->readers) {
		signal_send(current, SIGPIPE);
		return -EPIPE;
	}
	n = packets ? want : MIN(left, p->size - p->len);
	if ((err = pipe_ring_put(p, b, n)) != 0)
		return err;
	if (packets && (err = pipe_packet_push(p, n)) != 0) {
		p->len -= n; /* take the bytes back: nothing was written */
		p->wseq -= n;
		return err;
	}
	*moved = n;
	return 0;
}

long pipe_write_iob(struct file *f, const struct iobuf *src, size_t len, bool nonblock)
{
	struct pipe *p = pipe_of(f);
	bool packets = f->flags & O_DIRECT;
	size_t done = 0;
	int err;

	if (len == 0)
		return 0;
	for (;;) {
		struct iobuf b = src->kernel ? iobuf_kernel(src->kernel + done) : iobuf_user(src->user + done);
		size_t n = 0;

		if ((err = write_piece(p, &b, len, len - done, packets, nonblock, &n)) != 0)
			return write_result(done, err);
		done += n;
		p->in_gen++;
		if (f->inode) /* a write is a modification, as Linux's file_update_time */
			inode_touch(f->inode, T_MTIME | T_CTIME);
		pipe_wake(p);
		if (done == len)
			return (long)done;
	}
}

long pipe_wait_room(struct file *f, bool nonblock)
{
	struct pipe *p = pipe_of(f);
	int err = pipe_wait(p, nonblock, has_room_or_no_reader, 1);

	if (err)
		return err;
	if (!p->readers) {
		signal_send(current, SIGPIPE);
		return -EPIPE;
	}
	return (long)(p->size - p->len);
}

/* Reads what is there (up to len) once something is; 0 at EOF. */
static long pipe_read(struct file *f, uint64_t ubuf, size_t len)
{
	struct iobuf b = iobuf_user(ubuf);

	return pipe_read_iob(f, &b, len, f->flags & O_NONBLOCK);
}

static long pipe_write(struct file *f, uint64_t ubuf, size_t len)
{
	struct iobuf b = iobuf_user(ubuf);

	return pipe_write_iob(f, &b, len, f->flags & O_NONBLOCK);
}

static unsigned pipe_poll(struct file *f)
{
	struct pipe_end *e = f->priv;
	struct pipe *p = e->pipe;
	unsigned mask = 0;

	if ((f->flags & O_ACCMODE) != O_WRONLY) {
		if (p->len)
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers && e->w_seen != p->w_counter)
			mask |= POLLHUP;
	}
	if ((f->flags & O_ACCMODE) != O_RDONLY) {
		if (p->size - p->len >= PIPE_BUF && pipe_packet_room(p))
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	return mask;
}

/* Edge-triggered epoll: every write counts for POLLIN (Linux wakes readers
 * on each write once the pipe is polled), room in a full pipe for POLLOUT. */
static uint64_t pipe_poll_gen(struct file *f, unsigned events)
{
	struct pipe *p = pipe_of(f);

	return (events & (POLLIN | POLLRDNORM) ? p->in_gen : 0) +
	       (events & (POLLOUT | POLLWRNORM) ? p->out_gen : 0);
}

static long pipe_ioctl(struct file *f, unsigned long cmd, uint64_t uarg)
{
	int n = (int)pipe_of(f)->len;

	if (cmd != FIONREAD)
		return -ENOTTY;
	return copy_to_user(uarg, &n, sizeof(n)) ? -EFAULT : 0;
}

static void pipe_release(struct file *f)
{
	struct pipe_end *e = f->priv;
	unsigned acc = f->flags & O_ACCMODE;

	pipe_drop(e->pipe, acc != O_WRONLY, acc != O_RDONLY);
	kfree(e);
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.poll_gen = pipe_poll_gen,
	.release = pipe_release,
};

bool file_is_pipe(const struct file *f)
{
	return f->ops == &pipe_ops;
}

int pipe_open_end(struct pipe *p, unsigned flags, struct file **out)
{
	struct pipe_end *e = kzalloc(sizeof(*e));
	unsigned acc = flags & O_ACCMODE;
	int err = e ? file_create(&pipe_ops, flags, e, out) : -ENOMEM;

	if (err) {
		kfree(e);
		return err;
	}
	e->pipe = p;
	e->w_seen = p->w_counter;
	if (acc != O_WRONLY) {
		p->readers++;
		p->r_counter++;
	}
	if (acc != O_RDONLY) {
		p->writers++;
		p->w_counter++;
	}
	return 0;
}

long pipe_tee(struct file *in, struct file *out, size_t len, bool nb_in, bool nb_out)
{
	struct pipe *src = pipe_of(in);
	char bounce[256];
	size_t done = 0, n;
	long room;
	int err;

	if ((err = pipe_wait(src, nb_in, has_data_or_eof, 0)) != 0)
		return err;
	if (!src->len)
		return 0;
	if ((room = pipe_wait_room(out, nb_out)) < 0)
		return room;
	n = MIN(len, MIN(src->len, (size_t)room));
	while (done < n) {
		struct iobuf b = iobuf_kernel(bounce);
		size_t piece = MIN(n - done, sizeof(bounce));
		long put;

		if ((err = pipe_ring_peek(src, done, &b, piece)) != 0)
			return write_result(done, err);
		if ((put = pipe_write_iob(out, &b, piece, true)) <= 0)
			return write_result(done, put);
		done += (size_t)put;
	}
	return (long)done;
}

bool pipe_same(const struct file *a, const struct file *b)
{
	return pipe_of(a) == pipe_of(b);
}

long pipe_get_size(struct file *f)
{
	return file_is_pipe(f) ? (long)pipe_of(f)->size : -EBADF;
}

/* Linux's round_pipe_size: whole pages, a power of two of them. */
static size_t round_pipe_size(uint64_t size)
{
	size_t r = PIPE_BUF;

	if (size > (1ull << 31))
		return 0;
	while (r < size)
		r <<= 1;
	return r;
}

long pipe_set_size(struct file *f, uint64_t size)
{
	struct pipe *p;
	size_t want = round_pipe_size(size);
	int err;

	if (!file_is_pipe(f))
		return -EBADF;
	p = pipe_of(f);
	if (!want)
		return -EINVAL;
	if (want > p->size && want > PIPE_MAX_SIZE && !vfs_capable())
		return -EPERM;
	if (want < p->len || !pipe_packet_fits(p, want))
		return -EBUSY;
	if (want != p->size && ((err = pipe_ring_resize(p, want)) != 0 ||
				(err = pipe_packet_resize(p)) != 0))
		return err;
	pipe_wake(p);
	return (long)want;
}
