/* Regular files: open/creat flags, read/write at the file position, lseek,
 * positioned and vectored I/O, O_APPEND, truncation, sparse files, modes,
 * owners, times, access checks, sync and statfs, and the errors of each,
 * as Linux gives them. Works in a fresh mkdtemp directory under /tmp, so it
 * runs the same on Rivet and on Linux (qemu-riscv64 on the host's /tmp). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "scratch.h"

static int put_file(const char *name, const char *text)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	ssize_t n = fd >= 0 ? write(fd, text, strlen(text)) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void test_create_read_write(void)
{
	char buf[64] = { 0 };
	struct stat st;
	int fd;

	fd = open("f", O_CREAT | O_WRONLY | O_EXCL, 0640);
	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0 && st.st_mode == (S_IFREG | 0640) && st.st_size == 0);
	CHECK(st.st_nlink == 1 && st.st_uid == geteuid() && st.st_gid == getegid());
	CHECK(st.st_blksize > 0);
	CHECK(write(fd, "hello world", 11) == 11);
	CHECK_ERR(read(fd, buf, 1), EBADF);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 11);
	CHECK(close(fd) == 0);
	CHECK_ERR(open("f", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
	CHECK_ERR(open("nothere", O_RDONLY), ENOENT);
	fd = open("f", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_ERR(write(fd, "x", 1), EBADF);
	CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(read(fd, buf, sizeof(buf)) == 6 && memcmp(buf, " world", 6) == 0);
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	CHECK(read(fd, buf, 0) == 0);
	CHECK(close(fd) == 0);
	fd = creat("c", 0600);
	CHECK(fd >= 0 && fcntl(fd, F_GETFL) >= 0 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY);
	close(fd);
}

static void test_lseek(void)
{
	char buf[16];
	int fd = open("s", O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(write(fd, "0123456789", 10) == 10);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10);
	CHECK(lseek(fd, 2, SEEK_SET) == 2);
	CHECK(read(fd, buf, 3) == 3 && memcmp(buf, "234", 3) == 0);
	CHECK(lseek(fd, -2, SEEK_CUR) == 3);
	CHECK(lseek(fd, -1, SEEK_END) == 9);
	CHECK(read(fd, buf, 16) == 1 && buf[0] == '9');
	CHECK_ERR(lseek(fd, -11, SEEK_END), EINVAL);
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, 0, 42), EINVAL);
	CHECK(lseek(fd, 0, SEEK_DATA) == 0);
	CHECK(lseek(fd, 0, SEEK_HOLE) == 10);
	CHECK_ERR(lseek(fd, 10, SEEK_DATA), ENXIO);
	/* Writing past the end leaves a hole that reads as zeros. */
	CHECK(lseek(fd, 20, SEEK_SET) == 20);
	CHECK(write(fd, "x", 1) == 1);
	CHECK(lseek(fd, 8, SEEK_SET) == 8);
	CHECK(read(fd, buf, 16) == 13);
	CHECK(memcmp(buf, "89\0\0\0\0\0\0\0\0\0\0x", 13) == 0);
	CHECK(close(fd) == 0);
	CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF);
}

static void test_append_trunc(void)
{
	char buf[32] = { 0 };
	struct stat st;
	int fd;

	CHECK(put_file("a", "abc") == 0);
	fd = open("a", O_WRONLY | O_APPEND);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(write(fd, "de", 2) == 2);
	CHECK(lseek(fd, 0, SEEK_CUR) == 5);
	CHECK(pwrite(fd, "f", 1, 0) == 1); /* Linux: O_APPEND wins over the offset */
	CHECK(close(fd) == 0);
	fd = open("a", O_RDONLY);
	CHECK(read(fd, buf, sizeof(buf)) == 6 && strcmp(buf, "abcdef") == 0);
	close(fd);
	fd = open("a", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0);
	close(fd);
}

static void test_positioned(void)
{
	char a[4] = "AAAA", b[6] = "BBBBBB", r1[5], r2[5];
	struct iovec wv[2] = { { a, 4 }, { b, 6 } }, rv[2] = { { r1, 5 }, { r2, 5 } };
	char buf[16];
	int fd = open("p", O_CREAT | O_RDWR | O_TRUNC, 0644), dfd;

	CHECK(writev(fd, wv, 2) == 10);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(readv(fd, rv, 2) == 10);
	CHECK(memcmp(r1, "AAAAB", 5) == 0 && memcmp(r2, "BBBBB", 5) == 0);
	CHECK(pwrite(fd, "xy", 2, 3) == 2);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10); /* untouched by pread/pwrite */
	CHECK(pread(fd, buf, 4, 2) == 4 && memcmp(buf, "AxyB", 4) == 0);
	CHECK(pread(fd, buf, 4, 100) == 0);
	CHECK_ERR(pread(fd, buf, 4, -1), EINVAL);
	CHECK_ERR(pwrite(fd, buf, 4, -1), EINVAL);
	CHECK(pwritev(fd, wv, 2, 10) == 10);
	CHECK(preadv(fd, rv, 2, 8) == 10);
	CHECK(memcmp(r1, "BBAAA", 5) == 0 && memcmp(r2, "ABBBB", 5) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10);
	CHECK_ERR(pread(99, buf, 1, 0), EBADF);
	close(fd);
	dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(pread(dfd, buf, 1, 0), EISDIR);
	CHECK_ERR(read(dfd, buf, 1), EISDIR);
	CHECK_ERR(write(dfd, buf, 1), EBADF);
	close(dfd);
}

static void test_truncate(void)
{
	char buf[8];
	struct stat st;
	int fd = open("t", O_CREAT | O_RDWR | O_TRUNC, 0644), ro;

	CHECK(write(fd, "12345678", 8) == 8);
	CHECK(ftruncate(fd, 4) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 4);
	CHECK(ftruncate(fd, 8) == 0);
	CHECK(pread(fd, buf, 8, 0) == 8 && memcmp(buf, "1234\0\0\0\0", 8) == 0);
	CHECK(truncate("t", 2) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 2);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK_ERR(truncate("t", -1), EINVAL);
	CHECK_ERR(truncate(".", 0), EISDIR);
	CHECK_ERR(truncate("nothere", 0), ENOENT);
	ro = open("t", O_RDONLY);
	CHECK_ERR(ftruncate(ro, 0), EINVAL);
	close(ro);
	ro = open(".", O_RDONLY);
	CHECK_ERR(ftruncate(ro, 0), EINVAL);
	close(ro);
	CHECK_ERR(ftruncate(99, 0), EBADF);
	close(fd);
}

static void test_sparse_and_big(void)
{
	static char big[200000], back[200000];
	char zeros[4096] = { 0 }, buf[4096];
	struct stat st;
	int fd = open("sparse", O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(pwrite(fd, "z", 1, 1 << 20) == 1);
	CHECK(fstat(fd, &st) == 0 && st.st_size == (1 << 20) + 1);
	CHECK(st.st_blocks > 0 && st.st_blocks * 512 < 64 * 1024); /* holes take no space */
	CHECK(pread(fd, buf, sizeof(buf), 4096) == sizeof(buf) && memcmp(buf, zeros, sizeof(buf)) == 0);
	close(fd);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 4001);
	fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(write(fd, big, sizeof(big)) == sizeof(big));
	CHECK(pread(fd, back, sizeof(back), 0) == sizeof(back));
	CHECK(memcmp(big, back, sizeof(big)) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_blocks * 512 >= (long)sizeof(big));
	close(fd);
}

static void test_modes_owners(void)
{
	struct stat st;
	int fd;

	CHECK(put_file("m", "m") == 0);
	CHECK(stat("m", &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK(chmod("m", 04751) == 0);
	CHECK(stat("m", &st) == 0 && st.st_mode == (S_IFREG | 04751));
	fd = open("m", O_RDONLY);
	CHECK(fchmod(fd, 0600) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_mode == (S_IFREG | 0600));
	CHECK_ERR(chmod("nothere", 0600), ENOENT);
	CHECK_ERR(fchmod(99, 0600), EBADF);
	if (geteuid() == 0) {
		CHECK(fchmod(fd, 06755) == 0);
		CHECK(fchown(fd, 1234, 5678) == 0);
		CHECK(fstat(fd, &st) == 0 && st.st_uid == 1234 && st.st_gid == 5678);
		CHECK(st.st_mode == (S_IFREG | 0755)); /* chown drops set-ID bits */
		CHECK(chown("m", -1, 42) == 0);
		CHECK(stat("m", &st) == 0 && st.st_uid == 1234 && st.st_gid == 42);
		CHECK(chown("m", 0, 0) == 0);
	}
	close(fd);
	CHECK(umask(077) == 022);
	CHECK(put_file("u", "") == 0);
	CHECK(stat("u", &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(umask(022) == 077);
}

static void test_access(void)
{
	CHECK(put_file("x", "") == 0);
	CHECK(chmod("x", 0644) == 0);
	CHECK(access("x", F_OK) == 0);
	CHECK(access("x", R_OK | W_OK) == 0);
	if (geteuid() == 0) {
		CHECK_ERR(access("x", X_OK), EACCES); /* root too needs an x bit */
		CHECK(chmod("x", 0100) == 0);
		CHECK(access("x", R_OK | W_OK | X_OK) == 0);
		CHECK(faccessat(AT_FDCWD, "x", X_OK, AT_EACCESS) == 0);
		CHECK(chmod("x", 0) == 0);
		CHECK(access("x", R_OK | W_OK) == 0);
		CHECK(access(".", X_OK) == 0);
	}
	CHECK_ERR(access("x", 8), EINVAL);
	CHECK_ERR(faccessat(AT_FDCWD, "x", F_OK, 0x8000), EINVAL);
	CHECK_ERR(access("nothere", F_OK), ENOENT);
	CHECK_ERR(access("x/", F_OK), ENOTDIR);
}

static bool ts_eq(struct timespec t, long sec, long nsec)
{
	return t.tv_sec == sec && t.tv_nsec == nsec;
}

static void test_times(void)
{
	struct timespec set[2] = { { 1000, 1 }, { 2000, 2 } }, t0, t1;
	struct stat st;
	int fd = open("tm", O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(futimens(fd, set) == 0);
	CHECK(fstat(fd, &st) == 0 && ts_eq(st.st_atim, 1000, 1) && ts_eq(st.st_mtim, 2000, 2));
	set[0].tv_nsec = UTIME_OMIT;
	set[1] = (struct timespec){ 3000, 3 };
	CHECK(utimensat(AT_FDCWD, "tm", set, 0) == 0);
	CHECK(stat("tm", &st) == 0 && ts_eq(st.st_atim, 1000, 1) && ts_eq(st.st_mtim, 3000, 3));
	CHECK(write(fd, "w", 1) == 1); /* a write moves mtime on */
	CHECK(fstat(fd, &st) == 0 && st.st_mtim.tv_sec != 3000);
	clock_gettime(CLOCK_REALTIME, &t0);
	CHECK(utimensat(AT_FDCWD, "tm", NULL, 0) == 0);
	clock_gettime(CLOCK_REALTIME, &t1);
	CHECK(stat("tm", &st) == 0);
	CHECK(st.st_mtim.tv_sec >= t0.tv_sec - 1 && st.st_mtim.tv_sec <= t1.tv_sec);
	CHECK(st.st_ctim.tv_sec >= t0.tv_sec - 1 && st.st_ctim.tv_sec <= t1.tv_sec);
	set[0] = (struct timespec){ 0, 1000000000 };
	CHECK_ERR(utimensat(AT_FDCWD, "tm", set, 0), EINVAL);
	set[0].tv_nsec = UTIME_OMIT;
	set[1].tv_nsec = UTIME_OMIT;
	CHECK(utimensat(AT_FDCWD, "nothere", set, 0) == 0); /* nothing to do, nothing looked up */
	set[1].tv_nsec = 0;
	CHECK_ERR(utimensat(AT_FDCWD, "nothere", set, 0), ENOENT);
	CHECK_ERR(utimensat(AT_FDCWD, "tm", set, 0x8000), EINVAL);
	CHECK_ERR(utimensat(AT_FDCWD, "tm", (struct timespec *)g_low_addr, 0), EFAULT);
	close(fd);
}

static void test_sync_statfs(void)
{
	struct statfs a, b;
	int fd = open("sy", O_CREAT | O_RDWR, 0644), dfd = open(".", O_RDONLY);

	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0 && fsync(dfd) == 0);
	sync();
	CHECK_ERR(fsync(99), EBADF);
	CHECK(statfs(".", &a) == 0 && fstatfs(fd, &b) == 0);
	CHECK(a.f_type == b.f_type && a.f_bsize > 0 && a.f_namelen == 255);
	CHECK(a.f_blocks >= a.f_bfree && a.f_bfree >= a.f_bavail && a.f_files >= a.f_ffree);
	CHECK_ERR(statfs("nothere", &a), ENOENT);
	CHECK_ERR(statfs(".", (struct statfs *)g_low_addr), EFAULT);
	CHECK_ERR(fstatfs(99, &a), EBADF);
	close(fd);
	close(dfd);
}

static void test_statx(void)
{
	struct statx x;

	CHECK(put_file("sx", "12345") == 0);
	CHECK(statx(AT_FDCWD, "sx", 0, STATX_BASIC_STATS, &x) == 0);
	CHECK((x.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	CHECK(x.stx_size == 5 && x.stx_mode == (S_IFREG | 0644) && x.stx_nlink == 1);
	CHECK_ERR(statx(AT_FDCWD, "sx", 0x8000000, STATX_BASIC_STATS, &x), EINVAL);
	CHECK_ERR(statx(AT_FDCWD, "sx", 0, 0x80000000u, &x), EINVAL);
	CHECK_ERR(statx(AT_FDCWD, "nothere", 0, STATX_BASIC_STATS, &x), ENOENT);
}

static void test_mknod(void)
{
	struct statvfs vfs;
	struct stat st;
	char buf[4];
	int fd;

	CHECK(mknod("r", S_IFREG | 0600, 0) == 0);
	CHECK(stat("r", &st) == 0 && st.st_mode == (S_IFREG | 0600));
	CHECK(mknod("r0", 0600, 0) == 0); /* no type: a regular file */
	CHECK(stat("r0", &st) == 0 && S_ISREG(st.st_mode));
	CHECK_ERR(mknod("r", S_IFREG | 0600, 0), EEXIST);
	CHECK_ERR(mknod("d", S_IFDIR | 0700, 0), EPERM);
	if (geteuid() != 0)
		return;
	CHECK(mknod("null", S_IFCHR | 0666, makedev(1, 3)) == 0);
	CHECK(stat("null", &st) == 0 && S_ISCHR(st.st_mode));
	CHECK(major(st.st_rdev) == 1 && minor(st.st_rdev) == 3);
	if (statvfs(".", &vfs) == 0 && !(vfs.f_flag & ST_NODEV)) {
		fd = open("null", O_RDWR);
		CHECK(fd >= 0 && write(fd, "abc", 3) == 3 && read(fd, buf, 4) == 0);
		close(fd);
	}
}

static void test_bad_input(void)
{
	char name[300], *longpath = malloc(5000);
	int fd = open("bad", O_CREAT | O_RDWR | O_TRUNC, 0644);
	struct stat st;

	CHECK(write(fd, "data", 4) == 4 && lseek(fd, 0, SEEK_SET) == 0);
	CHECK_ERR(write(fd, g_low_addr, 4), EFAULT);
	CHECK_ERR(read(fd, g_low_addr, 4), EFAULT);
	CHECK_ERR(open(g_low_addr, O_RDONLY), EFAULT);
	CHECK_ERR(stat("bad", (struct stat *)g_low_addr), EFAULT);
	CHECK_ERR(stat(g_kernel_addr, &st), EFAULT);
	close(fd);
	memset(name, 'n', 256);
	name[256] = '\0';
	CHECK_ERR(open(name, O_CREAT | O_RDWR, 0644), ENAMETOOLONG);
	CHECK_ERR(stat(name, &st), ENAMETOOLONG);
	name[255] = '\0';
	fd = open(name, O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK(unlink(name) == 0);
	memset(longpath, '/', 4999);
	longpath[4999] = '\0';
	CHECK_ERR(stat(longpath, &st), ENAMETOOLONG);
	longpath[4095] = '\0';
	CHECK(stat(longpath, &st) == 0 && S_ISDIR(st.st_mode));
	free(longpath);
	CHECK_ERR(open(".", O_WRONLY), EISDIR);
	CHECK_ERR(open(".", O_RDWR), EISDIR);
	CHECK_ERR(open("bad/x", O_RDONLY), ENOTDIR);
	CHECK_ERR(open("bad/", O_RDONLY), ENOTDIR);
	CHECK_ERR(open("bad", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(open("", O_RDONLY), ENOENT);
}

int main(void)
{
	setup();
	test_create_read_write();
	test_lseek();
	test_append_trunc();
	test_positioned();
	test_truncate();
	test_sparse_and_big();
	test_modes_owners();
	test_access();
	test_times();
	test_sync_statfs();
	test_statx();
	test_mknod();
	test_bad_input();
	teardown();
	return check_done("test_files");
}
