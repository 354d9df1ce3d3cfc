/* kern/tty's line discipline and reads (ldisc.c, tty.c, tty_rw.c) natively:
 * canonical editing across the ring's wrap-around, VEOF, a full buffer,
 * echo and output processing, and a randomized run against the buffer's
 * invariants (tty.h). Reads go through tty_read with host memory as "user"
 * memory; job control, sleeping and signals are stand-ins below. */
#include <stdint.h>
#include <stdlib.h>
#include "test.h"
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/time.h>
#include <frame/uaccess.h>
#include "fs/fcntl.h"
#include "fs/poll.h"
#include "proc/signal.h"
#include "proc/sleep.h"
#include "tty/tty.h"

/* ---- stand-ins for what the tty code calls ---- */
static int signals_sent, last_signal_pgrp, last_signal;
int signal_send_pgrp(int pgid, int sig)
{
	signals_sent++;
	last_signal_pgrp = pgid;
	last_signal = sig;
	return 0;
}
void poll_wake(void) {}
void wait_queue_wake_all(struct wait_queue *wq) { (void)wq; }
int tty_check_change(struct tty *t, int sig) { (void)t, (void)sig; return 0; }
unsigned long irq_save(void) { return 0; }
void irq_restore(unsigned long flags) { (void)flags; }
uint64_t time_now_ns(void) { static uint64_t ns; return ns += 1000000; }
/* Nothing else arrives while a test reads: any sleep would last forever. */
int proc_sleep_until(struct wait_queue *wq, uint64_t deadline)
{
	(void)wq, (void)deadline;
	return -ETIMEDOUT;
}
int proc_sleep(struct wait_queue *wq) { return proc_sleep_until(wq, 0); }
int copy_to_user(uint64_t udst, const void *src, size_t len)
{
	memcpy((void *)(uintptr_t)udst, src, len);
	return 0;
}
int copy_from_user(void *dst, uint64_t usrc, size_t len)
{
	memcpy(dst, (const void *)(uintptr_t)usrc, len);
	return 0;
}

/* ---- a tty whose output is collected ---- */
static char out[1 << 16];
static size_t out_len;

static void collect(struct tty *t, const char *buf, size_t len)
{
	(void)t;
	if (out_len + len < sizeof(out)) {
		memcpy(out + out_len, buf, len);
		out_len += len;
	}
	out[out_len] = 0;
}

static const struct tty_driver driver = { .output = collect };
static struct tty tty;
static struct file file = { .flags = O_RDWR | O_NONBLOCK };

static void reset(void)
{
	tty_init(&tty, &driver, NULL, 0, &tty_std_termios);
	tty.session = tty.pgrp = 7;
	out_len = 0;
	out[0] = 0;
}

static void type(const char *s)
{
	tty_receive(&tty, s, strlen(s));
}

/* One read of up to size bytes, as a string; its length or -errno. */
static long read_str(char *buf, size_t size)
{
	long n = tty_read(&tty, &file, (uint64_t)(uintptr_t)buf, size);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static bool invariants(void)
{
	return tty.tail <= tty.canon_head && tty.canon_head <= tty.head &&
	       tty.head - tty.tail <= TTY_BUF;
}

static void test_editing_across_wrap(void)
{
	char buf[64];

	reset();
	/* Move the ring's indices next to the wrap point, then edit across it. */
	tty.head = tty.tail = tty.canon_head = TTY_BUF - 3;
	type("abcdef\177\177x\n");
	CHECK_EQ(read_str(buf, sizeof(buf)), 6);
	CHECK_STR(buf, "abcdx\n");
	type("one two\027\n");
	CHECK_EQ(read_str(buf, sizeof(buf)), 5);
	CHECK_STR(buf, "one \n");
	type("gone\025kept\004");
	CHECK_EQ(read_str(buf, sizeof(buf)), 4);
	CHECK_STR(buf, "kept");
	type("\004");
	CHECK_EQ(read_str(buf, sizeof(buf)), 0);
	CHECK_EQ(read_str(buf, sizeof(buf)), -EAGAIN); /* nothing left, O_NONBLOCK */
	CHECK(invariants());
	/* Erase never reaches into a finished line. */
	type("done\n\177\177\177");
	CHECK_EQ(read_str(buf, sizeof(buf)), 5);
	CHECK_STR(buf, "done\n");
}

static void test_echo_and_signals(void)
{
	char buf[16];

	reset();
	type("a\tb\001\r");
	CHECK_STR(out, "a\tb^A\r\n");
	CHECK_EQ(read_str(buf, sizeof(buf)), 5);
	out_len = 0;
	type("xyz\003");
	CHECK_STR(out, "xyz^C");
	CHECK_EQ(signals_sent, 1);
	CHECK_EQ(last_signal_pgrp, 7);
	CHECK_EQ(last_signal, 2);
	CHECK_EQ(tty_input_available(&tty), 0); /* flushed */
	tty.termios.c_lflag |= NOFLSH;
	type("xyz\034\n");
	CHECK_EQ(last_signal, 3);
	CHECK_EQ(read_str(buf, sizeof(buf)), 4); /* NOFLSH kept the line */
	tty.termios.c_lflag &= ~(uint32_t)ISIG;
	type("\032\n");
	CHECK_EQ(signals_sent, 2);
	CHECK_EQ(read_str(buf, sizeof(buf)), 2);
	CHECK_EQ(buf[0], 032);
}

static void test_full_buffer(void)
{
	char line[TTY_BUF + 16], buf[TTY_BUF + 16];

	reset();
	tty.termios.c_lflag &= ~(uint32_t)ECHO;
	memset(line, 'x', TTY_BUF + 10);
	line[TTY_BUF + 10] = 0;
	type(line);
	type("\n");
	CHECK(invariants());
	/* The line keeps room for its end: TTY_BUF - 1 bytes and the newline. */
	CHECK_EQ(read_str(buf, sizeof(buf)), TTY_BUF);
	CHECK_EQ(buf[TTY_BUF - 1], '\n');
	/* Non-canonical input stops at a full buffer (the sender waits). */
	tty.termios.c_lflag &= ~(uint32_t)ICANON;
	CHECK_EQ(tty_receive(&tty, line, TTY_BUF + 10), TTY_BUF);
	CHECK(invariants());
	CHECK_EQ(read_str(buf, sizeof(buf)), TTY_BUF);
}

/* Random bytes, random mode flips and reads: the invariants always hold,
 * and every read returns what the buffer said was available. */
static void test_random(void)
{
	static const char alphabet[] = "ab \n\r\177\025\027\004\026\003x";
	char in[64], buf[512];
	unsigned seed = 12345;
	bool ok = true;

	reset();
	for (int round = 0; round < 20000 && ok; round++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof(in));
		for (size_t i = 0; i < n; i++)
			in[i] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		tty_receive(&tty, in, n);
		ok = invariants();
		if (rand_r(&seed) % 7 == 0) {
			struct ktermios old = tty.termios;
			tty.termios.c_lflag ^= ICANON;
			tty_termios_changed(&tty, &old);
			ok = ok && invariants();
		}
		if (rand_r(&seed) % 2) {
			long r = read_str(buf, sizeof(buf));
			ok = ok && invariants() && r >= -EAGAIN && r <= (long)sizeof(buf);
		}
		if (out_len > sizeof(out) / 2)
			out_len = 0;
	}
	CHECK(ok);
}

int main(void)
{
	test_editing_across_wrap();
	test_echo_and_signals();
	test_full_buffer();
	test_random();
	return test_done("host.tty");
}
