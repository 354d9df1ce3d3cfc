/* Directories: getdents64, getcwd, chdir, fchdir. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include <string.h>
#include "proc/thread.h"
#include "syscall/sys_file.h"

#define DIRENT_HEAD 19 /* d_ino, d_off, d_reclen, d_type */

struct dirent_out {
	uint64_t ubuf;
	size_t size, used;
	int err;
};

/* Lays out one struct linux_dirent64 in the user buffer. */
static int put_dirent(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type,
		      uint64_t next)
{
	struct dirent_out *d = ctx;
	uint8_t rec[ALIGN_UP(DIRENT_HEAD + NAME_MAX + 1, 8)];
	size_t reclen = ALIGN_UP(DIRENT_HEAD + len + 1, 8);
	uint16_t reclen16 = (uint16_t)reclen;

	if (d->used + reclen > d->size) {
		if (!d->used)
			d->err = -EINVAL; /* not even one entry fits */
		return 1;
	}
	memset(rec, 0, reclen);
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &next, 8);
	memcpy(rec + 16, &reclen16, 2);
	rec[18] = (uint8_t)type;
	memcpy(rec + DIRENT_HEAD, name, len);
	if (copy_to_user(d->ubuf + d->used, rec, reclen)) {
		d->err = -EFAULT;
		return 1;
	}
	d->used += reclen;
	return 0;
}

SYSCALL(getdents64)
{
	struct file *f = fd_file((int)args->a[0]);
	struct dirent_out d = { .ubuf = args->a[1], .size = (size_t)(unsigned)args->a[2] };
	int err;

	if (!f)
		return -EBADF;
	if (!f->inode || !mode_is(f->inode->mode, S_IFDIR))
		return -ENOTDIR;
	if ((err = vfs_readdir(f, put_dirent, &d)) != 0)
		return err;
	return d.used ? (long)d.used : d.err;
}

SYSCALL(getcwd)
{
	uint64_t ubuf = args->a[0], size = args->a[1];
	char *buf = kmalloc(PATH_MAX);
	long n = buf ? vfs_getcwd(buf, PATH_MAX) : -ENOMEM;

	if (n > 0 && (uint64_t)n > size)
		n = -ERANGE;
	if (n > 0 && copy_to_user(ubuf, buf, (size_t)n))
		n = -EFAULT;
	kfree(buf);
	return n;
}

/* The cwd belongs to every thread sharing it (CLONE_FS). */
static void take_cwd(struct process *t, void *dir)
{
	struct inode *old = t->cwd;

	t->cwd = inode_get(dir);
	inode_put(old);
}

static long set_cwd(struct inode *dir)
{
	int err = mode_is(dir->mode, S_IFDIR) ? inode_permission(dir, MAY_EXEC) : -ENOTDIR;

	if (err) {
		inode_put(dir);
		return err;
	}
	thread_for_each_fs(current, take_cwd, dir);
	inode_put(dir);
	return 0;
}

SYSCALL(chdir)
{
	struct inode *dir;
	int err = user_lookup(AT_FDCWD, args->a[0], WALK_FOLLOW | WALK_DIRECTORY, &dir);

	return err ? err : set_cwd(dir);
}

SYSCALL(fchdir)
{
	struct inode *dir;
	int err = vfs_fd_inode((int)args->a[0], &dir);

	return err ? err : set_cwd(dir);
}
