/* File-descriptor syscalls: read and write at the file position, through
 * each file's ops (fs/file_reg.c, the devices ...), and close. The path
 * syscalls are in sys_path*.c, the other descriptor ones in sys_file*.c. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include "fs/fcntl.h"
#include "fs/fdtable.h"
#include "fs/iobuf.h"
#include "fs/pipe.h"
#include "fs/poll.h"
#include "fs/stat.h"
#include "proc/process.h"
#include "syscall/syscall.h"

#define IOV_MAX 1024

struct iovec {
	uint64_t base, len;
};

static bool can_read(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool can_write(const struct file *f)
{
	return (f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

static long do_rw(int fd, uint64_t ubuf, uint64_t len, bool write)
{
	struct file *f = fdtable_file(current, fd);

	if (!f || !(write ? can_write(f) : can_read(f)))
		return -EBADF;
	if ((int64_t)len < 0)
		return -EINVAL;
	if (write)
		return f->ops->write ? f->ops->write(f, ubuf, len) : -EINVAL;
	return f->ops->read ? f->ops->read(f, ubuf, len) : -EINVAL;
}

SYSCALL(read)
{
	return do_rw((int)args->a[0], args->a[1], args->a[2], false);
}

SYSCALL(write)
{
	return do_rw((int)args->a[0], args->a[1], args->a[2], true);
}

/* Linux writes a writev of at most PIPE_BUF bytes to a pipe as one atomic
 * write: gathered into one buffer here (up to 8 segments, which covers
 * what programs do). 1: not handled (too big, too many segments, or a
 * fault, which the plain loop then reports); else 0 with the result. */
static int pipe_writev_atomic(struct file *f, uint64_t uiov, uint64_t count, long *ret)
{
	struct iovec v[8];
	size_t total = 0;
	char *buf;

	if (count > 8 || copy_from_user(v, uiov, count * sizeof(v[0])))
		return 1;
	for (uint64_t i = 0; i < count; i++) {
		if (v[i].len > PIPE_BUF || (total += v[i].len) > PIPE_BUF)
			return 1;
	}
	if (total == 0 || !(buf = kmalloc(total)))
		return 1;
	for (uint64_t i = 0, off = 0; i < count; off += v[i].len, i++) {
		if (copy_from_user(buf + off, v[i].base, v[i].len)) {
			kfree(buf);
			return 1;
		}
	}
	struct iobuf b = iobuf_kernel(buf);
	*ret = pipe_write_iob(f, &b, total, f->flags & O_NONBLOCK);
	kfree(buf);
	return 0;
}

static long do_rwv(int fd, uint64_t uiov, uint64_t count, bool write)
{
	struct file *f = fd_get(current, fd);
	long total = 0;

	if (!f)
		return -EBADF;
	if (count > IOV_MAX)
		return -EINVAL;
	if (write && file_is_pipe(f) && can_write(f) && !pipe_writev_atomic(f, uiov, count, &total))
		return total;
	for (uint64_t i = 0; i < count; i++) {
		struct iovec v;
		long n;
		if (copy_from_user(&v, uiov + i * sizeof(v), sizeof(v)))
			return total ? total : -EFAULT;
		if (v.len == 0)
			continue;
		/* A pipe or tty read returns what is there: past the first
		 * segment, go on only while more is, as Linux's readv. */
		if (!write && total && !(file_poll(fd_get(current, fd)) & POLLIN))
			break;
		n = do_rw(fd, v.base, v.len, write);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < v.len)
			break; /* short transfer: stop like Linux */
	}
	return total;
}

SYSCALL(readv)
{
	return do_rwv((int)args->a[0], args->a[1], args->a[2], false);
}

SYSCALL(writev)
{
	return do_rwv((int)args->a[0], args->a[1], args->a[2], true);
}

SYSCALL(ioctl)
{
	struct file *f = fd_get(current, (int)args->a[0]);

	if (!f)
		return -EBADF;
	return f->ops->ioctl ? f->ops->ioctl(f, (unsigned long)args->a[1], args->a[2]) : -ENOTTY;
}

SYSCALL(close)
{
	return fd_close(current, (int)args->a[0]);
}

static long stat_fd(int fd, uint64_t ustat)
{
	struct file *f = fd_get(current, fd);
	struct kstat k = { 0 };
	struct linux_stat st LINUX_STAT_UNINIT;
	int err;

	if (!f)
		return -EBADF;
	if ((err = file_stat(f, &k)) != 0)
		return err;
	kstat_to_linux(&k, &st);
	return copy_to_user(ustat, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL(fstat)
{
	return stat_fd((int)args->a[0], args->a[1]);
}
