/* pipe2. (The pipe itself is fs/pipe.c; FIFOs open through openat.) */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "fs/pipe.h"
#include "syscall/sys_file.h"

/* O_NOTIFICATION_PIPE (O_EXCL) needs watch queues, which Linux builds
 * without by default: EINVAL as there. O_DIRECT: packet mode (pipe.h). */
#define PIPE2_FLAGS (O_CLOEXEC | O_NONBLOCK | O_DIRECT)

SYSCALL(pipe2)
{
	unsigned flags = (unsigned)args->a[1];
	struct file *ends[2];
	int fds[2];
	int err;

	if (flags & ~(unsigned)PIPE2_FLAGS)
		return -EINVAL;
	if ((err = pipefs_create(flags, ends)) != 0)
		return err;
	if ((fds[0] = fd_alloc(current, ends[0], 0, flags & O_CLOEXEC)) < 0) {
		file_put(ends[0]);
		file_put(ends[1]);
		return fds[0];
	}
	if ((fds[1] = fd_alloc(current, ends[1], 0, flags & O_CLOEXEC)) < 0) {
		fd_close(current, fds[0]);
		file_put(ends[1]);
		return fds[1];
	}
	if (copy_to_user(args->a[0], fds, sizeof(fds))) {
		fd_close(current, fds[0]);
		fd_close(current, fds[1]);
		return -EFAULT;
	}
	return 0;
}
