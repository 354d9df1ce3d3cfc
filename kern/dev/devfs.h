/* /dev: a tmpfs of its own with a node for every registered character
 * device, as Linux's devtmpfs. */
#ifndef KERN_DEV_DEVFS_H
#define KERN_DEV_DEVFS_H

/* Registers the devices and mounts /dev (made if missing). */
int devfs_init(void);

#endif
