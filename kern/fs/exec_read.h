/* Reading a program for execve: the whole file, into one kernel buffer,
 * after Linux's checks (a regular file, with execute permission). */
#ifndef KERN_FS_EXEC_READ_H
#define KERN_FS_EXEC_READ_H

#include <frame/types.h>

/* path is resolved from the caller's cwd, following symlinks. 0 with
 * *image (free it with vfs_exec_close) and *size, or -ENOENT, -ENOTDIR,
 * -ELOOP, -EACCES (not a regular file, or no x bit), -ENOMEM. */
int vfs_exec_open(const char *path, void **image, size_t *size);
void vfs_exec_close(void *image);

#endif
