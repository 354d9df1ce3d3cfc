/* sendfile, splice and copy_file_range: moving bytes between descriptors
 * through a kernel bounce buffer, between regular files and pipes;
 * vmsplice between user memory and a pipe. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include "fs/iobuf.h"
#include "fs/pipe.h"
#include "fs/poll.h"
#include "syscall/sys_file.h"

#define BOUNCE (4096 - 96) /* one heap page with its header */
#define MAX_RW_COUNT (INT32_MAX & ~4095l)
#define SPLICE_F_NONBLOCK 2
#define SPLICE_FLAGS 15 /* MOVE, NONBLOCK, MORE, GIFT: the rest are hints here */
#define IOV_MAX 1024

/* One side of a transfer: a pipe end, or a regular file at *pos. */
struct side {
	struct file *f;
	uint64_t pos;
	bool nonblock;
};

/* A regular file the VFS reads through its inode (tmpfs, ext2). Files
 * with their own ops, such as procfs's generated text, are not: sendfile
 * gives EINVAL for them and callers (busybox cat) fall back to read. */
static bool is_reg(const struct file *f)
{
	return f->ops == &vfs_reg_ops;
}

static long side_read(struct side *s, char *buf, size_t n)
{
	struct iobuf b = iobuf_kernel(buf);
	long got;

	if (file_is_pipe(s->f))
		return pipe_read_iob(s->f, &b, n, s->nonblock);
	if ((got = vfs_reg_pread_iob(s->f, &b, n, s->pos)) > 0)
		s->pos += (uint64_t)got;
	return got;
}

static long side_write(struct side *s, char *buf, size_t n)
{
	struct iobuf b = iobuf_kernel(buf);
	long put;

	if (file_is_pipe(s->f))
		return pipe_write_iob(s->f, &b, n, s->nonblock);
	if ((put = vfs_reg_pwrite_iob(s->f, &b, n, s->pos)) > 0)
		s->pos += (uint64_t)put;
	return put;
}

/* One chunk: waits (as the sides allow) for room in a pipe output first,
 * so what is taken from a pipe input always fits. Bytes moved or -errno. */
static long move_chunk(struct side *in, struct side *out, char *buf, size_t n)
{
	long got, put;

	if (file_is_pipe(out->f)) {
		long room = pipe_wait_room(out->f, out->nonblock);
		if (room < 0)
			return room;
		n = MIN(n, (size_t)room);
	}
	if ((got = side_read(in, buf, n)) <= 0)
		return got;
	put = side_write(out, buf, (size_t)got);
	if (!file_is_pipe(in->f) && put < got) /* give back what a file input did not pass on */
		in->pos -= (uint64_t)(got - (put > 0 ? put : 0));
	return put;
}

/* Up to count bytes; all: until count or EOF (sendfile), else only what
 * moves without waiting once something has (splice). */
static long transfer(struct side *in, struct side *out, size_t count, bool all)
{
	char *buf = kmalloc(BOUNCE);
	long total = 0, n = 0;

	if (!buf)
		return -ENOMEM;
	while ((size_t)total < count) {
		n = move_chunk(in, out, buf, MIN(count - (size_t)total, (size_t)BOUNCE));
		if (n <= 0)
			break;
		total += n;
		if (!all)
			in->nonblock = out->nonblock = true;
	}
	kfree(buf);
	return total ? total : n;
}

static int get_offset(uint64_t uoff, uint64_t *pos)
{
	int64_t off;

	if (copy_from_user(&off, uoff, sizeof(off)))
		return -EFAULT;
	if (off < 0)
		return -EINVAL;
	*pos = (uint64_t)off;
	return 0;
}

/* sendfile(out_fd, in_fd, offset, count): in_fd a regular file, out_fd a
 * regular file or a pipe (Linux takes more kinds of out_fd: EINVAL here). */
SYSCALL(sendfile)
{
	struct file *in = fd_file((int)args->a[1]), *out = fd_file((int)args->a[0]);
	uint64_t uoff = args->a[2], count = MIN(args->a[3], (uint64_t)MAX_RW_COUNT);
	struct side i = { in, 0, false }, o = { out, 0, false };
	long n;

	if (uoff && (n = get_offset(uoff, &i.pos)) != 0)
		return n;
	if (!in || !file_readable(in) || !out || !file_writable(out))
		return -EBADF;
	if (!is_reg(in) || (out->flags & O_APPEND) || !(is_reg(out) || file_is_pipe(out)))
		return -EINVAL;
	if (!uoff)
		i.pos = in->pos;
	o.pos = out->pos;
	o.nonblock = out->flags & O_NONBLOCK;
	n = transfer(&i, &o, count, true);
	if (is_reg(out))
		out->pos = o.pos;
	if (!uoff)
		in->pos = i.pos;
	else if (copy_to_user(uoff, &i.pos, sizeof(i.pos)))
		return -EFAULT;
	return n;
}

/* One side of splice: a pipe takes no offset (ESPIPE); a file, its own
 * position or *uoff. */
static int splice_side(struct file *f, uint64_t uoff, unsigned flags, struct side *s)
{
	s->f = f;
	s->nonblock = (flags & SPLICE_F_NONBLOCK) || (f->flags & O_NONBLOCK);
	if (file_is_pipe(f))
		return uoff ? -ESPIPE : 0;
	if (!is_reg(f))
		return -EINVAL;
	if (uoff)
		return get_offset(uoff, &s->pos);
	s->pos = f->pos;
	return 0;
}

static void splice_done(struct side *s, uint64_t uoff, long *n)
{
	if (file_is_pipe(s->f))
		return;
	if (!uoff)
		s->f->pos = s->pos;
	else if (copy_to_user(uoff, &s->pos, sizeof(s->pos)))
		*n = -EFAULT;
}

/* copy_file_range's checks, in the order Linux reports them: both
 * regular, the input readable, the output writable and not O_APPEND, one
 * file system for both (EXDEV: none of ours copies across), and no
 * overlap within one file. *len is cut at the input's end. */
static long copy_range_check(const struct side *in, const struct side *out, size_t *len)
{
	struct inode *ii = in->f->inode, *oi = out->f->inode;

	if (!ii || !oi)
		return -EINVAL;
	if (mode_is(ii->mode, S_IFDIR) || mode_is(oi->mode, S_IFDIR))
		return -EISDIR;
	if (!is_reg(in->f) || !is_reg(out->f))
		return -EINVAL;
	if (!file_readable(in->f) || !file_writable(out->f) || (out->f->flags & O_APPEND))
		return -EBADF;
	if (ii->sb != oi->sb)
		return -EXDEV;
	*len = in->pos >= ii->size ? 0 : MIN(*len, (size_t)(ii->size - in->pos));
	if (out->pos + *len < out->pos)
		return -EOVERFLOW;
	if (ii == oi && in->pos < out->pos + *len && out->pos < in->pos + *len)
		return -EINVAL;
	return 0;
}

/* A file side of copy_file_range at *uoff, or at the file's position. */
static int copy_side(struct file *f, uint64_t uoff, struct side *s)
{
	s->f = f;
	s->nonblock = false;
	if (uoff)
		return get_offset(uoff, &s->pos);
	s->pos = f->pos;
	return 0;
}

/* copy_file_range(fd_in, off_in, fd_out, off_out, len, flags): up to len
 * bytes, fewer at the input's end. */
SYSCALL(copy_file_range)
{
	struct file *in = fd_file((int)args->a[0]), *out = fd_file((int)args->a[2]);
	uint64_t uin = args->a[1], uout = args->a[3];
	size_t len = MIN(args->a[4], (uint64_t)MAX_RW_COUNT);
	struct side i, o;
	long n;

	if (args->a[5])
		return -EINVAL;
	if (!in || !out)
		return -EBADF;
	if ((n = copy_side(in, uin, &i)) != 0 || (n = copy_side(out, uout, &o)) != 0)
		return n;
	if ((n = copy_range_check(&i, &o, &len)) != 0)
		return n;
	if (len == 0)
		return 0;
	n = transfer(&i, &o, len, true);
	splice_done(&i, uin, &n);
	splice_done(&o, uout, &n);
	return n;
}

/* splice(fd_in, off_in, fd_out, off_out, len, flags): one side a pipe. */
SYSCALL(splice)
{
	struct file *in = fd_file((int)args->a[0]), *out = fd_file((int)args->a[2]);
	uint64_t uin = args->a[1], uout = args->a[3];
	size_t len = MIN(args->a[4], (uint64_t)MAX_RW_COUNT);
	unsigned flags = (unsigned)args->a[5];
	struct side i, o;
	long n;

	if (flags & ~(unsigned)SPLICE_FLAGS)
		return -EINVAL;
	if (!in || !file_readable(in) || !out || !file_writable(out))
		return -EBADF;
	if (!file_is_pipe(in) && !file_is_pipe(out))
		return -EINVAL;
	if (file_is_pipe(in) && file_is_pipe(out) && pipe_same(in, out))
		return -EINVAL;
	if ((n = splice_side(in, uin, flags, &i)) != 0 || (n = splice_side(out, uout, flags, &o)) != 0)
		return n;
	if (out->flags & O_APPEND && !file_is_pipe(out))
		return -EINVAL;
	if (len == 0)
		return 0;
	n = transfer(&i, &o, len, false);
	splice_done(&i, uin, &n);
	splice_done(&o, uout, &n);
	return n;
}

struct iovec {
	uint64_t base, len;
};

/* vmsplice(fd, iov, nr_segs, flags): user memory into a pipe's write end,
 * or out of its read end. Pages are copied, never gifted or mapped. Only
 * the first segment may wait, as Linux's. */
SYSCALL(vmsplice)
{
	struct file *f = fd_file((int)args->a[0]);
	uint64_t uiov = args->a[1], count = args->a[2];
	unsigned flags = (unsigned)args->a[3];
	bool nonblock;
	long total = 0;

	if (flags & ~(unsigned)SPLICE_FLAGS)
		return -EINVAL;
	if (!f || !file_is_pipe(f))
		return -EBADF;
	if (count > IOV_MAX)
		return -EINVAL;
	nonblock = (flags & SPLICE_F_NONBLOCK) || (f->flags & O_NONBLOCK);
	for (uint64_t i = 0; i < count; i++) {
		struct iovec v;
		struct iobuf b;
		long n;

		if (copy_from_user(&v, uiov + i * sizeof(v), sizeof(v)))
			return total ? total : -EFAULT;
		if (v.len == 0)
			continue;
		b = iobuf_user(v.base);
		n = file_writable(f) ? pipe_write_iob(f, &b, v.len, nonblock)
				     : pipe_read_iob(f, &b, v.len, nonblock);
		if (n <= 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < v.len)
			break;
		nonblock = true;
	}
	return total;
}

/* tee(fd_in, fd_out, len, flags): both pipes, distinct. */
SYSCALL(tee)
{
	struct file *in = fd_file((int)args->a[0]), *out = fd_file((int)args->a[1]);
	size_t len = MIN(args->a[2], (uint64_t)MAX_RW_COUNT);
	unsigned flags = (unsigned)args->a[3];
	bool nb = flags & SPLICE_F_NONBLOCK;

	if (flags & ~(unsigned)SPLICE_FLAGS)
		return -EINVAL;
	if (!in || !file_readable(in) || !out || !file_writable(out))
		return -EBADF;
	if (!file_is_pipe(in) || !file_is_pipe(out) || pipe_same(in, out))
		return -EINVAL;
	if (len == 0)
		return 0;
	return pipe_tee(in, out, len, nb || (in->flags & O_NONBLOCK), nb || (out->flags & O_NONBLOCK));
}
