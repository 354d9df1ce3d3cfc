/* tmpfs: superblocks, inodes and their lifetime, statfs. Directories are in
 * tmpfs_dir.c and tmpfs_namei.c, file data in tmpfs_data.c. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/meminfo.h>
#include <string.h>
#include "fs/tmpfs_internal.h"

static long tmpfs_readlink(struct inode *ino, char *buf, size_t size)
{
	size_t n = MIN(size, ino->size);

	memcpy(buf, tnode(ino)->target, n);
	return (long)n;
}

const struct inode_ops tmpfs_ops = {
	.lookup = tmpfs_lookup,
	.parent = tmpfs_parent,
	.create = tmpfs_create_op,
	.mkdir = tmpfs_mkdir,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.readdir = tmpfs_readdir,
	.readlink = tmpfs_readlink,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.truncate = tmpfs_truncate,
	.get_page = tmpfs_get_page,
	.evict = tmpfs_evict,
};

/* Owner and group of a new inode, as Linux's inode_init_owner: the group
 * of a set-group-ID directory is inherited, and so is the bit by
 * subdirectories. */
static void init_owner(struct inode *ino, const struct inode *dir)
{
	ino->uid = vfs_fsuid();
	ino->gid = vfs_fsgid();
	if (dir && (dir->mode & S_ISGID)) {
		ino->gid = dir->gid;
		if (mode_is(ino->mode, S_IFDIR))
			ino->mode |= S_ISGID;
	}
}

static struct tmpfs_node *alloc_node(struct super *sb, uint32_t mode, uint32_t rdev)
{
	struct tmpfs_sb *ts = sb->priv;
	struct tmpfs_node *n;
	struct inode *ino;

	if (ts->inodes >= ts->max_inodes || !(n = kzalloc(sizeof(*n))))
		return NULL;
	ts->inodes++;
	ino = &n->inode;
	ino->ops = &tmpfs_ops;
	ino->sb = sb;
	ino->ino = sb->next_ino++;
	ino->mode = mode;
	ino->rdev = rdev;
	ino->nlink = 1;
	ino->refs = 1;
	ino->priv = n;
	ino->atime = ino->mtime = ino->ctime = ino->btime = vfs_now();
	if (mode_is(mode, S_IFDIR)) {
		ino->nlink = 2;
		ino->size = 2 * BOGO_DIRENT_SIZE;
		n->dir.next_cookie = 2;
	}
	return n;
}

int tmpfs_new_inode(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out)
{
	struct tmpfs_node *n = alloc_node(dir->sb, mode, rdev);

	if (!n)
		return tsb(dir)->inodes >= tsb(dir)->max_inodes ? -ENOSPC : -ENOMEM;
	init_owner(&n->inode, dir);
	*out = &n->inode;
	return 0;
}

void tmpfs_evict(struct inode *ino)
{
	struct tmpfs_node *n = tnode(ino);
	struct super *sb = ino->sb;
	struct tmpfs_sb *ts = sb->priv;

	/* Putting the parent cannot free the superblock: this inode still counts. */
	if (mode_is(ino->mode, S_IFDIR)) {
		inode_put(n->dir.parent); /* a removed directory has no entries */
		tmpfs_dirhash_free(&n->dir);
	}
	else if (mode_is(ino->mode, S_IFREG))
		tmpfs_data_free(ino);
	else if (mode_is(ino->mode, S_IFLNK))
		kfree(n->target);
	kfree(n);
	if (--ts->inodes == 0 && ts->dead) {
		kfree(ts);
		kfree(sb);
	}
}

static void tmpfs_kill(struct super *sb);

static int tmpfs_statfs(struct super *sb, struct kstatfs *out)
{
	struct tmpfs_sb *ts = sb->priv;

	*out = (struct kstatfs){
		.type = TMPFS_MAGIC, .bsize = VFS_BLOCK, .frsize = VFS_BLOCK, .namelen = NAME_MAX,
		.blocks = ts->max_chunks, .bfree = ts->max_chunks - ts->chunks,
		.bavail = ts->max_chunks - ts->chunks,
		.files = ts->max_inodes, .ffree = ts->max_inodes - ts->inodes,
		.flags = sb->flags,
	};
	return 0;
}

struct super *tmpfs_create(uint32_t root_mode)
{
	struct super *sb = kzalloc(sizeof(*sb));
	struct tmpfs_sb *ts = kzalloc(sizeof(*ts));
	struct tmpfs_node *root;

	if (!sb || !ts) {
		kfree(sb);
		kfree(ts);
		return NULL;
	}
	ts->max_chunks = ts->max_inodes = mem_total_bytes() / 2 / VFS_BLOCK;
	*sb = (struct super){ .type = "tmpfs", .dev = vfs_anon_dev(), .next_ino = 1,
			      .mnt_id = vfs_next_mnt_id(), .flags = ST_RELATIME,
			      .statfs = tmpfs_statfs, .kill = tmpfs_kill, .priv = ts };
	if (!(root = alloc_node(sb, S_IFDIR | (root_mode & S_IALLUGO), 0))) {
		kfree(sb);
		kfree(ts);
		return NULL;
	}
	init_owner(&root->inode, NULL);
	sb->root = &root->inode; /* the superblock keeps the first reference */
	return sb;
}

/* Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) lives in unnamed
 * files of an internal tmpfs, as Linux's shmem: the pages stay shared
 * across fork because every mapping finds them through the same inode. */
int tmpfs_anon_inode(uint64_t size, struct inode **out)
{
	static struct super *shm_sb;
	struct tmpfs_node *n;

	if (!shm_sb && !(shm_sb = tmpfs_create(01777)))
		return -ENOMEM;
	if (!(n = alloc_node(shm_sb, S_IFREG | 0600, 0)))
		return -ENOMEM;
	init_owner(&n->inode, NULL);
	n->inode.nlink = 0; /* no name: freed with its last reference */
	n->inode.size = size;
	*out = &n->inode;
	return 0;
}

/* Removes every name below the root, deepest first and without recursion
 * (a tree may be deeper than a kernel stack), evicting what is unused. */
static void remove_all(struct inode *root)
{
	struct inode *cur = root;

	for (;;) {
		struct tmpfs_dirent *e = tnode(cur)->dir.head;
		struct inode *child;

		if (!e) {
			if (cur == root)
				return;
			cur = tnode(cur)->dir.parent; /* cur's entry there goes next */
			continue;
		}
		child = e->inode;
		if (mode_is(child->mode, S_IFDIR) && tnode(child)->dir.head) {
			cur = child;
			continue;
		}
		tmpfs_dir_remove(cur, e);
		child->nlink = mode_is(child->mode, S_IFDIR) ? 0 : child->nlink - 1;
		if (child->nlink == 0 && child->refs == 0)
			tmpfs_evict(child);
	}
}

/* After umount: removes every name; what is unused goes now, the rest
 * (open files, cwds after a lazy umount) and the superblock with the last
 * reference. A cwd in it then sees empty directories. */
static void tmpfs_kill(struct super *sb)
{
	struct inode *root = sb->root;

	((struct tmpfs_sb *)sb->priv)->dead = true;
	remove_all(root);
	root->nlink = 0;
	inode_put(root); /* the superblock's reference: usually the last */
}
