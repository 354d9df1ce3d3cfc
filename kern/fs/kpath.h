/* The namespace operations on kernel strings, for the kernel's own use
 * (populating the root and /dev). Relative paths start at the caller's cwd
 * (the root outside a process). out may be NULL; else it gets a reference. */
#ifndef KERN_FS_KPATH_H
#define KERN_FS_KPATH_H

#include "fs/vfs.h"

int kpath_lookup(const char *path, unsigned walk_flags, struct inode **out);
int kpath_mkdir(const char *path, uint32_t mode, struct inode **out);
int kpath_mknod(const char *path, uint32_t mode, uint32_t rdev, struct inode **out);
int kpath_symlink(const char *target, const char *path, struct inode **out);
int kpath_link(const char *oldpath, const char *newpath);
int kpath_unlink(const char *path);
int kpath_rmdir(const char *path);

#endif
