/* Character devices by number: what opening a device node reaches. The
 * numbers are Linux's (Documentation/admin-guide/devices.txt), so nodes
 * made with mknod or taken from an initramfs work as they do there. */
#ifndef KERN_DEV_CHRDEV_H
#define KERN_DEV_CHRDEV_H

#include "fs/file.h"

struct chrdev {
	unsigned major, minor;
	const char *name; /* its node under /dev */
	uint32_t mode;    /* the node's permission bits */
	int (*open)(unsigned flags, struct file **out);
	/* Instead of open, for a device with many minors (pty slaves): any
	 * minor of major reaches it; name is NULL (no node of its own). */
	int (*open_minor)(unsigned minor, unsigned flags, struct file **out);
};

/* dev stays registered for good (a static object). -ENOMEM when full. */
int chrdev_register(const struct chrdev *dev);
/* The index-th registered device; NULL past the last. */
const struct chrdev *chrdev_at(unsigned index);
/* Opens the device numbered rdev (encode_dev form); -ENXIO if none is. */
int chrdev_open(uint32_t rdev, unsigned flags, struct file **out);

/* The devices of mem.c and tty.c. */
void mem_devices_register(void);
void tty_devices_register(void);

#endif
