/* procfs: the kernel's view of processes and itself, as Linux's /proc. */
#ifndef KERN_FS_PROCFS_H
#define KERN_FS_PROCFS_H

#include "fs/vfs.h"

/* mount -t proc: a new procfs superblock (options are accepted and
 * ignored: hidepid= and gid= have no meaning yet). */
int procfs_mount(const char *source, const char *data, struct super **out);

#endif
