/* syslog(2), what dmesg uses: the frame's log ring, read whole (READ_ALL,
 * from the last CLEAR on), destructively (READ: from a reader position),
 * or cleared. Without CAP_SYSLOG only READ_ALL and SIZE_BUFFER are
 * allowed, as Linux with dmesg_restrict=0. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/uaccess.h>
#include "proc/cred.h"
#include "syscall/syscall.h"

enum {
	SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL,
	SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF,
	SYSLOG_ACTION_CONSOLE_ON, SYSLOG_ACTION_CONSOLE_LEVEL, SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

static uint64_t clear_pos; /* READ_ALL starts here (CLEAR moves it) */
static uint64_t read_pos;  /* READ consumes from here */

/* Copies from *pos on into the user buffer, newest len bytes at most. */
static long copy_out(uint64_t *pos, uint64_t ubuf, size_t len)
{
	uint64_t head = log_ring_head();
	char *buf;
	size_t n;

	if (head - *pos > len)
		*pos = head - len; /* keep the newest part, as Linux does */
	if (!(buf = kmalloc(log_ring_size())))
		return -ENOMEM;
	n = log_ring_read(pos, buf, MIN(len, log_ring_size()));
	if (n && copy_to_user(ubuf, buf, n))
		n = (size_t)-1;
	kfree(buf);
	return n == (size_t)-1 ? -EFAULT : (long)n;
}

static long read_all(uint64_t ubuf, size_t len, bool clear)
{
	uint64_t pos = clear_pos;
	long n = copy_out(&pos, ubuf, len);

	if (n >= 0 && clear)
		clear_pos = log_ring_head();
	return n;
}

static uint64_t unread(void)
{
	uint64_t head = log_ring_head(), oldest = head > log_ring_size() ? head - log_ring_size() : 0;

	return head - (read_pos > oldest ? read_pos : oldest);
}

SYSCALL(syslog)
{
	int type = (int)args->a[0];
	uint64_t ubuf = args->a[1];
	int len = (int)args->a[2];

	if (type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER && !cred_capable())
		return -EPERM;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
	case SYSLOG_ACTION_CONSOLE_OFF: /* partial: the console level stays as booted */
	case SYSLOG_ACTION_CONSOLE_ON:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!ubuf || len < 0)
			return -EINVAL;
		if (len == 0)
			return 0;
		if (type == SYSLOG_ACTION_READ)
			return copy_out(&read_pos, ubuf, (size_t)len); /* partial: does not wait */
		return read_all(ubuf, (size_t)len, type == SYSLOG_ACTION_READ_CLEAR);
	case SYSLOG_ACTION_CLEAR:
		clear_pos = log_ring_head();
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		return len < 1 || len > 8 ? -EINVAL : 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)unread();
	case SYSLOG_ACTION_SIZE_BUFFER:
		return (long)log_ring_size();
	default:
		return -EINVAL;
	}
}
