/* kern's side of the block-device registry (kern/include/kern/blockdev.h). */
#ifndef KERN_BLOCK_REGISTRY_H
#define KERN_BLOCK_REGISTRY_H

#include <kern/blockdev.h>

/* The index-th registered disk in registration order, or NULL. */
struct blockdev *blockdev_get(unsigned index);
struct blockdev *blockdev_find(const char *name);

#endif
