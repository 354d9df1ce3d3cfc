/* tmpfs names: creating and removing entries. The VFS has checked that the
 * name is free (create) or present (remove) and of the right type. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <string.h>
#include "fs/tmpfs_internal.h"

/* Gives the new inode ino its first name, or drops it. */
static int add_new(struct inode *dir, const char *name, size_t len, struct inode *ino,
		   struct inode **out)
{
	int err = tmpfs_dir_add(dir, name, len, ino);

	if (err) {
		ino->nlink = 0;
		inode_put(ino);
		return err;
	}
	*out = ino;
	return 0;
}

int tmpfs_create_op(struct inode *dir, const char *name, size_t len, uint32_t mode, uint32_t rdev,
		    struct inode **out)
{
	struct inode *ino;
	int err = tmpfs_new_inode(dir, mode, rdev, &ino);

	return err ? err : add_new(dir, name, len, ino, out);
}

int tmpfs_mkdir(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
	struct inode *ino;
	int err = tmpfs_new_inode(dir, S_IFDIR | mode, 0, &ino);

	if (err)
		return err;
	tmpfs_dir_set_parent(ino, dir);
	if ((err = add_new(dir, name, len, ino, out)) == 0)
		dir->nlink++;
	return err;
}

int tmpfs_symlink(struct inode *dir, const char *name, size_t len, const char *target, size_t tlen,
		  struct inode **out)
{
	struct inode *ino;
	char *copy = kmalloc(tlen + 1);
	int err = copy ? tmpfs_new_inode(dir, S_IFLNK | 0777, 0, &ino) : -ENOMEM;

	if (err) {
		kfree(copy);
		return err;
	}
	memcpy(copy, target, tlen);
	copy[tlen] = '\0';
	tnode(ino)->target = copy;
	ino->size = tlen;
	return add_new(dir, name, len, ino, out);
}

int tmpfs_link(struct inode *dir, const char *name, size_t len, struct inode *target)
{
	int err = tmpfs_dir_add(dir, name, len, target);

	if (!err) {
		target->nlink++;
		inode_touch(target, T_CTIME);
	}
	return err;
}

int tmpfs_unlink(struct inode *dir, const char *name, size_t len)
{
	struct tmpfs_dirent *e = tmpfs_dir_find(dir, name, len);
	struct inode *ino = e->inode;

	tmpfs_dir_remove(dir, e);
	ino->nlink--;
	inode_touch(ino, T_CTIME);
	return 0; /* the caller's reference keeps ino until it is put */
}

int tmpfs_rmdir(struct inode *dir, const char *name, size_t len)
{
	struct tmpfs_dirent *e = tmpfs_dir_find(dir, name, len);
	struct inode *victim = e->inode;

	if (tnode(victim)->dir.count)
		return -ENOTEMPTY;
	tmpfs_dir_remove(dir, e);
	victim->nlink = 0;
	dir->nlink--;
	inode_touch(victim, T_CTIME);
	return 0;
}
