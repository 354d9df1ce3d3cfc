/* A terminal: a device end (the serial console, a pty slave) under the N_TTY
 * line discipline, with its termios, window size, session and foreground
 * process group.
 *
 * Concurrency: every tty operation runs in task context (the serial input
 * is fed by a kernel task, not the interrupt handler), and kernel code is
 * scheduled cooperatively, so an operation that does not sleep runs to its
 * end. Sleepers use the irq_save loop of proc/sleep.h.
 *
 * Invariants:
 *   1. tail <= canon_head <= head <= tail + TTY_BUF (free-running counters).
 *   2. In canonical mode [tail, canon_head) holds whole lines, each ended by
 *      a byte whose delim bit is set; [canon_head, head) is the line being
 *      edited, which erase and kill may shorten. Non-canonical reads take
 *      everything in [tail, head).
 *   3. session != 0 iff the session leader's process has this tty as ctty;
 *      pgrp is only meaningful while session != 0. */
#ifndef KERN_TTY_TTY_H
#define KERN_TTY_TTY_H

#include <frame/task.h>
#include <frame/types.h>
#include "fs/file.h"
#include "tty/termios.h"

#define TTY_BUF 4096

struct tty;
struct process;

struct tty_driver {
	/* Output bytes, already OPOST-processed, to the device. Never sleeps. */
	void (*output)(struct tty *t, const char *buf, size_t len);
	/* How many bytes output takes now (a pty's master buffer); NULL: any. */
	size_t (*write_room)(struct tty *t);
	/* A file on the tty was opened / its last reference closed. */
	void (*opened)(struct tty *t);
	void (*closed)(struct tty *t);
};

struct tty {
	const struct tty_driver *driver;
	void *driver_data;
	uint32_t rdev; /* encode_dev() of its device number */
	struct ktermios termios;
	struct winsize winsize;

	/* Input (see the invariants above). */
	uint8_t buf[TTY_BUF];
	uint8_t delim[TTY_BUF / 8];
	unsigned head, tail, canon_head;
	bool lnext; /* VLNEXT seen: the next byte is taken literally */
	/* Output columns, for erasing a tab: now, and where the line being
	 * edited began (n_tty's column and canon_column). */
	unsigned column, canon_column;

	/* Job control (tty/jobctl.c). */
	int session, pgrp;
	unsigned opens;  /* open files on this tty */
	bool hungup;     /* reads give 0, writes -EIO, until reopened */
	bool exclusive;  /* TIOCEXCL (only root opens anyway) */
	struct wait_queue read_wait, write_wait;
};

/* tty.c: setting up and the readiness a poll sees. */
void tty_init(struct tty *t, const struct tty_driver *d, void *data, uint32_t rdev,
	      const struct ktermios *init);
/* Linux's default termios for a terminal (tty_std_termios). */
extern const struct ktermios tty_std_termios;
unsigned tty_poll(struct tty *t);
/* Bytes a read may take now: whole lines in canonical mode (TIOCINQ). */
unsigned tty_input_available(const struct tty *t);
/* termios changed from old: the canonical buffer follows the new mode. */
void tty_termios_changed(struct tty *t, const struct ktermios *old);
void tty_flush_input(struct tty *t);
/* Something readers, writers or pollers wait for may have changed. */
void tty_wake(struct tty *t);

/* ldisc.c: input from the device through N_TTY (echo, editing, signals).
 * Returns the bytes taken: all of them, except in non-canonical mode with
 * the buffer full (the sender waits, as a pty master writer does). */
size_t tty_receive(struct tty *t, const char *buf, size_t len);
/* Output processing (OPOST, ONLCR, OCRNL) of buf to the driver. */
void tty_output(struct tty *t, const char *buf, size_t len);

/* tty_rw.c: read(2) and write(2) on a tty. */
long tty_read(struct tty *t, struct file *f, uint64_t ubuf, size_t len);
long tty_write(struct tty *t, struct file *f, uint64_t ubuf, size_t len);

/* tty_ioctl.c: the termios and window ioctls, and the job-control ones
 * (jobctl.c). real is the tty the call is about: t itself, or the slave
 * when t's master end is asked. -ENOTTY for what it does not know. */
long tty_ioctl(struct tty *t, struct file *f, unsigned long cmd, uint64_t arg);
long tty_winsize_ioctl(struct tty *t, unsigned long cmd, uint64_t arg);

/* jobctl.c */
/* Job control for a caller about to read (SIGTTIN) or change/write to
 * (SIGTTOU) t: 0 to go on, -EIO, or -ERESTARTSYS after signalling its group. */
int tty_check_change(struct tty *t, int sig);
/* Open by a session leader without a ctty: t becomes it (unless noctty). */
void tty_open_ctty(struct tty *t, unsigned flags);
long tty_jobctl_ioctl(struct tty *t, struct tty *real, struct file *f, unsigned long cmd,
		      uint64_t arg);
/* The device end went away (pty master closed): SIGHUP to the session
 * leader, the session loses t, reads give EOF and writes EIO. */
void tty_hangup(struct tty *t);
/* t is about to be freed: no process may keep it as its ctty. */
void tty_forget(struct tty *t);

/* tty_file.c: files on a tty (priv is the tty). */
extern const struct file_ops tty_file_ops;
/* A file on t; counts the open and may make t the caller's ctty. */
int tty_open_file(struct tty *t, unsigned flags, bool may_ctty, struct file **out);

#endif
