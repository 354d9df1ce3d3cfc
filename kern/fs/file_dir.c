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


const struct file_ops vfs_dir_ops = {
	.read = dir_read,
	.pread = dir_pread,
	.llseek = file_cookie_llseek, /* positions are the file system's cookies */
};

int vfs_readdir(struct file *f, filldir_fn fill, void *ctx)
{
	struct inode *dir = f->inode;

	if (dir->nlink == 0)
		return -ENOENT; /* removed: no entries, not even . and .. */
	return dir->ops->readdir(dir, &f->pos, fill, ctx);
}
