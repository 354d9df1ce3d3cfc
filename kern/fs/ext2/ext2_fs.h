/* ext2 as the rest of kern sees it: mount and unmount (see ext2.h for the
 * internals). */
#ifndef KERN_FS_EXT2_EXT2_FS_H
#define KERN_FS_EXT2_EXT2_FS_H

#include <kern/blockdev.h>
#include "fs/vfs.h"

#define MS_RDONLY 1

/* Mounts the ext2 on bd (flags: MS_RDONLY; data: options, none yet):
 * 0 and *out, -EINVAL (not ext2, damaged, unsupported features), -EBUSY
 * (bd already mounted), -EIO. */
int ext2_mount(struct blockdev *bd, unsigned long flags, const char *data, struct super **out);
/* Writes everything back and frees sb (nothing but its root referenced). */
void ext2_release(struct super *sb);
/* Adds "ext2" to mount(2)'s file-system types (fs/fstype.c). */
void ext2_register(void);

#endif
