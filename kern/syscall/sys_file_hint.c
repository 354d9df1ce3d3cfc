/* Advice about a file's data: fadvise64, readahead and sync_file_range.
 * The block cache already reads ahead on sequential misses and keeps what
 * it can, so the access-pattern hints change nothing; the calls still
 * check their arguments as Linux does, and sync_file_range writes back. */
#include <frame/errno.h>
#include "fs/pipe.h"
#include "fs/sync.h"
#include "syscall/sys_file.h"

#define POSIX_FADV_NOREUSE 5 /* the highest advice: NORMAL 0 ... NOREUSE 5 */
#define SYNC_FILE_RANGE_FLAGS 7 /* WAIT_BEFORE 1, WRITE 2, WAIT_AFTER 4 */

static bool is_fifo(const struct file *f)
{
	return file_is_pipe(f) || (f->inode && mode_is(f->inode->mode, S_IFIFO));
}

static bool is_regular(const struct file *f)
{
	return f->inode && mode_is(f->inode->mode, S_IFREG);
}

/* fadvise64(fd, offset, len, advice) */
SYSCALL(fadvise64)
{
	struct file *f = fd_file((int)args->a[0]);
	int64_t len = (int64_t)args->a[2];
	uint64_t advice = args->a[3];

	if (!f)
		return -EBADF;
	if (is_fifo(f))
		return -ESPIPE;
	if (len < 0 || advice > POSIX_FADV_NOREUSE)
		return -EINVAL;
	return 0;
}

/* readahead(fd, offset, count): a regular file open for reading. */
SYSCALL(readahead)
{
	struct file *f = fd_file((int)args->a[0]);

	if (!f || !file_readable(f))
		return -EBADF;
	return is_regular(f) ? 0 : -EINVAL;
}

/* sync_file_range(fd, offset, nbytes, flags): any flag writes back and
 * waits for the whole file, which is more than the range asked for. */
SYSCALL(sync_file_range)
{
	struct file *f = fd_file((int)args->a[0]);
	int64_t off = (int64_t)args->a[1], end = (int64_t)(args->a[1] + args->a[2]);
	uint64_t flags = args->a[3];
	uint32_t mode;

	if (!f)
		return -EBADF;
	if ((flags & ~(uint64_t)SYNC_FILE_RANGE_FLAGS) || off < 0 || end < 0 || end < off)
		return -EINVAL;
	mode = f->inode ? f->inode->mode : 0;
	if (!mode_is(mode, S_IFREG) && !mode_is(mode, S_IFBLK) && !mode_is(mode, S_IFDIR) &&
	    !mode_is(mode, S_IFLNK))
		return -ESPIPE;
	return flags ? vfs_fsync(f) : 0;
}
