/* Inode references, timestamps and attributes common to every file system. */
#include <kern/wallclock.h>
#include "fs/vfs.h"

struct inode *inode_get(struct inode *ino)
{
	ino->refs++;
	return ino;
}

void inode_put(struct inode *ino)
{
	if (!ino)
		return;
	if (--ino->refs == 0 && (ino->nlink == 0 || ino->sb->transient))
		ino->ops->evict(ino);
}

/* Wall time, as clock_gettime(CLOCK_REALTIME) reads it. */
struct vfs_time vfs_now(void)
{
	uint64_t ns = wallclock_now_ns();

	return (struct vfs_time){ .sec = (int64_t)(ns / 1000000000u), .nsec = (uint32_t)(ns % 1000000000u) };
}

void inode_touch(struct inode *ino, unsigned which)
{
	struct vfs_time now = vfs_now();

	if (which & T_ATIME)
		ino->atime = now;
	if (which & T_MTIME)
		ino->mtime = now;
	if (which & T_CTIME)
		ino->ctime = now;
}

void inode_getattr(const struct inode *ino, struct kstat *st)
{
	*st = (struct kstat){
		.dev = ino->sb->dev, .ino = ino->ino, .rdev = ino->rdev,
		.size = ino->size, .blocks = ino->blocks,
		.mode = ino->mode, .nlink = ino->nlink, .uid = ino->uid, .gid = ino->gid,
		.blksize = VFS_BLOCK,
		.atime_sec = ino->atime.sec, .atime_nsec = ino->atime.nsec,
		.mtime_sec = ino->mtime.sec, .mtime_nsec = ino->mtime.nsec,
		.ctime_sec = ino->ctime.sec, .ctime_nsec = ino->ctime.nsec,
	};
}
