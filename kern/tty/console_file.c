/* The console as a file (/dev/console, and fds 0-2 of /init): writes go to
 * the kernel console, reads come a line at a time with echo. A stand-in for
 * the real tty line discipline, which replaces it. */
#include <frame/console.h>
#include <frame/errno.h>
#include <frame/uaccess.h>
#include <kern/console.h>
#include "fs/file.h"
#include "fs/poll.h"
#include "fs/stat.h"
#include "tty/console_file.h"

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGWINSZ 0x5413
#define TIOCGPGRP 0x540f
#define CHUNK 256

/* The asm-generic struct termios (kernel side, 36 bytes). */
struct ktermios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

static long console_write_op(struct file *f, uint64_t ubuf, size_t len)
{
	char buf[CHUNK];
	size_t done = 0;

	(void)f;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(buf));
		if (copy_from_user(buf, ubuf + done, n))
			return done ? (long)done : -EFAULT;
		console_write(buf, n);
		done += n;
	}
	return (long)done;
}

static long console_read_op(struct file *f, uint64_t ubuf, size_t len)
{
	size_t n = 0;

	(void)f;
	while (n < len) {
		char c;
		if (console_getc_interruptible(&c))
			return n ? (long)n : -ERESTARTSYS; /* a signal: EINTR or a restart */
		if (c == '\r')
			c = '\n';
		if (c == 0x04 && n == 0) /* ^D at line start: end of file */
			return 0;
		console_write(&c, 1);
		if (copy_to_user(ubuf + n, &c, 1))
			return n ? (long)n : -EFAULT;
		n++;
		if (c == '\n')
			break;
	}
	return (long)n;
}

static long console_ioctl_op(struct file *f, unsigned long cmd, uint64_t uarg)
{
	(void)f;
	switch (cmd) {
	case TCGETS: {
		struct ktermios t = {
			.c_iflag = 0x500,  /* ICRNL | IXON */
			.c_oflag = 0x5,    /* OPOST | ONLCR */
			.c_cflag = 0xbf,   /* B38400 | CS8 | CREAD */
			.c_lflag = 0x8a3b, /* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
			.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 },
		};
		return copy_to_user(uarg, &t, sizeof(t)) ? -EFAULT : 0;
	}
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return 0; /* accepted; modes arrive with the line discipline */
	case TIOCGWINSZ: {
		struct winsize w = { .ws_row = 24, .ws_col = 80 };
		return copy_to_user(uarg, &w, sizeof(w)) ? -EFAULT : 0;
	}
	default:
		return -ENOTTY;
	}
}

static int console_stat_op(struct file *f, struct kstat *st)
{
	(void)f;
	*st = (struct kstat){ .mode = S_IFCHR | 0620, .nlink = 1, .rdev = encode_dev(5, 1),
			      .blksize = 1024, .ino = 1 };
	return 0;
}

/* The smallest poll op for busybox's line editing (it polls stdin): always
 * writable, readable once input is waiting. The tty rewrite replaces it. */
static unsigned console_poll_op(struct file *f)
{
	(void)f;
	return POLLOUT | POLLWRNORM | (console_input_ready() ? POLLIN | POLLRDNORM : 0);
}

static const struct file_ops console_ops = {
	.poll = console_poll_op,
	.read = console_read_op,
	.write = console_write_op,
	.ioctl = console_ioctl_op,
	.stat = console_stat_op,
};

struct file *console_file_open(unsigned flags)
{
	return file_new(&console_ops, flags, NULL);
}
