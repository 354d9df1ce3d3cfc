/* FIFOs: opening a named pipe (fs/fifo.c). */
#ifndef KERN_FS_FIFO_H
#define KERN_FS_FIFO_H

#include "fs/file.h"

struct inode;

/* open(2) of the FIFO ino with flags; may sleep for a partner
 * (-ERESTARTSYS if a signal comes first). */
int fifo_open(struct inode *ino, unsigned flags, struct file **out);

#endif
