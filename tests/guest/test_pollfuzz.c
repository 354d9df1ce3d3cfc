/* Random pipe, epoll, eventfd, poll and splice calls on a small set of
 * descriptors, with random (often bad) arguments: whatever comes back,
 * each round must end normally or by SIGPIPE (a write without a reader),
 * and the kernel must still answer afterwards. Everything is non-blocking,
 * and the seed is fixed, so a run repeats exactly. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

enum { ROUNDS = 40, STEPS = 400, NFD = 24 };

static uint64_t g_rng;

static uint64_t rnd(uint64_t n)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return n ? g_rng % n : g_rng;
}

/* Mostly our descriptors, sometimes junk; never stdin, stdout, stderr. */
static int any_fd(void)
{
	if (rnd(10))
		return (int)(3 + rnd(NFD));
	return rnd(2) ? -1 - (int)rnd(10) : 100 + (int)rnd(900);
}

static void *any_ptr(void *good)
{
	static void *const bad[] = { NULL, (void *)16, (void *)0xffffffc000000000ul, (void *)-1l };

	return rnd(8) ? good : bad[rnd(4)];
}

static void step(void)
{
	static char buf[70000];
	struct epoll_event ev = { .events = (uint32_t)rnd(0), .data.u64 = rnd(0) }, out[8];
	struct pollfd pf[4];
	int p[2];

	switch (rnd(12)) {
	case 0:
		if (pipe2(p, O_NONBLOCK | (rnd(2) ? O_CLOEXEC : 0)) == 0 && rnd(8) == 0)
			close(p[rnd(2)]);
		break;
	case 1:
		if (rnd(4) == 0) /* rarely: a closed read end ends the round by SIGPIPE */
			close(any_fd());
		break;
	case 2:
		(void)!write(any_fd(), any_ptr(buf), rnd(sizeof(buf)));
		break;
	case 3:
		(void)!read(any_fd(), any_ptr(buf), rnd(sizeof(buf)));
		break;
	case 4:
		for (int i = 0; i < 4; i++)
			pf[i] = (struct pollfd){ any_fd(), (short)rnd(0), 0 };
		poll(any_ptr(pf), rnd(5), 0);
		break;
	case 5:
		if (rnd(3) == 0)
			epoll_create1(rnd(4) ? 0 : (int)rnd(0));
		else
			epoll_ctl(any_fd(), (int)rnd(5), any_fd(), any_ptr(&ev));
		break;
	case 6:
		epoll_wait(any_fd(), any_ptr(out), (int)rnd(10) - 1, 0);
		break;
	case 7:
		eventfd((unsigned)rnd(0), EFD_NONBLOCK | (rnd(2) ? EFD_SEMAPHORE : 0));
		break;
	case 8:
		fcntl(any_fd(), rnd(2) ? F_SETPIPE_SZ : F_GETPIPE_SZ, rnd(300000));
		break;
	case 9:
		splice(any_fd(), NULL, any_fd(), NULL, rnd(100000), SPLICE_F_NONBLOCK);
		break;
	case 10: {
		fd_set r, w;
		struct timeval tv = { 0, 0 };
		FD_ZERO(&r);
		FD_ZERO(&w);
		for (int i = 0; i < 4; i++) {
			int fd = (int)(3 + rnd(NFD));
			FD_SET(fd, rnd(2) ? &r : &w);
		}
		select(3 + NFD, any_ptr(&r), any_ptr(&w), NULL, &tv);
		break;
	}
	default:
		dup2(any_fd(), (int)(3 + rnd(NFD)));
		break;
	}
}

int main(void)
{
	int normal = 0, sigpipe = 0, other = 0;

	/* Descriptors 3.. are the test's to wreck: not the ones a shell or a
	 * CI container handed down (busybox sh keeps its terminal on 10). */
	for (int fd = 3; fd < 3 + NFD + 1000; fd++)
		close(fd);
	for (int round = 0; round < ROUNDS; round++) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			g_rng = 0x9e3779b97f4a7c15ull * (uint64_t)(round + 1);
			for (int i = 0; i < STEPS; i++)
				step();
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			other++;
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			normal++;
		else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE)
			sigpipe++;
		else
			other++;
	}
	printf("test_pollfuzz: %d rounds ended normally, %d by SIGPIPE\n", normal, sigpipe);
	CHECK(other == 0);
	CHECK(normal + sigpipe == ROUNDS);
	/* The kernel still does the ordinary thing. */
	int p[2];
	char c;
	CHECK(pipe(p) == 0 && write(p[1], "k", 1) == 1 && read(p[0], &c, 1) == 1 && c == 'k');
	return check_done("test_pollfuzz");
}
