/* The root file system, made at boot as Linux makes it: a tmpfs, filled
 * from the initramfs, with /dev and /tmp. */
#ifndef KERN_FS_ROOTFS_H
#define KERN_FS_ROOTFS_H

#include <frame/types.h>

/* Once, before the first process. A malformed initramfs is logged and what
 * was unpacked before the damage stays. -ENOMEM if no root could be made. */
int rootfs_init(void);
/* Instead, without an initramfs and with root= on the command line: the
 * ext2 on that disk ("/dev/vda", "vda1") becomes the root, with /dev on
 * it. -ENODEV if there is no such disk, or the mount's error. */
int rootfs_mount_disk(const char *dev, bool read_only);

#endif
