/* Removing names: unlink and rmdir (Linux's do_unlinkat and do_rmdir). */
#include <frame/errno.h>
#include "fs/path.h"

int vfs_unlink(struct walk *w)
{
	struct inode *victim;
	int err = walk_parent(w);

	if (err)
		return err;
	if (w->last_type != LAST_NORM)
		return -EISDIR;
	if ((err = walk_child(w, &victim)) != 0)
		return err;
	if (w->slash)
		err = mode_is(victim->mode, S_IFDIR) ? -EISDIR : -ENOTDIR;
	else
		err = may_delete(w->cur, victim, false);
	if (!err)
		err = w->cur->ops->unlink(w->cur, w->last, w->last_len);
	inode_put(victim);
	return err;
}

int vfs_rmdir(struct walk *w)
{
	struct inode *victim;
	int err = walk_parent(w);

	if (err)
		return err;
	switch (w->last_type) {
	case LAST_DOT:
		return -EINVAL;
	case LAST_DOTDOT:
		return -ENOTEMPTY;
	case LAST_ROOT:
		return -EBUSY;
	default:
		break;
	}
	if ((err = walk_child(w, &victim)) != 0)
		return err;
	err = may_delete(w->cur, victim, true);
	if (!err)
		err = w->cur->ops->rmdir(w->cur, w->last, w->last_len);
	inode_put(victim);
	return err;
}
