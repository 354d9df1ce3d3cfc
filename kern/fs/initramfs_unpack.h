/* Unpacking the initramfs (newc cpio archives, one after the other) into
 * the root file system, as Linux's init/initramfs.c does: directories,
 * regular files, symlinks, device nodes, FIFOs and sockets, with their
 * modes, owners and mtimes, and hard links (entries of one archive with the
 * same inode number and nlink > 1) as links to the first of them. */
#ifndef KERN_FS_INITRAMFS_UNPACK_H
#define KERN_FS_INITRAMFS_UNPACK_H

#include <frame/types.h>

/* Entries that cannot be made are logged and skipped. -EINVAL if the
 * archive is malformed (what came before stays), -ENOMEM. */
int initramfs_unpack(const void *archive, size_t size);

#endif
