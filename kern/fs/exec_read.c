/* Reading a program for execve (see exec_read.h). */
#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/exec_read.h"
#include "fs/iobuf.h"
#include "fs/kpath.h"
#include "fs/path.h"

int exec_file_read(struct exec_file *ef, uint64_t off, void *buf, size_t len)
{
	struct iobuf b = iobuf_kernel(buf);
	long n;

	if (!len)
		return 0;
	n = ef->inode->ops->read(ef->inode, off, &b, len);
	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EIO;
}

static int read_head(struct exec_file *ef)
{
	ef->head_len = ef->size < EXEC_HEAD_MAX ? ef->size : EXEC_HEAD_MAX;
	if (!(ef->head = kmalloc(ef->head_len ? ef->head_len : 1)))
		return -ENOMEM;
	return exec_file_read(ef, 0, ef->head, ef->head_len);
}

int exec_file_read_all(struct exec_file *ef)
{
	int err;

	if (ef->whole)
		return 0;
	if (!(ef->whole = kmalloc(ef->size ? ef->size : 1)))
		return -ENOMEM;
	if ((err = exec_file_read(ef, 0, ef->whole, ef->size)) != 0) {
		kfree(ef->whole);
		ef->whole = NULL;
	}
	return err;
}

bool exec_file_mappable(const struct exec_file *ef)
{
	return ef->inode->ops->get_page != NULL;
}

int vfs_exec_open(const char *path, struct exec_file *ef)
{
	struct inode *ino;
	int err = kpath_lookup(path, WALK_FOLLOW, &ino);

	*ef = (struct exec_file){ 0 };
	if (err)
		return err;
	if (!mode_is(ino->mode, S_IFREG) || (ino->sb->flags & ST_NOEXEC))
		err = -EACCES;
	else
		err = inode_permission(ino, MAY_EXEC);
	if (!err)
		err = inode_deny_write_access(ino); /* -ETXTBSY: open for writing */
	if (err) {
		inode_put(ino);
		return err;
	}
	ef->inode = ino;
	ef->size = ino->size;
	if ((err = read_head(ef)) != 0)
		vfs_exec_close(ef);
	return err;
}

void vfs_exec_close(struct exec_file *ef)
{
	kfree(ef->head);
	kfree(ef->whole);
	if (ef->inode) {
		inode_allow_write_access(ef->inode);
		inode_put(ef->inode);
	}
	*ef = (struct exec_file){ 0 };
}
