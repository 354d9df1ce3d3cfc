/* /dev and the other directories the root must have: the character devices
 * (numbers, modes, and how null, zero, full, random and urandom read, write
 * and seek), as on Linux, and /tmp. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "check.h"

static bool chrdev(const char *path, unsigned maj, unsigned min, unsigned mode)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
		return false;
	return major(st.st_rdev) == maj && minor(st.st_rdev) == min &&
	       (mode == 0 || (st.st_mode & 07777) == mode);
}

static void test_nodes(void)
{
	struct stat st;

	CHECK(stat("/dev", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(chrdev("/dev/null", 1, 3, 0666));
	CHECK(chrdev("/dev/zero", 1, 5, 0666));
	CHECK(chrdev("/dev/full", 1, 7, 0666));
	CHECK(chrdev("/dev/random", 1, 8, 0666));
	CHECK(chrdev("/dev/urandom", 1, 9, 0666));
	CHECK(chrdev("/dev/tty", 5, 0, 0666));
	CHECK(chrdev("/dev/console", 5, 1, 0));
	CHECK(stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777);
}

static void test_listing(void)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	int seen = 0;

	while (d && (e = readdir(d)))
		if (!strcmp(e->d_name, "null") || !strcmp(e->d_name, "zero") ||
		    !strcmp(e->d_name, "urandom"))
			seen += e->d_type == DT_CHR;
	if (d)
		closedir(d);
	CHECK(seen == 3);
}

static void test_null(void)
{
	char buf[8];
	struct stat st;
	int fd = open("/dev/null", O_RDWR);

	CHECK(fd >= 0);
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	CHECK(write(fd, "abc", 3) == 3);
	CHECK(lseek(fd, 100, SEEK_SET) == 0);
	CHECK(pread(fd, buf, sizeof(buf), 5) == 0);
	CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3));
	CHECK(close(fd) == 0);
	fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644); /* exists: just opens */
	CHECK(fd >= 0);
	close(fd);
}

static void test_zero_full(void)
{
	char buf[300];
	int fd = open("/dev/zero", O_RDWR), full;

	memset(buf, 0xff, sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf));
	CHECK(buf[0] == 0 && buf[299] == 0);
	memset(buf, 0xff, sizeof(buf));
	CHECK(pread(fd, buf, 10, 1000) == 10 && buf[9] == 0 && buf[10] == (char)0xff);
	CHECK(write(fd, buf, 10) == 10);
	CHECK(lseek(fd, 123, SEEK_SET) == 0);
	CHECK_ERR(read(fd, g_low_addr, 4), EFAULT);
	close(fd);
	full = open("/dev/full", O_RDWR);
	CHECK_ERR(write(full, "x", 1), ENOSPC);
	memset(buf, 0xff, sizeof(buf));
	CHECK(read(full, buf, 4) == 4 && buf[0] == 0 && buf[3] == 0);
	CHECK(lseek(full, 9, SEEK_SET) == 0);
	close(full);
}

static void test_random(void)
{
	unsigned char a[64] = { 0 }, b[64] = { 0 }, zero[64] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY), r = open("/dev/random", O_RDONLY);

	CHECK(read(fd, a, sizeof(a)) == sizeof(a));
	CHECK(read(fd, b, sizeof(b)) == sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) != 0 && memcmp(a, zero, sizeof(a)) != 0);
	CHECK(read(r, a, 16) == 16);
	CHECK(lseek(fd, 0, SEEK_CUR) == 0);
	close(fd);
	close(r);
}

int main(void)
{
	test_nodes();
	test_listing();
	test_null();
	test_zero_full();
	test_random();
	return check_done("test_devfs");
}
