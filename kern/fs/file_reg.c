/* Regular files: reads and writes at the file position (or at the end with
 * O_APPEND) through the inode's file system, and lseek. */
#include <frame/errno.h>
#include "fs/iobuf.h"
#include "fs/open.h"

long vfs_reg_pread_iob(struct file *f, const struct iobuf *b, size_t len, uint64_t off)
{
	struct inode *ino = f->inode;

	if ((int64_t)off < 0)
		return -EINVAL;
	if (off >= ino->size)
		return 0;
	return ino->ops->read(ino, off, b, MIN(len, ino->size - off));
}

/* Linux quirk kept: with O_APPEND, pwrite appends whatever the offset. */
long vfs_reg_pwrite_iob(struct file *f, const struct iobuf *b, size_t len, uint64_t off)
{
	struct inode *ino = f->inode;
	long n;

	if (f->flags & O_APPEND)
		off = ino->size;
	if ((int64_t)off < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (off >= (uint64_t)INT64_MAX)
		return -EFBIG;
	n = ino->ops->write(ino, off, b, MIN(len, (uint64_t)INT64_MAX - off));
	if (n > 0)
		inode_touch(ino, T_MTIME | T_CTIME);
	return n;
}

static long reg_pread(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	struct iobuf b = iobuf_user(ubuf);

	return vfs_reg_pread_iob(f, &b, len, off);
}

static long reg_pwrite(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	struct iobuf b = iobuf_user(ubuf);

	return vfs_reg_pwrite_iob(f, &b, len, off);
}

static long reg_read(struct file *f, uint64_t ubuf, size_t len)
{
	long n = reg_pread(f, ubuf, len, f->pos);

	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

static long reg_write(struct file *f, uint64_t ubuf, size_t len)
{
	long n;

	if (f->flags & O_APPEND)
		f->pos = f->inode->size;
	n = reg_pwrite(f, ubuf, len, f->pos);
	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

/* SEEK_DATA and SEEK_HOLE see the whole file as data, with the hole at
 * its end (what Linux's generic code does). */
static int64_t reg_llseek(struct file *f, int64_t off, int whence)
{
	int64_t size = (int64_t)f->inode->size, base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = size; break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		base = 0;
		off = whence == SEEK_HOLE ? size : off;
		break;
	default:
		return -EINVAL;
	}
	if (off > 0 ? base > INT64_MAX - off : base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return base + off;
}

const struct file_ops vfs_reg_ops = {
	.read = reg_read,
	.write = reg_write,
	.pread = reg_pread,
	.pwrite = reg_pwrite,
	.llseek = reg_llseek,
};
