/* eventfd2 (the counter itself is fs/eventfd.c). */
#include <frame/errno.h>
#include "fs/eventfd.h"
#include "syscall/sys_file.h"

SYSCALL(eventfd2)
{
	unsigned flags = (unsigned)args->a[1];
	struct file *f;
	int err;

	if (flags & ~(unsigned)(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC))
		return -EINVAL;
	if ((err = eventfd_create((unsigned)args->a[0], flags, &f)) != 0)
		return err;
	if ((err = fd_alloc(current, f, 0, flags & EFD_CLOEXEC)) < 0)
		file_put(f);
	return err;
}
