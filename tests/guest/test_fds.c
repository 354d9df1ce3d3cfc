/* Descriptors: dup, dup3, fcntl (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD,
 * F_SETFD, F_GETFL, F_SETFL), O_CLOEXEC, shared and separate file
 * positions, RLIMIT_NOFILE and EMFILE, close, and their errors, as Linux
 * gives them. In a fresh mkdtemp directory, so it runs the same on Rivet
 * and on Linux (qemu-riscv64). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "scratch.h"

/* The lowest descriptor not open now. */
static int lowest_free(void)
{
	int fd = open("/", O_RDONLY);

	close(fd);
	return fd;
}

static void test_dup(void)
{
	int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644), low = lowest_free(), d, d2;
	char buf[8];

	d = dup(fd);
	CHECK(d == low);
	CHECK(write(fd, "abc", 3) == 3);
	CHECK(lseek(d, 0, SEEK_CUR) == 3); /* one open file, one position */
	CHECK(lseek(d, 1, SEEK_SET) == 1);
	CHECK(read(fd, buf, 2) == 2 && memcmp(buf, "bc", 2) == 0);
	CHECK_ERR(dup(99), EBADF);
	CHECK_ERR(dup(-1), EBADF);
	d2 = open("f", O_RDONLY); /* a second open: its own position */
	CHECK(read(d2, buf, 1) == 1 && buf[0] == 'a');
	CHECK(lseek(fd, 0, SEEK_CUR) == 3);
	CHECK(dup3(d2, d, 0) == d);
	CHECK(lseek(d, 0, SEEK_CUR) == 1); /* d is now d2's file */
	CHECK(fcntl(d, F_GETFD) == 0);
	CHECK(dup3(fd, d, O_CLOEXEC) == d);
	CHECK(fcntl(d, F_GETFD) == FD_CLOEXEC);
	CHECK(lseek(d, 0, SEEK_CUR) == 3);
	CHECK_ERR(dup3(fd, fd, 0), EINVAL);
	CHECK_ERR(dup3(fd, d, 0x1), EINVAL);
	CHECK_ERR(dup3(99, d, 0), EBADF);
	CHECK_ERR(dup3(fd, -1, 0), EBADF);
	CHECK_ERR(dup3(fd, 1 << 20, 0), EBADF);
	CHECK(dup2(fd, fd) == fd);
	CHECK_ERR(dup2(99, 99), EBADF);
	CHECK(close(d) == 0 && close(d2) == 0);
	CHECK_ERR(close(d), EBADF);
	CHECK_ERR(close(-1), EBADF);
	CHECK(close(fd) == 0);
}

static void test_fcntl(void)
{
	int fd = open("g", O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644), d;
	char buf[8] = { 0 };
	int fl;

	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(fd, F_SETFD, 0) == 0 && fcntl(fd, F_GETFD) == 0);
	CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
	d = fcntl(fd, F_DUPFD, 20);
	CHECK(d == 20 && fcntl(d, F_GETFD) == 0);
	CHECK(fcntl(fd, F_DUPFD, 20) == 21);
	close(21);
	d = fcntl(fd, F_DUPFD_CLOEXEC, 30);
	CHECK(d == 30 && fcntl(d, F_GETFD) == FD_CLOEXEC);
	close(30);
	close(20);
	fl = fcntl(fd, F_GETFL);
	CHECK((fl & O_ACCMODE) == O_WRONLY && !(fl & O_APPEND));
	CHECK(write(fd, "12345", 5) == 5);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(fcntl(fd, F_SETFL, fl | O_APPEND | O_RDWR) == 0);
	fl = fcntl(fd, F_GETFL);
	CHECK((fl & O_APPEND) && (fl & O_ACCMODE) == O_WRONLY); /* the access mode stays */
	CHECK(write(fd, "6", 1) == 1);
	CHECK(fcntl(fd, F_SETFL, fl & ~O_APPEND) == 0 && !(fcntl(fd, F_GETFL) & O_APPEND));
	CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK));
	close(fd);
	fd = open("g", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == 6 && strcmp(buf, "123456") == 0);
	CHECK_ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
	CHECK_ERR(fcntl(fd, F_DUPFD, 1 << 20), EINVAL);
	CHECK_ERR(fcntl(fd, 9999), EINVAL);
	CHECK_ERR(fcntl(99, F_GETFD), EBADF);
	CHECK_ERR(fcntl(99, F_DUPFD, 0), EBADF);
	close(fd);
}

static void test_limits(void)
{
	struct rlimit old, rl;
	int fds[16], n = 0, fd;

	CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
	rl = old;
	rl.rlim_cur = 10;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	while (n < 16 && (fd = open("/", O_RDONLY)) >= 0)
		fds[n++] = fd;
	CHECK(n < 16 && errno == EMFILE);
	CHECK(n == 10 - lowest_free() || fds[n - 1] == 9);
	CHECK_ERR(open("/", O_RDONLY), EMFILE);
	CHECK_ERR(dup(0), EMFILE);
	CHECK_ERR(open("nothere", O_CREAT | O_WRONLY, 0644), EMFILE);
	CHECK_ERR(access("nothere", F_OK), ENOENT); /* EMFILE came before creating */
	CHECK_ERR(fcntl(0, F_DUPFD, 10), EINVAL);
	CHECK_ERR(dup3(0, 10, 0), EBADF);
	while (n)
		close(fds[--n]);
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
}

static void test_std_fds(void)
{
	struct stat st;

	/* 0, 1 and 2 are the console (or what the harness gave). */
	CHECK(fstat(1, &st) == 0);
	CHECK(fcntl(1, F_GETFD) == 0);
	CHECK((fcntl(1, F_GETFL) & O_ACCMODE) != O_RDONLY);
}

int main(void)
{
	setup();
	test_dup();
	test_fcntl();
	test_limits();
	test_std_fds();
	teardown();
	return check_done("test_fds");
}
