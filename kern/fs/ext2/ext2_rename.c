/* ext2 rename: moving an entry, replacing another, or exchanging two; a
 * directory that changes parent gets its ".." rewritten and the parents'
 * link counts follow. */
#include <frame/errno.h>
#include "fs/ext2/ext2.h"
#include "fs/fcntl.h"

static bool isdir(const struct inode *ino)
{
	return mode_is(ino->mode, S_IFDIR);
}

static uint32_t slot_ino(const struct ext2_slot *slot)
{
	return ((const struct ext2_dirent *)(const void *)(slot->bb->data + slot->off))->inode;
}

/* The inode named name in dir, referenced (NULL if none). */
static int named(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	int err = ext2_lookup(dir, name, len, out);

	if (err == -ENOENT) {
		*out = NULL;
		return 0;
	}
	return err;
}

/* Points entry name of dir at ino. */
static int repoint(struct inode *dir, const char *name, size_t len, struct inode *ino)
{
	struct ext2_slot slot;
	int err = ext2_dir_find(dir, name, len, &slot);

	if (!err)
		ext2_dir_set(dir, &slot, (uint32_t)ino->ino, ino->mode);
	return err;
}

/* ino (a directory or not) moves from odir to ndir. */
static int move_dir(struct inode *ino, struct inode *odir, struct inode *ndir)
{
	int err;

	if (!isdir(ino) || odir == ndir)
		return 0;
	if ((err = repoint(ino, "..", 2, ndir)) != 0)
		return err;
	odir->nlink--;
	ndir->nlink++;
	ext2_write_inode(odir);
	ext2_write_inode(ndir);
	return 0;
}

static int exchange(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		    const char *nname, size_t nlen, struct inode *a, struct inode *b)
{
	int err;

	if ((err = repoint(odir, oname, olen, b)) || (err = repoint(ndir, nname, nlen, a)) ||
	    (err = move_dir(a, odir, ndir)) || (err = move_dir(b, ndir, odir)))
		return err;
	inode_touch(a, T_CTIME);
	inode_touch(b, T_CTIME);
	ext2_write_inode(a);
	ext2_write_inode(b);
	return 0;
}

static void drop_victim(struct inode *ndir, struct inode *victim)
{
	if (isdir(victim)) {
		victim->nlink = 0;
		ndir->nlink--;
		ext2_write_inode(ndir);
	} else if (victim->nlink) {
		victim->nlink--;
	}
	inode_touch(victim, T_CTIME);
	ext2_write_inode(victim);
}

static int move(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		const char *nname, size_t nlen, struct inode *src, struct inode *victim)
{
	struct ext2_slot slot;
	int err;

	if (victim && isdir(victim) && (err = ext2_dir_empty(victim)) != 1)
		return err ? err : -ENOTEMPTY;
	err = victim ? repoint(ndir, nname, nlen, src)
		     : ext2_dir_add(ndir, nname, nlen, (uint32_t)src->ino, src->mode);
	if (err)
		return err;
	if (victim)
		drop_victim(ndir, victim);
	/* Found again: adding may have split the records around it. */
	if ((err = ext2_dir_find(odir, oname, olen, &slot)) != 0)
		return err;
	if (slot_ino(&slot) != src->ino) {
		bcache_put(slot.bb);
		return -EIO;
	}
	ext2_dir_remove(odir, &slot);
	if ((err = move_dir(src, odir, ndir)) != 0)
		return err;
	inode_touch(src, T_CTIME);
	ext2_write_inode(src);
	return 0;
}

int ext2_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		const char *nname, size_t nlen, unsigned flags)
{
	struct ext2_sb *s = ino_sb(odir);
	struct inode *src = NULL, *victim = NULL;
	int err;

	if (s->read_only)
		return -EROFS;
	ext2_lock(s);
	if ((err = named(odir, oname, olen, &src)) == 0 && !src)
		err = -ENOENT;
	if (!err)
		err = named(ndir, nname, nlen, &victim);
	if (!err && victim == src)
		err = 0; /* two names of one inode: nothing to do, as Linux */
	else if (!err && (flags & RENAME_EXCHANGE))
		err = victim ? exchange(odir, oname, olen, ndir, nname, nlen, src, victim) : -ENOENT;
	else if (!err)
		err = move(odir, oname, olen, ndir, nname, nlen, src, victim);
	inode_put(victim);
	inode_put(src);
	ext2_unlock(s);
	return err;
}
