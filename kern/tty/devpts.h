/* The devpts file system type, for mount(2)'s type table (fs/fstype.h):
 * the /dev/pts nodes of the open ptys. */
#ifndef KERN_TTY_DEVPTS_H
#define KERN_TTY_DEVPTS_H

#include "fs/vfs.h"

/* A new devpts instance; source and options are not looked at yet. */
int devpts_mount(const char *source, const char *data, struct super **out);

#endif
