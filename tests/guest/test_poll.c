/* poll/ppoll and select/pselect6 on pipes, regular files and /dev/null:
 * readiness bits (POLLIN, POLLOUT, POLLHUP, POLLERR, POLLNVAL), timeouts
 * of 0, a few milliseconds and forever (woken by a writer across fork),
 * the time left written back, signal masks, and the errors Linux gives. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_poll_bits(void)
{
	int p[2], fd;
	char c;

	CHECK(pipe(p) == 0);
	struct pollfd f[4] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
	CHECK(poll(f, 2, 0) == 1 && f[0].revents == 0 && f[1].revents == POLLOUT);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(poll(f, 2, 0) == 2 && f[0].revents == POLLIN && f[1].revents == POLLOUT);
	/* Only what was asked, plus POLLERR/POLLHUP. */
	f[0].events = POLLOUT;
	CHECK(poll(f, 1, 0) == 0 && f[0].revents == 0);
	f[0].events = POLLIN;
	CHECK(close(p[1]) == 0);
	CHECK(poll(f, 1, 0) == 1 && f[0].revents == (POLLIN | POLLHUP));
	CHECK(read(p[0], &c, 1) == 1);
	CHECK(poll(f, 1, 0) == 1 && f[0].revents == POLLHUP);
	f[0].events = 0;
	CHECK(poll(f, 1, 0) == 1 && f[0].revents == POLLHUP);
	close(p[0]);

	CHECK(pipe(p) == 0);
	close(p[0]);
	f[0] = (struct pollfd){ p[1], POLLOUT, 0 };
	CHECK(poll(f, 1, 0) == 1 && f[0].revents == (POLLOUT | POLLERR));
	close(p[1]);

	/* Negative descriptors are skipped; closed ones are POLLNVAL. */
	CHECK((fd = open("/dev/null", O_RDWR)) >= 0);
	f[0] = (struct pollfd){ -1, POLLIN, 7 };
	f[1] = (struct pollfd){ 200, POLLIN, 0 };
	f[2] = (struct pollfd){ fd, POLLIN | POLLOUT, 0 };
	f[3] = (struct pollfd){ 0, 0, 0 };
	CHECK(poll(f, 3, 0) == 2);
	CHECK(f[0].revents == 0 && f[1].revents == POLLNVAL && f[2].revents == (POLLIN | POLLOUT));
	close(fd);
	CHECK((fd = open("/", O_RDONLY | O_DIRECTORY)) >= 0);
	f[0] = (struct pollfd){ fd, POLLIN | POLLOUT, 0 };
	CHECK(poll(f, 1, 0) == 1 && (f[0].revents & POLLIN));
	close(fd);
}

static void test_poll_timeouts(void)
{
	int p[2], status;
	long t0;
	pid_t pid;

	CHECK(pipe(p) == 0);
	struct pollfd f = { p[0], POLLIN, 0 };
	t0 = now_ms();
	CHECK(poll(&f, 1, 60) == 0 && f.revents == 0);
	CHECK(now_ms() - t0 >= 55);
	/* ppoll may write the time left back: never more than it was. */
	struct timespec ts = { 0, 30 * 1000000 };
	CHECK(ppoll(&f, 1, &ts, NULL) == 0 && ts.tv_sec == 0 && ts.tv_nsec <= 30 * 1000000);
	ts = (struct timespec){ 0, 1000000000 };
	CHECK_ERR(ppoll(&f, 1, &ts, NULL), EINVAL);
	ts = (struct timespec){ -1, 0 };
	CHECK_ERR(ppoll(&f, 1, &ts, NULL), EINVAL);
	CHECK_ERR(syscall(SYS_ppoll, &f, 1, g_low_addr, NULL, 8), EFAULT);
	/* Forever: a writer in a child wakes us. */
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 30; i++)
			sched_yield();
		_exit(write(p[1], "w", 1) == 1 ? 0 : 1);
	}
	CHECK(poll(&f, 1, -1) == 1 && f.revents == POLLIN);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* An empty set just sleeps. */
	t0 = now_ms();
	CHECK(poll(NULL, 0, 20) == 0 && now_ms() - t0 >= 15);
	close(p[0]);
	close(p[1]);
}

static void test_poll_errors(void)
{
	struct rlimit rl;
	struct pollfd f = { 0, POLLIN, 0 };
	sigset_t set;

	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	if (rl.rlim_cur < 65536) { /* a real array: qemu-user checks the memory first */
		struct pollfd *many = calloc(rl.rlim_cur + 1, sizeof(*many));
		CHECK_ERR(poll(many, rl.rlim_cur + 1, 0), EINVAL);
		free(many);
	}
	CHECK_ERR(poll(g_low_addr, 1, 0), EFAULT);
	CHECK_ERR(poll(g_kernel_addr, 1, 0), EFAULT);
	sigemptyset(&set);
	struct timespec ts = { 0, 0 };
	CHECK_ERR(syscall(SYS_ppoll, &f, 1, &ts, &set, 4), EINVAL);
	CHECK_ERR(syscall(SYS_ppoll, &f, 1, &ts, g_low_addr, 8), EFAULT);
	CHECK(syscall(SYS_ppoll, &f, 0, &ts, &set, 8) == 0);
}

static void test_select(void)
{
	int p[2];
	fd_set r, w;
	struct timeval tv = { 0, 0 };

	CHECK(pipe(p) == 0);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	CHECK(select(p[1] + 1, &r, &w, NULL, &tv) == 1);
	CHECK(!FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
	CHECK(write(p[1], "x", 1) == 1);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	CHECK(select(FD_SETSIZE, &r, &w, NULL, &tv) == 2);
	CHECK(FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
	/* A timeout runs out and is written back as zero. */
	FD_ZERO(&w);
	FD_ZERO(&r);
	FD_SET(p[1], &r); /* the write end never becomes readable */
	tv = (struct timeval){ 0, 20000 };
	CHECK(select(p[1] + 1, &r, NULL, NULL, &tv) == 0 && !FD_ISSET(p[1], &r));
	CHECK(tv.tv_sec == 0 && tv.tv_usec == 0);
	/* pselect with a mask. */
	sigset_t set;
	sigemptyset(&set);
	struct timespec ts = { 0, 0 };
	FD_SET(p[0], &r);
	CHECK(pselect(p[0] + 1, &r, NULL, NULL, &ts, &set) == 1 && FD_ISSET(p[0], &r));
	/* Errors. */
	FD_ZERO(&r);
	/* A descriptor that was just closed: Linux ignores bits past its fd
	 * table's size, so a high number like 200 is not an error there. */
	int gone = dup(p[0]);
	CHECK(gone >= 0 && close(gone) == 0);
	FD_SET(gone, &r);
	tv = (struct timeval){ 0, 0 };
	CHECK_ERR(select(gone + 1, &r, NULL, NULL, &tv), EBADF);
	CHECK_ERR(select(-1, NULL, NULL, NULL, &tv), EINVAL);
	CHECK_ERR(select(1, g_low_addr, NULL, NULL, &tv), EFAULT);
	struct timespec bad = { 0, 2000000000 };
	CHECK_ERR(syscall(SYS_pselect6, 0, NULL, NULL, NULL, &bad, NULL), EINVAL);
	uint64_t sig[2] = { (uint64_t)(uintptr_t)&set, 4 };
	CHECK_ERR(syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, sig), EINVAL);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	test_poll_bits();
	test_poll_timeouts();
	test_poll_errors();
	test_select();
	return check_done("test_poll");
}
