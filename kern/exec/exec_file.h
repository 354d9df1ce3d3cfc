/* Where execve finds programs: a path to the bytes of a file. Today the
 * initramfs, read in place; the VFS replaces this with a real lookup. */
#ifndef KERN_EXEC_FILE_H
#define KERN_EXEC_FILE_H

#include <frame/types.h>

int exec_file_open(const char *path, const void **image, size_t *size);
void exec_file_close(const void *image, size_t size);

#endif
