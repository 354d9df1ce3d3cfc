/* Making names: mknod, mkdir, symlink, link (Linux's filename_create and
 * vfs_mknod/mkdir/symlink/link). */
#include <frame/errno.h>
#include <string.h>
#include "fs/path.h"

/* Walks to where the new name goes and checks that it is free. A trailing
 * '/' is only for directories: anything else gets -ENOENT there. */
static int prepare_create(struct walk *w, bool want_dir)
{
	struct inode *child;
	int err = walk_parent(w);

	if (err)
		return err;
	if (w->last_type != LAST_NORM)
		return -EEXIST;
	err = walk_child(w, &child);
	if (err == 0) {
		inode_put(child);
		return -EEXIST;
	}
	if (err != -ENOENT)
		return err;
	if (w->slash && !want_dir)
		return -ENOENT;
	return may_create(w->cur);
}

static int result(int err, struct inode *ino, struct inode **out)
{
	if (err)
		return err;
	if (out)
		*out = ino;
	else
		inode_put(ino);
	return 0;
}

int vfs_mknod(struct walk *w, uint32_t mode, uint32_t rdev, struct inode **out)
{
	struct inode *ino = NULL;
	int err = prepare_create(w, false);

	if (!err && (mode_is(mode, S_IFCHR) || mode_is(mode, S_IFBLK)) && !vfs_capable())
		err = -EPERM; /* CAP_MKNOD */
	if (!err)
		err = w->cur->ops->create(w->cur, w->last, w->last_len, mode, rdev, &ino);
	return result(err, ino, out);
}

int vfs_mkdir(struct walk *w, uint32_t mode, struct inode **out)
{
	struct inode *ino = NULL;
	int err = prepare_create(w, true);

	if (!err)
		err = w->cur->ops->mkdir(w->cur, w->last, w->last_len, mode & (0777 | S_ISVTX),
					 &ino);
	return result(err, ino, out);
}

int vfs_symlink(struct walk *w, const char *target, struct inode **out)
{
	struct inode *ino = NULL;
	size_t tlen = strlen(target);
	int err = tlen ? prepare_create(w, false) : -ENOENT;

	if (!err)
		err = w->cur->ops->symlink(w->cur, w->last, w->last_len, target, tlen, &ino);
	return result(err, ino, out);
}

int vfs_link(struct inode *old, struct walk *w)
{
	int err = prepare_create(w, false);

	if (err)
		return err;
	if (old->sb != w->cur->sb)
		return -EXDEV;
	if (mode_is(old->mode, S_IFDIR))
		return -EPERM;
	if (old->nlink == 0)
		return -ENOENT;
	return w->cur->ops->link(w->cur, w->last, w->last_len, old);
}
