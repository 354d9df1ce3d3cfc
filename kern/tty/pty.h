/* Pseudo-terminals: /dev/ptmx makes a pair, a master file and a slave tty
 * reached as /dev/pts/N. What the master writes is the slave's input
 * (through its line discipline); what the slave outputs, echo included, the
 * master reads. */
#ifndef KERN_TTY_PTY_H
#define KERN_TTY_PTY_H

#include "fs/file.h"
#include "tty/tty.h"

#define PTY_MAX 256
#define PTY_SLAVE_MAJOR 136

struct pty {
	unsigned index;
	struct tty slave;
	/* The slave's output, for the master to read: [otail, ohead). */
	char obuf[TTY_BUF];
	unsigned ohead, otail;
	bool locked;       /* TIOCSPTLCK: the slave cannot be opened yet */
	bool master_open;
	bool slave_opened; /* once a slave was open, its last close is a hangup for the master */
	struct wait_queue master_wait;
};

/* /dev/ptmx: a new pair; its master end as a file. */
int pty_open_master(unsigned flags, struct file **out);
/* /dev/pts/N: the slave of pair N. -EIO if locked or its master is gone. */
int pty_open_slave(unsigned index, unsigned flags, struct file **out);

/* pty_master.c */
extern const struct file_ops pty_master_ops;
/* pty.c, for the master's ops */
void pty_master_closed(struct pty *p);
bool pty_slave_gone(const struct pty *p);
/* Pair index exists with its master open (devpts lists it). */
bool pty_is_open(unsigned index);

/* devpts.c: the /dev/pts/N nodes. */
void devpts_add(unsigned index);
void devpts_remove(unsigned index);

#endif
