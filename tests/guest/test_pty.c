/* Pseudo-terminals through glibc's posix_openpt/grantpt/unlockpt/ptsname:
 * the pair, the line discipline between master and slave (canonical
 * editing, echo, input flags, raw mode with VMIN/VTIME), window size,
 * O_NONBLOCK, and hangup when either end closes. Job control through a pty
 * is in test_tty_jobs.c. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static int open_pair(int *slave)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	char *name;

	if (m < 0 || grantpt(m) || unlockpt(m) || !(name = ptsname(m)))
		return -1;
	*slave = open(name, O_RDWR | O_NOCTTY);
	return *slave < 0 ? -1 : m;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Linux hands a pty's input to the line discipline from a work queue, so
 * the effect of a master write is not there at once: give it a moment
 * (a spin: the test needs nothing but clock_gettime). */
static void settle(void)
{
	double t0 = now();
	while (now() - t0 < 0.03)
		;
}

/* What the master reads up to a marker the slave writes now: the echo of
 * input the slave has already read, in order. */
static void master_sees(int m, int s, const char *expect, int line)
{
	char buf[256], c;
	size_t n = 0;

	if (write(s, "#", 1) != 1)
		return;
	while (n < sizeof(buf) - 1 && read(m, &c, 1) == 1 && c != '#')
		buf[n++] = c;
	buf[n] = 0;
	CHECK(strcmp(buf, expect) == 0);
	if (strcmp(buf, expect))
		printf("  line %d: master read \"%s\", expected \"%s\"\n", line, buf, expect);
}
#define MASTER_SEES(expect) master_sees(m, s, expect, __LINE__)

static void test_pair(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), s;
	unsigned n = 99;
	char *name;
	struct stat st;

	CHECK(m >= 0);
	CHECK(isatty(m));
	CHECK(ioctl(m, TIOCGPTN, &n) == 0 && n < 1024);
	name = ptsname(m);
	CHECK(name && strncmp(name, "/dev/pts/", 9) == 0 && atoi(name + 9) == (int)n);
	CHECK(stat(name, &st) == 0 && S_ISCHR(st.st_mode));
	CHECK_ERR(open(name, O_RDWR | O_NOCTTY), EIO); /* locked until unlockpt */
	CHECK(grantpt(m) == 0 && unlockpt(m) == 0);
	s = open(name, O_RDWR | O_NOCTTY);
	CHECK(s >= 0 && isatty(s));
	CHECK(fstat(s, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 136 &&
	      minor(st.st_rdev) == n);
	CHECK_ERR(ioctl(s, TIOCGPTN, &n), ENOTTY);
	CHECK_ERR(ioctl(m, TIOCGPTN, g_low_addr), EFAULT);
	CHECK_ERR(ioctl(s, TCGETS, g_low_addr), EFAULT);
	close(s);
	close(m);
}

static void test_defaults(int m, int s)
{
	struct termios t;

	CHECK(tcgetattr(s, &t) == 0);
	CHECK((t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	CHECK((t.c_iflag & ICRNL) && (t.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR));
	CHECK(t.c_cc[VINTR] == 3 && t.c_cc[VERASE] == 0177 && t.c_cc[VEOF] == 4);
	CHECK(t.c_cc[VMIN] == 1 && t.c_cc[VTIME] == 0);
	CHECK(cfgetospeed(&t) == B38400);
	CHECK(tcgetattr(m, &t) == 0); /* the master's termios calls reach the slave's */
	CHECK((t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO));
}

/* Types in at the master; the slave reads one line, the master the echo. */
static void typed(int m, int s, const char *in, const char *line, const char *echo)
{
	char buf[256];
	ssize_t n;

	CHECK(write(m, in, strlen(in)) == (ssize_t)strlen(in));
	n = read(s, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(n == (ssize_t)strlen(line) && strcmp(buf, line) == 0);
	if (strcmp(buf, line))
		printf("  line %zd \"%s\", expected \"%s\"\n", n, buf, line);
	master_sees(m, s, echo, __LINE__);
}

static void test_canonical(int m, int s)
{
	char buf[64];
	int avail = -1;

	typed(m, s, "abc\n", "abc\n", "abc\r\n");
	typed(m, s, "hi\r", "hi\n", "hi\r\n");                          /* ICRNL */
	typed(m, s, "ab\177c\n", "ac\n", "ab\b \bc\r\n");               /* VERASE, ECHOE */
	typed(m, s, "xy\025ok\n", "ok\n", "xy\b \b\b \bok\r\n");         /* VKILL, ECHOKE */
	typed(m, s, "one two\027three\n", "one three\n",
	      "one two\b \b\b \b\b \bthree\r\n");                        /* VWERASE */
	typed(m, s, "\001z\n", "\001z\n", "^Az\r\n");                    /* ECHOCTL */
	/* Erasing a tab backs up to the column before it; the line began at
	 * column 1 (after the "#" marker). */
	typed(m, s, "a\tb\177\177\n", "a\n", "a\tb\b \b\b\b\b\b\b\b\r\n");
	typed(m, s, "x\t\ty\177\177\n", "x\t\n", "x\t\ty\b \b\b\b\b\b\b\b\b\b\r\n");
	typed(m, s, "\026\003q\n", "\003q\n", "^\b^Cq\r\n");            /* VLNEXT */
	/* A partial line is not readable; FIONREAD counts whole lines. */
	CHECK(write(m, "part", 4) == 4);
	settle();
	CHECK(ioctl(s, FIONREAD, &avail) == 0 && avail == 0);
	fcntl(s, F_SETFL, O_NONBLOCK);
	CHECK_ERR(read(s, buf, sizeof(buf)), EAGAIN);
	fcntl(s, F_SETFL, 0);
	CHECK(write(m, "\n", 1) == 1);
	settle();
	CHECK(ioctl(s, FIONREAD, &avail) == 0 && avail == 5);
	CHECK(read(s, buf, 2) == 2 && memcmp(buf, "pa", 2) == 0); /* the rest stays */
	CHECK(read(s, buf, sizeof(buf)) == 3 && memcmp(buf, "rt\n", 3) == 0);
	/* VEOF ends a line without a newline; at line start it reads as EOF. */
	CHECK(write(m, "abc\004", 4) == 4);
	CHECK(read(s, buf, sizeof(buf)) == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK(write(m, "\004", 1) == 1);
	CHECK(read(s, buf, sizeof(buf)) == 0);
	MASTER_SEES("part\r\nabc"); /* VEOF is not echoed */
}

static void test_output(int m, int s)
{
	struct termios t;

	CHECK(write(s, "a\nb", 3) == 3);
	MASTER_SEES("a\r\nb"); /* ONLCR */
	tcgetattr(s, &t);
	t.c_oflag &= ~OPOST;
	CHECK(tcsetattr(s, TCSANOW, &t) == 0);
	CHECK(write(s, "a\nb", 3) == 3);
	MASTER_SEES("a\nb");
	t.c_oflag |= OPOST;
	tcsetattr(s, TCSANOW, &t);
}

static void test_raw(int m, int s)
{
	struct termios t, saved;
	char buf[64];
	double t0;

	tcgetattr(s, &saved);
	t = saved;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	CHECK(tcsetattr(s, TCSANOW, &t) == 0);
	CHECK(read(s, buf, sizeof(buf)) == 0); /* MIN 0, TIME 0: a poll */
	CHECK(write(m, "xyz", 3) == 3);
	settle();
	CHECK(read(s, buf, sizeof(buf)) == 3 && memcmp(buf, "xyz", 3) == 0);
	MASTER_SEES(""); /* no echo */

	t.c_cc[VTIME] = 2; /* MIN 0, TIME 2: up to 0.2 s for a byte */
	tcsetattr(s, TCSANOW, &t);
	t0 = now();
	CHECK(read(s, buf, sizeof(buf)) == 0);
	CHECK(now() - t0 >= 0.15);

	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 1; /* MIN 3, TIME 1: 0.1 s between bytes once one came */
	tcsetattr(s, TCSANOW, &t);
	CHECK(write(m, "ab", 2) == 2);
	settle();
	CHECK(read(s, buf, sizeof(buf)) == 2);
	t.c_cc[VTIME] = 0; /* MIN 3: whatever is there once 3 are */
	tcsetattr(s, TCSANOW, &t);
	CHECK(write(m, "abcde", 5) == 5);
	settle();
	CHECK(read(s, buf, sizeof(buf)) == 5);
	CHECK(write(m, "\r\003", 2) == 2); /* ICRNL still; ISIG: ^C flushes the input */
	settle();
	t.c_lflag &= ~ISIG;
	tcsetattr(s, TCSANOW, &t);
	CHECK(write(m, "\003", 1) == 1);
	settle();
	t.c_cc[VMIN] = 1;
	tcsetattr(s, TCSANOW, &t);
	CHECK(read(s, buf, sizeof(buf)) == 1 && buf[0] == 3);
	fcntl(s, F_SETFL, O_NONBLOCK);
	CHECK_ERR(read(s, buf, sizeof(buf)), EAGAIN);
	fcntl(s, F_SETFL, 0);

	/* Raw input typed before ICANON comes back is one line. */
	CHECK(write(m, "raw", 3) == 3);
	settle();
	CHECK(tcsetattr(s, TCSANOW, &saved) == 0);
	CHECK(read(s, buf, sizeof(buf)) == 3 && memcmp(buf, "raw", 3) == 0);
	MASTER_SEES("");
}

static void test_flags(int m, int s)
{
	struct termios t, saved;
	char buf[64];

	tcgetattr(s, &saved);
	t = saved;
	t.c_iflag |= IGNCR;
	tcsetattr(s, TCSANOW, &t);
	typed(m, s, "a\rb\n", "ab\n", "ab\r\n");
	t.c_iflag = (t.c_iflag & ~(IGNCR | ICRNL)) | INLCR;
	t.c_lflag &= ~ECHO;
	t.c_lflag |= ECHONL;
	tcsetattr(s, TCSANOW, &t);
	CHECK(write(m, "q\r\n", 3) == 3); /* INLCR: the \n is a \r, and \r no longer ends a line */
	settle();
	t.c_iflag = saved.c_iflag;
	tcsetattr(s, TCSANOW, &t);
	CHECK(write(m, "\n", 1) == 1);
	CHECK(read(s, buf, sizeof(buf)) == 4 && memcmp(buf, "q\r\r\n", 4) == 0);
	MASTER_SEES("\r\n"); /* ECHONL: only the newline shows */
	CHECK(tcsetattr(s, TCSAFLUSH, &saved) == 0);
	CHECK(write(m, "gone", 4) == 4);
	settle();
	CHECK(tcflush(s, TCIFLUSH) == 0);
	CHECK(write(m, "kept\n", 5) == 5);
	CHECK(read(s, buf, sizeof(buf)) == 5 && memcmp(buf, "kept\n", 5) == 0);
	MASTER_SEES("gonekept\r\n");
	CHECK_ERR(tcflush(s, 7), EINVAL);
	CHECK(tcdrain(s) == 0);
	CHECK(tcflow(s, TCOON) == 0);
}

static void test_winsize(int m, int s)
{
	struct winsize w = { .ws_row = 33, .ws_col = 101 }, r = { 0 };

	CHECK(ioctl(m, TIOCSWINSZ, &w) == 0);
	CHECK(ioctl(s, TIOCGWINSZ, &r) == 0 && r.ws_row == 33 && r.ws_col == 101);
	w.ws_col = 55;
	CHECK(ioctl(s, TIOCSWINSZ, &w) == 0);
	CHECK(ioctl(m, TIOCGWINSZ, &r) == 0 && r.ws_col == 55);
	CHECK_ERR(ioctl(s, TIOCSWINSZ, g_low_addr), EFAULT);
}

static void test_nonblock(int m, int s)
{
	char buf[8];
	int on = 1;

	CHECK(ioctl(m, FIONBIO, &on) == 0);
	CHECK_ERR(read(m, buf, sizeof(buf)), EAGAIN);
	on = 0;
	CHECK(ioctl(m, FIONBIO, &on) == 0);
	CHECK(!(fcntl(m, F_GETFL) & O_NONBLOCK));
	(void)s;
}

static void test_hangup(void)
{
	char buf[8];
	int s, m = open_pair(&s);

	CHECK(m >= 0);
	close(s);
	CHECK_ERR(read(m, buf, sizeof(buf)), EIO); /* every slave closed */
	close(m);

	m = open_pair(&s);
	CHECK(write(m, "x\n", 2) == 2);
	close(m);
	CHECK(read(s, buf, sizeof(buf)) == 0); /* hung up: end of file */
	CHECK_ERR(write(s, "y", 1), EIO);
	close(s);
}

int main(void)
{
	int s, m;

	test_pair();
	m = open_pair(&s);
	CHECK(m >= 0);
	if (m >= 0) {
		test_defaults(m, s);
		test_canonical(m, s);
		test_output(m, s);
		test_raw(m, s);
		test_flags(m, s);
		test_winsize(m, s);
		test_nonblock(m, s);
		close(s);
		close(m);
	}
	test_hangup();
	return check_done("test_pty");
}
