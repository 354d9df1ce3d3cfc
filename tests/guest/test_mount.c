/* mount(2) and umount2(2): tmpfs with options, proc and sysfs, the
 * MS_RDONLY/MS_NOEXEC/MS_NODEV flags and MS_REMOUNT, EBUSY while in use,
 * /proc/self/mounts and mountinfo, and the errors Linux gives. Under Linux
 * the test first moves into its own mount namespace (as root in the build
 * container), so the host's mounts are never touched; Rivet has one
 * namespace, and unshare fails there. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "slurp.h"

#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572

static char dir[64], path[128];

/* Is there a line in /proc/self/mounts for dir of this type? */
static bool mounted(const char *where, const char *type)
{
	char needle[160];

	snprintf(needle, sizeof(needle), " %s %s ", where, type);
	return slurp("/proc/self/mounts") > 0 && strstr(buf, needle) != NULL;
}

static const char *in_dir(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void setup(void)
{
	struct stat st;

	if (unshare(CLONE_NEWNS) == 0)
		CHECK(mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	if (stat("/proc/self", &st) != 0) {
		mkdir("/proc", 0555);
		CHECK(mount("proc", "/proc", "proc", 0, NULL) == 0);
	}
	strcpy(dir, "/tmp/mnt.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
}

static void test_tmpfs(void)
{
	struct statfs sf;
	struct stat st;
	int fd;

	CHECK(mount("scratch", dir, "tmpfs", 0, "mode=0700,size=1m") == 0);
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700);
	CHECK(statfs(dir, &sf) == 0 && sf.f_type == TMPFS_MAGIC);
	CHECK((unsigned long)sf.f_blocks * (unsigned long)sf.f_bsize == 1ul << 20);
	CHECK(mounted(dir, "tmpfs"));
	CHECK(slurp("/proc/self/mounts") > 0 && strstr(buf, "scratch ") != NULL);
	CHECK(slurp("/proc/self/mountinfo") > 0 && strstr(buf, dir) && strstr(buf, " - tmpfs scratch "));

	/* Busy while a file in it is open or it is a cwd. */
	fd = open(in_dir("file"), O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1);
	CHECK_ERR(umount2(dir, 0), EBUSY);
	close(fd);
	CHECK(chdir(dir) == 0);
	CHECK_ERR(umount(dir), EBUSY);
	CHECK(chdir("/") == 0);
	CHECK(umount(dir) == 0);
	CHECK(!mounted(dir, "tmpfs"));
	CHECK_ERR(stat(in_dir("file"), &st), ENOENT); /* it was in the tmpfs, now gone */
	CHECK_ERR(umount(dir), EINVAL);                /* no longer a mount point */
}

static void test_flags(void)
{
	struct statfs sf;
	int fd, status;
	pid_t pid;

	CHECK(mount("none", dir, "tmpfs", MS_RDONLY, NULL) == 0);
	CHECK(statfs(dir, &sf) == 0 && (sf.f_flags & ST_RDONLY));
	CHECK_ERR(open(in_dir("f"), O_CREAT | O_WRONLY, 0644), EROFS);
	CHECK_ERR(mkdir(in_dir("d"), 0755), EROFS);
	CHECK_ERR(chmod(dir, 0755), EROFS);
	CHECK(mount(NULL, dir, NULL, MS_REMOUNT, NULL) == 0);
	CHECK(statfs(dir, &sf) == 0 && !(sf.f_flags & ST_RDONLY));
	fd = open(in_dir("f"), O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK(umount(dir) == 0);

	/* nodev: device nodes there cannot be opened; noexec: nothing runs. */
	CHECK(mount("none", dir, "tmpfs", MS_NODEV | MS_NOEXEC | MS_NOSUID, NULL) == 0);
	CHECK(statfs(dir, &sf) == 0 && (sf.f_flags & (ST_NODEV | ST_NOEXEC | ST_NOSUID)) ==
					       (ST_NODEV | ST_NOEXEC | ST_NOSUID));
	CHECK(mknod(in_dir("null"), S_IFCHR | 0666, makedev(1, 3)) == 0);
	CHECK_ERR(open(in_dir("null"), O_RDWR), EACCES);
	{
		int in = open("/proc/self/exe", O_RDONLY), out = open(in_dir("prog"), O_CREAT | O_WRONLY, 0755);
		long n;
		CHECK(in >= 0 && out >= 0);
		while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
			CHECK(write(out, buf, (size_t)n) == n);
		close(in);
		close(out);
	}
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "prog", NULL };
		execve(in_dir("prog"), argv, argv + 1);
		_exit(errno == EACCES ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(slurp("/proc/self/mounts") > 0 && strstr(buf, "rw,nosuid,nodev,noexec"));
	CHECK(umount2(dir, 0) == 0);
}

static void test_other_types(void)
{
	struct statfs sf;
	struct stat st;

	CHECK(mount("proc", dir, "proc", 0, NULL) == 0);
	CHECK(statfs(dir, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC);
	CHECK(lstat(in_dir("self"), &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(mounted(dir, "proc"));
	CHECK(umount(dir) == 0);
	CHECK(mount("sysfs", dir, "sysfs", 0, NULL) == 0);
	CHECK(statfs(dir, &sf) == 0 && sf.f_type == SYSFS_MAGIC);
	CHECK(mounted(dir, "sysfs"));
	CHECK(umount2(dir, MNT_DETACH) == 0);
	CHECK(!mounted(dir, "sysfs"));
	/* A lazy umount of a busy tmpfs: detached at once, the open file still reads. */
	{
		char c = 0;
		int fd;
		CHECK(mount("none", dir, "tmpfs", 0, NULL) == 0);
		fd = open(in_dir("f"), O_CREAT | O_RDWR, 0644);
		CHECK(fd >= 0 && write(fd, "z", 1) == 1);
		CHECK_ERR(umount(dir), EBUSY);
		CHECK(umount2(dir, MNT_DETACH) == 0);
		CHECK(!mounted(dir, "tmpfs"));
		CHECK(pread(fd, &c, 1, 0) == 1 && c == 'z');
		close(fd);
	}
}

static void test_errors(void)
{
	int fd, status;
	pid_t pid;

	CHECK_ERR(mount("none", dir, "nosuchfs", 0, NULL), ENODEV);
	CHECK_ERR(mount("none", "/tmp/no/such/dir", "tmpfs", 0, NULL), ENOENT);
	CHECK_ERR(mount("none", dir, "tmpfs", 0, "bogus=1"), EINVAL);
	CHECK_ERR(mount("none", dir, g_low_addr, 0, NULL), EFAULT);
	CHECK_ERR(mount("none", dir, NULL, 0, NULL), EINVAL);
	CHECK_ERR(mount("none", dir, "", 0, NULL), ENODEV);
	CHECK_ERR(mount("none", g_low_addr, "tmpfs", 0, NULL), EFAULT);
	fd = open(in_dir("plain"), O_CREAT | O_WRONLY, 0644);
	close(fd);
	CHECK_ERR(mount("none", in_dir("plain"), "tmpfs", 0, NULL), ENOTDIR);
	unlink(in_dir("plain"));
	CHECK_ERR(umount2(dir, 0x100), EINVAL);
	CHECK_ERR(umount2(dir, MNT_EXPIRE | MNT_DETACH), EINVAL);
	CHECK_ERR(umount2(g_low_addr, 0), EFAULT);
	CHECK_ERR(umount("/tmp/no/such/dir"), ENOENT);
	/* Without privilege: EPERM before anything else is looked at. */
	pid = fork();
	if (pid == 0) {
		if (setuid(65534) != 0)
			_exit(2);
		_exit(mount("none", dir, "tmpfs", 0, NULL) == -1 && errno == EPERM &&
			      umount2(dir, 0) == -1 && errno == EPERM ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
	setup();
	test_tmpfs();
	test_flags();
	test_other_types();
	test_errors();
	rmdir(dir);
	return check_done("test_mount");
}
