/* The mount table: which file system's root covers which directory, and the
 * root of the whole tree. A path walk steps onto a mounted root when it
 * reaches the covered directory, and back off it at "..". */
#include <frame/errno.h>
#include "fs/vfs.h"

#define MAX_MOUNTS 16

static struct super *mounts[MAX_MOUNTS];
static unsigned nmounts;
static struct inode *root;
static unsigned anon_minor, mnt_ids;

int vfs_mount(struct super *sb, struct inode *mountpoint)
{
	if (nmounts == MAX_MOUNTS)
		return -ENOMEM;
	if (!mountpoint) {
		if (root)
			return -EBUSY;
		root = inode_get(sb->root);
	} else {
		if (!mode_is(mountpoint->mode, S_IFDIR))
			return -ENOTDIR;
		if (mountpoint->mounted)
			return -EBUSY;
		mountpoint->mounted = inode_get(sb->root);
		sb->root->covered = inode_get(mountpoint);
	}
	mounts[nmounts++] = sb;
	return 0;
}

struct super *vfs_mount_get(unsigned index)
{
	return index < nmounts ? mounts[index] : NULL;
}

struct inode *vfs_root(void)
{
	return root;
}

struct inode *vfs_cross_mounts(struct inode *ino)
{
	while (ino->mounted) {
		struct inode *next = inode_get(ino->mounted);
		inode_put(ino);
		ino = next;
	}
	return ino;
}

uint64_t vfs_anon_dev(void)
{
	return encode_dev(0, ++anon_minor);
}

unsigned vfs_next_mnt_id(void)
{
	return ++mnt_ids;
}
