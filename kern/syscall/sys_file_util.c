/* Helpers of the file and path syscalls (see sys_file.h). */
#include <frame/errno.h>
#include "syscall/sys_file.h"

int user_lookup(int dirfd, uint64_t upath, unsigned walk_flags, struct inode **out)
{
	struct walk w WALK_UNINIT;
	int err = walk_begin_user(&w, dirfd, upath, walk_flags);

	if (!err)
		err = walk_lookup(&w, out);
	walk_end(&w);
	return err;
}

int fd_attr_inode(int fd, struct inode **out)
{
	struct file *f = fd_file(fd);

	if (!f)
		return -EBADF;
	if (!f->inode)
		return -EOPNOTSUPP;
	*out = inode_get(f->inode);
	return 0;
}
