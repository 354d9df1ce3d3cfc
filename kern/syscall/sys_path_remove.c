/* Removing and moving names: unlinkat, renameat2. */
#include <frame/errno.h>
#include "syscall/sys_file.h"

SYSCALL(unlinkat)
{
	unsigned flags = (unsigned)args->a[2];
	struct walk w WALK_UNINIT;
	int err;

	if (flags & ~(unsigned)AT_REMOVEDIR)
		return -EINVAL;
	if (!(err = walk_begin_user(&w, (int)args->a[0], args->a[1], 0)))
		err = flags & AT_REMOVEDIR ? vfs_rmdir(&w) : vfs_unlink(&w);
	walk_end(&w);
	return err;
}

/* renameat2(olddirfd, oldpath, newdirfd, newpath, flags) */
SYSCALL(renameat2)
{
	struct walk ow, nw = { 0 };
	int err = walk_begin_user(&ow, (int)args->a[0], args->a[1], 0);

	if (!err && !(err = walk_begin_user(&nw, (int)args->a[2], args->a[3], 0)))
		err = vfs_rename(&ow, &nw, (unsigned)args->a[4]);
	walk_end(&nw);
	walk_end(&ow);
	return err;
}
