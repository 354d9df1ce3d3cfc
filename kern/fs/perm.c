/* Permission checks from the mode bits, as Linux's generic_permission does
 * them, with the caller's file-system uid, gid and supplementary groups. */
#include <frame/errno.h>
#include "fs/path.h"
#include "proc/cred.h"

uint32_t vfs_fsuid(void)
{
	return cred_current()->fsuid;
}

uint32_t vfs_fsgid(void)
{
	return cred_current()->fsgid;
}

/* CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_MKNOD ...: root's. */
bool vfs_capable(void)
{
	return vfs_fsuid() == 0;
}

/* The caller's credentials are read once per check. */
static int mode_allows(const struct inode *ino, int mask, uint32_t fsuid)
{
	uint32_t bits = ino->mode;

	if (fsuid == ino->uid)
		bits >>= 6;
	else if (cred_in_group(ino->gid))
		bits >>= 3;
	return (mask & ~(int)(bits & 7)) ? -EACCES : 0;
}

int inode_permission(const struct inode *ino, int mask)
{
	uint32_t fsuid = vfs_fsuid();

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if ((mask & MAY_WRITE) && sb_rdonly(ino->sb) &&
	    (mode_is(ino->mode, S_IFREG) || mode_is(ino->mode, S_IFDIR) || mode_is(ino->mode, S_IFLNK)))
		return -EROFS; /* devices and FIFOs stay writable, as Linux */
	if (mode_allows(ino, mask, fsuid) == 0)
		return 0;
	if (fsuid != 0) /* vfs_capable() */
		return -EACCES;
	/* Root may search any directory, but runs only files with an x bit. */
	if ((mask & MAY_EXEC) && !mode_is(ino->mode, S_IFDIR) && !(ino->mode & S_IXUGO))
		return -EACCES;
	return 0;
}

int may_create(const struct inode *dir)
{
	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory takes no new names */
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

/* In a sticky directory (/tmp) only owners of the file or the directory
 * may remove a name. */
static bool sticky_blocks(const struct inode *dir, const struct inode *victim)
{
	uint32_t uid;

	if (!(dir->mode & S_ISVTX))
		return false;
	uid = vfs_fsuid();
	return uid != dir->uid && uid != victim->uid && uid != 0; /* 0: vfs_capable() */
}

int may_delete(const struct inode *dir, const struct inode *victim, bool isdir)
{
	int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	if (sticky_blocks(dir, victim))
		return -EPERM;
	if (isdir) {
		if (!mode_is(victim->mode, S_IFDIR))
			return -ENOTDIR;
		if (victim == vfs_root())
			return -EBUSY;
	} else if (mode_is(victim->mode, S_IFDIR)) {
		return -EISDIR;
	}
	return victim->mounted ? -EBUSY : 0;
}
