/* Changing attributes: fchmod(at), fchown(at), utimensat, (f)truncate,
 * umask. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "proc/thread.h"
#include "syscall/sys_file.h"

static long chmod_put(struct inode *ino, uint32_t mode)
{
	int err = vfs_chmod(ino, mode);

	inode_put(ino);
	return err;
}

SYSCALL(fchmod)
{
	struct inode *ino;
	int err = fd_attr_inode((int)args->a[0], &ino);

	return err ? err : chmod_put(ino, (uint32_t)args->a[1]);
}

/* fchmodat(dirfd, path, mode): the syscall has no flags; it follows. */
SYSCALL(fchmodat)
{
	struct inode *ino;
	int err = user_lookup((int)args->a[0], args->a[1], WALK_FOLLOW, &ino);

	return err ? err : chmod_put(ino, (uint32_t)args->a[2]);
}

static long chown_put(struct inode *ino, uint64_t uid, uint64_t gid)
{
	int err = vfs_chown(ino, (uint32_t)uid, (uint32_t)gid);

	inode_put(ino);
	return err;
}

SYSCALL(fchown)
{
	struct inode *ino;
	int err = fd_attr_inode((int)args->a[0], &ino);

	return err ? err : chown_put(ino, args->a[1], args->a[2]);
}

/* fchownat(dirfd, path, uid, gid, flags) */
SYSCALL(fchownat)
{
	unsigned at = (unsigned)args->a[4];
	struct inode *ino;
	int err;

	if (at & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((err = user_lookup((int)args->a[0], args->a[1], at_walk_flags(at), &ino)) != 0)
		return err;
	return chown_put(ino, args->a[2], args->a[3]);
}

struct kernel_timespec {
	int64_t sec, nsec;
};

static long utimes_put(struct inode *ino, const int64_t (*times)[2])
{
	int err = vfs_utimes(ino, times);

	inode_put(ino);
	return err;
}

/* utimensat(dirfd, path, times, flags); a NULL path means dirfd itself. */
SYSCALL(utimensat)
{
	int dirfd = (int)args->a[0];
	uint64_t upath = args->a[1], utimes = args->a[2];
	unsigned at = (unsigned)args->a[3];
	struct kernel_timespec ts[2];
	int64_t times[2][2];
	struct inode *ino;
	int err;

	if (utimes) {
		if (copy_from_user(ts, utimes, sizeof(ts)))
			return -EFAULT;
		if (ts[0].nsec == UTIME_OMIT && ts[1].nsec == UTIME_OMIT)
			return 0; /* nothing to do: the path is not even looked at */
		for (int i = 0; i < 2; i++)
			times[i][0] = ts[i].sec, times[i][1] = ts[i].nsec;
	}
	if (!upath && dirfd != AT_FDCWD) {
		if (at)
			return -EINVAL;
		err = fd_attr_inode(dirfd, &ino);
	} else {
		if (at & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
			return -EINVAL;
		err = user_lookup(dirfd, upath, at_walk_flags(at), &ino);
	}
	return err ? err : utimes_put(ino, utimes ? times : NULL);
}

static long truncate_put(struct inode *ino, uint64_t length)
{
	int err = 0;

	if (mode_is(ino->mode, S_IFDIR))
		err = -EISDIR;
	else if (!mode_is(ino->mode, S_IFREG))
		err = -EINVAL;
	else
		err = inode_permission(ino, MAY_WRITE);
	if (!err && !(err = inode_get_write_access(ino))) {
		err = vfs_truncate(ino, length);
		inode_put_write_access(ino);
	}
	inode_put(ino);
	return err;
}

SYSCALL(truncate)
{
	struct inode *ino;
	int err;

	if ((int64_t)args->a[1] < 0)
		return -EINVAL;
	if ((err = user_lookup(AT_FDCWD, args->a[0], WALK_FOLLOW, &ino)) != 0)
		return err;
	return truncate_put(ino, args->a[1]);
}

SYSCALL(ftruncate)
{
	struct file *f;

	if ((int64_t)args->a[1] < 0)
		return -EINVAL;
	if (!(f = fd_file((int)args->a[0])))
		return -EBADF;
	if (!f->inode || !mode_is(f->inode->mode, S_IFREG) || !file_writable(f))
		return -EINVAL;
	return vfs_truncate(f->inode, args->a[1]);
}

/* The umask belongs to every thread sharing it (CLONE_FS). */
static void take_umask(struct process *t, void *mask)
{
	t->umask = *(uint32_t *)mask;
}

SYSCALL(umask)
{
	uint32_t old = current->umask, mask = (uint32_t)args->a[0] & 0777;

	thread_for_each_fs(current, take_umask, &mask);
	return old;
}
