/* Directories: mkdir/rmdir/unlinkat, getdents64 (entries, types, inode
 * numbers, positions, removing while reading), chdir/fchdir/getcwd (also of
 * a removed directory), rename of files and directories with every flag,
 * *at() with directory descriptors, ".", "..", "//" and trailing '/', and
 * the errors of each, as Linux gives them. In a fresh mkdtemp directory,
 * so it runs the same on Rivet and on Linux (qemu-riscv64). */
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

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static int touch(const char *name)
{
	int fd = open(name, O_CREAT | O_WRONLY, 0644);

	return fd >= 0 ? close(fd) : -1;
}

static ino_t ino(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static nlink_t links(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_nlink : 0;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_mkdir_rmdir(void)
{
	struct stat st;
	nlink_t base = links(".");

	CHECK(mkdir("d", 0777) == 0);
	CHECK(stat("d", &st) == 0 && st.st_mode == (S_IFDIR | 0755) && st.st_nlink == 2);
	CHECK(links(".") == base + 1);
	CHECK_ERR(mkdir("d", 0755), EEXIST);
	CHECK(mkdir("d2/", 0755) == 0);
	CHECK(rmdir("d2/") == 0);
	CHECK_ERR(mkdir("no/such", 0755), ENOENT);
	CHECK(touch("f") == 0);
	CHECK_ERR(mkdir("f/sub", 0755), ENOTDIR);
	CHECK_ERR(mkdir("f", 0755), EEXIST);
	CHECK_ERR(mkdir(".", 0755), EEXIST);
	CHECK_ERR(mkdir("/", 0755), EEXIST);
	CHECK(mkdir("d/sub", 0700) == 0);
	CHECK(links("d") == 3);
	CHECK_ERR(rmdir("d"), ENOTEMPTY);
	CHECK_ERR(rmdir("f"), ENOTDIR);
	CHECK_ERR(rmdir("d/sub/."), EINVAL);
	CHECK_ERR(rmdir("d/sub/.."), ENOTEMPTY);
	CHECK_ERR(rmdir("nothere"), ENOENT);
	CHECK_ERR(rmdir("/"), EBUSY);
	CHECK_ERR(unlink("d"), EISDIR);
	CHECK_ERR(unlink("d/"), EISDIR);
	CHECK_ERR(unlink("f/"), ENOTDIR);
	CHECK_ERR(unlinkat(AT_FDCWD, "d/sub", 0x8000), EINVAL);
	CHECK(unlinkat(AT_FDCWD, "d/sub", AT_REMOVEDIR) == 0);
	CHECK(links("d") == 2);
	CHECK(rmdir("d") == 0);
	CHECK(links(".") == base);
	CHECK(unlink("f") == 0);
	CHECK_ERR(unlink("f"), ENOENT);
}

static void test_dots(void)
{
	CHECK(mkdir("a", 0755) == 0 && mkdir("a/b", 0755) == 0 && touch("a/f") == 0);
	CHECK(ino("/..") == ino("/"));
	CHECK(ino("/../../..") == ino("/"));
	CHECK(ino("a/b/../b/.") == ino("a/b"));
	CHECK(ino("a//b///") == ino("a/b"));
	CHECK(ino("./a/./f") == ino("a/f"));
	CHECK(ino("a/b/../..") == ino("."));
	CHECK_ERR(access("a/f/.", F_OK), ENOTDIR);
	CHECK_ERR(access("a/f/..", F_OK), ENOTDIR);
	CHECK_ERR(access("a/nothere/..", F_OK), ENOENT);
}

struct listing {
	char names[300][32];
	unsigned char types[300];
	ino_t inos[300];
	int n;
};

static void list_dir(const char *path, struct listing *l)
{
	DIR *d = opendir(path);
	struct dirent *e;

	l->n = 0;
	while (d && (e = readdir(d)) && l->n < 300) {
		snprintf(l->names[l->n], 32, "%.31s", e->d_name);
		l->types[l->n] = e->d_type;
		l->inos[l->n++] = e->d_ino;
	}
	if (d)
		closedir(d);
}

static int find(const struct listing *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->names[i], name) == 0)
			return i;
	return -1;
}

static void test_getdents(void)
{
	static struct listing l;
	char buf[512], small[8];
	int fd, i;
	long n;

	CHECK(mkdir("g", 0755) == 0 && mkdir("g/sub", 0755) == 0 && touch("g/file") == 0);
	CHECK(symlink("file", "g/link") == 0);
	list_dir("g", &l);
	CHECK(l.n == 5);
	CHECK((i = find(&l, ".")) >= 0 && l.types[i] == DT_DIR && l.inos[i] == ino("g"));
	CHECK((i = find(&l, "..")) >= 0 && l.types[i] == DT_DIR && l.inos[i] == ino("."));
	CHECK((i = find(&l, "sub")) >= 0 && l.types[i] == DT_DIR && l.inos[i] == ino("g/sub"));
	CHECK((i = find(&l, "file")) >= 0 && l.types[i] == DT_REG && l.inos[i] == ino("g/file"));
	CHECK((i = find(&l, "link")) >= 0 && l.types[i] == DT_LNK);

	fd = open("g", O_RDONLY | O_DIRECTORY);
	CHECK_ERR(syscall(SYS_getdents64, fd, small, sizeof(small)), EINVAL);
	CHECK_ERR(syscall(SYS_getdents64, fd, g_low_addr, sizeof(buf)), EFAULT);
	CHECK(lseek(fd, 0, SEEK_SET) == 0); /* qemu-user reads ahead into its own buffer */
	n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK(syscall(SYS_getdents64, fd, buf, sizeof(buf)) == 0); /* at the end */
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(syscall(SYS_getdents64, fd, buf, sizeof(buf)) == n);
	close(fd);
	fd = open("g/file", O_RDONLY);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
	CHECK_ERR(syscall(SYS_getdents64, 99, buf, sizeof(buf)), EBADF);

	/* seekdir to a telldir position resumes there. */
	{
		DIR *d = opendir("g");
		struct dirent *e;
		long pos;
		char second[32];
		readdir(d);
		pos = telldir(d);
		e = readdir(d);
		snprintf(second, sizeof(second), "%.31s", e ? e->d_name : "");
		readdir(d);
		seekdir(d, pos);
		e = readdir(d);
		CHECK(e && strcmp(e->d_name, second) == 0);
		closedir(d);
	}
}

/* rm -r's pattern: remove entries while reading the directory. */
static void test_remove_while_reading(void)
{
	char name[64];
	struct dirent *e;
	DIR *d;
	int removed = 0, fd;

	CHECK(mkdir("many", 0755) == 0);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "many/entry-with-a-longer-name-%03d", i);
		CHECK(touch(name) == 0);
	}
	fd = open("many", O_RDONLY | O_DIRECTORY);
	d = fdopendir(fd);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			removed += unlinkat(fd, e->d_name, 0) == 0;
	closedir(d);
	CHECK(removed == 200);
	CHECK(rmdir("many") == 0);
}

static void test_cwd(void)
{
	char buf[4096], expect[4096];
	int dfd, ffd;

	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, g_dir) == 0);
	CHECK(mkdir("c", 0755) == 0 && mkdir("c/d", 0755) == 0 && touch("c/f") == 0);
	CHECK(chdir("c/d") == 0);
	snprintf(expect, sizeof(expect), "%s/c/d", g_dir);
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, expect) == 0);
	CHECK(syscall(SYS_getcwd, buf, sizeof(buf)) == (long)strlen(expect) + 1);
	CHECK_ERR(syscall(SYS_getcwd, buf, strlen(expect)), ERANGE);
	CHECK_ERR(syscall(SYS_getcwd, g_low_addr, sizeof(buf)), EFAULT);
	CHECK(chdir("..") == 0);
	CHECK_ERR(chdir("f"), ENOTDIR);
	CHECK_ERR(chdir("nothere"), ENOENT);
	CHECK_ERR(chdir(""), ENOENT);
	dfd = open("d", O_RDONLY | O_DIRECTORY);
	ffd = open("f", O_RDONLY);
	CHECK(fchdir(dfd) == 0);
	CHECK(getcwd(buf, sizeof(buf)) && strcmp(buf, expect) == 0);
	CHECK_ERR(fchdir(ffd), ENOTDIR);
	CHECK_ERR(fchdir(99), EBADF);
	close(dfd);
	close(ffd);
	/* A removed cwd: no path, and no new entries in it. */
	CHECK(rmdir(expect) == 0);
	CHECK_ERR(syscall(SYS_getcwd, buf, sizeof(buf)), ENOENT);
	CHECK_ERR(open("new", O_CREAT | O_WRONLY, 0644), ENOENT);
	CHECK_ERR(mkdir("new", 0755), ENOENT);
	snprintf(expect, sizeof(expect), "%s/c", g_dir);
	CHECK(ino("..") == ino(expect)); /* ".." still leads to the old parent */
	CHECK(chdir(g_dir) == 0);
	CHECK(chdir("/") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0);
	CHECK(chdir(g_dir) == 0);
}

static int readall(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return (int)n;
}

static int put(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static int rename2(const char *a, const char *b, unsigned flags)
{
	return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void test_rename(void)
{
	char buf[32];
	ino_t x;

	CHECK(mkdir("r", 0755) == 0 && chdir("r") == 0);
	CHECK(put("x", "x") == 0 && put("y", "y") == 0);
	CHECK(mkdir("d1", 0755) == 0 && mkdir("d2", 0755) == 0 && put("d2/in", "in") == 0);
	x = ino("x");
	CHECK(rename("x", "x") == 0 && ino("x") == x);
	CHECK(rename("x", "z") == 0 && ino("z") == x);
	CHECK_ERR(access("x", F_OK), ENOENT);
	CHECK(rename("z", "y") == 0 && ino("y") == x); /* replaces y */
	CHECK(readall("y", buf, sizeof(buf)) == 1 && strcmp(buf, "x") == 0);
	CHECK_ERR(rename("nothere", "q"), ENOENT);
	CHECK_ERR(rename("y", "nodir/q"), ENOENT);
	CHECK_ERR(rename("y", "d1"), EISDIR);
	CHECK_ERR(rename("d1", "y"), ENOTDIR);
	CHECK_ERR(rename("d1", "d2"), ENOTEMPTY);
	CHECK_ERR(rename("d1", "d1/sub"), EINVAL);
	CHECK_ERR(rename("d2/in", "d2"), ENOTEMPTY);
	CHECK_ERR(rename("y/", "q"), ENOTDIR);
	CHECK_ERR(rename("y", "q/"), ENOTDIR);
	CHECK_ERR(rename(".", "q"), EBUSY);
	CHECK_ERR(rename("y", "d1/.."), EBUSY);
	CHECK_ERR(rename2("y", "d1/..", RENAME_NOREPLACE), EEXIST);
	CHECK(put("x", "x2") == 0);
	CHECK_ERR(rename2("x", "y", RENAME_NOREPLACE), EEXIST);
	CHECK(rename2("x", "w", RENAME_NOREPLACE) == 0);
	CHECK_ERR(rename2("w", "y", RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL);
	CHECK_ERR(rename2("w", "y", 0x80), EINVAL);
	CHECK_ERR(rename2("w", "q", RENAME_EXCHANGE), ENOENT);
	CHECK(rename2("w", "y", RENAME_EXCHANGE) == 0);
	CHECK(readall("y", buf, sizeof(buf)) == 2 && strcmp(buf, "x2") == 0);
	CHECK(readall("w", buf, sizeof(buf)) == 1 && strcmp(buf, "x") == 0);

	/* Directories move with their "..", and the link counts follow. */
	CHECK(links(".") == 4);
	CHECK(rename("d1", "d2/moved") == 0);
	CHECK(links(".") == 3 && links("d2") == 3);
	CHECK(ino("d2/moved/..") == ino("d2"));
	CHECK(unlink("d2/in") == 0);
	CHECK(mkdir("e", 0755) == 0);
	CHECK(rename("d2/moved", "e") == 0); /* over an empty directory */
	CHECK(links("d2") == 2);
	CHECK(rename2("e", "y", RENAME_EXCHANGE) == 0); /* a directory and a file */
	CHECK(is_dir("y") && readall("e", buf, sizeof(buf)) == 2);
	CHECK(rename2("d2", "e", RENAME_EXCHANGE) == 0);
	CHECK(readall("d2", buf, sizeof(buf)) == 2);
	CHECK(chdir("..") == 0);
}

static void test_at_calls(void)
{
	struct stat st;
	int dfd, ffd, fd;

	CHECK(mkdir("at", 0755) == 0);
	dfd = open("at", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK(mkdirat(dfd, "sub", 0755) == 0);
	fd = openat(dfd, "sub/file", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	CHECK(fstatat(dfd, "sub/file", &st, 0) == 0 && st.st_mode == (S_IFREG | 0600));
	CHECK(fstatat(dfd, "", &st, AT_EMPTY_PATH) == 0 && S_ISDIR(st.st_mode));
	CHECK_ERR(fstatat(dfd, "", &st, 0), ENOENT);
	CHECK_ERR(fstatat(dfd, "sub", &st, 0x8000), EINVAL);
	ffd = openat(dfd, "sub/file", O_RDONLY);
	CHECK_ERR(openat(ffd, "x", O_RDONLY), ENOTDIR);
	CHECK_ERR(mkdirat(ffd, "x", 0755), ENOTDIR);
	CHECK_ERR(openat(99, "x", O_RDONLY), EBADF);
	fd = openat(99, "/", O_RDONLY); /* absolute: the descriptor is not used */
	CHECK(fd >= 0);
	close(fd);
	CHECK(renameat(dfd, "sub/file", dfd, "file2") == 0);
	CHECK(unlinkat(dfd, "file2", 0) == 0);
	CHECK(unlinkat(dfd, "sub", AT_REMOVEDIR) == 0);
	close(ffd);
	close(dfd);
}

static void test_open_dirs(void)
{
	int fd = open("od", O_RDONLY | O_DIRECTORY | O_CREAT, 0755);

	CHECK(fd < 0); /* O_CREAT | O_DIRECTORY: EINVAL since Linux 6.4 */
	CHECK(mkdir("od", 0755) == 0);
	fd = open("od", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	close(fd);
	fd = open("od/", O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK_ERR(open("od", O_RDWR), EISDIR);
	CHECK_ERR(open("od", O_WRONLY | O_CREAT, 0644), EISDIR);
	CHECK_ERR(open("od", O_RDONLY | O_TRUNC), EISDIR);
	CHECK_ERR(open("newfile/", O_CREAT | O_WRONLY, 0644), EISDIR);
	CHECK_ERR(access("newfile", F_OK), ENOENT);
}

static void test_names(void)
{
	char name[300];

	memset(name, 'd', 256);
	name[256] = '\0';
	CHECK_ERR(mkdir(name, 0755), ENAMETOOLONG);
	name[255] = '\0';
	CHECK(mkdir(name, 0755) == 0);
	CHECK(rmdir(name) == 0);
	CHECK(mkdir("sp ace", 0755) == 0 && rmdir("sp ace") == 0);
	CHECK(mkdir("\x01\xff", 0755) == 0 && rmdir("\x01\xff") == 0);
}

/* A directory of many names (tmpfs indexes them by hash once there are
 * more than a few): every name is found, renamed and removed names are
 * gone, and readdir still lists each remaining one once. */
static void test_many_names(void)
{
	enum { N = 300 };
	int found = 0, bad = 0;
	char name[32], to[32];
	struct dirent *e;
	DIR *d;

	CHECK(mkdir("hashed", 0755) == 0);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "hashed/n%d", i);
		bad += touch(name) != 0;
	}
	CHECK(bad == 0);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "hashed/n%d", i);
		bad += ino(name) == 0;
	}
	CHECK(bad == 0);
	for (int i = 0; i < N; i += 2) {
		snprintf(name, sizeof name, "hashed/n%d", i);
		bad += unlink(name) != 0;
	}
	for (int i = 1; i < N; i += 4) {
		snprintf(name, sizeof name, "hashed/n%d", i);
		snprintf(to, sizeof to, "hashed/r%d", i);
		bad += rename(name, to) != 0;
	}
	CHECK(bad == 0);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "hashed/n%d", i);
		snprintf(to, sizeof to, "hashed/r%d", i);
		bool renamed = i % 4 == 1, kept = i % 2 == 1 && !renamed;
		bad += (ino(name) != 0) != kept || (ino(to) != 0) != renamed;
	}
	CHECK(bad == 0);
	CHECK((d = opendir("hashed")) != NULL);
	while (d && (e = readdir(d)))
		found += e->d_name[0] == 'n' || e->d_name[0] == 'r';
	if (d)
		closedir(d);
	CHECK(found == N / 2);
	CHECK_ERR(rmdir("hashed"), ENOTEMPTY);
}

int main(void)
{
	setup();
	test_mkdir_rmdir();
	test_dots();
	test_getdents();
	test_remove_while_reading();
	test_cwd();
	test_rename();
	test_at_calls();
	test_open_dirs();
	test_names();
	test_many_names();
	teardown();
	return check_done("test_dirs");
}
