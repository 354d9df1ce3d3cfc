/* ext2 inodes: reading one from its table (checked), writing it back, new
 * inodes, and freeing one whose last name and reference went.
 *
 * Every inode in use has one struct ext2_inode_info, found through the
 * list in the superblock so that two lookups of a name give the same VFS
 * inode. The VFS changes attributes (mode, owner, times) in the VFS inode
 * directly; they reach the disk when ext2 writes the inode: after its own
 * changes, on sync, and when an unreferenced inode leaves memory. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <string.h>
#include "fs/ext2/ext2.h"

#define PRUNE_AT 512 /* inodes in memory before unreferenced ones are dropped */

const struct inode_ops ext2_ops = {
	.lookup = ext2_lookup,
	.parent = ext2_parent,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.symlink = ext2_symlink,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
	.readdir = ext2_readdir,
	.readlink = ext2_readlink,
	.read = ext2_read,
	.write = ext2_write,
	.truncate = ext2_truncate,
	.evict = ext2_evict,
};

uint32_t ext2_group_of_ino(const struct ext2_sb *s, uint32_t ino)
{
	return ino ? (ino - 1) / s->ds.inodes_per_group : 0;
}

static bool ino_valid(const struct ext2_sb *s, uint32_t ino)
{
	uint32_t first = s->ds.rev_level ? s->ds.first_ino : 11;

	return ino == EXT2_ROOT_INO || (ino >= first && ino <= s->ds.inodes_count);
}

/* The buffer holding inode ino and the inode's place in it. */
static int inode_slot(struct ext2_sb *s, uint32_t ino, struct bbuf **bb, struct ext2_disk_inode **out)
{
	uint32_t idx = (ino - 1) % s->ds.inodes_per_group;
	uint64_t block = s->itable[ext2_group_of_ino(s, ino)] + idx / s->inodes_per_block;
	int err;

	if ((err = bcache_get(s->bd, block, true, bb)) != 0)
		return err;
	*out = (struct ext2_disk_inode *)((*bb)->data + (idx % s->inodes_per_block) * s->inode_size);
	return 0;
}

static bool type_valid(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR: case S_IFBLK: case S_IFIFO:
	case S_IFSOCK:
		return true;
	}
	return false;
}

static struct vfs_time tm(uint32_t sec)
{
	return (struct vfs_time){ .sec = sec, .nsec = 0 };
}

static void decode(struct ext2_inode_info *e, const struct ext2_disk_inode *d)
{
	struct inode *v = &e->vfs;

	v->mode = d->mode;
	v->uid = d->uid | (uint32_t)d->uid_high << 16;
	v->gid = d->gid | (uint32_t)d->gid_high << 16;
	v->size = d->size | (mode_is(d->mode, S_IFREG) ? (uint64_t)d->size_high << 32 : 0);
	v->nlink = d->links_count;
	v->blocks = d->blocks;
	v->atime = tm(d->atime);
	v->mtime = tm(d->mtime);
	v->ctime = v->btime = tm(d->ctime);
	memcpy(e->block, d->block, sizeof(e->block));
	e->flags = d->flags;
	e->file_acl = d->file_acl;
	e->dtime = d->dtime;
	if (mode_is(d->mode, S_IFCHR) || mode_is(d->mode, S_IFBLK))
		v->rdev = d->block[0] ? d->block[0] : d->block[1]; /* old, new encodings */
}

static void encode(const struct ext2_inode_info *e, struct ext2_disk_inode *d)
{
	const struct inode *v = &e->vfs;

	d->mode = (uint16_t)v->mode;
	d->uid = (uint16_t)v->uid;
	d->uid_high = (uint16_t)(v->uid >> 16);
	d->gid = (uint16_t)v->gid;
	d->gid_high = (uint16_t)(v->gid >> 16);
	d->size = (uint32_t)v->size;
	if (mode_is(v->mode, S_IFREG))
		d->size_high = (uint32_t)(v->size >> 32);
	d->links_count = (uint16_t)v->nlink;
	d->blocks = (uint32_t)v->blocks;
	d->atime = (uint32_t)v->atime.sec;
	d->mtime = (uint32_t)v->mtime.sec;
	d->ctime = (uint32_t)v->ctime.sec;
	d->dtime = e->dtime;
	d->flags = e->flags;
	d->file_acl = e->file_acl;
	memcpy(d->block, e->block, sizeof(d->block));
	if (mode_is(v->mode, S_IFCHR) || mode_is(v->mode, S_IFBLK)) {
		bool old = v->rdev < 0x10000; /* major and minor below 256 */

		memset(d->block, 0, sizeof(d->block));
		d->block[old ? 0 : 1] = v->rdev;
	}
}

/* memcmp of two on-disk inodes a word at a time (both 8-aligned: table
 * slots are, and the copy on the stack is declared so): every op and every
 * sync asks, for each inode it touched, whether anything changed. */
typedef uint64_t __attribute__((may_alias)) inode_word;

static bool same_inode(const struct ext2_disk_inode *a, const struct ext2_disk_inode *b)
{
	const inode_word *x = (const inode_word *)(const void *)a;
	const inode_word *y = (const inode_word *)(const void *)b;
	uint64_t diff = 0;

	for (unsigned i = 0; i < sizeof(*a) / sizeof(*x); i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

int ext2_write_inode(struct inode *ino)
{
	struct ext2_sb *s = ino_sb(ino);
	struct ext2_disk_inode *d, now __attribute__((aligned(8)));
	struct bbuf *bb;
	int err;

	if (s->read_only)
		return 0;
	if ((err = inode_slot(s, (uint32_t)ino->ino, &bb, &d)) != 0)
		return err;
	now = *d;
	encode(ei(ino), &now);
	if (!same_inode(&now, d)) {
		*d = now;
		bcache_mark_dirty(bb);
	}
	bcache_put(bb);
	if (ino->size > INT32_MAX && !(s->ds.feature_ro_compat & EXT2_RO_COMPAT_LARGE_FILE))
		s->ds.feature_ro_compat |= EXT2_RO_COMPAT_LARGE_FILE;
	return 0;
}

static struct ext2_inode_info **ihash_bucket(struct ext2_sb *s, uint32_t ino)
{
	return &s->ihash[ino % EXT2_IHASH];
}

static struct ext2_inode_info *cached(struct ext2_sb *s, uint32_t ino)
{
	for (struct ext2_inode_info *e = *ihash_bucket(s, ino); e; e = e->hnext)
		if (e->vfs.ino == ino)
			return e;
	return NULL;
}

static void uncache(struct ext2_sb *s, struct ext2_inode_info *e)
{
	struct ext2_inode_info **pp = ihash_bucket(s, e->vfs.ino);

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	*e->pprev = e->next;
	if (e->next)
		e->next->pprev = e->pprev;
	s->ninodes--;
	kfree(e);
}

/* Drops unreferenced inodes (written back first) once there are many. */
static void prune(struct ext2_sb *s)
{
	struct ext2_inode_info *e = s->inodes, *next;

	if (s->ninodes < PRUNE_AT)
		return;
	for (; e; e = next) {
		next = e->next;
		if (e->vfs.refs == 0 && e->vfs.nlink && ext2_write_inode(&e->vfs) == 0)
			uncache(s, e);
	}
}

static struct ext2_inode_info *add_cached(struct ext2_sb *s, uint32_t ino)
{
	struct ext2_inode_info *e = kzalloc(sizeof(*e));

	if (!e)
		return NULL;
	e->vfs = (struct inode){ .ops = &ext2_ops, .sb = &s->vfs, .ino = ino, .refs = 1, .priv = e };
	e->next = s->inodes;
	if (e->next)
		e->next->pprev = &e->next;
	e->pprev = &s->inodes;
	s->inodes = e;
	e->hnext = *ihash_bucket(s, ino);
	*ihash_bucket(s, ino) = e;
	s->ninodes++;
	return e;
}

int ext2_iget(struct ext2_sb *s, uint32_t ino, struct inode **out)
{
	struct ext2_inode_info *e;
	struct ext2_disk_inode *d;
	struct bbuf *bb;
	int err;

	if (!ino_valid(s, ino)) {
		ext2_error(s, "bad inode number", ino);
		return -EIO;
	}
	if ((e = cached(s, ino)) != NULL) {
		*out = inode_get(&e->vfs);
		return 0;
	}
	prune(s);
	if ((err = inode_slot(s, ino, &bb, &d)) != 0)
		return err;
	err = -EIO;
	if (d->links_count == 0 || !type_valid(d->mode) || (d->file_acl && !ext2_block_valid(s, d->file_acl)))
		ext2_error(s, "corrupt or free inode", ino);
	else if (!(e = add_cached(s, ino)))
		err = -ENOMEM;
	else {
		decode(e, d);
		*out = &e->vfs;
		err = 0;
	}
	bcache_put(bb);
	return err;
}

/* Owner and group as Linux's inode_init_owner (see tmpfs.c). */
static void init_owner(struct inode *ino, const struct inode *dir)
{
	ino->uid = vfs_fsuid();
	ino->gid = vfs_fsgid();
	if (dir->mode & S_ISGID) {
		ino->gid = dir->gid;
		if (mode_is(ino->mode, S_IFDIR))
			ino->mode |= S_ISGID;
	}
}

int ext2_new_inode(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out)
{
	struct ext2_sb *s = ino_sb(dir);
	struct ext2_inode_info *e;
	struct ext2_disk_inode *d;
	struct bbuf *bb;
	uint32_t ino;
	int err = ext2_alloc_inode(s, (uint32_t)dir->ino, mode_is(mode, S_IFDIR), &ino);

	if (err)
		return err;
	if ((err = inode_slot(s, ino, &bb, &d)) != 0 || !(e = add_cached(s, ino))) {
		if (!err)
			bcache_put(bb);
		ext2_free_inode(s, ino, mode_is(mode, S_IFDIR));
		return err ? err : -ENOMEM;
	}
	memset(d, 0, s->inode_size); /* a fresh inode, extra space included */
	bcache_mark_dirty(bb);
	bcache_put(bb);
	e->vfs.mode = mode;
	e->vfs.rdev = rdev;
	e->vfs.nlink = 1;
	e->vfs.atime = e->vfs.mtime = e->vfs.ctime = e->vfs.btime = tm((uint32_t)vfs_now().sec);
	init_owner(&e->vfs, dir);
	*out = &e->vfs;
	return ext2_write_inode(&e->vfs);
}

/* Drops an extended-attribute block's reference; the last frees it. */
static void put_xattr_block(struct ext2_sb *s, uint32_t block)
{
	struct bbuf *bb;
	uint32_t *h;

	if (bcache_get(s->bd, block, true, &bb))
		return;
	h = (uint32_t *)bb->data; /* h_magic, h_refcount */
	if (h[0] == 0xea020000 && h[1] > 1) {
		h[1]--;
		bcache_mark_dirty(bb);
		bcache_put(bb);
		return;
	}
	bcache_put(bb);
	ext2_free_block(s, block);
}

static bool fast_symlink(const struct inode *ino)
{
	uint64_t acl = ei(ino)->file_acl ? ino_sb(ino)->block_size / 512 : 0;

	return mode_is(ino->mode, S_IFLNK) && ino->blocks == acl;
}

void ext2_evict(struct inode *ino)
{
	struct ext2_sb *s = ino_sb(ino);
	struct ext2_inode_info *e = ei(ino);

	ext2_lock(s);
	if (!s->read_only) {
		if (!fast_symlink(ino) && !mode_is(ino->mode, S_IFCHR) && !mode_is(ino->mode, S_IFBLK))
			ext2_free_from(ino, 0);
		if (e->file_acl) {
			put_xattr_block(s, e->file_acl);
			e->file_acl = 0;
			ext2_add_blocks(ino, -1);
		}
		ino->size = 0;
		e->dtime = (uint32_t)vfs_now().sec;
		ext2_write_inode(ino);
		ext2_free_inode(s, (uint32_t)ino->ino, mode_is(ino->mode, S_IFDIR));
	}
	uncache(s, e);
	ext2_unlock(s);
}

int ext2_write_all_inodes(struct ext2_sb *s)
{
	int err = 0, e2;

	for (struct ext2_inode_info *e = s->inodes; e; e = e->next)
		if ((e2 = ext2_write_inode(&e->vfs)) && !err)
			err = e2;
	return err;
}

void ext2_release_inodes(struct ext2_sb *s)
{
	while (s->inodes)
		uncache(s, s->inodes);
}
