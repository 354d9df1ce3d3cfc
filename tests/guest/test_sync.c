/* sync, syncfs, fsync and fdatasync: what each accepts and refuses, as
 * Linux: regular files and directories sync, pipes and character devices
 * give EINVAL to fsync (syncfs takes any descriptor), bad descriptors EBADF,
 * and data written stays readable after the sync. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

static void test_file(void)
{
	char path[] = "/tmp/syncXXXXXX", buf[6] = { 0 };
	int fd = mkstemp(path), dfd = open("/tmp", O_RDONLY | O_DIRECTORY);

	CHECK(fd >= 0 && dfd >= 0);
	CHECK(write(fd, "synced", 6) == 6);
	CHECK(fsync(fd) == 0);
	CHECK(fdatasync(fd) == 0);
	CHECK(syncfs(fd) == 0);
	CHECK(fsync(dfd) == 0);
	CHECK(pread(fd, buf, 6, 0) == 6 && memcmp(buf, "synced", 6) == 0);
	unlink(path);
	close(fd);
	close(dfd);
}

static void test_refused(void)
{
	int p[2], null = open("/dev/null", O_RDWR);

	CHECK(pipe(p) == 0);
	CHECK_ERR(fsync(p[0]), EINVAL);
	CHECK_ERR(fdatasync(p[1]), EINVAL);
	CHECK(syncfs(p[0]) == 0);
	CHECK(null >= 0);
	CHECK_ERR(fsync(null), EINVAL);
	CHECK_ERR(fsync(-1), EBADF);
	CHECK_ERR(fsync(999), EBADF);
	CHECK_ERR(syncfs(-1), EBADF);
	CHECK_ERR(fdatasync(12345), EBADF);
	close(p[0]);
	close(p[1]);
	close(null);
}

int main(void)
{
	sync();
	test_file();
	test_refused();
	sync();
	return check_done("test_sync");
}
