/* openat. (close is in sys_fd.c.) */
#include <frame/errno.h>
#include "syscall/sys_file.h"

SYSCALL(openat)
{
	int dirfd = (int)args->a[0];
	unsigned flags = (unsigned)args->a[2];
	uint32_t mode = (uint32_t)args->a[3] & S_IALLUGO & ~current->umask;
	struct file *f = NULL;
	struct walk w WALK_UNINIT;
	int err;

	if (!fd_available(current))
		return -EMFILE;
	if (!(err = walk_begin_user(&w, dirfd, args->a[1], 0)))
		err = vfs_open(&w, flags, mode, &f);
	walk_end(&w);
	if (err)
		return err;
	if ((err = fd_alloc(current, f, 0, flags & O_CLOEXEC)) < 0)
		file_put(f);
	return err;
}
