/* Reading a program for execve (see exec_read.h). */
#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/exec_read.h"
#include "fs/iobuf.h"
#include "fs/kpath.h"
#include "fs/path.h"

static int read_all(struct inode *ino, void **image, size_t *size)
{
	char *buf = kmalloc(ino->size ? ino->size : 1);
	struct iobuf b = iobuf_kernel(buf);
	long n = 0;

	if (!buf)
		return -ENOMEM;
	if (ino->size)
		n = ino->ops->read(ino, 0, &b, ino->size);
	if (n < 0 || (uint64_t)n != ino->size) {
		kfree(buf);
		return n < 0 ? (int)n : -EIO;
	}
	*image = buf;
	*size = ino->size;
	return 0;
}

int vfs_exec_open(const char *path, void **image, size_t *size)
{
	struct inode *ino;
	int err = kpath_lookup(path, WALK_FOLLOW, &ino);

	if (err)
		return err;
	if (!mode_is(ino->mode, S_IFREG) || (ino->sb->flags & ST_NOEXEC))
		err = -EACCES;
	else if (!(err = inode_permission(ino, MAY_EXEC)))
		err = read_all(ino, image, size);
	inode_put(ino);
	return err;
}

void vfs_exec_close(void *image)
{
	kfree(image);
}
