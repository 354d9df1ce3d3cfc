/* O_PATH files: a name held open (for *at(2), fchdir, fstat), never a way
 * to reach the contents. */
#include <frame/errno.h>
#include "fs/open.h"

static long path_rw(struct file *f, uint64_t ubuf, size_t len)
{
	(void)f, (void)ubuf, (void)len;
	return -EBADF;
}

static long path_prw(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	(void)f, (void)ubuf, (void)len, (void)off;
	return -EBADF;
}

static int64_t path_llseek(struct file *f, int64_t off, int whence)
{
	(void)f, (void)off, (void)whence;
	return -EBADF;
}

static long path_ioctl(struct file *f, unsigned long cmd, uint64_t uarg)
{
	(void)f, (void)cmd, (void)uarg;
	return -EBADF;
}

const struct file_ops vfs_path_ops = {
	.read = path_rw,
	.write = path_rw,
	.pread = path_prw,
	.pwrite = path_prw,
	.llseek = path_llseek,
	.ioctl = path_ioctl,
};
