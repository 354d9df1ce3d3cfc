/* read(2) and write(2) on a tty: canonical reads take one line, others
 * follow VMIN/VTIME as n_tty_read does; both honour O_NONBLOCK, signals and
 * background-group job control. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include "fs/fcntl.h"
#include "proc/signal.h"
#include "proc/sleep.h"
#include "tty/tty.h"

#define CHUNK 256
#define DECISECOND_NS 100000000ull

static bool is_delim(const struct tty *t, unsigned pos)
{
	unsigned i = pos % TTY_BUF;
	return (t->delim[i / 8] >> (i % 8)) & 1;
}

/* Up to len bytes of the first line; *eol: the line's end was reached. */
static size_t canon_take(struct tty *t, char *kbuf, size_t len, bool *eol)
{
	size_t n = 0;

	*eol = false;
	while (t->tail != t->canon_head && n < len) {
		uint8_t c = t->buf[t->tail % TTY_BUF];
		bool end = is_delim(t, t->tail);
		t->tail++;
		if (end && c == VDISABLE) { /* VEOF: ends the line, is not data */
			*eol = true;
			break;
		}
		kbuf[n++] = (char)c;
		if (end) {
			*eol = true;
			break;
		}
	}
	return n;
}

static size_t raw_take(struct tty *t, char *kbuf, size_t len)
{
	size_t n = 0;

	while (t->tail != t->head && n < len)
		kbuf[n++] = (char)t->buf[t->tail++ % TTY_BUF];
	if (t->canon_head < t->tail)
		t->canon_head = t->tail;
	return n;
}

/* Moves what is readable now to the user; the bytes moved or -EFAULT. */
static long take(struct tty *t, uint64_t ubuf, size_t len, bool *line_done)
{
	char kbuf[CHUNK];
	size_t done = 0;
	bool canon = t->termios.c_lflag & ICANON;

	*line_done = false;
	while (done < len && !*line_done) {
		size_t want = MIN(len - done, sizeof(kbuf));
		size_t n = canon ? canon_take(t, kbuf, want, line_done) : raw_take(t, kbuf, want);
		if (n == 0)
			break;
		if (copy_to_user(ubuf + done, kbuf, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	if (done || *line_done)
		tty_wake(t); /* room for a blocked pty writer */
	return (long)done;
}

static bool readable(const struct tty *t)
{
	return t->tail != (t->termios.c_lflag & ICANON ? t->canon_head : t->head);
}

/* Sleeps for input until the deadline; 0, -ETIMEDOUT or -ERESTARTSYS. */
static int wait_input(struct tty *t, uint64_t deadline)
{
	unsigned long flags = irq_save();
	int err = 0;

	while (!readable(t) && !t->hungup && !err)
		err = proc_sleep_until(&t->read_wait, deadline);
	irq_restore(flags);
	return err;
}

long tty_read(struct tty *t, struct file *f, uint64_t ubuf, size_t len)
{
	int err = tty_check_change(t, SIGTTIN);
	size_t done = 0, minimum = 1;
	uint64_t deadline = SLEEP_FOREVER, inter_byte = 0;
	bool canon = t->termios.c_lflag & ICANON, line_done;

	if (err)
		return err;
	if (!canon) {
		uint8_t vmin = t->termios.c_cc[VMIN], vtime = t->termios.c_cc[VTIME];
		if (vmin) {
			minimum = vmin; /* VTIME: a timer between bytes, once one came */
			inter_byte = vtime * DECISECOND_NS;
		} else {
			deadline = time_now_ns() + vtime * DECISECOND_NS; /* VTIME: for the first byte */
		}
	}
	while (done < len) {
		if (t->hungup)
			break;
		if (!readable(t)) {
			if (deadline != SLEEP_FOREVER && time_now_ns() >= deadline)
				break;
			if (f->flags & O_NONBLOCK) {
				err = -EAGAIN;
				break;
			}
			err = wait_input(t, deadline);
			if (err == -ETIMEDOUT)
				break;
			if (err)
				break;
			continue;
		}
		long n = take(t, ubuf + done, len - done, &line_done);
		if (n < 0)
			return done ? (long)done : n;
		done += (size_t)n;
		if (canon ? line_done : done >= minimum)
			break;
		if (inter_byte)
			deadline = time_now_ns() + inter_byte;
	}
	return done ? (long)done : err == -ETIMEDOUT ? 0 : err;
}

static size_t write_room(struct tty *t)
{
	return t->driver->write_room ? t->driver->write_room(t) : (size_t)-1;
}

static int wait_room(struct tty *t, struct file *f)
{
	unsigned long flags;
	int err = 0;

	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	flags = irq_save();
	while (write_room(t) < 2 && !t->hungup && !err)
		err = proc_sleep(&t->write_wait);
	irq_restore(flags);
	return err;
}

long tty_write(struct tty *t, struct file *f, uint64_t ubuf, size_t len)
{
	char kbuf[CHUNK];
	size_t done = 0;
	int err;

	if (t->hungup)
		return -EIO;
	if ((t->termios.c_lflag & TOSTOP) && (err = tty_check_change(t, SIGTTOU)) != 0)
		return err;
	while (done < len) {
		size_t room = write_room(t), n;
		if (t->hungup)
			return done ? (long)done : -EIO;
		if (room < 2) {
			if ((err = wait_room(t, f)) != 0)
				return done ? (long)done : err;
			continue;
		}
		/* ONLCR may double every byte. */
		n = MIN(MIN(len - done, sizeof(kbuf)), room / 2);
		if (copy_from_user(kbuf, ubuf + done, n))
			return done ? (long)done : -EFAULT;
		tty_output(t, kbuf, n);
		done += n;
	}
	return (long)done;
}
