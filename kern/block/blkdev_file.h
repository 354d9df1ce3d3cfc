/* Block device nodes as files (see blkdev_file.c). */
#ifndef KERN_BLOCK_BLKDEV_FILE_H
#define KERN_BLOCK_BLKDEV_FILE_H

#include "fs/file.h"

struct blockdev;

/* Opens the device numbered rdev (encode_dev form); -ENXIO if none is. */
int blkdev_open(uint32_t rdev, unsigned flags, struct file **out);
/* The device a file opened by blkdev_open reads, else NULL. */
struct blockdev *blkdev_of_file(const struct file *f);

#endif
