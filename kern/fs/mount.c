/* The mount table: which file system's root covers which directory, and the
 * root of the whole tree. A path walk steps onto a mounted root when it
 * reaches the covered directory, and back off it at "..". */
#include <frame/errno.h>
#include <frame/heap.h>
#include <string.h>
#include "fs/path.h"
#include "fs/vfs.h"
#include "proc/process.h"

#define MAX_MOUNTS 32
#define SOURCE_MAX 64

struct mount {
	struct super *sb;
	char source[SOURCE_MAX];
	char *path; /* kmalloc'd: where it was mounted, when it was mounted */
};

static struct mount mounts[MAX_MOUNTS];
static unsigned nmounts;
static struct inode *root;
static unsigned anon_minor, mnt_ids;

static char *path_of(struct inode *mountpoint)
{
	char *buf = kmalloc(PATH_MAX), *copy = NULL;
	long n = mountpoint ? (buf ? vfs_path_of(mountpoint, buf, PATH_MAX) : -ENOMEM) : 2;

	if (!mountpoint && buf)
		strlcpy(buf, "/", PATH_MAX);
	if (n > 0 && (copy = kmalloc((size_t)n)))
		memcpy(copy, buf, (size_t)n);
	kfree(buf);
	return copy;
}

static int attach(struct super *sb, struct inode *mountpoint)
{
	if (!mountpoint) {
		if (root)
			return -EBUSY;
		root = inode_get(sb->root);
		return 0;
	}
	if (!mode_is(mountpoint->mode, S_IFDIR))
		return -ENOTDIR;
	if (mountpoint->sb->transient)
		return -EINVAL; /* its inodes do not last: the mount would be lost */
	if (mountpoint->mounted)
		return -EBUSY;
	mountpoint->mounted = inode_get(sb->root);
	sb->root->covered = inode_get(mountpoint);
	return 0;
}

int vfs_mount_source(struct super *sb, struct inode *mountpoint, const char *source)
{
	struct mount *m = &mounts[nmounts];
	int err;

	if (nmounts == MAX_MOUNTS)
		return -ENOMEM;
	if (!(m->path = path_of(mountpoint)))
		return -ENOMEM;
	if ((err = attach(sb, mountpoint)) != 0) {
		kfree(m->path);
		return err;
	}
	m->sb = sb;
	strlcpy(m->source, source, sizeof(m->source));
	nmounts++;
	return 0;
}

int vfs_mount(struct super *sb, struct inode *mountpoint)
{
	return vfs_mount_source(sb, mountpoint, mountpoint ? sb->type : "rootfs");
}

static int find_mount(const struct super *sb)
{
	for (unsigned i = 0; i < nmounts; i++)
		if (mounts[i].sb == sb)
			return (int)i;
	return -1;
}

int vfs_mount_get(unsigned index, struct mount_info *out)
{
	struct inode *covered;
	int parent;

	if (index >= nmounts)
		return -ENOENT;
	covered = mounts[index].sb->root->covered;
	parent = covered ? find_mount(covered->sb) : -1;
	*out = (struct mount_info){
		.sb = mounts[index].sb, .source = mounts[index].source, .path = mounts[index].path,
		.parent_id = parent >= 0 ? mounts[parent].sb->mnt_id : mounts[index].sb->mnt_id,
	};
	return 0;
}

static int child_mount(const struct super *sb);

/* Is anything of sb in use: a process's cwd or open file, a mount on it? */
static bool sb_busy(const struct super *sb)
{
	if (child_mount(sb) >= 0)
		return true;
	for (struct process *p = process_first(); p; p = process_next(p)) {
		if (p->cwd && p->cwd->sb == sb)
			return true;
		for (int fd = 0; fd < MAX_FDS; fd++) {
			struct file *f = fd_get(p, fd);
			if (f && f->inode && f->inode->sb == sb)
				return true;
		}
	}
	return false;
}

static void detach(unsigned index)
{
	struct inode *sbroot = mounts[index].sb->root, *covered = sbroot->covered;

	covered->mounted = NULL;
	sbroot->covered = NULL;
	inode_put(sbroot);
	inode_put(covered);
	kfree(mounts[index].path);
	memmove(&mounts[index], &mounts[index + 1], (nmounts - index - 1) * sizeof(mounts[0]));
	nmounts--;
}

/* The index of a mount on sb (a file system mounted inside it), or -1. */
static int child_mount(const struct super *sb)
{
	for (unsigned i = 0; i < nmounts; i++) {
		struct inode *covered = mounts[i].sb->root->covered;
		if (covered && covered->sb == sb)
			return (int)i;
	}
	return -1;
}

/* Detaches sb's mount and everything mounted inside it (only a lazy
 * umount gets here with any; the depth is bounded by MAX_MOUNTS). */
static void detach_tree(struct super *sb)
{
	int child;

	while ((child = child_mount(sb)) >= 0)
		detach_tree(mounts[child].sb);
	detach((unsigned)find_mount(sb));
	if (sb->kill)
		sb->kill(sb);
}

int vfs_umount(struct inode *mroot, bool lazy)
{
	struct super *sb = mroot->sb;
	int index = find_mount(sb);

	inode_put(mroot); /* the superblock and the mount keep it meanwhile */
	if (index < 0 || mroot != sb->root || !mroot->covered)
		return -EINVAL; /* not a mount point (or the root of the tree) */
	if (!lazy && sb_busy(sb))
		return -EBUSY;
	detach_tree(sb);
	return 0;
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
