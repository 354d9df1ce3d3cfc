/* The tty ioctls: termios (TCGETS/TCSETS and the termios2 forms), window
 * size, flushing, queue sizes, and the rest Linux's tty_ioctl and
 * n_tty_ioctl answer; job control ones go to jobctl.c. */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "fs/fcntl.h"
#include "proc/signal.h"
#include "tty/tty.h"

static long get_termios(struct tty *t, uint64_t arg, size_t size)
{
	return copy_to_user(arg, &t->termios, size) ? -EFAULT : 0;
}

static long set_termios(struct tty *t, uint64_t arg, size_t size, bool flush)
{
	struct ktermios nt = t->termios, old = t->termios;
	int err = tty_check_change(t, SIGTTOU);

	if (err)
		return err;
	if (copy_from_user(&nt, arg, size))
		return -EFAULT;
	if (size == TERMIOS_SIZE) /* speeds follow the baud bits, as Linux */
		nt.c_ispeed = nt.c_ospeed = old.c_ospeed;
	if (flush)
		tty_flush_input(t);
	t->termios = nt;
	tty_termios_changed(t, &old);
	return 0;
}

long tty_winsize_ioctl(struct tty *t, unsigned long cmd, uint64_t arg)
{
	struct winsize ws;

	if (cmd == TIOCGWINSZ)
		return copy_to_user(arg, &t->winsize, sizeof(ws)) ? -EFAULT : 0;
	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	if (ws.ws_row != t->winsize.ws_row || ws.ws_col != t->winsize.ws_col ||
	    ws.ws_xpixel != t->winsize.ws_xpixel || ws.ws_ypixel != t->winsize.ws_ypixel) {
		t->winsize = ws;
		if (t->session && t->pgrp)
			signal_send_pgrp(t->pgrp, SIGWINCH);
	}
	return 0;
}

static long put_int(uint64_t arg, int v)
{
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long flush(struct tty *t, unsigned long how)
{
	int err = tty_check_change(t, SIGTTOU);

	if (err)
		return err;
	if (how > TCIOFLUSH)
		return -EINVAL;
	if (how != TCOFLUSH)
		tty_flush_input(t);
	return 0; /* output is never queued */
}

static long nonblocking(struct file *f, uint64_t arg)
{
	int on;

	if (copy_from_user(&on, arg, sizeof(on)))
		return -EFAULT;
	f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~(unsigned)O_NONBLOCK;
	return 0;
}

/* TIOCSTI: a byte as if typed (root may, and everyone is root). */
static long push_input(struct tty *t, uint64_t arg)
{
	char c;

	if (copy_from_user(&c, arg, 1))
		return -EFAULT;
	tty_receive(t, &c, 1);
	return 0;
}

static long misc_ioctl(struct tty *t, struct file *f, unsigned long cmd, uint64_t arg)
{
	int err;

	switch (cmd) {
	case FIONREAD:
		return put_int(arg, (int)tty_input_available(t));
	case TIOCOUTQ:
		return put_int(arg, 0);
	case FIONBIO:
		return nonblocking(f, arg);
	case TIOCEXCL:
	case TIOCNXCL:
		t->exclusive = cmd == TIOCEXCL;
		return 0;
	case TIOCGEXCL:
		return put_int(arg, t->exclusive);
	case TIOCGETD:
		return put_int(arg, 0); /* N_TTY */
	case TIOCSETD:
		if (copy_from_user(&err, arg, sizeof(err)))
			return -EFAULT;
		return err == 0 ? 0 : -EINVAL;
	case TIOCSTI:
		return push_input(t, arg);
	case TCSBRK:
	case TCSBRKP:
		return 0; /* output is already on its way: tcdrain has nothing to wait for */
	case TCXONC:
		if ((err = tty_check_change(t, SIGTTOU)) != 0)
			return err;
		return arg <= TCION ? 0 : -EINVAL;
	case TCFLSH:
		return flush(t, arg);
	default:
		return tty_jobctl_ioctl(t, t, f, cmd, arg);
	}
}

long tty_ioctl(struct tty *t, struct file *f, unsigned long cmd, uint64_t arg)
{
	if (t->hungup) /* as Linux's hung_up_tty_ioctl */
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TCGETS:
		return get_termios(t, arg, TERMIOS_SIZE);
	case TCGETS2:
		return get_termios(t, arg, TERMIOS2_SIZE);
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(t, arg, TERMIOS_SIZE, cmd == TCSETSF);
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
		return set_termios(t, arg, TERMIOS2_SIZE, cmd == TCSETSF2);
	case TIOCGWINSZ:
	case TIOCSWINSZ:
		return tty_winsize_ioctl(t, cmd, arg);
	default:
		return misc_ioctl(t, f, cmd, arg);
	}
}
