/* The root file system, made at boot as Linux makes it: a tmpfs, filled
 * from the initramfs, with /dev and /tmp. */
#ifndef KERN_FS_ROOTFS_H
#define KERN_FS_ROOTFS_H

/* Once, before the first process. A malformed initramfs is logged and what
 * was unpacked before the damage stays. -ENOMEM if no root could be made. */
int rootfs_init(void);

#endif
