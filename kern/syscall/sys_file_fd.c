/* Descriptor syscalls: dup, dup3, close_range, fcntl (its lock commands:
 * sys_file_lock.c). */
#include <frame/errno.h>
#include "fs/pipe.h"
#include "syscall/sys_file.h"

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

static long dup_from(struct file *f, int minfd, bool cloexec)
{
	long fd;

	if (!f)
		return -EBADF;
	if ((fd = fd_alloc(current, file_get(f), minfd, cloexec)) < 0)
		file_put(f);
	return fd;
}

SYSCALL(dup)
{
	return dup_from(fd_get(current, (int)args->a[0]), 0, false);
}

SYSCALL(dup3)
{
	int oldfd = (int)args->a[0], newfd = (int)args->a[1];
	unsigned flags = (unsigned)args->a[2];
	struct file *f;

	if (flags & ~(unsigned)O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd < 0 || newfd >= fd_limit(current))
		return -EBADF;
	if (!(f = fd_get(current, oldfd)))
		return -EBADF;
	return fd_install_at(current, newfd, file_get(f), flags & O_CLOEXEC);
}

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

/* close_range(first, last, flags): closes (or marks close-on-exec) every
 * open descriptor from first to last; UNSHARE first gives the caller a
 * table of its own, so threads sharing the old one keep theirs. */
SYSCALL(close_range)
{
	uint64_t first = (uint32_t)args->a[0], last = (uint32_t)args->a[1];
	unsigned flags = (unsigned)args->a[2];
	int err;

	if ((flags & ~(unsigned)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && (err = fdtable_unshare(current)) != 0)
		return err;
	for (uint64_t fd = first; fd <= last && fd < MAX_FDS; fd++) {
		if (!fd_get(current, (int)fd))
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec(current, (int)fd, true);
		else
			fd_close(current, (int)fd);
	}
	return 0;
}

/* Commands an O_PATH descriptor allows, as Linux's check_fcntl_cmd. */
static bool path_allows(int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD ||
	       cmd == F_GETFL;
}

SYSCALL(fcntl)
{
	int fd = (int)args->a[0], cmd = (int)args->a[1];
	uint64_t arg = args->a[2];
	struct file *f = fd_get(current, fd);

	if (!f || (file_is_path(f) && !path_allows(cmd)))
		return -EBADF;
	if (fcntl_is_lock_cmd(cmd))
		return fcntl_lock(f, cmd, arg);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= (uint64_t)fd_limit(current))
			return -EINVAL;
		return dup_from(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_cloexec(current, fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(current, fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~(unsigned)SETFL_MASK) | ((unsigned)arg & SETFL_MASK);
		return 0;
	case F_SETPIPE_SZ:
		return pipe_set_size(f, arg);
	case F_GETPIPE_SZ:
		return pipe_get_size(f);
	default:
		return -EINVAL;
	}
}
