/* eventfd objects (fs/eventfd.c), behind eventfd2(2). */
#ifndef KERN_FS_EVENTFD_H
#define KERN_FS_EVENTFD_H

#include "fs/file.h"

#define EFD_SEMAPHORE 1
#define EFD_NONBLOCK 04000    /* O_NONBLOCK */
#define EFD_CLOEXEC 02000000 /* O_CLOEXEC */

/* A counter starting at initval; flags: EFD_SEMAPHORE, EFD_NONBLOCK. */
int eventfd_create(unsigned initval, unsigned flags, struct file **out);
/* For /proc/<pid>/fd, which names it anon_inode:[eventfd]. */
bool file_is_eventfd(const struct file *f);

#endif
