/* open(2): find or create the inode, check the access it asks for, and
 * make a file of the right kind (Linux's path_openat, do_open, may_open). */
#include <frame/errno.h>
#include "block/blkdev_file.h"
#include "dev/chrdev.h"
#include "fs/fifo.h"
#include "fs/open.h"

/* Follows a symlink as the last component of an O_CREAT open, or makes the
 * regular file the walk names. Linux's open_last_lookups. */
static int lookup_or_create(struct walk *w, unsigned flags, uint32_t mode, struct inode **out,
			    bool *created)
{
	for (;;) {
		struct inode *child;
		int err = walk_parent(w);

		if (err)
			return err;
		if (w->last_type != LAST_NORM || w->slash)
			return -EISDIR;
		err = walk_child(w, &child);
		if (err == -ENOENT && !(err = may_create(w->cur))) {
			*created = true;
			return w->cur->ops->create(w->cur, w->last, w->last_len,
						   S_IFREG | (mode & S_IALLUGO), 0, out);
		}
		if (err)
			return err;
		if (flags & O_EXCL) {
			inode_put(child);
			return -EEXIST;
		}
		child = vfs_cross_mounts(child);
		if (!mode_is(child->mode, S_IFLNK)) {
			*out = child;
			return 0;
		}
		if (flags & O_NOFOLLOW) {
			inode_put(child);
			return -ELOOP;
		}
		if ((err = walk_follow(w, child)) != 0)
			return err;
	}
}

int vfs_open(struct walk *w, unsigned flags, uint32_t mode, struct file **out)
{
	struct inode *ino;
	bool created = false;
	int err;

	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	w->flags |= (flags & O_NOFOLLOW ? 0 : WALK_FOLLOW) | (flags & O_DIRECTORY ? WALK_DIRECTORY : 0);
	if (flags & O_CREAT)
		err = lookup_or_create(w, flags, mode, &ino, &created);
	else
		err = walk_lookup(w, &ino);
	if (err)
		return err;
	err = vfs_open_inode(ino, flags, created, out);
	if (!err)
		file_set_path(*out, w, ino);
	inode_put(ino);
	return err;
}

/* The access an open asks for; O_TRUNC writes. */
static int access_mask(unsigned flags)
{
	int acc = 0;

	if ((flags & O_ACCMODE) != O_WRONLY)
		acc |= MAY_READ;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		acc |= MAY_WRITE;
	return acc;
}

static int check_type(const struct inode *ino, unsigned flags)
{
	if (mode_is(ino->mode, S_IFLNK))
		return -ELOOP; /* only reached with O_NOFOLLOW */
	if (mode_is(ino->mode, S_IFDIR) && ((flags & O_CREAT) || (access_mask(flags) & MAY_WRITE)))
		return -EISDIR;
	return 0;
}

/* A regular file: one open for writing holds a write access (-ETXTBSY
 * while the file runs as a program), as does truncating it, briefly. */
static int make_reg_file(struct inode *ino, unsigned flags, bool created, struct file **out)
{
	bool writes = (flags & O_ACCMODE) != O_RDONLY;
	int err = 0;

	if ((writes || (flags & O_TRUNC)) && (err = inode_get_write_access(ino)) != 0)
		return err;
	if ((flags & O_TRUNC) && !created)
		err = vfs_truncate(ino, 0);
	if (!err)
		err = file_create(&vfs_reg_ops, flags, NULL, out);
	if (err || !writes) {
		if (writes || (flags & O_TRUNC))
			inode_put_write_access(ino);
		return err;
	}
	(*out)->write_access = true;
	return 0;
}

static int make_file(struct inode *ino, unsigned flags, bool created, struct file **out)
{
	if (ino->ops->open)
		return ino->ops->open(ino, flags, out);
	switch (ino->mode & S_IFMT) {
	case S_IFREG:
		return make_reg_file(ino, flags, created, out);
	case S_IFDIR:
		return file_create(&vfs_dir_ops, flags, NULL, out);
	case S_IFCHR:
		if (ino->sb->flags & ST_NODEV)
			return -EACCES; /* devices on a nodev mount cannot be opened */
		return chrdev_open(ino->rdev, flags, out);
	case S_IFBLK:
		return blkdev_open(ino->rdev, flags, out);
	case S_IFIFO:
		return fifo_open(ino, flags, out);
	default:
		return -ENXIO; /* sockets: not yet */
	}
}

int vfs_open_inode(struct inode *ino, unsigned flags, bool created, struct file **out)
{
	unsigned kept = (flags & ~(unsigned)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) |
			O_LARGEFILE;
	int err;

	if (flags & O_PATH) {
		if ((err = file_create(&vfs_path_ops, flags & ~(unsigned)O_CLOEXEC, NULL, out)) != 0)
			return err;
	} else {
		if ((err = check_type(ino, flags)) != 0)
			return err;
		if (!created && (err = inode_permission(ino, access_mask(flags))) != 0)
			return err;
		if ((err = make_file(ino, flags, created, out)) != 0)
			return err;
		(*out)->flags = kept;
	}
	(*out)->inode = inode_get(ino);
	(*out)->pos = 0;
	return 0;
}

int vfs_open_kernel(const char *path, unsigned flags, struct file **out)
{
	struct walk w WALK_UNINIT;
	int err = walk_begin(&w, AT_FDCWD, path, 0);

	if (!err)
		err = vfs_open(&w, flags, 0, out);
	walk_end(&w);
	return err;
}
