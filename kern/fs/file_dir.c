/* Directories opened as files: no reads, but readdir from a position that
 * lseek can save and restore. */
#include <frame/errno.h>
#include "fs/open.h"

static long dir_read(struct file *f, uint64_t ubuf, size_t len)
{
	(void)f, (void)ubuf, (void)len;
	return -EISDIR;
}

static long dir_pread(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	(void)off;
	return dir_read(f, ubuf, len);
}

/* Positions are the file system's cookies: any value may be set again. */
static int64_t dir_llseek(struct file *f, int64_t off, int whence)
{
	int64_t base = whence == SEEK_CUR ? (int64_t)f->pos : 0;

	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	if (off > 0 ? base > INT64_MAX - off : base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return base + off;
}

const struct file_ops vfs_dir_ops = {
	.read = dir_read,
	.pread = dir_pread,
	.llseek = dir_llseek,
};

int vfs_readdir(struct file *f, filldir_fn fill, void *ctx)
{
	struct inode *dir = f->inode;

	if (dir->nlink == 0)
		return -ENOENT; /* removed: no entries, not even . and .. */
	return dir->ops->readdir(dir, &f->pos, fill, ctx);
}
