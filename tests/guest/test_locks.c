/* Advisory locks: fcntl record locks (POSIX and OFD) and flock, between a
 * parent and its child, as Linux answers them. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define PATH "/tmp/test_locks.dat"

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &fl);
}

/* Runs fn in a child and returns its exit status (255: did not exit). */
static int in_child(int (*fn)(int), int arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 255;
	return WEXITSTATUS(status);
}

static int child_try_write_lock(int off)
{
	int fd = open(PATH, O_RDWR);
	return setlk(fd, F_SETLK, F_WRLCK, off, 10) == 0 ? 0 : errno;
}

static int child_getlk(int parent)
{
	int fd = open(PATH, O_RDWR);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };

	if (fcntl(fd, F_GETLK, &fl) != 0)
		return 1;
	return fl.l_type == F_RDLCK && fl.l_pid == parent && fl.l_start == 0 && fl.l_len == 100 ? 0 : 2;
}

static void test_posix_conflicts(void)
{
	int fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0644), fd2;

	CHECK(fd >= 0);
	CHECK(setlk(fd, F_SETLK, F_RDLCK, 0, 100) == 0);
	CHECK(in_child(child_try_write_lock, 50) == EAGAIN);
	CHECK(in_child(child_try_write_lock, 100) == 0); /* past the range */
	CHECK(in_child(child_getlk, getpid()) == 0);
	/* The owner's own locks never conflict: upgrade in place. */
	CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 100) == 0);
	/* Unlock the middle: the lock splits, the hole is free. */
	CHECK(setlk(fd, F_SETLK, F_UNLCK, 40, 20) == 0);
	CHECK(in_child(child_try_write_lock, 45) == 0);
	CHECK(in_child(child_try_write_lock, 35) == EAGAIN);
	/* Closing any descriptor of the file drops the process's locks. */
	fd2 = open(PATH, O_RDONLY);
	CHECK(close(fd2) == 0);
	CHECK(in_child(child_try_write_lock, 0) == 0);
	close(fd);
}

static void test_posix_arguments(void)
{
	int ro = open(PATH, O_RDONLY), fd = open(PATH, O_RDWR);
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = -1, .l_len = 1 };

	CHECK_ERR(setlk(ro, F_SETLK, F_WRLCK, 0, 1), EBADF);
	CHECK_ERR(setlk(fd, F_SETLK, 7, 0, 1), EINVAL);
	CHECK_ERR(fcntl(fd, F_SETLK, &fl), EINVAL);
	fl.l_whence = 9;
	fl.l_start = 0;
	CHECK_ERR(fcntl(fd, F_SETLK, &fl), EINVAL);
	CHECK_ERR(fcntl(fd, F_SETLK, g_low_addr), EFAULT);
	CHECK_ERR(setlk(99, F_SETLK, F_RDLCK, 0, 1), EBADF);
	/* A negative length locks the bytes before l_start. */
	CHECK(setlk(fd, F_SETLK, F_WRLCK, 10, -5) == 0);
	CHECK(in_child(child_try_write_lock, 0) == EAGAIN); /* [5, 9] overlaps [0, 9] */
	CHECK(setlk(fd, F_SETLK, F_UNLCK, 0, 0) == 0);
	close(ro);
	close(fd);
}

static int child_wait_for_lock(int unused)
{
	int fd = open(PATH, O_RDWR);
	(void)unused;
	return setlk(fd, F_SETLKW, F_WRLCK, 0, 1) == 0 ? 0 : errno;
}

static void test_setlkw_waits(void)
{
	int fd = open(PATH, O_RDWR), status;
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	pid_t pid;

	CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 1) == 0);
	pid = fork();
	if (pid == 0)
		_exit(child_wait_for_lock(0));
	nanosleep(&pause, NULL);
	CHECK(waitpid(pid, &status, WNOHANG) == 0); /* still blocked */
	CHECK(setlk(fd, F_SETLK, F_UNLCK, 0, 1) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
}

static void test_deadlock_detected(void)
{
	int fd = open(PATH, O_RDWR), sync[2], status;
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	char c;
	pid_t pid;

	CHECK(pipe(sync) == 0);
	CHECK(setlk(fd, F_SETLK, F_WRLCK, 0, 1) == 0); /* we hold byte 0 */
	pid = fork();
	if (pid == 0) {
		int cfd = open(PATH, O_RDWR);
		if (setlk(cfd, F_SETLK, F_WRLCK, 1, 1) != 0) /* the child holds byte 1 */
			_exit(1);
		if (write(sync[1], "x", 1) != 1)
			_exit(1);
		_exit(setlk(cfd, F_SETLKW, F_WRLCK, 0, 1) == 0 ? 0 : 2); /* waits for us */
	}
	CHECK(read(sync[0], &c, 1) == 1);
	nanosleep(&pause, NULL); /* let the child block */
	CHECK_ERR(setlk(fd, F_SETLKW, F_WRLCK, 1, 1), EDEADLK);
	CHECK(setlk(fd, F_SETLK, F_UNLCK, 0, 1) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(sync[0]);
	close(sync[1]);
	close(fd);
}

static void test_ofd_and_flock(void)
{
	int a = open(PATH, O_RDWR), b = open(PATH, O_RDWR);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };

	/* OFD locks belong to the open file: two opens conflict in one process. */
	CHECK(fcntl(a, F_OFD_SETLK, &fl) == 0);
	CHECK_ERR(fcntl(b, F_OFD_SETLK, &fl), EAGAIN);
	CHECK(fcntl(b, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_WRLCK && fl.l_pid == -1);
	fl.l_pid = 1;
	CHECK_ERR(fcntl(b, F_OFD_SETLK, &fl), EINVAL);
	close(a); /* the last reference: the OFD lock goes */
	fl.l_pid = 0;
	fl.l_type = F_WRLCK;
	CHECK(fcntl(b, F_OFD_SETLK, &fl) == 0);
	close(b);

	a = open(PATH, O_RDWR);
	b = open(PATH, O_RDWR);
	CHECK(flock(a, LOCK_EX) == 0);
	CHECK_ERR(flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	CHECK(flock(a, LOCK_SH) == 0); /* convert */
	CHECK(flock(b, LOCK_SH | LOCK_NB) == 0);
	CHECK_ERR(flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK(flock(b, LOCK_UN) == 0);
	CHECK(flock(a, LOCK_EX | LOCK_NB) == 0);
	CHECK_ERR(flock(a, 0), EINVAL);
	CHECK_ERR(flock(77, LOCK_SH), EBADF);
	/* flock and POSIX locks do not see each other (Linux). */
	CHECK(setlk(b, F_SETLK, F_WRLCK, 0, 0) == 0);
	close(a);
	close(b);
}

int main(void)
{
	test_posix_conflicts();
	test_posix_arguments();
	test_setlkw_waits();
	test_deadlock_detected();
	test_ofd_and_flock();
	unlink(PATH);
	return check_done("test_locks");
}
