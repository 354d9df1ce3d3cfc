/* Timeouts of the waiting calls as deadlines for poll_wait (fs/poll.h). */
#ifndef KERN_SYSCALL_WAIT_TIMEOUT_H
#define KERN_SYSCALL_WAIT_TIMEOUT_H

#include <frame/types.h>

struct wait_timeout {
	uint64_t deadline; /* 0: do not wait; SLEEP_FOREVER */
	uint64_t utimeout; /* the user's timespec, to write the time left back */
};

/* From a user struct timespec (NULL: forever): 0, -EFAULT, or -EINVAL for
 * a negative or non-normalized one. */
int wait_timeout_from_timespec(uint64_t uts, struct wait_timeout *t);
/* From milliseconds (negative: forever), as epoll_wait takes it. */
void wait_timeout_from_ms(int ms, struct wait_timeout *t);
/* ppoll and pselect6 write the time left back, as Linux (failures to do so
 * are ignored, as there). */
void wait_timeout_write_left(const struct wait_timeout *t);

#endif
