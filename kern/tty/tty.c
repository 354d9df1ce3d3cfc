/* tty objects: setting one up, its readiness, and mode changes (tty.h). */
#include <string.h>
#include "fs/poll.h"
#include "tty/tty.h"

const struct ktermios tty_std_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	/* ^C ^\ DEL ^U ^D, TIME 0, MIN 1, -, ^Q ^S ^Z, -, ^R ^O ^W ^V */
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0 },
	.c_ispeed = 38400,
	.c_ospeed = 38400,
};

void tty_init(struct tty *t, const struct tty_driver *d, void *data, uint32_t rdev,
	      const struct ktermios *init)
{
	memset(t, 0, sizeof(*t));
	t->driver = d;
	t->driver_data = data;
	t->rdev = rdev;
	t->termios = *init;
}

void tty_wake(struct tty *t)
{
	wait_queue_wake_all(&t->read_wait);
	wait_queue_wake_all(&t->write_wait);
	poll_wake();
}

static bool is_delim(const struct tty *t, unsigned pos)
{
	unsigned i = pos % TTY_BUF;
	return (t->delim[i / 8] >> (i % 8)) & 1;
}

unsigned tty_input_available(const struct tty *t)
{
	unsigned n = 0;

	if (!(t->termios.c_lflag & ICANON))
		return t->head - t->tail;
	/* Whole lines, without the end-of-file markers a read drops. */
	for (unsigned pos = t->tail; pos != t->canon_head; pos++)
		if (!(is_delim(t, pos) && t->buf[pos % TTY_BUF] == VDISABLE))
			n++;
	return n;
}

unsigned tty_poll(struct tty *t)
{
	unsigned mask = 0;

	if (t->hungup)
		return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLHUP | POLLERR;
	if (t->tail != (t->termios.c_lflag & ICANON ? t->canon_head : t->head))
		mask |= POLLIN | POLLRDNORM;
	if (!t->driver->write_room || t->driver->write_room(t) > 0)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

void tty_flush_input(struct tty *t)
{
	t->head = t->canon_head = t->tail;
	t->lnext = false;
	tty_wake(t);
}

void tty_termios_changed(struct tty *t, const struct ktermios *old)
{
	bool was = old->c_lflag & ICANON, now = t->termios.c_lflag & ICANON;

	if (was && !now) {
		t->canon_head = t->head; /* the line being edited is readable as it is */
	} else if (!was && now && t->head != t->tail) {
		/* What was typed in raw mode becomes one line, as Linux pushes it. */
		unsigned i = (t->head - 1) % TTY_BUF;
		t->delim[i / 8] |= (uint8_t)(1u << (i % 8));
		t->canon_head = t->head;
	}
	tty_wake(t);
}
