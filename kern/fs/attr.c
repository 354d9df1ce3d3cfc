/* Changing attributes: mode, owner, times, size. Each updates ctime. */
#include <frame/errno.h>
#include "fs/vfs.h"
#include "mm/mm.h"
#include "proc/cred.h"

static bool owner_or_root(const struct inode *ino)
{
	return vfs_fsuid() == ino->uid || vfs_capable();
}

int vfs_chmod(struct inode *ino, uint32_t mode)
{
	if (sb_rdonly(ino->sb))
		return -EROFS;
	if (!owner_or_root(ino))
		return -EPERM;
	ino->mode = (ino->mode & S_IFMT) | (mode & S_IALLUGO);
	inode_touch(ino, T_CTIME);
	return 0;
}

int vfs_chown(struct inode *ino, uint32_t uid, uint32_t gid)
{
	if (sb_rdonly(ino->sb))
		return -EROFS;
	/* Without privilege, an owner may only give the file to one of its groups. */
	if (!vfs_capable() && ((uid != (uint32_t)-1 && uid != ino->uid) || vfs_fsuid() != ino->uid ||
			       (gid != (uint32_t)-1 && gid != ino->gid && !cred_in_group(gid))))
		return -EPERM;
	if (uid != (uint32_t)-1)
		ino->uid = uid;
	if (gid != (uint32_t)-1)
		ino->gid = gid;
	/* As Linux: chown of a non-directory drops set-user-ID, and set-group-ID
	 * where it means "group-executable" (not mandatory locking). */
	if (!mode_is(ino->mode, S_IFDIR)) {
		ino->mode &= ~(uint32_t)S_ISUID;
		if (ino->mode & S_IXGRP)
			ino->mode &= ~(uint32_t)S_ISGID;
	}
	inode_touch(ino, T_CTIME);
	return 0;
}

static bool time_valid(int64_t nsec)
{
	return (nsec >= 0 && nsec < 1000000000) || nsec == UTIME_NOW || nsec == UTIME_OMIT;
}

static void set_time(struct vfs_time *t, const int64_t ts[2], struct vfs_time now)
{
	if (ts[1] == UTIME_OMIT)
		return;
	*t = ts[1] == UTIME_NOW ? now : (struct vfs_time){ ts[0], (uint32_t)ts[1] };
}

int vfs_utimes(struct inode *ino, const int64_t (*times)[2])
{
	struct vfs_time now = vfs_now();

	if (sb_rdonly(ino->sb))
		return -EROFS;
	if (!times) {
		if (!owner_or_root(ino) && inode_permission(ino, MAY_WRITE))
			return -EACCES;
		ino->atime = ino->mtime = ino->ctime = now;
		return 0;
	}
	if (!time_valid(times[0][1]) || !time_valid(times[1][1]))
		return -EINVAL;
	if (!owner_or_root(ino))
		return -EPERM;
	set_time(&ino->atime, times[0], now);
	set_time(&ino->mtime, times[1], now);
	ino->ctime = now;
	return 0;
}

int vfs_truncate(struct inode *ino, uint64_t size)
{
	bool shrinks = size < ino->size;
	int err;

	if (mode_is(ino->mode, S_IFDIR))
		return -EISDIR;
	if (!mode_is(ino->mode, S_IFREG) || !ino->ops->truncate)
		return -EINVAL;
	if (size > (uint64_t)INT64_MAX)
		return -EFBIG;
	if (sb_rdonly(ino->sb))
		return -EROFS;
	if ((err = ino->ops->truncate(ino, size)) != 0)
		return err;
	if (shrinks)
		mm_file_shrunk(ino, size); /* mappings let go of the pages cut off */
	inode_touch(ino, T_MTIME | T_CTIME);
	return 0;
}
