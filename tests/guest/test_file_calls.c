/* The newer calls around file data and descriptors: copy_file_range,
 * preadv2/pwritev2 and their flags, the advice calls (fadvise64,
 * readahead, sync_file_range), close_range, and the old getrlimit and
 * setrlimit beside prlimit64. Raw syscalls, so glibc's fallbacks (it
 * emulates some of these when the kernel says ENOSYS) cannot hide a gap. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "check.h"
#include "scratch.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4
#endif

static char buf[8192];

static int make_file(const char *name, const char *text)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	return fd;
}

static long copy_range(int in, loff_t *off_in, int out, loff_t *off_out, size_t len, unsigned flags)
{
	return syscall(SYS_copy_file_range, in, off_in, out, off_out, len, flags);
}

static void test_copy_file_range(void)
{
	int in = make_file("src", "0123456789"), out = make_file("dst", "");
	loff_t off_in = 2, off_out = 0;
	int p[2];

	/* With offsets: the files' positions stay, the offsets advance. */
	CHECK(lseek(in, 0, SEEK_SET) == 0);
	CHECK(copy_range(in, &off_in, out, &off_out, 5, 0) == 5);
	CHECK(off_in == 7 && off_out == 5 && lseek(in, 0, SEEK_CUR) == 0);
	CHECK(pread(out, buf, sizeof(buf), 0) == 5 && memcmp(buf, "23456", 5) == 0);
	/* Without: the positions advance; a copy stops at the input's end. */
	CHECK(lseek(in, 8, SEEK_SET) == 8 && lseek(out, 5, SEEK_SET) == 5);
	CHECK(copy_range(in, NULL, out, NULL, 100, 0) == 2);
	CHECK(lseek(in, 0, SEEK_CUR) == 10 && lseek(out, 0, SEEK_CUR) == 7);
	CHECK(copy_range(in, NULL, out, NULL, 100, 0) == 0);
	CHECK(pread(out, buf, sizeof(buf), 0) == 7 && memcmp(buf, "2345689", 7) == 0);
	/* Errors. */
	off_in = 0;
	CHECK_ERR(copy_range(in, &off_in, out, NULL, 1, 1), EINVAL);
	CHECK_ERR(copy_range(-1, NULL, out, NULL, 1, 0), EBADF);
	CHECK_ERR(copy_range(in, NULL, 999, NULL, 1, 0), EBADF);
	CHECK_ERR(copy_range(in, g_low_addr, out, NULL, 1, 0), EFAULT);
	off_in = 0, off_out = 4;
	CHECK_ERR(copy_range(in, &off_in, in, &off_out, 6, 0), EINVAL); /* overlap */
	CHECK(copy_range(in, &off_in, in, &off_out, 4, 0) == 4);         /* adjacent: fine */
	int ro = open("src", O_RDONLY), ap = open("dst", O_WRONLY | O_APPEND);
	CHECK(ro >= 0 && ap >= 0);
	CHECK_ERR(copy_range(in, NULL, ro, NULL, 1, 0), EBADF);
	CHECK_ERR(copy_range(in, NULL, ap, NULL, 1, 0), EBADF);
	CHECK(pipe(p) == 0);
	CHECK_ERR(copy_range(in, NULL, p[1], NULL, 1, 0), EINVAL);
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(copy_range(dir, NULL, out, NULL, 1, 0), EISDIR);
	close(dir), close(p[0]), close(p[1]), close(ro), close(ap), close(in), close(out);
}

static long prwv2(bool write, int fd, struct iovec *v, int n, off_t off, int flags)
{
	return syscall(write ? SYS_pwritev2 : SYS_preadv2, fd, v, n, (long)off, 0L, flags);
}

static void test_rw2(void)
{
	int fd = make_file("rw2", "abcdef");
	char a[3], b[3];
	struct iovec v[2] = { { a, 3 }, { b, 3 } };

	/* qemu-riscv64 (7.2) does not emulate these two: nothing to hold
	 * Rivet to there. */
	if (!on_rivet() && prwv2(false, fd, v, 1, 0, 0) == -1 && errno == ENOSYS) {
		printf("preadv2/pwritev2: not emulated by qemu-riscv64, skipped\n");
		close(fd);
		return;
	}
	/* An offset: the position does not move. */
	CHECK(lseek(fd, 1, SEEK_SET) == 1);
	CHECK(prwv2(false, fd, v, 2, 0, 0) == 6 && memcmp(a, "abc", 3) == 0 && memcmp(b, "def", 3) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 1);
	/* -1: the file position, which moves. */
	CHECK(prwv2(false, fd, v, 1, -1, 0) == 3 && memcmp(a, "bcd", 3) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 4);
	memcpy(a, "XYZ", 3);
	CHECK(prwv2(true, fd, v, 1, -1, RWF_DSYNC) == 3 && lseek(fd, 0, SEEK_CUR) == 7);
	CHECK(prwv2(true, fd, v, 1, 0, RWF_SYNC | RWF_HIPRI) == 3);
	CHECK(pread(fd, buf, sizeof(buf), 0) == 7 && memcmp(buf, "XYZdXYZ", 7) == 0);
	/* Unknown flags; the usual descriptor and offset errors. */
	CHECK_ERR(prwv2(false, fd, v, 1, 0, 0x4000), EOPNOTSUPP);
	CHECK_ERR(prwv2(false, -1, v, 1, 0, 0), EBADF);
	CHECK_ERR(prwv2(false, fd, v, 1, -2, 0), EINVAL);
	CHECK_ERR(prwv2(false, fd, g_low_addr, 1, 0, 0), EFAULT);
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK_ERR(prwv2(true, p[1], v, 1, 0, 0), ESPIPE);
	CHECK(prwv2(true, p[1], v, 1, -1, 0) == 3 && read(p[0], buf, 3) == 3);
	close(p[0]), close(p[1]), close(fd);
}

static void test_advice(void)
{
	int fd = make_file("adv", "some data"), p[2];

	CHECK(syscall(SYS_fadvise64, fd, 0L, 0L, POSIX_FADV_SEQUENTIAL) == 0);
	CHECK(syscall(SYS_fadvise64, fd, 0L, 4096L, POSIX_FADV_DONTNEED) == 0);
	CHECK(pread(fd, buf, 9, 0) == 9 && memcmp(buf, "some data", 9) == 0);
	CHECK_ERR(syscall(SYS_fadvise64, fd, 0L, -1L, POSIX_FADV_NORMAL), EINVAL);
	CHECK_ERR(syscall(SYS_fadvise64, fd, 0L, 0L, 99), EINVAL);
	CHECK_ERR(syscall(SYS_fadvise64, -1, 0L, 0L, POSIX_FADV_NORMAL), EBADF);
	CHECK(pipe(p) == 0);
	CHECK_ERR(syscall(SYS_fadvise64, p[0], 0L, 0L, POSIX_FADV_NORMAL), ESPIPE);
	CHECK(syscall(SYS_readahead, fd, 0L, 4096L) == 0);
	CHECK_ERR(syscall(SYS_readahead, p[0], 0L, 4096L), EINVAL);
	CHECK_ERR(syscall(SYS_readahead, -1, 0L, 4096L), EBADF);
	CHECK(syscall(SYS_sync_file_range, fd, 0L, 0L, SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) == 0);
	CHECK(syscall(SYS_sync_file_range, fd, 0L, 4L, 0) == 0);
	CHECK_ERR(syscall(SYS_sync_file_range, fd, 0L, 0L, 8), EINVAL);
	CHECK_ERR(syscall(SYS_sync_file_range, fd, -1L, 0L, 0), EINVAL);
	CHECK_ERR(syscall(SYS_sync_file_range, p[1], 0L, 0L, SYNC_FILE_RANGE_WRITE), ESPIPE);
	CHECK_ERR(syscall(SYS_sync_file_range, -1, 0L, 0L, 0), EBADF);
	close(p[0]), close(p[1]), close(fd);
}

/* Four free descriptors in a row at or above 100: ranges stay inside
 * them, since the harness (or qemu-riscv64) may hold others. */
static int free_block(void)
{
	for (int b = 100; b < 1000; b += 8) {
		int used = 0;
		for (int i = 0; i < 4; i++)
			used += fcntl(b + i, F_GETFD) != -1;
		if (!used)
			return b;
	}
	return -1;
}

static void test_close_range(void)
{
	int base = open("/", O_RDONLY), b = free_block();

	CHECK(base >= 0 && b > 0);
	for (int i = 0; i < 4; i++)
		CHECK(dup2(base, b + i) == b + i);
	/* CLOEXEC marks, closes nothing. */
	CHECK(syscall(SYS_close_range, b, b + 1, CLOSE_RANGE_CLOEXEC) == 0);
	CHECK(fcntl(b, F_GETFD) == FD_CLOEXEC && fcntl(b + 1, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(b + 2, F_GETFD) == 0);
	/* Holes are skipped. */
	CHECK(close(b + 1) == 0);
	CHECK(syscall(SYS_close_range, b, b + 3, CLOSE_RANGE_UNSHARE) == 0);
	for (int i = 0; i < 4; i++)
		CHECK_ERR(fcntl(b + i, F_GETFD), EBADF);
	CHECK(fcntl(base, F_GETFD) == 0);
	/* A range past every descriptor there can be (only on Rivet: under
	 * qemu-riscv64 it would close the emulator's own). */
	if (on_rivet()) {
		CHECK(dup2(base, b) == b);
		CHECK(syscall(SYS_close_range, b, ~0U, 0) == 0);
		CHECK_ERR(fcntl(b, F_GETFD), EBADF);
	}
	CHECK_ERR(syscall(SYS_close_range, 5, 4, 0), EINVAL);
	CHECK_ERR(syscall(SYS_close_range, 0, 1, 1), EINVAL);
	close(base);
}

static void test_rlimit(void)
{
	struct rlimit old, now, r;

	CHECK(syscall(SYS_getrlimit, RLIMIT_NOFILE, &old) == 0);
	CHECK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &now) == 0);
	CHECK(old.rlim_cur == now.rlim_cur && old.rlim_max == now.rlim_max);
	r = (struct rlimit){ 32, old.rlim_max };
	CHECK(syscall(SYS_setrlimit, RLIMIT_NOFILE, &r) == 0);
	CHECK(syscall(SYS_getrlimit, RLIMIT_NOFILE, &now) == 0 && now.rlim_cur == 32);
	r = (struct rlimit){ old.rlim_max, 32 };
	CHECK_ERR(syscall(SYS_setrlimit, RLIMIT_NOFILE, &r), EINVAL); /* cur above max */
	CHECK_ERR(syscall(SYS_setrlimit, 999, &old), EINVAL);
	CHECK_ERR(syscall(SYS_getrlimit, 999, &now), EINVAL);
	CHECK_ERR(syscall(SYS_getrlimit, RLIMIT_NOFILE, g_low_addr), EFAULT);
	CHECK_ERR(syscall(SYS_setrlimit, RLIMIT_NOFILE, g_low_addr), EFAULT);
	CHECK(syscall(SYS_setrlimit, RLIMIT_NOFILE, &old) == 0);
}

int main(void)
{
	setup();
	test_copy_file_range();
	test_rw2();
	test_advice();
	test_close_range();
	test_rlimit();
	teardown();
	return check_done("test_file_calls");
}
