/* The wait queue behind poll, select and epoll (see fs/poll.h). */
#include "fs/file.h"
#include "fs/poll.h"

struct wait_queue poll_waiters = WAIT_QUEUE_INIT;

void poll_wake(void)
{
	wait_queue_wake_all(&poll_waiters);
}

unsigned file_poll(struct file *f)
{
	if (f->ops->poll)
		return f->ops->poll(f);
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}
