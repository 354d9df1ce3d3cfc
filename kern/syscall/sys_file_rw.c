/* Positioned reads and writes, lseek, and the syncs. (read, write, readv
 * and writev are in sys_fd.c: they go through the same file ops.) */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "fs/sync.h"
#include "syscall/sys_file.h"

#define IOV_MAX 1024

struct iovec {
	uint64_t base, len;
};

/* The file for pread/pwrite at off, or an error. */
static long positioned_file(int fd, int64_t off, bool write, struct file **out)
{
	struct file *f;

	if (off < 0)
		return -EINVAL;
	if (!(f = fd_file(fd)))
		return -EBADF;
	if (!(write ? f->ops->pwrite : f->ops->pread))
		return -ESPIPE;
	if (!(write ? file_writable(f) : file_readable(f)))
		return -EBADF;
	*out = f;
	return 0;
}

static long do_prw(struct file *f, uint64_t ubuf, uint64_t len, uint64_t off, bool write)
{
	if ((int64_t)len < 0)
		return -EINVAL;
	return write ? f->ops->pwrite(f, ubuf, len, off) : f->ops->pread(f, ubuf, len, off);
}

SYSCALL(pread64)
{
	struct file *f;
	long err = positioned_file((int)args->a[0], (int64_t)args->a[3], false, &f);

	return err ? err : do_prw(f, args->a[1], args->a[2], args->a[3], false);
}

SYSCALL(pwrite64)
{
	struct file *f;
	long err = positioned_file((int)args->a[0], (int64_t)args->a[3], true, &f);

	return err ? err : do_prw(f, args->a[1], args->a[2], args->a[3], true);
}

/* preadv/pwritev(fd, iov, count, pos_l, pos_h): on 64-bit pos_l is all of it. */
static long do_prwv(const struct syscall_args *args, bool write)
{
	uint64_t uiov = args->a[1], count = args->a[2], off = args->a[3];
	struct file *f;
	long total = 0, err = positioned_file((int)args->a[0], (int64_t)off, write, &f);

	if (err)
		return err;
	if (count > IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < count; i++) {
		struct iovec v;
		long n;
		if (copy_from_user(&v, uiov + i * sizeof(v), sizeof(v)))
			return total ? total : -EFAULT;
		if (v.len == 0)
			continue;
		if ((n = do_prw(f, v.base, v.len, off + (uint64_t)total, write)) < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < v.len)
			break;
	}
	return total;
}

SYSCALL(preadv)
{
	return do_prwv(args, false);
}

SYSCALL(pwritev)
{
	return do_prwv(args, true);
}

#define RWF_HIPRI 1
#define RWF_DSYNC 2
#define RWF_SYNC 4
#define RWF_NOWAIT 8
#define RWF_APPEND 16

/* preadv2/pwritev2(fd, iov, count, pos_l, pos_h, flags): offset -1 is the
 * file position (readv/writev). HIPRI is a polling hint; DSYNC and SYNC
 * make the write durable before it returns. NOWAIT and APPEND are not
 * supported by any of our files, which Linux reports as EOPNOTSUPP. */
static long do_prwv2(const struct syscall_args *args, bool write)
{
	uint64_t flags = args->a[5];
	long n;

	if (flags & ~(uint64_t)(RWF_HIPRI | RWF_DSYNC | RWF_SYNC))
		return -EOPNOTSUPP;
	if ((int64_t)args->a[3] == -1)
		n = write ? sys_writev(args) : sys_readv(args);
	else
		n = do_prwv(args, write);
	if (n >= 0 && write && (flags & (RWF_DSYNC | RWF_SYNC))) {
		long err = vfs_fsync(fd_get(current, (int)args->a[0]));
		if (err && err != -EINVAL) /* EINVAL: a pipe or tty, nothing to sync */
			return err;
	}
	return n;
}

SYSCALL(preadv2)
{
	return do_prwv2(args, false);
}

SYSCALL(pwritev2)
{
	return do_prwv2(args, true);
}

SYSCALL(lseek)
{
	struct file *f = fd_file((int)args->a[0]);
	int whence = (int)args->a[2];

	if (!f)
		return -EBADF;
	if (whence < SEEK_SET || whence > SEEK_HOLE)
		return -EINVAL;
	if (!f->ops->llseek)
		return -ESPIPE;
	return f->ops->llseek(f, (int64_t)args->a[1], whence);
}

static long do_fsync(int fd)
{
	struct file *f = fd_file(fd);

	return f ? vfs_fsync(f) : -EBADF;
}

SYSCALL(fsync)
{
	return do_fsync((int)args->a[0]);
}

SYSCALL(fdatasync)
{
	return do_fsync((int)args->a[0]);
}

SYSCALL(sync)
{
	(void)args;
	vfs_sync_all();
	return 0;
}

SYSCALL(syncfs)
{
	struct file *f = fd_file((int)args->a[0]);

	if (!f)
		return -EBADF;
	return f->inode ? vfs_sync_super(f->inode->sb, true) : 0;
}
