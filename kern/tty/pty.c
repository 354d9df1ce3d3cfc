/* Pairs of pseudo-terminals: making them, the slave end's driver, and
 * freeing a pair once both ends are closed (see pty.h). */
#include <frame/errno.h>
#include <frame/heap.h>
#include "fs/poll.h"
#include "fs/stat.h"
#include "tty/pty.h"

static struct pty *ptys[PTY_MAX];

static struct pty *pty_of(struct tty *t)
{
	return t->driver_data;
}

static size_t slave_room(struct tty *t)
{
	struct pty *p = pty_of(t);
	return TTY_BUF - (p->ohead - p->otail);
}

static void slave_output(struct tty *t, const char *buf, size_t len)
{
	struct pty *p = pty_of(t);

	len = MIN(len, slave_room(t)); /* writers wait for room; echo may be lost */
	for (size_t i = 0; i < len; i++)
		p->obuf[p->ohead++ % TTY_BUF] = buf[i];
	wait_queue_wake_all(&p->master_wait);
	poll_wake();
}

static void slave_opened(struct tty *t)
{
	pty_of(t)->slave_opened = true;
}

static void maybe_free(struct pty *p)
{
	if (p->master_open || p->slave.opens)
		return;
	tty_forget(&p->slave);
	ptys[p->index] = NULL;
	kfree(p);
}

static void slave_closed(struct tty *t)
{
	struct pty *p = pty_of(t);

	if (t->opens)
		return;
	wait_queue_wake_all(&p->master_wait); /* master readers see EIO */
	poll_wake();
	maybe_free(p);
}

static const struct tty_driver slave_driver = {
	.output = slave_output,
	.write_room = slave_room,
	.opened = slave_opened,
	.closed = slave_closed,
};

bool pty_is_open(unsigned index)
{
	return index < PTY_MAX && ptys[index] && ptys[index]->master_open;
}

bool pty_slave_gone(const struct pty *p)
{
	return p->slave_opened && !p->slave.opens;
}

void pty_master_closed(struct pty *p)
{
	p->master_open = false;
	devpts_remove(p->index);
	tty_hangup(&p->slave);
	maybe_free(p);
}

static struct pty *pty_new(void)
{
	struct ktermios st = tty_std_termios;
	struct pty *p;
	unsigned i = 0;

	while (i < PTY_MAX && ptys[i])
		i++;
	if (i == PTY_MAX || !(p = kzalloc(sizeof(*p))))
		return NULL;
	st.c_cflag = B38400 | CS8 | CREAD; /* a pty has no modem line to hang up */
	tty_init(&p->slave, &slave_driver, p, (uint32_t)encode_dev(PTY_SLAVE_MAJOR, i), &st);
	p->index = i;
	p->locked = true; /* until unlockpt, as Linux */
	p->master_open = true;
	ptys[i] = p;
	return p;
}

int pty_open_master(unsigned flags, struct file **out)
{
	struct pty *p = pty_new();
	int err;

	if (!p)
		return -ENOSPC;
	if ((err = file_create(&pty_master_ops, flags, p, out)) != 0) {
		p->master_open = false;
		maybe_free(p);
		return err;
	}
	devpts_add(p->index);
	return 0;
}

int pty_open_slave(unsigned index, unsigned flags, struct file **out)
{
	struct pty *p = index < PTY_MAX ? ptys[index] : NULL;

	if (!p || !p->master_open || p->locked)
		return -EIO;
	return tty_open_file(&p->slave, flags, true, out);
}
