/* Kernel-string front ends of the path operations (see kpath.h). */
#include "fs/kpath.h"
#include "fs/path.h"

int kpath_lookup(const char *path, unsigned walk_flags, struct inode **out)
{
	struct walk w WALK_UNINIT;
	int err = walk_begin(&w, AT_FDCWD, path, walk_flags);

	if (!err)
		err = walk_lookup(&w, out);
	walk_end(&w);
	return err;
}

int kpath_mkdir(const char *path, uint32_t mode, struct inode **out)
{
	struct walk w WALK_UNINIT;
	int err = walk_begin(&w, AT_FDCWD, path, 0);

	if (!err)
		err = vfs_mkdir(&w, mode, out);
	walk_end(&w);
	return err;
}

int kpath_mknod(const char *path, uint32_t mode, uint32_t rdev, struct inode **out)
{
	struct walk w WALK_UNINIT;
	int err = walk_begin(&w, AT_FDCWD, path, 0);

	if (!err)
		err = vfs_mknod(&w, mode, rdev, out);
	walk_end(&w);
	return err;
}

int kpath_symlink(const char *target, const char *path, struct inode **out)
{
	struct walk w WALK_UNINIT;
	int err = walk_begin(&w, AT_FDCWD, path, 0);

	if (!err)
		err = vfs_symlink(&w, target, out);
	walk_end(&w);
	return err;
}

int kpath_link(const char *oldpath, const char *newpath)
{
	struct inode *old;
	struct walk w;
	int err = kpath_lookup(oldpath, 0, &old);

	if (err)
		return err;
	if (!(err = walk_begin(&w, AT_FDCWD, newpath, 0)))
		err = vfs_link(old, &w);
	walk_end(&w);
	inode_put(old);
	return err;
}

int kpath_unlink(const char *path)
{
	struct walk w WALK_UNINIT;
	int err = walk_begin(&w, AT_FDCWD, path, 0);

	if (!err)
		err = vfs_unlink(&w);
	walk_end(&w);
	return err;
}

int kpath_rmdir(const char *path)
{
	struct walk w WALK_UNINIT;
	int err = walk_begin(&w, AT_FDCWD, path, 0);

	if (!err)
		err = vfs_rmdir(&w);
	walk_end(&w);
	return err;
}
