/* FIFOs (mkfifo on tmpfs): Linux's open rules (a reader waits for a
 * writer and a writer for a reader; O_NONBLOCK readers open at once,
 * O_NONBLOCK writers without a reader get ENXIO; O_RDWR never waits), data
 * through the name, EOF, no data kept once every end is closed. In a fresh
 * mkdtemp directory, so it runs the same on Rivet and on Linux. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static char g_dir[] = "/tmp/rivet.XXXXXX";
static char g_fifo[64];

static void test_make(void)
{
	struct stat st, fst;
	int fd;

	CHECK(mkfifo(g_fifo, 0644) == 0);
	CHECK(stat(g_fifo, &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0644);
	CHECK_ERR(mkfifo(g_fifo, 0644), EEXIST);
	CHECK((fd = open(g_fifo, O_RDWR)) >= 0); /* never waits */
	CHECK(fstat(fd, &fst) == 0 && S_ISFIFO(fst.st_mode) && fst.st_ino == st.st_ino);
	CHECK_ERR(lseek(fd, 0, SEEK_SET), ESPIPE);
	CHECK(write(fd, "abc", 3) == 3);
	char buf[8];
	CHECK(read(fd, buf, sizeof(buf)) == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK(write(fd, "left", 4) == 4);
	close(fd);
	/* Every end closed: the data went with the pipe. */
	CHECK((fd = open(g_fifo, O_RDWR | O_NONBLOCK)) >= 0);
	CHECK_ERR(read(fd, buf, sizeof(buf)), EAGAIN);
	close(fd);
}

static void test_nonblocking_opens(void)
{
	char buf[4];
	int r, w;

	CHECK_ERR(open(g_fifo, O_WRONLY | O_NONBLOCK), ENXIO);
	CHECK((r = open(g_fifo, O_RDONLY | O_NONBLOCK)) >= 0);
	CHECK(read(r, buf, sizeof(buf)) == 0); /* no writer: EOF, not EAGAIN */
	/* No writer has come yet: not a hang-up. */
	struct pollfd pf = { r, POLLIN, 0 };
	CHECK(poll(&pf, 1, 0) == 0 && pf.revents == 0);
	CHECK((w = open(g_fifo, O_WRONLY | O_NONBLOCK)) >= 0);
	CHECK_ERR(read(r, buf, sizeof(buf)), EAGAIN); /* a writer, no data */
	CHECK(write(w, "hi", 2) == 2);
	CHECK(read(r, buf, sizeof(buf)) == 2 && memcmp(buf, "hi", 2) == 0);
	close(w);
	CHECK(read(r, buf, sizeof(buf)) == 0);
	CHECK(poll(&pf, 1, 0) == 1 && pf.revents == POLLHUP); /* one came and went */
	close(r);
	CHECK_ERR(open(g_fifo, O_WRONLY | O_NONBLOCK), ENXIO);
}

/* A blocking reader opens first and waits; the writer's open releases it. */
static void test_blocking_opens(void)
{
	char buf[16];
	int fd, status;
	long n, total = 0;
	pid_t pid = fork();

	if (pid == 0) {
		for (int i = 0; i < 30; i++)
			sched_yield();
		int w = open(g_fifo, O_WRONLY);
		_exit(w >= 0 && write(w, "through", 7) == 7 ? 0 : 1);
	}
	CHECK((fd = open(g_fifo, O_RDONLY)) >= 0);
	while ((n = read(fd, buf + total, sizeof(buf) - total)) > 0)
		total += n;
	CHECK(n == 0 && total == 7 && memcmp(buf, "through", 7) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);

	/* And the other way round: the writer waits for a reader. */
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 30; i++)
			sched_yield();
		int r = open(g_fifo, O_RDONLY);
		_exit(r >= 0 && read(r, buf, sizeof(buf)) == 4 && memcmp(buf, "back", 4) == 0 ? 0 : 1);
	}
	CHECK((fd = open(g_fifo, O_WRONLY)) >= 0);
	CHECK(write(fd, "back", 4) == 4);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
}

int main(void)
{
	if (!mkdtemp(g_dir)) {
		printf("mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(g_fifo, sizeof(g_fifo), "%s/fifo", g_dir);
	test_make();
	test_nonblocking_opens();
	test_blocking_opens();
	CHECK(unlink(g_fifo) == 0);
	CHECK(rmdir(g_dir) == 0);
	return check_done("test_fifo");
}
