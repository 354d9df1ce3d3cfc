/* rename, with Linux's order of checks (do_renameat2, vfs_rename). */
#include <frame/errno.h>
#include "fs/path.h"

/* Bounds the walk up: a damaged disk file system can make ".." entries
 * loop. Past this many levels the answer is "yes", which refuses the rename. */
#define MAX_DEPTH 65536

/* Is a (a directory) d itself or one of d's ancestors? Same file system. */
static bool is_ancestor(struct inode *a, struct inode *d)
{
	struct inode *cur = inode_get(d);
	bool found = false;
	unsigned depth = 0;

	while (cur && !(found = cur == a)) {
		struct inode *up;

		if (++depth > MAX_DEPTH) {
			found = true;
			break;
		}
		up = mode_is(cur->mode, S_IFDIR) ? cur->ops->parent(cur) : NULL;
		inode_put(cur);
		cur = up;
	}
	inode_put(cur);
	return found;
}

static int check_names(struct walk *ow, struct walk *nw, unsigned flags)
{
	int err;

	if ((err = walk_parent(ow)) || (err = walk_parent(nw)))
		return err;
	if (ow->cur->sb != nw->cur->sb)
		return -EXDEV;
	if (ow->last_type != LAST_NORM)
		return -EBUSY;
	if (nw->last_type != LAST_NORM)
		return flags & RENAME_NOREPLACE ? -EEXIST : -EBUSY;
	return 0;
}

static int check_types(struct walk *ow, struct inode *old, struct walk *nw, struct inode *new,
		       unsigned flags)
{
	bool exchange = flags & RENAME_EXCHANGE;

	if ((flags & RENAME_NOREPLACE) && new)
		return -EEXIST;
	if (exchange && !new)
		return -ENOENT;
	if (exchange && nw->slash && !mode_is(new->mode, S_IFDIR))
		return -ENOTDIR;
	if (!mode_is(old->mode, S_IFDIR) && (ow->slash || (!exchange && nw->slash)))
		return -ENOTDIR;
	if (is_ancestor(old, nw->cur))
		return -EINVAL;
	if (new && is_ancestor(new, ow->cur))
		return exchange ? -EINVAL : -ENOTEMPTY;
	return 0;
}

static int check_perms(struct walk *ow, struct inode *old, struct walk *nw, struct inode *new,
		       unsigned flags)
{
	bool isdir = mode_is(old->mode, S_IFDIR);
	int err = may_delete(ow->cur, old, isdir);

	if (err)
		return err;
	if (!new)
		return may_create(nw->cur);
	if (flags & RENAME_EXCHANGE)
		return may_delete(nw->cur, new, mode_is(new->mode, S_IFDIR));
	return may_delete(nw->cur, new, isdir);
}

int vfs_rename(struct walk *ow, struct walk *nw, unsigned flags)
{
	struct inode *old = NULL, *new = NULL;
	int err;

	if ((flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE)) ||
	    (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE))
		return -EINVAL;
	if ((err = check_names(ow, nw, flags)) || (err = walk_child(ow, &old)))
		return err;
	err = walk_child(nw, &new);
	if (err == -ENOENT)
		err = 0;
	if (!err)
		err = check_types(ow, old, nw, new, flags);
	if (!err && old != new && !(err = check_perms(ow, old, nw, new, flags)))
		err = ow->cur->ops->rename(ow->cur, ow->last, ow->last_len, nw->cur, nw->last,
					   nw->last_len, flags);
	inode_put(old);
	inode_put(new);
	return err;
}
