/* Links: symlinks (readlink, lstat, following in the middle and at the end,
 * trailing '/', dangling targets created by O_CREAT, loops and the limit of
 * 40), hard links (shared inode and data, link counts), O_PATH descriptors,
 * AT_SYMLINK_NOFOLLOW / AT_SYMLINK_FOLLOW / AT_EMPTY_PATH, and the errors,
 * as Linux gives them. In a fresh mkdtemp directory, so it runs the same on
 * Rivet and on Linux (qemu-riscv64). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"
#include "scratch.h"

static int put(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static const char *get(const char *path)
{
	static char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static ino_t ino(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static ino_t lino(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_ino : 0;
}

static void test_symlink_basics(void)
{
	char buf[64];
	struct stat st;

	CHECK(put("target", "data") == 0);
	CHECK(symlink("target", "link") == 0);
	CHECK(readlink("link", buf, sizeof(buf)) == 6 && memcmp(buf, "target", 6) == 0);
	CHECK(readlink("link", buf, 3) == 3 && memcmp(buf, "tar", 3) == 0);
	CHECK(lstat("link", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 6);
	CHECK((st.st_mode & 0777) == 0777);
	CHECK(stat("link", &st) == 0 && S_ISREG(st.st_mode) && st.st_ino == ino("target"));
	CHECK(strcmp(get("link"), "data") == 0);
	CHECK_ERR(readlink("target", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(readlink("nothere", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(syscall(SYS_readlinkat, AT_FDCWD, "link", buf, 0), EINVAL);
	CHECK_ERR(readlink("link", g_low_addr, sizeof(buf)), EFAULT);
	CHECK_ERR(readlinkat(AT_FDCWD, "", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(symlink("x", "link"), EEXIST);
	CHECK_ERR(symlink("x", "target"), EEXIST);
	CHECK_ERR(symlink("", "empty"), ENOENT);
	CHECK_ERR(symlink("x", "newlink/"), ENOENT);
	CHECK_ERR(symlink("x", "nodir/l"), ENOENT);
	CHECK_ERR(symlink(g_low_addr, "l"), EFAULT);
}

static void test_dangling(void)
{
	struct stat st;
	int fd;

	CHECK(symlink("made-later", "dang") == 0);
	CHECK_ERR(stat("dang", &st), ENOENT);
	CHECK(lstat("dang", &st) == 0 && S_ISLNK(st.st_mode));
	CHECK_ERR(open("dang", O_RDONLY), ENOENT);
	CHECK_ERR(open("dang", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	CHECK_ERR(open("dang", O_CREAT | O_NOFOLLOW | O_WRONLY, 0644), ELOOP);
	fd = open("dang", O_CREAT | O_WRONLY, 0600); /* creates the target */
	CHECK(fd >= 0);
	close(fd);
	CHECK(stat("made-later", &st) == 0 && st.st_mode == (S_IFREG | 0600));
	CHECK(ino("dang") == ino("made-later"));
	CHECK_ERR(mkdir("dang", 0755), EEXIST);
	CHECK_ERR(open("link", O_RDONLY | O_NOFOLLOW), ELOOP);
}

static void test_dirs_through_links(void)
{
	struct stat st;

	CHECK(mkdir("d", 0755) == 0 && put("d/f", "f") == 0 && mkdir("d/sub", 0755) == 0);
	CHECK(symlink("d", "dl") == 0);
	CHECK(symlink("../f2", "d/up") == 0); /* relative to the link's directory */
	CHECK(put("f2", "two") == 0);
	CHECK(strcmp(get("d/up"), "two") == 0);
	CHECK(strcmp(get("dl/f"), "f") == 0);
	CHECK(ino("dl/sub/..") == ino("d")); /* ".." of where the walk really is */
	CHECK(lstat("dl/", &st) == 0 && S_ISDIR(st.st_mode)); /* a trailing / follows */
	CHECK(lstat("dl", &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(symlink("f2", "fl") == 0);
	CHECK_ERR(lstat("fl/", &st), ENOTDIR);
	CHECK_ERR(unlink("dl/"), ENOTDIR);
	CHECK_ERR(rmdir("dl"), ENOTDIR);
	CHECK_ERR(rmdir("dl/"), ENOTDIR);
	CHECK(symlink("/", "rootl") == 0);
	CHECK(ino("rootl") == ino("/"));
	CHECK(ino("rootl/tmp") == ino("/tmp"));
	{
		char abs[128];
		snprintf(abs, sizeof(abs), "%s/d", g_dir);
		CHECK(symlink(abs, "absl") == 0);
		CHECK(ino("absl/f") == ino("d/f"));
	}
	CHECK(unlink("dl") == 0 && ino("d/f") != 0); /* removes the link only */
}

static void test_loops(void)
{
	char name[16], target[16];
	struct stat st;

	CHECK(symlink("self", "self") == 0);
	CHECK_ERR(stat("self", &st), ELOOP);
	CHECK_ERR(open("self", O_RDONLY), ELOOP);
	CHECK_ERR(stat("self/x", &st), ELOOP);
	CHECK(lstat("self", &st) == 0);
	CHECK(symlink("pong", "ping") == 0 && symlink("ping", "pong") == 0);
	CHECK_ERR(stat("ping", &st), ELOOP);
	/* c0 -> c1 -> ... -> c40 -> target: 41 links is one more than Linux follows. */
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), i == 40 ? "target" : "c%d", i + 1);
		CHECK(symlink(target, name) == 0);
	}
	CHECK_ERR(stat("c0", &st), ELOOP);
	CHECK(stat("c1", &st) == 0 && st.st_ino == ino("target"));
}

static void test_long_targets(void)
{
	char *t = malloc(5000), buf[4200];

	memset(t, 'a', 4999);
	t[4999] = '\0';
	CHECK_ERR(symlink(t, "toolong"), ENAMETOOLONG);
	t[4096] = '\0';
	CHECK_ERR(symlink(t, "toolong"), ENAMETOOLONG);
	t[4095] = '\0'; /* PATH_MAX with its NUL */
	CHECK(symlink(t, "long") == 0);
	CHECK(readlink("long", buf, sizeof(buf)) == 4095);
	free(t);
}

static void test_hard_links(void)
{
	struct stat st;

	CHECK(put("h1", "shared") == 0);
	CHECK(link("h1", "h2") == 0);
	CHECK(stat("h1", &st) == 0 && st.st_nlink == 2 && st.st_ino == ino("h2"));
	CHECK(put("h2", "changed") == 0);
	CHECK(strcmp(get("h1"), "changed") == 0);
	CHECK(rename("h1", "h2") == 0); /* two names of one file: nothing happens */
	CHECK(stat("h1", &st) == 0 && st.st_nlink == 2);
	CHECK(unlink("h1") == 0);
	CHECK(stat("h2", &st) == 0 && st.st_nlink == 1);
	CHECK(strcmp(get("h2"), "changed") == 0);
	CHECK_ERR(link("h2", "h2"), EEXIST);
	CHECK_ERR(link("nothere", "h3"), ENOENT);
	CHECK_ERR(link("h2", "nodir/h3"), ENOENT);
	CHECK_ERR(link("h2", "h3/"), ENOENT);
	CHECK_ERR(link("d", "dlink"), EPERM);
	CHECK_ERR(link("/dev/null", "devnull"), EXDEV); /* /dev is another file system */
	CHECK_ERR(rename("h2", "/dev/rivet-test-h2"), EXDEV);
	CHECK_ERR(linkat(AT_FDCWD, "h2", AT_FDCWD, "h3", 0x8000), EINVAL);
	/* link() takes the symlink itself; AT_SYMLINK_FOLLOW its target. */
	CHECK(link("link", "hl") == 0);
	CHECK(lstat("hl", &st) == 0 && S_ISLNK(st.st_mode) && st.st_ino == lino("link"));
	CHECK(lstat("link", &st) == 0 && st.st_nlink == 2);
	CHECK(linkat(AT_FDCWD, "link", AT_FDCWD, "hf", AT_SYMLINK_FOLLOW) == 0);
	CHECK(lstat("hf", &st) == 0 && S_ISREG(st.st_mode) && st.st_ino == ino("target"));
	/* An open file keeps its data after its last name goes. */
	{
		int fd = open("h2", O_RDONLY);
		char buf[16] = { 0 };
		CHECK(unlink("h2") == 0);
		CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0);
		CHECK(read(fd, buf, sizeof(buf)) == 7 && strcmp(buf, "changed") == 0);
		close(fd);
	}
}

static void test_o_path(void)
{
	char buf[16];
	struct stat st;
	int fd, dfd, f2;

	fd = open("target", O_PATH);
	CHECK(fd >= 0);
	CHECK_ERR(read(fd, buf, 1), EBADF);
	CHECK_ERR(write(fd, "x", 1), EBADF);
	CHECK_ERR(fchmod(fd, 0600), EBADF);
	CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF);
	CHECK(fstat(fd, &st) == 0 && st.st_ino == ino("target"));
	CHECK((fcntl(fd, F_GETFL) & O_PATH) == O_PATH);
	CHECK_ERR(fcntl(fd, F_SETFL, O_APPEND), EBADF);
	f2 = dup(fd);
	CHECK(f2 >= 0 && fstat(f2, &st) == 0);
	close(f2);
	close(fd);
	dfd = open("d", O_PATH | O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK(fstatat(dfd, "f", &st, 0) == 0 && st.st_ino == ino("d/f"));
	fd = openat(dfd, "f", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 1);
	close(fd);
	CHECK_ERR(syscall(SYS_getdents64, dfd, buf, sizeof(buf)), EBADF);
	CHECK(fchdir(dfd) == 0 && ino("f") != 0 && ino("..") == ino(g_dir));
	CHECK(chdir(g_dir) == 0);
	close(dfd);
	/* A symlink opened itself. */
	fd = open("link", O_PATH | O_NOFOLLOW);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(readlinkat(fd, "", buf, sizeof(buf)) == 6 && memcmp(buf, "target", 6) == 0);
	CHECK(fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 && S_ISLNK(st.st_mode));
	close(fd);
	fd = open("d", O_PATH);
	CHECK_ERR(readlinkat(fd, "", buf, sizeof(buf)), ENOENT);
	close(fd);
}

static void test_nofollow_flags(void)
{
	struct stat st;
	struct timespec ts[2] = { { 100, 0 }, { 200, 0 } };

	CHECK(fstatat(AT_FDCWD, "link", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
	CHECK(fstatat(AT_FDCWD, "link", &st, 0) == 0 && S_ISREG(st.st_mode));
	CHECK(utimensat(AT_FDCWD, "link", ts, AT_SYMLINK_NOFOLLOW) == 0);
	CHECK(lstat("link", &st) == 0 && st.st_mtim.tv_sec == 200);
	CHECK(stat("link", &st) == 0 && st.st_mtim.tv_sec != 200);
	if (geteuid() == 0) {
		CHECK(fchownat(AT_FDCWD, "link", 77, 88, AT_SYMLINK_NOFOLLOW) == 0);
		CHECK(lstat("link", &st) == 0 && st.st_uid == 77 && st.st_gid == 88);
		CHECK(stat("link", &st) == 0 && st.st_uid == geteuid());
		CHECK(chown("link", 55, 66) == 0);
		CHECK(stat("target", &st) == 0 && st.st_uid == 55 && st.st_gid == 66);
		{
			int fd = open("target", O_PATH);
			CHECK(fchownat(fd, "", 0, 0, AT_EMPTY_PATH) == 0);
			CHECK(stat("target", &st) == 0 && st.st_uid == 0);
			close(fd);
		}
	}
	CHECK_ERR(fchownat(AT_FDCWD, "link", 0, 0, 0x8000), EINVAL);
	CHECK(faccessat(AT_FDCWD, "dang", F_OK, AT_SYMLINK_NOFOLLOW) == 0);
	CHECK(unlink("made-later") == 0);
	CHECK_ERR(faccessat(AT_FDCWD, "dang", F_OK, 0), ENOENT);
	CHECK(faccessat(AT_FDCWD, "dang", F_OK, AT_SYMLINK_NOFOLLOW) == 0);
	CHECK(rename("dang", "dang2") == 0); /* renames the link, not a target */
	CHECK(lstat("dang2", &st) == 0 && S_ISLNK(st.st_mode));
}

int main(void)
{
	setup();
	test_symlink_basics();
	test_dangling();
	test_dirs_through_links();
	test_loops();
	test_long_targets();
	test_hard_links();
	test_o_path();
	test_nofollow_flags();
	teardown();
	return check_done("test_links");
}
