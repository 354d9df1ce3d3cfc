/* Making names: mkdirat, mknodat, symlinkat, linkat. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include "syscall/sys_file.h"

SYSCALL(mkdirat)
{
	struct walk w WALK_UNINIT;
	int err = walk_begin_user(&w, (int)args->a[0], args->a[1], 0);

	if (!err)
		err = vfs_mkdir(&w, (uint32_t)args->a[2] & ~current->umask, NULL);
	walk_end(&w);
	return err;
}

/* The file type mknod may make: 0 for a regular file, else -EPERM for a
 * directory (or a device without privilege) and -EINVAL for no type. */
static int mknod_type(uint32_t *mode)
{
	switch (*mode & S_IFMT) {
	case 0:
		*mode |= S_IFREG;
		return 0;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

/* mknodat(dirfd, path, mode, dev): dev is Linux's 32-bit encoding. */
SYSCALL(mknodat)
{
	uint32_t mode = (uint32_t)args->a[2] & (S_IFMT | S_IALLUGO);
	bool device = mode_is(mode, S_IFCHR) || mode_is(mode, S_IFBLK);
	struct walk w;
	int err = mknod_type(&mode);

	if (err)
		return err;
	if (!(err = walk_begin_user(&w, (int)args->a[0], args->a[1], 0)))
		err = vfs_mknod(&w, mode & ~current->umask, device ? (uint32_t)args->a[3] : 0, NULL);
	walk_end(&w);
	return err;
}

/* symlinkat(target, newdirfd, linkpath) */
SYSCALL(symlinkat)
{
	char *target = kmalloc(PATH_MAX);
	struct walk w = { 0 };
	long err = target ? strncpy_from_user(target, args->a[0], PATH_MAX) : -ENOMEM;

	if (err >= 0 && !(err = walk_begin_user(&w, (int)args->a[1], args->a[2], 0)))
		err = vfs_symlink(&w, target, NULL);
	walk_end(&w);
	kfree(target);
	return err;
}

/* linkat(olddirfd, oldpath, newdirfd, newpath, flags) */
SYSCALL(linkat)
{
	unsigned at = (unsigned)args->a[4];
	struct inode *old;
	struct walk w;
	int err;

	if (at & ~(unsigned)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_lookup((int)args->a[0], args->a[1],
			  (at & AT_SYMLINK_FOLLOW ? WALK_FOLLOW : 0) | (at & AT_EMPTY_PATH ? WALK_EMPTY : 0),
			  &old);
	if (err)
		return err;
	if (!(err = walk_begin_user(&w, (int)args->a[2], args->a[3], 0)))
		err = vfs_link(old, &w);
	walk_end(&w);
	inode_put(old);
	return err;
}
