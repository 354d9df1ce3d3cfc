/* Reading and writing the active user address space. User addresses are
 * plain integers (uint64_t), never kernel pointers. A bad address (outside
 * user space, unmapped, or without the needed permission) gives -EFAULT and
 * nothing else: it never faults the kernel. */
#ifndef FRAME_UACCESS_H
#define FRAME_UACCESS_H

#include <frame/types.h>

int copy_from_user(void *dst, uint64_t usrc, size_t len) __must_check;
int copy_to_user(uint64_t udst, const void *src, size_t len) __must_check;
/* Copies a NUL-terminated string of at most max-1 bytes plus the NUL.
 * Returns its length, -EFAULT, or -ENAMETOOLONG if no NUL came in time. */
long strncpy_from_user(char *dst, uint64_t usrc, size_t max) __must_check;

#endif
