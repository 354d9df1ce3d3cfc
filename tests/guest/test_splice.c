/* sendfile and splice between regular files and pipes, vmsplice, tee: bytes, offsets
 * (the pointer's or the file position), EOF, not waiting once something
 * moved, and the errors Linux gives. In a fresh mkdtemp directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "check.h"

enum { LEN = 10000 };
static char g_dir[] = "/tmp/rivet.XXXXXX";
static char g_data[LEN];

static int make_file(const char *name, bool fill)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fill && fd >= 0 && write(fd, g_data, LEN) != LEN)
		return -1;
	if (fd >= 0)
		lseek(fd, 0, SEEK_SET);
	return fd;
}

static void test_sendfile(void)
{
	static char got[LEN];
	int in = make_file("in", true), out = make_file("out", false), p[2], wo;
	off_t off;

	CHECK(in >= 0 && out >= 0 && pipe(p) == 0);
	CHECK(sendfile(out, in, NULL, LEN + 100) == LEN);
	CHECK(lseek(in, 0, SEEK_CUR) == LEN && lseek(out, 0, SEEK_CUR) == LEN);
	CHECK(pread(out, got, LEN, 0) == LEN && memcmp(got, g_data, LEN) == 0);
	CHECK(sendfile(out, in, NULL, 10) == 0); /* at EOF */
	/* With an offset: it moves, the file position does not. */
	off = 100;
	CHECK(sendfile(p[1], in, &off, 50) == 50 && off == 150);
	CHECK(lseek(in, 0, SEEK_CUR) == LEN);
	CHECK(read(p[0], got, sizeof(got)) == 50 && memcmp(got, g_data + 100, 50) == 0);
	/* Into a pipe, more than one bounce at a time. */
	off = 0;
	CHECK(sendfile(p[1], in, &off, 9000) == 9000);
	long total = 0, n;
	while (total < 9000 && (n = read(p[0], got + total, sizeof(got) - total)) > 0)
		total += n;
	CHECK(total == 9000 && memcmp(got, g_data, 9000) == 0);
	CHECK(sendfile(out, in, &off, 0) == 0);
	/* Errors. */
	CHECK_ERR(sendfile(out, 200, NULL, 1), EBADF);
	CHECK_ERR(sendfile(200, in, NULL, 1), EBADF);
	wo = open("/dev/null", O_WRONLY);
	CHECK_ERR(sendfile(out, wo, NULL, 1), EBADF); /* in not readable */
	close(wo);
	off = -1;
	CHECK_ERR(sendfile(out, in, &off, 1), EINVAL);
	CHECK_ERR(sendfile(out, in, g_low_addr, 1), EFAULT);
	int app = make_file("app", false);
	CHECK(fcntl(app, F_SETFL, O_APPEND) == 0);
	off = 0;
	CHECK_ERR(sendfile(app, in, &off, 1), EINVAL);
	close(app);
	close(in);
	close(out);
	close(p[0]);
	close(p[1]);
}

static void test_splice(void)
{
	static char got[LEN];
	int f = make_file("in", true), g = make_file("out", false), p[2], q[2];
	loff_t off = 1000;

	CHECK(f >= 0 && g >= 0 && pipe(p) == 0 && pipe(q) == 0);
	/* File to pipe, at an offset. */
	CHECK(splice(f, &off, p[1], NULL, 3000, 0) == 3000 && off == 4000);
	CHECK(lseek(f, 0, SEEK_CUR) == 0);
	/* Pipe to pipe, then pipe to file at its position. */
	CHECK(splice(p[0], NULL, q[1], NULL, 5000, 0) == 3000); /* what was there */
	CHECK(splice(q[0], NULL, g, NULL, 5000, 0) == 3000);
	CHECK(lseek(g, 0, SEEK_CUR) == 3000);
	CHECK(pread(g, got, 3000, 0) == 3000 && memcmp(got, g_data + 1000, 3000) == 0);
	/* From the file position, which then moves. */
	CHECK(splice(f, NULL, p[1], NULL, 10, 0) == 10 && lseek(f, 0, SEEK_CUR) == 10);
	CHECK(read(p[0], got, 10) == 10 && memcmp(got, g_data, 10) == 0);
	/* Not waiting: an empty pipe with SPLICE_F_NONBLOCK; EOF once the writer is gone. */
	CHECK_ERR(splice(p[0], NULL, g, NULL, 10, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK(splice(f, NULL, p[1], NULL, 0, 0) == 0);
	/* Errors. */
	off = 0;
	CHECK_ERR(splice(p[0], &off, g, NULL, 10, 0), ESPIPE);
	CHECK_ERR(splice(f, NULL, p[1], &off, 10, 0), ESPIPE);
	CHECK_ERR(splice(f, NULL, g, NULL, 10, 0), EINVAL);
	CHECK_ERR(splice(p[0], NULL, p[1], NULL, 10, 0), EINVAL);
	CHECK_ERR(splice(200, NULL, p[1], NULL, 10, 0), EBADF);
	CHECK_ERR(splice(p[1], NULL, g, NULL, 10, 0), EBADF); /* the write end */
	CHECK_ERR(splice(f, NULL, p[1], NULL, 10, 0x100), EINVAL);
	CHECK_ERR(splice(f, g_low_addr, p[1], NULL, 10, 0), EFAULT);
	close(p[1]);
	CHECK(splice(p[0], NULL, g, NULL, 10, 0) == 0);
	close(p[0]);
	close(q[0]);
	close(q[1]);
	close(f);
	close(g);
}

static void test_vmsplice(void)
{
	char a[3], b[10];
	struct iovec out[2] = { { "abc", 3 }, { "de", 2 } }, in[2] = { { a, 3 }, { b, 10 } };
	int p[2], fd;

	CHECK(pipe(p) == 0);
	CHECK(vmsplice(p[1], out, 2, 0) == 5);
	CHECK(vmsplice(p[0], in, 2, 0) == 5);
	CHECK(memcmp(a, "abc", 3) == 0 && memcmp(b, "de", 2) == 0);
	CHECK_ERR(vmsplice(p[0], in, 2, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_ERR(vmsplice(p[1], out, 2, 0x100), EINVAL);
	CHECK_ERR(vmsplice(p[1], g_low_addr, 2, 0), EFAULT);
	CHECK((fd = open("/dev/null", O_RDWR)) >= 0);
	CHECK_ERR(vmsplice(fd, out, 2, 0), EBADF);
	close(fd);
	close(p[1]);
	CHECK(vmsplice(p[0], in, 2, 0) == 0); /* EOF */
	close(p[0]);
}

/* tee: the bytes are copied, and stay in the source pipe. */
static void test_tee(void)
{
	char buf[16];
	int a[2], b[2], fd = make_file("in", true);

	CHECK(pipe(a) == 0 && pipe(b) == 0);
	CHECK(write(a[1], "hello", 5) == 5);
	CHECK(tee(a[0], b[1], 100, 0) == 5);
	CHECK(tee(a[0], b[1], 2, 0) == 2);
	CHECK(read(b[0], buf, sizeof(buf)) == 7 && memcmp(buf, "hellohe", 7) == 0);
	CHECK(read(a[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK_ERR(tee(a[0], b[1], 10, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_ERR(tee(a[0], a[1], 10, 0), EINVAL);
	CHECK_ERR(tee(fd, b[1], 10, 0), EINVAL);
	CHECK_ERR(tee(a[1], b[1], 10, 0), EBADF);
	CHECK_ERR(tee(a[0], b[1], 10, 0x100), EINVAL);
	close(a[1]);
	CHECK(tee(a[0], b[1], 10, 0) == 0);
	close(a[0]);
	close(b[0]);
	close(b[1]);
	close(fd);
}

/* sendfile from a file whose text is made when read (/proc): Linux moves
 * the bytes; a kernel may also refuse with EINVAL (callers then read), but
 * it must never report an early end of file. */
static void test_sendfile_generated(void)
{
	int p[2], in;
	ssize_t n;

	if (access("/proc/self", F_OK) != 0) { /* started as init: nothing mounted yet */
		mkdir("/proc", 0555);
		CHECK(mount("proc", "/proc", "proc", 0, NULL) == 0);
	}
	in = open("/proc/self/status", O_RDONLY);
	CHECK(in >= 0 && pipe(p) == 0);
	n = sendfile(p[1], in, NULL, 4096);
	CHECK(n > 0 || (n == -1 && errno == EINVAL));
	close(in);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	char path[64];

	if (!mkdtemp(g_dir)) {
		printf("mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < LEN; i++)
		g_data[i] = (char)(i * 13 + i / 1000);
	test_sendfile();
	test_sendfile_generated();
	test_splice();
	test_vmsplice();
	test_tee();
	for (const char *const *n = (const char *const[]){ "in", "out", "app", NULL }; *n; n++) {
		snprintf(path, sizeof(path), "%s/%s", g_dir, *n);
		CHECK(unlink(path) == 0);
	}
	CHECK(rmdir(g_dir) == 0);
	return check_done("test_splice");
}
