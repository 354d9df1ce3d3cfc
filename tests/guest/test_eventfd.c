/* eventfd: counter semantics (a read takes all, EFD_SEMAPHORE one at a
 * time), EFD_NONBLOCK and EFD_CLOEXEC, the 2^64 - 2 ceiling, blocking and
 * waking across fork, poll and edge-triggered epoll, and the errors. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void test_counter(void)
{
	uint64_t v = 0;
	int fd = eventfd(5, EFD_NONBLOCK | EFD_CLOEXEC);

	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC && (fcntl(fd, F_GETFL) & O_NONBLOCK));
	CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	CHECK(lseek(fd, 5, SEEK_SET) == 0);
	CHECK(read(fd, &v, 8) == 8 && v == 5);
	CHECK_ERR(read(fd, &v, 8), EAGAIN);
	v = 3;
	CHECK(write(fd, &v, 8) == 8 && write(fd, &v, 8) == 8);
	uint64_t two[2] = { 0, 0 };
	CHECK(read(fd, two, sizeof(two)) == 8 && two[0] == 6);
	/* Sizes and values. */
	CHECK_ERR(read(fd, &v, 4), EINVAL);
	CHECK_ERR(write(fd, &v, 7), EINVAL);
	v = UINT64_MAX;
	CHECK_ERR(write(fd, &v, 8), EINVAL);
	v = UINT64_MAX - 1;
	CHECK(write(fd, &v, 8) == 8);
	v = 1;
	CHECK_ERR(write(fd, &v, 8), EAGAIN); /* past the ceiling */
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLIN);
	CHECK(read(fd, &v, 8) == 8 && v == UINT64_MAX - 1);
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLOUT);
	CHECK_ERR(write(fd, g_low_addr, 8), EFAULT);
	v = 0;
	CHECK(write(fd, &v, 8) == 8); /* adding 0 is fine, and not readable */
	CHECK_ERR(read(fd, &v, 8), EAGAIN);
	close(fd);
	CHECK_ERR(eventfd(0, 0x10), EINVAL);
}

static void test_semaphore(void)
{
	uint64_t v;
	int fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);

	CHECK(fd >= 0);
	CHECK(read(fd, &v, 8) == 8 && v == 1);
	CHECK(read(fd, &v, 8) == 8 && v == 1);
	CHECK_ERR(read(fd, &v, 8), EAGAIN);
	close(fd);
}

static void test_blocking(void)
{
	uint64_t v = 0;
	int fd = eventfd(0, 0), status;
	pid_t pid = fork();

	if (pid == 0) {
		for (int i = 0; i < 30; i++)
			sched_yield();
		v = 9;
		_exit(write(fd, &v, 8) == 8 ? 0 : 1);
	}
	CHECK(read(fd, &v, 8) == 8 && v == 9);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
}

static void test_epoll_edge(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u64 = 1 }, out[2];
	int fd = eventfd(0, EFD_NONBLOCK), ep = epoll_create1(0);
	uint64_t v = 1;

	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0);
	CHECK(epoll_wait(ep, out, 2, 0) == 0);
	CHECK(write(fd, &v, 8) == 8);
	CHECK(epoll_wait(ep, out, 2, 0) == 1 && out[0].events == EPOLLIN);
	CHECK(epoll_wait(ep, out, 2, 0) == 0);
	CHECK(write(fd, &v, 8) == 8); /* each write is an event */
	CHECK(epoll_wait(ep, out, 2, 0) == 1);
	close(fd);
	close(ep);
}

int main(void)
{
	test_counter();
	test_semaphore();
	test_blocking();
	test_epoll_edge();
	return check_done("test_eventfd");
}
