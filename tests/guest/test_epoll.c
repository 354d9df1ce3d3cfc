/* epoll: level-triggered, edge-triggered and one-shot items on pipes,
 * EPOLLHUP/EPOLLERR, closing a watched file, nested sets and loops,
 * timeouts (0, a few milliseconds, forever woken across fork), and the
 * errors of epoll_create1, epoll_ctl and epoll_wait as Linux gives them. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/epoll.h>
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

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void test_level(void)
{
	struct epoll_event out[4];
	int ep = epoll_create1(0), p[2];
	char c;

	CHECK(ep >= 0 && pipe(p) == 0);
	CHECK(add(ep, p[0], EPOLLIN, 42) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(write(p[1], "ab", 2) == 2);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].events == EPOLLIN && out[0].data.u64 == 42);
	CHECK(epoll_wait(ep, out, 4, 0) == 1); /* still ready: reported again */
	CHECK(read(p[0], &c, 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 1);
	CHECK(read(p[0], &c, 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	/* The write end, and both at once. */
	CHECK(add(ep, p[1], EPOLLOUT, 7) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].events == EPOLLOUT && out[0].data.u64 == 7);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 2);
	CHECK(epoll_wait(ep, out, 1, 0) == 1); /* maxevents limits */
	/* MOD changes what is asked; DEL removes. */
	struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = 9 };
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 7);
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	/* HUP once the writer is gone, with the data still there. */
	ev.events = EPOLLIN;
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
	CHECK(close(p[1]) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].events == (EPOLLIN | EPOLLHUP));
	close(p[0]);
	close(ep);
}

static void test_edge(void)
{
	struct epoll_event out[4];
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2];
	char buf[8];

	CHECK(ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC);
	CHECK(pipe2(p, O_NONBLOCK) == 0);
	CHECK(add(ep, p[0], EPOLLIN | EPOLLET, 1) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(write(p[1], "a", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].events == EPOLLIN);
	CHECK(epoll_wait(ep, out, 4, 0) == 0); /* no new event: not again */
	CHECK(write(p[1], "b", 1) == 1);       /* more data is a new event */
	CHECK(epoll_wait(ep, out, 4, 0) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 2);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	/* MOD re-arms: ready now, so reported. */
	CHECK(write(p[1], "c", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 1);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u64 = 2 };
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 2);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	/* Edge-triggered EPOLLOUT: a read that makes room in a full pipe is
	 * a new event; one from a pipe with room to spare is not. */
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0);
	CHECK(add(ep, p[1], EPOLLOUT | EPOLLET, 3) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 3);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	static char page[4096];
	while (write(p[1], page, sizeof(page)) > 0)
		;
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(read(p[0], page, sizeof(page)) == (long)sizeof(page));
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 3 && out[0].events == EPOLLOUT);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void test_oneshot(void)
{
	struct epoll_event out[4], ev = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 5 };
	int ep = epoll_create1(0), p[2];

	CHECK(pipe(p) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
	CHECK(write(p[1], "a", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 5);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK(write(p[1], "b", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0); /* disabled until MOD */
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* Closing the last descriptor of a watched file takes it out of the set. */
static void test_close_removes(void)
{
	struct epoll_event out[4];
	int ep = epoll_create1(0), p[2];

	CHECK(pipe(p) == 0);
	CHECK(add(ep, p[0], EPOLLIN, 1) == 0);
	CHECK(write(p[1], "a", 1) == 1);
	CHECK(epoll_wait(ep, out, 4, 0) == 1);
	CHECK(close(p[0]) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 0);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), EBADF);
	/* The write end with no reader: EPOLLERR. */
	CHECK(add(ep, p[1], EPOLLOUT, 2) == 0);
	CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].events == (EPOLLOUT | EPOLLERR));
	close(p[1]);
	close(ep);
}

static void test_nested(void)
{
	struct epoll_event out[4];
	int inner = epoll_create1(0), outer = epoll_create1(0), p[2];
	struct epoll_event ev = { .events = EPOLLIN };

	CHECK(pipe(p) == 0);
	CHECK(add(inner, p[0], EPOLLIN, 1) == 0);
	CHECK(add(outer, inner, EPOLLIN, 2) == 0);
	CHECK(epoll_wait(outer, out, 4, 0) == 0);
	CHECK(write(p[1], "a", 1) == 1);
	CHECK(epoll_wait(outer, out, 4, 0) == 1 && out[0].data.u64 == 2 && out[0].events == EPOLLIN);
	CHECK_ERR(epoll_ctl(inner, EPOLL_CTL_ADD, outer, &ev), ELOOP);
	CHECK_ERR(epoll_ctl(inner, EPOLL_CTL_ADD, inner, &ev), EINVAL);
	/* A chain deeper than Linux allows. */
	int chain[6], refused = 0;
	chain[0] = inner;
	for (int i = 1; i < 6; i++) {
		chain[i] = epoll_create1(0);
		if (!refused && epoll_ctl(chain[i], EPOLL_CTL_ADD, chain[i - 1], &ev) != 0)
			refused = errno == ELOOP ? i : -1;
	}
	CHECK(refused == 5); /* five sets deep: inner, then four around it */
	for (int i = 1; i < 6; i++)
		close(chain[i]);
	/* Closing the inner set takes it out of the outer one. */
	close(inner);
	CHECK(epoll_wait(outer, out, 4, 0) == 0);
	close(p[0]);
	close(p[1]);
	close(outer);
}

static void test_timeouts(void)
{
	struct epoll_event out[4];
	int ep = epoll_create1(0), p[2], status;
	long t0;
	pid_t pid;

	CHECK(pipe(p) == 0);
	CHECK(add(ep, p[0], EPOLLIN, 1) == 0);
	t0 = now_ms();
	CHECK(epoll_wait(ep, out, 4, 50) == 0 && now_ms() - t0 >= 45);
	struct timespec ts = { 0, 20 * 1000000 };
	t0 = now_ms();
	long r = syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, 8);
	if (r == -1 && errno == ENOSYS) /* qemu-user before 8.0 does not pass it on */
		printf("test_epoll: no epoll_pwait2 here: skipped\n");
	else
		CHECK(r == 0 && now_ms() - t0 >= 15);
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 30; i++)
			sched_yield();
		_exit(write(p[1], "w", 1) == 1 ? 0 : 1);
	}
	CHECK(epoll_wait(ep, out, 4, -1) == 1 && out[0].events == EPOLLIN);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	sigset_t set;
	sigemptyset(&set);
	CHECK(epoll_pwait(ep, out, 4, 0, &set) == 1);
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void test_errors(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[2];
	int ep = epoll_create1(0), p[2], fd;

	CHECK(pipe(p) == 0);
	CHECK_ERR(epoll_create1(1), EINVAL);
	CHECK_ERR(epoll_create1(O_NONBLOCK), EINVAL);
	CHECK_ERR(epoll_ctl(200, EPOLL_CTL_ADD, p[0], &ev), EBADF);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 200, &ev), EBADF);
	CHECK_ERR(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev), EINVAL); /* not an epoll fd */
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev), ENOENT);
	CHECK_ERR(epoll_ctl(ep, 99, p[0], &ev), EINVAL);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], g_low_addr), EFAULT);
	CHECK((fd = open("/dev/null", O_RDWR)) >= 0);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM); /* no poll op, as Linux */
	close(fd);
	CHECK((fd = open("/", O_RDONLY | O_DIRECTORY)) >= 0);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM);
	close(fd);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL);
	ev.events = EPOLLIN;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL); /* still exclusive */
	ev.events = EPOLLOUT | EPOLLEXCLUSIVE | EPOLLONESHOT;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev), EINVAL);
	ev.events = EPOLLOUT | EPOLLEXCLUSIVE | EPOLLRDNORM;
	CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev), EINVAL);
	CHECK_ERR(epoll_wait(ep, out, 0, 0), EINVAL);
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, out, -1, 0, NULL, 8), EINVAL);
	CHECK_ERR(epoll_wait(200, out, 2, 0), EBADF);
	CHECK_ERR(epoll_wait(p[0], out, 2, 0), EINVAL);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK_ERR(epoll_wait(ep, g_kernel_addr, 2, 0), EFAULT);
	CHECK_ERR(epoll_wait(ep, g_low_addr, 2, 0), EFAULT);
	char c;
	CHECK(read(p[0], &c, 1) == 1);
	CHECK_ERR(read(ep, &c, 1), EINVAL);
	CHECK_ERR(write(ep, &c, 1), EINVAL);
	CHECK(lseek(ep, 5, SEEK_SET) == 0); /* no position, and no error either */
	CHECK((fcntl(ep, F_GETFL) & O_ACCMODE) == O_RDWR);
	sigset_t set;
	sigemptyset(&set);
	CHECK_ERR(syscall(SYS_epoll_pwait, ep, out, 2, 0, &set, 4), EINVAL);
	close(p[0]);
	close(p[1]);
	close(ep);
}

int main(void)
{
	test_level();
	test_edge();
	test_oneshot();
	test_close_removes();
	test_nested();
	test_timeouts();
	test_errors();
	return check_done("test_epoll");
}
