/* What the file and path syscalls (sys_file*.c, sys_path*.c) share. */
#ifndef KERN_SYSCALL_SYS_FILE_H
#define KERN_SYSCALL_SYS_FILE_H

#include "fs/fdtable.h"
#include "fs/open.h"
#include "syscall/syscall.h"

/* The file behind fd for using it: NULL (-EBADF) if fd is not open or is
 * an O_PATH descriptor. */
static inline struct file *fd_file(int fd)
{
	struct file *f = fdtable_file(current, fd);

	return f && !file_is_path(f) ? f : NULL;
}

static inline bool file_readable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static inline bool file_writable(const struct file *f)
{
	return (f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_ACCMODE) == O_RDWR;
}

/* AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH as walk flags. */
static inline unsigned at_walk_flags(unsigned at)
{
	return (at & AT_SYMLINK_NOFOLLOW ? 0 : WALK_FOLLOW) | (at & AT_EMPTY_PATH ? WALK_EMPTY : 0);
}

/* Resolves a user path from dirfd (sys_file_util.c). */
int user_lookup(int dirfd, uint64_t upath, unsigned walk_flags, struct inode **out);
/* The inode behind fd, for changing its attributes: -EBADF for a closed
 * or O_PATH descriptor, -EOPNOTSUPP for a file with no inode. */
int fd_attr_inode(int fd, struct inode **out);

/* sys_file_lock.c: fcntl's record-lock commands. */
bool fcntl_is_lock_cmd(int cmd);
long fcntl_lock(struct file *f, int cmd, uint64_t uarg);

#endif
