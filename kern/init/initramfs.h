/* The initramfs handed over by the boot loader, read in place. (Unpacking it
 * into a tmpfs root arrives with the VFS.) */
#ifndef KERN_INIT_INITRAMFS_H
#define KERN_INIT_INITRAMFS_H

#include <frame/types.h>

/* Finds the regular file at path ("/init", "init" and "./init" are one
 * name). Returns 0 and sets data and size, or -ENOENT, or -EINVAL if the
 * archive is malformed before the file is found (logged). */
int initramfs_find(const char *path, const void **data, size_t *size);

#endif
