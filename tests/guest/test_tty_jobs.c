/* Controlling terminals and job control through a pty: a session leader
 * acquires the slave on open or by TIOCSCTTY, /dev/tty, TIOCSPGRP's rules,
 * ^C signalling the foreground group, hangup of the session when the
 * master closes, TIOCNOTTY. Outcomes come back as exit statuses, so no
 * signal handlers are needed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static char slave_name[64];

static int open_master(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	char *name;

	if (m < 0 || grantpt(m) || unlockpt(m) || !(name = ptsname(m)))
		return -1;
	snprintf(slave_name, sizeof(slave_name), "%s", name);
	return m;
}

/* Runs fn in a child; its wait status. */
static int in_child(int (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &status, 0);
	return status;
}

#define EXPECT(cond, bit) do { if (!(cond)) bad |= (bit); } while (0)

static int acquire_on_open(void)
{
	int bad = 0, fd;

	EXPECT(setsid() == getpid(), 1);
	EXPECT(open("/dev/tty", O_RDWR) < 0 && errno == ENXIO, 2);
	fd = open(slave_name, O_RDWR);
	EXPECT(fd >= 0, 4);
	/* (TIOCGSID is not checked: qemu-user does not copy its result back.) */
	EXPECT(getsid(0) == getpid(), 8);
	EXPECT(tcgetpgrp(fd) == getpid(), 16);
	int t = open("/dev/tty", O_RDWR);
	EXPECT(t >= 0 && isatty(t), 64);
	EXPECT(ioctl(fd, TIOCSCTTY, 0) == 0, 128); /* already ours */
	return bad;
}

static int not_leader(void)
{
	int bad = 0, fd = open(slave_name, O_RDWR | O_NOCTTY);

	EXPECT(fd >= 0, 1);
	EXPECT(ioctl(fd, TIOCSCTTY, 0) < 0 && errno == EPERM, 2);
	EXPECT(tcgetpgrp(fd) < 0 && errno == ENOTTY, 4);
	return bad;
}

static int grandchild_group(void)
{
	setpgid(0, 0);
	_exit(0);
}

static int pgrp_rules(void)
{
	int bad = 0, fd, status;
	pid_t parent_pgrp = getpgrp(), gc;

	EXPECT(setsid() == getpid(), 1);
	fd = open(slave_name, O_RDWR | O_NOCTTY);
	EXPECT(fd >= 0, 2);
	EXPECT(tcgetpgrp(fd) < 0 && errno == ENOTTY, 4); /* not our ctty yet */
	EXPECT(tcsetpgrp(fd, getpid()) < 0 && errno == ENOTTY, 8);
	EXPECT(ioctl(fd, TIOCSCTTY, 0) == 0, 16);
	EXPECT(tcgetpgrp(fd) == getpid(), 32);
	EXPECT(tcsetpgrp(fd, -1) < 0 && errno == EINVAL, 64);
	EXPECT(tcsetpgrp(fd, 0x3ffffff0) < 0 && errno == ESRCH, 128);
	EXPECT(tcsetpgrp(fd, parent_pgrp) < 0 && errno == EPERM, 256);
	EXPECT(ioctl(fd, TIOCSPGRP, (void *)16) < 0 && errno == EFAULT, 512);
	gc = fork();
	if (gc == 0)
		grandchild_group();
	setpgid(gc, gc);
	EXPECT(tcsetpgrp(fd, gc) == 0, 1024);
	EXPECT(tcgetpgrp(fd) == gc, 2048);
	waitpid(gc, &status, 0);
	return bad;
}

static void test_ctty(void)
{
	int m = open_master(), status, pg = -1, s;

	CHECK(m >= 0);
	status = in_child(acquire_on_open);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (status)
		printf("  acquire_on_open: status 0x%x\n", status);
	status = in_child(not_leader);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	status = in_child(pgrp_rules);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (status)
		printf("  pgrp_rules: status 0x%x\n", status);
	/* Not our ctty: through the slave we may not ask, through the master we may. */
	s = open(slave_name, O_RDWR | O_NOCTTY);
	CHECK_ERR(ioctl(s, TIOCGPGRP, &pg), ENOTTY);
	CHECK(ioctl(m, TIOCGPGRP, &pg) == 0 && pg == 0); /* no session now */
	close(s);
	close(m);
}

/* A session leader on the slave that says "R" and waits in a read. */
static int g_master = -1;

static int leader_waits(void)
{
	char c;
	int fd;

	close(g_master); /* only the parent holds the master: its close hangs up */
	setsid();
	fd = open(slave_name, O_RDWR);
	if (fd < 0 || write(fd, "R", 1) != 1)
		return 1;
	read(fd, &c, 1);
	return 2;
}

static void spin(void)
{
	struct timespec ts, t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &ts);
	while ((ts.tv_sec - t0.tv_sec) * 1000000000L + ts.tv_nsec - t0.tv_nsec < 10000000L);
}

static pid_t start_leader(int m)
{
	pid_t pid;
	char c = 0;
	ssize_t n;

	g_master = m;
	pid = fork();
	if (pid == 0)
		_exit(leader_waits());
	/* Until the slave is open the master may read EIO (a slave closed
	 * before) or nothing: wait for the "R". */
	while ((n = read(m, &c, 1)) != 1 || c != 'R')
		if (n != 1)
			spin();
	return pid;
}

static void test_signals(void)
{
	int m = open_master(), status = 0, v = -1;
	char buf[16] = { 0 };
	pid_t pid;

	pid = start_leader(m);
	CHECK(ioctl(m, TIOCGPGRP, &v) == 0 && v == pid);
	CHECK(write(m, "\003", 1) == 1);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
	CHECK(read(m, buf, sizeof(buf) - 1) == 2 && strcmp(buf, "^C") == 0);

	/* The master goes away: the session leader gets SIGHUP. */
	pid = start_leader(m);
	close(m);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP);
}

static int notty_leader(void)
{
	int fd;

	setsid();
	fd = open(slave_name, O_RDWR);
	ioctl(fd, TIOCNOTTY);
	return 3; /* not reached: giving up the tty hangs up our own group */
}

static int notty_member(void)
{
	int bad = 0, fd, status;
	pid_t gc;

	setsid();
	fd = open(slave_name, O_RDWR);
	gc = fork();
	if (gc == 0) {
		setpgid(0, 0);
		EXPECT(ioctl(fd, TIOCNOTTY) == 0, 1);
		EXPECT(tcgetpgrp(fd) < 0 && errno == ENOTTY, 2);
		EXPECT(open("/dev/tty", O_RDWR) < 0 && errno == ENXIO, 4);
		EXPECT(ioctl(fd, TIOCNOTTY) < 0 && errno == ENOTTY, 8);
		_exit(bad);
	}
	waitpid(gc, &status, 0);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, 16);
	EXPECT(tcgetpgrp(fd) == getpid(), 32); /* the leader keeps it */
	return bad;
}

/* A session leader exits: its foreground group gets SIGHUP and the tty
 * leaves the session. */
static int leader_exits(void)
{
	int fd;
	char c;

	close(g_master);
	setsid();
	fd = open(slave_name, O_RDWR);
	if (fork() == 0) {
		read(fd, &c, 1); /* ended by SIGHUP when our leader exits */
		_exit(0);
	}
	return 0;
}

static void test_leader_exit(void)
{
	int m = open_master(), status, pg = -1;
	pid_t pid;
	char c;

	g_master = m;
	pid = fork();
	if (pid == 0)
		_exit(leader_exits());
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	/* Its child, in the foreground group, died of the SIGHUP: the last
	 * slave file closes and the master reads EIO (it would block if the
	 * child still waited in its read). */
	while (read(m, &c, 1) == 1)
		;
	CHECK(errno == EIO);
	CHECK(ioctl(m, TIOCGPGRP, &pg) == 0 && pg == 0);
	close(m);
}

static void test_notty(void)
{
	int m = open_master(), status;

	status = in_child(notty_leader);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP);
	status = in_child(notty_member);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (status)
		printf("  notty_member: status 0x%x\n", status);
	close(m);
}

/* A background group whose members have no parent in the session
 * (orphaned) is not signalled: its reads, TOSTOP writes and mode changes
 * fail with EIO, TIOCSPGRP with ENOTTY. */
static int orphan_checks(int fd, pid_t old_parent)
{
	struct termios t;
	int bad = 0;
	char c;

	while (getppid() == old_parent)
		spin();
	EXPECT(tcgetattr(fd, &t) == 0, 1);
	EXPECT(read(fd, &c, 1) < 0 && errno == EIO, 2);
	EXPECT(write(fd, "x", 1) < 0 && errno == EIO, 4);
	EXPECT(tcsetattr(fd, TCSANOW, &t) < 0 && errno == EIO, 8);
	EXPECT(tcsetpgrp(fd, getpgrp()) < 0 && errno == ENOTTY, 16);
	EXPECT(tcgetpgrp(fd) != getpgrp(), 32);
	return bad;
}

/* The orphan has no parent to tell (qemu-user refuses a subreaper): it
 * leaves its result in a file. */
static char result_name[64], result_tmp[64];

static int report(int bad)
{
	int fd = open(result_tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd >= 0) {
		dprintf(fd, "%d\n", bad);
		close(fd);
		rename(result_tmp, result_name);
	}
	return bad;
}

static int read_report(void)
{
	char buf[16] = { 0 };
	int fd = -1;

	for (int i = 0; i < 1000 && (fd = open(result_name, O_RDONLY)) < 0; i++)
		spin();
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return -1;
	close(fd);
	unlink(result_name);
	return atoi(buf);
}

static int orphan_leader(void)
{
	struct termios t;
	pid_t g;
	int fd, status;
	char c;

	close(g_master);
	setsid();
	fd = open(slave_name, O_RDWR);
	tcgetattr(fd, &t);
	t.c_lflag |= TOSTOP;
	tcsetattr(fd, TCSANOW, &t);
	g = fork();
	if (g == 0) {
		pid_t self = getpid();
		setpgid(0, 0);
		if (fork() == 0)
			_exit(report(orphan_checks(fd, self)));
		_exit(0); /* its child's group is now orphaned */
	}
	waitpid(g, &status, 0);
	/* Stay (keeping the session) until the parent says it is over. */
	return read(fd, &c, 1) == 1 ? 0 : 1;
}

static void test_orphaned(void)
{
	int m = open_master(), status, bad;
	pid_t leader;

	snprintf(result_name, sizeof(result_name), "tty-orphan.%d", getpid());
	snprintf(result_tmp, sizeof(result_tmp), "tty-orphan.%d.tmp", getpid());
	g_master = m;
	leader = fork();
	if (leader == 0)
		_exit(orphan_leader());
	bad = read_report();
	CHECK(bad == 0);
	if (bad)
		printf("  orphan: %d\n", bad);
	CHECK(write(m, "\n", 1) == 1);
	CHECK(waitpid(leader, &status, 0) == leader);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(m);
}

int main(void)
{
	test_ctty();
	test_signals();
	test_notty();
	test_leader_exit();
	test_orphaned();
	return check_done("test_tty_jobs");
}
