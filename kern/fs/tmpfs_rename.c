/* tmpfs rename: moving an entry, replacing another, or exchanging two. */
#include <frame/errno.h>
#include "fs/fcntl.h"
#include "fs/tmpfs_internal.h"

static bool isdir(const struct inode *ino)
{
	return mode_is(ino->mode, S_IFDIR);
}

/* ino (a directory) moves from odir to ndir: "..", and the link counts. */
static void move_dir(struct inode *ino, struct inode *odir, struct inode *ndir)
{
	if (!isdir(ino) || odir == ndir)
		return;
	tmpfs_dir_set_parent(ino, ndir);
	odir->nlink--;
	ndir->nlink++;
}

static int exchange(struct inode *odir, struct tmpfs_dirent *oe, struct inode *ndir,
		    struct tmpfs_dirent *ne)
{
	struct inode *a = oe->inode, *b = ne->inode;

	oe->inode = b;
	ne->inode = a;
	move_dir(a, odir, ndir);
	move_dir(b, ndir, odir);
	inode_touch(a, T_CTIME);
	inode_touch(b, T_CTIME);
	inode_touch(odir, T_MTIME | T_CTIME);
	inode_touch(ndir, T_MTIME | T_CTIME);
	return 0;
}

/* The entry ne and its inode go away (replaced by a rename). */
static void drop_victim(struct inode *ndir, struct tmpfs_dirent *ne)
{
	struct inode *victim = ne->inode;

	if (isdir(victim)) {
		victim->nlink = 0;
		ndir->nlink--;
	} else {
		victim->nlink--;
	}
	inode_touch(victim, T_CTIME);
	tmpfs_dir_remove(ndir, ne);
}

int tmpfs_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		 const char *nname, size_t nlen, unsigned flags)
{
	struct tmpfs_dirent *oe = tmpfs_dir_find(odir, oname, olen);
	struct tmpfs_dirent *ne = tmpfs_dir_find(ndir, nname, nlen);
	struct inode *src = oe->inode;
	struct tmpfs_dirent *moved;

	if (flags & RENAME_EXCHANGE)
		return exchange(odir, oe, ndir, ne);
	if (ne && isdir(ne->inode) && tnode(ne->inode)->dir.count)
		return -ENOTEMPTY;
	if (!(moved = tmpfs_dirent_new(nname, nlen, src)))
		return -ENOMEM;
	if (ne)
		drop_victim(ndir, ne);
	tmpfs_dir_remove(odir, oe);
	tmpfs_dir_insert(ndir, moved);
	move_dir(src, odir, ndir);
	inode_touch(src, T_CTIME);
	return 0;
}
