/* Descriptor exhaustion against Linux: with RLIMIT_NOFILE at LIMIT, open,
 * pipe, dup and socket-less calls that need a descriptor give EMFILE once
 * descriptors 0..LIMIT-1 are taken; fcntl(F_DUPFD) at or past the limit
 * gives EINVAL and dup2 to it EBADF; lowering the limit keeps open
 * descriptors above it; closing one makes it usable again. Then every
 * process of a group of children does the same at once (many thousands of
 * files in the kernel), and all of it goes when they exit. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define LIMIT 64
#define CHILDREN 16

/* Fills the table: returns the highest descriptor opened. */
static int fill(void)
{
	int fd, last = -1;

	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd;
	return last;
}

static void test_limit(void)
{
	struct rlimit old, rl;
	int p[2];

	/* Soft limits only: a container's root may lack CAP_SYS_RESOURCE
	 * and could not raise a hard limit again. */
	CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
	rl = (struct rlimit){ LIMIT, old.rlim_max };
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	errno = 0;
	CHECK(fill() == LIMIT - 1);
	CHECK(errno == EMFILE);
	CHECK_ERR(open("/dev/null", O_RDONLY), EMFILE);
	CHECK_ERR(pipe(p), EMFILE);
	CHECK_ERR(dup(0), EMFILE);
	CHECK_ERR(eventfd(0, 0), EMFILE);
	CHECK_ERR(epoll_create1(0), EMFILE);
	CHECK_ERR(fcntl(3, F_DUPFD, LIMIT), EINVAL);
	CHECK_ERR(dup2(3, LIMIT), EBADF);
	CHECK(close(LIMIT - 1) == 0);
	CHECK(open("/dev/null", O_RDONLY) == LIMIT - 1);
	/* A lower limit leaves what is open alone. */
	struct rlimit low = { 16, old.rlim_max };
	CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0);
	CHECK(fcntl(LIMIT - 1, F_GETFD) == 0);
	CHECK_ERR(dup(0), EMFILE);
	for (int fd = 3; fd < LIMIT; fd++)
		close(fd);
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
}

/* CHILDREN processes fill their tables at once, with pipes (two files and
 * a buffer each) as well as plain files, and exit holding them. */
static void test_many(void)
{
	int ok = 0, status;

	for (int i = 0; i < CHILDREN; i++) {
		if (fork() == 0) {
			struct rlimit rl;
			int p[2], n = 0;
			if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_max < LIMIT * 4)
				_exit(3);
			rl.rlim_cur = LIMIT * 4;
			if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
				_exit(3);
			errno = 0;
			while (pipe(p) == 0 && write(p[1], "x", 1) == 1)
				n += 2;
			if (errno != EMFILE)
				_exit(4);
			_exit(n >= LIMIT * 4 - 8 ? 0 : 5);
		}
	}
	for (int i = 0; i < CHILDREN; i++)
		ok += wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	CHECK(ok == CHILDREN);
}

int main(void)
{
	/* Start from a table with only 0, 1 and 2 (a CI container may hand
	 * us more). */
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	test_limit();
	test_many();
	return check_done("test_fd_limits");
}
