/* ext2 names: creating and removing entries. The VFS has checked the
 * name is free (create) or present (remove) and of the right type. */
#include <frame/errno.h>
#include <string.h>
#include "fs/ext2/ext2.h"

#define EXT2_LINK_MAX 32000

/* Gives the new inode ino its name in dir, or frees it again. */
static int add_new(struct inode *dir, const char *name, size_t len, struct inode *ino,
		   struct inode **out)
{
	int err = ext2_dir_add(dir, name, len, (uint32_t)ino->ino, ino->mode);

	if (err) {
		ino->nlink = 0;
		inode_put(ino);
		return err;
	}
	ext2_write_inode(ino);
	*out = ino;
	return 0;
}

/* Entry point of every name operation: the lock, and no writes on a
 * read-only mount. */
static int begin(struct inode *dir)
{
	if (ino_sb(dir)->read_only)
		return -EROFS;
	ext2_lock(ino_sb(dir));
	return 0;
}

static int end(struct inode *dir, int err)
{
	ext2_unlock(ino_sb(dir));
	return err;
}

int ext2_create(struct inode *dir, const char *name, size_t len, uint32_t mode, uint32_t rdev,
		struct inode **out)
{
	struct inode *ino;
	int err = begin(dir);

	if (err)
		return err;
	if ((err = ext2_new_inode(dir, mode, rdev, &ino)) == 0)
		err = add_new(dir, name, len, ino, out);
	return end(dir, err);
}

int ext2_mkdir(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out)
{
	struct inode *ino;
	int err = begin(dir);

	if (err)
		return err;
	if (dir->nlink >= EXT2_LINK_MAX)
		return end(dir, -EMLINK);
	if ((err = ext2_new_inode(dir, S_IFDIR | mode, 0, &ino)) != 0)
		return end(dir, err);
	ino->nlink = 2;
	if ((err = ext2_dir_init(ino, (uint32_t)dir->ino)) != 0) {
		ino->nlink = 0;
		inode_put(ino);
		return end(dir, err);
	}
	if ((err = add_new(dir, name, len, ino, out)) == 0) {
		dir->nlink++;
		ext2_write_inode(dir);
	}
	return end(dir, err);
}

/* A target of up to EXT2_FAST_LINK_MAX bytes lives in the inode itself,
 * a longer one in a block of its own. */
static int set_target(struct inode *ino, const char *target, size_t tlen)
{
	struct ext2_sb *s = ino_sb(ino);
	struct bbuf *bb;
	uint32_t p;
	int err;

	if (tlen <= EXT2_FAST_LINK_MAX) {
		memcpy(ei(ino)->block, target, tlen);
	} else {
		if ((err = ext2_bmap(ino, 0, true, &p)) || (err = bcache_get(s->bd, p, false, &bb)))
			return err;
		memcpy(bb->data, target, tlen);
		bcache_mark_dirty(bb);
		bcache_put(bb);
	}
	ino->size = tlen;
	return ext2_write_inode(ino);
}

int ext2_symlink(struct inode *dir, const char *name, size_t len, const char *target, size_t tlen,
		 struct inode **out)
{
	struct inode *ino;
	int err;

	if (tlen >= ino_sb(dir)->block_size)
		return -ENAMETOOLONG;
	if ((err = begin(dir)) != 0)
		return err;
	if ((err = ext2_new_inode(dir, S_IFLNK | 0777, 0, &ino)) != 0)
		return end(dir, err);
	if ((err = set_target(ino, target, tlen)) != 0) {
		ino->nlink = 0;
		inode_put(ino);
		return end(dir, err);
	}
	return end(dir, add_new(dir, name, len, ino, out));
}

int ext2_link(struct inode *dir, const char *name, size_t len, struct inode *target)
{
	int err = begin(dir);

	if (err)
		return err;
	if (target->nlink >= EXT2_LINK_MAX)
		return end(dir, -EMLINK);
	if ((err = ext2_dir_add(dir, name, len, (uint32_t)target->ino, target->mode)) == 0) {
		target->nlink++;
		inode_touch(target, T_CTIME);
		ext2_write_inode(target);
	}
	return end(dir, err);
}

/* Removes the entry name and gives back (referenced) the inode it named. */
static int remove_entry(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct ext2_slot slot;
	int err = ext2_dir_find(dir, name, len, &slot);

	if (err)
		return err;
	if ((err = ext2_iget(ino_sb(dir), ((struct ext2_dirent *)(void *)(slot.bb->data + slot.off))->inode,
			     out)) != 0) {
		bcache_put(slot.bb);
		return err;
	}
	ext2_dir_remove(dir, &slot);
	return 0;
}

int ext2_unlink(struct inode *dir, const char *name, size_t len)
{
	struct inode *ino;
	int err = begin(dir);

	if (err)
		return err;
	if ((err = remove_entry(dir, name, len, &ino)) == 0) {
		if (ino->nlink)
			ino->nlink--;
		inode_touch(ino, T_CTIME);
		ext2_write_inode(ino);
		inode_put(ino);
	}
	return end(dir, err);
}

int ext2_rmdir(struct inode *dir, const char *name, size_t len)
{
	struct inode *victim;
	int err = begin(dir);

	if (err)
		return err;
	if ((err = ext2_lookup(dir, name, len, &victim)) != 0)
		return end(dir, err);
	if ((err = ext2_dir_empty(victim)) != 1) {
		inode_put(victim);
		return end(dir, err ? err : -ENOTEMPTY);
	}
	inode_put(victim);
	if ((err = remove_entry(dir, name, len, &victim)) == 0) {
		victim->nlink = 0;
		inode_touch(victim, T_CTIME);
		ext2_write_inode(victim);
		dir->nlink--;
		ext2_write_inode(dir);
		inode_put(victim);
	}
	return end(dir, err);
}
