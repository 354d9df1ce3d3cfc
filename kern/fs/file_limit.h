/* The system-wide limit on open files, Linux's fs.file-max: every struct
 * file counts from file_create to its last file_put, and once file_limit_max
 * of them exist an unprivileged open, pipe, epoll_create ... gets ENFILE
 * (root, CAP_SYS_ADMIN on Linux, may go past it). RLIMIT_NOFILE bounds one
 * process (256 descriptors here) and threads-max the processes, but their
 * product (half a million files at 256 MiB) would be more kernel heap than
 * there is: this bound is what keeps many processes, each within its own
 * limit, from exhausting kernel memory together.
 *
 * The default is Linux's: a tenth of memory at 1 KiB per file (a file with
 * its pipe, inode reference and name costs less here), at least 8192
 * (NR_FILE). Root may set another through /proc/sys/fs/file-max;
 * /proc/sys/fs/file-nr shows "allocated 0 max", as Linux since 2.6. */
#ifndef KERN_FS_FILE_LIMIT_H
#define KERN_FS_FILE_LIMIT_H

#include <frame/types.h>

/* The limit now (/proc/sys/fs/file-max). */
unsigned long file_limit_max(void);
void file_limit_set_max(unsigned long max);
/* Files that exist now. */
unsigned long file_limit_count(void);
/* Counts one more file: 0, or -ENFILE at the limit for an unprivileged caller. */
int file_limit_take(void);
/* A counted file was freed. */
void file_limit_give(void);

#endif
