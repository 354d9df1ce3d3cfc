/* tmpfs: a file system in kernel memory, the root file system and /dev. */
#ifndef KERN_FS_TMPFS_H
#define KERN_FS_TMPFS_H

#include "fs/vfs.h"

/* A new, empty tmpfs whose root directory has root_mode (permission bits),
 * or NULL. Its size limit is half the RAM, as Linux's default. */
struct super *tmpfs_create(uint32_t root_mode);
/* An unnamed regular file of size bytes (shared anonymous memory), with
 * one reference; freed when the last goes. */
int tmpfs_anon_inode(uint64_t size, struct inode **out);
/* mount -t tmpfs: a new tmpfs with the options (mode=, uid=, gid=, size=,
 * nr_inodes=) in data; -EINVAL for others. */
int tmpfs_mount(const char *data, struct super **out);

#endif
