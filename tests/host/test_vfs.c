/* Host tests of the VFS (kern/fs): path walks (., .., //, trailing '/',
 * symlinks and their limit, mounts, dirfds, empty paths), the namespace
 * operations with Linux's errors, open and the file ops, readdir positions,
 * getcwd, descriptor tables; under ASan and LeakSanitizer, which also catch
 * reference-count mistakes (a leaked or doubly freed inode). */
#include <stdlib.h>

#include <frame/errno.h>
#include "dev/chrdev.h"
#include "fs/fdtable.h"
#include "fs/kpath.h"
#include "fs/lock.h"
#include "fs/open.h"
#include "fs/tmpfs_internal.h"
#include "test.h"
#include "test_vfs_env.h"

static struct super *root_sb;

/* ---- helpers ---------------------------------------------------------------- */

static uint64_t ino_of(const char *path, unsigned flags)
{
	struct inode *ino;
	uint64_t n;

	if (kpath_lookup(path, flags, &ino))
		return 0;
	n = ino->ino;
	inode_put(ino);
	return n;
}

static int lookup_err(const char *path, unsigned flags)
{
	struct inode *ino;
	int err = kpath_lookup(path, flags, &ino);

	if (!err)
		inode_put(ino);
	return err;
}

static int kopen(const char *path, unsigned flags, uint32_t mode, struct file **f)
{
	struct walk w;
	int err = walk_begin(&w, AT_FDCWD, path, 0);

	if (!err)
		err = vfs_open(&w, flags, mode, f);
	walk_end(&w);
	return err;
}

static int open_err(const char *path, unsigned flags)
{
	struct file *f;
	int err = kopen(path, flags, 0644, &f);

	if (!err)
		file_put(f);
	return err;
}

static int mkfile(const char *path, const char *text)
{
	struct file *f;
	int err = kopen(path, O_CREAT | O_WRONLY | O_TRUNC, 0644, &f);

	if (err)
		return err;
	if (f->ops->write(f, U(text), strlen(text)) != (long)strlen(text))
		err = -EIO;
	file_put(f);
	return err;
}

static char readbuf[256];

static const char *slurp(const char *path)
{
	struct file *f;
	long n;

	if (kopen(path, O_RDONLY, 0, &f))
		return "(open failed)";
	n = f->ops->read(f, U(readbuf), sizeof(readbuf) - 1);
	file_put(f);
	readbuf[n < 0 ? 0 : n] = '\0';
	return readbuf;
}

static int krename(const char *a, const char *b, unsigned flags)
{
	struct walk ow, nw = { 0 };
	int err = walk_begin(&ow, AT_FDCWD, a, 0);

	if (!err && !(err = walk_begin(&nw, AT_FDCWD, b, 0)))
		err = vfs_rename(&ow, &nw, flags);
	walk_end(&nw);
	walk_end(&ow);
	return err;
}

static uint32_t nlink_of(const char *path)
{
	struct inode *ino;
	uint32_t n;

	if (kpath_lookup(path, 0, &ino))
		return 0;
	n = ino->nlink;
	inode_put(ino);
	return n;
}

/* The data of an inode that may have no name any more. */
static const char *slurp_inode(struct inode *ino)
{
	struct iobuf b = iobuf_kernel(readbuf);
	long n = ino->ops->read(ino, 0, &b, MIN(ino->size, sizeof(readbuf) - 1));

	readbuf[n < 0 ? 0 : n] = '\0';
	return readbuf;
}

static void set_cwd(const char *path)
{
	struct inode *dir;

	if (kpath_lookup(path, WALK_FOLLOW, &dir) == 0) {
		inode_put(env_proc.cwd);
		env_proc.cwd = dir;
	}
}

static const char *cwd_str(void)
{
	static char buf[PATH_MAX];
	long n = vfs_getcwd(buf, sizeof(buf));

	return n < 0 ? errno_name((int)n) : buf;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_walk_basics(void)
{
	uint64_t f;
	char name[300];

	CHECK_EQ(kpath_mkdir("/a", 0755, NULL), 0);
	CHECK_EQ(kpath_mkdir("/a/b", 0755, NULL), 0);
	CHECK_EQ(mkfile("/a/b/f", "hello"), 0);
	f = ino_of("/a/b/f", 0);
	CHECK(f != 0);
	CHECK_EQ(ino_of("//a///b//f", 0), f);
	CHECK_EQ(ino_of("/a/./b/../b/f", 0), f);
	CHECK_EQ(ino_of("a/b/f", 0), f);
	CHECK_EQ(ino_of("/../../a/b/f", 0), f);
	CHECK_EQ(ino_of("/..", 0), root_sb->root->ino);
	CHECK_EQ(ino_of("/a/b/", 0), ino_of("/a/b", 0));
	CHECK_EQ(lookup_err("/a/b/f/", 0), -ENOTDIR);
	CHECK_EQ(lookup_err("/a/b/f/.", 0), -ENOTDIR);
	CHECK_EQ(lookup_err("/a/b/f/x", 0), -ENOTDIR);
	CHECK_EQ(lookup_err("/a/b/f", WALK_DIRECTORY), -ENOTDIR);
	CHECK_EQ(lookup_err("/a/x/f", 0), -ENOENT);
	CHECK_EQ(lookup_err("", 0), -ENOENT);
	CHECK_EQ(ino_of("", WALK_EMPTY), root_sb->root->ino);
	CHECK_STR(slurp("/a/b/f"), "hello");

	name[0] = '/';
	memset(name + 1, 'n', 256);
	name[1 + 256] = '\0'; /* "/" + 256 bytes */
	CHECK_EQ(lookup_err(name, 0), -ENAMETOOLONG);
	name[1 + 255] = '\0';
	CHECK_EQ(lookup_err(name, 0), -ENOENT);
	CHECK_EQ(kpath_mkdir(name, 0755, NULL), 0);
	CHECK_EQ(kpath_rmdir(name), 0);
	{
		char *longp = malloc(PATH_MAX + 10);
		memset(longp, '/', PATH_MAX + 9);
		longp[PATH_MAX + 9] = '\0';
		CHECK_EQ(lookup_err(longp, 0), -ENAMETOOLONG);
		longp[PATH_MAX - 1] = '\0';
		CHECK_EQ(ino_of(longp, 0), root_sb->root->ino);
		free(longp);
	}
}

static void test_symlinks(void)
{
	uint64_t b = ino_of("/a/b", 0);
	char name[16], target[16];

	CHECK_EQ(kpath_symlink("/a/b", "/l1", NULL), 0);
	CHECK_EQ(kpath_symlink("b", "/a/l2", NULL), 0);
	CHECK_EQ(ino_of("/l1", WALK_FOLLOW), b);
	CHECK(ino_of("/l1", 0) != b && ino_of("/l1", 0) != 0);
	CHECK_EQ(ino_of("/l1/", 0), b); /* a trailing slash follows */
	CHECK_EQ(ino_of("/l1/f", 0), ino_of("/a/b/f", 0));
	CHECK_EQ(ino_of("/a/l2/f", 0), ino_of("/a/b/f", 0));
	CHECK_EQ(ino_of("/a/l2/..", 0), ino_of("/a", 0)); /* physical, not lexical */
	CHECK_EQ(kpath_symlink("/", "/rootlink", NULL), 0);
	CHECK_EQ(ino_of("/rootlink/a/b", 0), b);
	CHECK_EQ(ino_of("/rootlink", WALK_FOLLOW), root_sb->root->ino);
	CHECK_EQ(kpath_symlink("nothere", "/dang", NULL), 0);
	CHECK_EQ(lookup_err("/dang", WALK_FOLLOW), -ENOENT);
	CHECK_EQ(lookup_err("/dang", 0), 0);
	CHECK_EQ(lookup_err("/dang/", 0), -ENOENT);
	CHECK_EQ(kpath_symlink("/a/b/f", "/lf", NULL), 0);
	CHECK_EQ(lookup_err("/lf/", 0), -ENOTDIR);
	CHECK_EQ(kpath_symlink("", "/empty", NULL), -ENOENT);
	CHECK_EQ(kpath_symlink("loop", "/loop", NULL), 0);
	CHECK_EQ(lookup_err("/loop", WALK_FOLLOW), -ELOOP);
	CHECK_EQ(lookup_err("/loop/x", 0), -ELOOP);
	CHECK_EQ(lookup_err("/loop", 0), 0);

	/* c0 -> c1 -> ... -> c40 -> /a: 41 links are one too many, 40 are fine. */
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "/c%d", i);
		if (i == 40)
			snprintf(target, sizeof(target), "/a");
		else
			snprintf(target, sizeof(target), "c%d", i + 1);
		CHECK_EQ(kpath_symlink(target, name, NULL), 0);
	}
	CHECK_EQ(lookup_err("/c0", WALK_FOLLOW), -ELOOP);
	CHECK_EQ(ino_of("/c1", WALK_FOLLOW), ino_of("/a", 0));
	CHECK_EQ(ino_of("/c1/b", 0), b);
	CHECK_EQ(lookup_err("/c0/b", 0), -ELOOP);
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "/c%d", i);
		CHECK_EQ(kpath_unlink(name), 0);
	}
}

static void test_mounts(void)
{
	struct super *sb = tmpfs_create(01777);
	struct inode *mnt;

	CHECK_EQ(kpath_mkdir("/mnt", 0755, NULL), 0);
	CHECK_EQ(kpath_lookup("/mnt", 0, &mnt), 0);
	CHECK_EQ(vfs_mount(sb, mnt), 0);
	CHECK_EQ(vfs_mount(sb, mnt), -EBUSY);
	inode_put(mnt);
	CHECK_EQ(kpath_lookup("/mnt", 0, &mnt), 0);
	CHECK(mnt->sb == sb);
	CHECK_EQ(mnt->mode, S_IFDIR | 01777);
	inode_put(mnt);
	CHECK_EQ(kpath_mkdir("/mnt/x", 0755, NULL), 0);
	CHECK_EQ(ino_of("/mnt/x/../..", 0), root_sb->root->ino);
	CHECK_EQ(ino_of("/mnt/..", 0), root_sb->root->ino);
	CHECK_EQ(mkfile("/mnt/x/g", "g"), 0);
	CHECK_EQ(krename("/mnt/x/g", "/a/g", 0), -EXDEV);
	CHECK_EQ(kpath_link("/mnt/x/g", "/a/g"), -EXDEV);
	CHECK_EQ(kpath_rmdir("/mnt"), -EBUSY);
	CHECK_EQ(krename("/mnt", "/mnt2", 0), -EBUSY);
	set_cwd("/mnt/x");
	CHECK_STR(cwd_str(), "/mnt/x");
	CHECK_EQ(ino_of("g", 0), ino_of("/mnt/x/g", 0));
	CHECK_EQ(ino_of("../..", 0), root_sb->root->ino);
	set_cwd("/");
	CHECK_STR(cwd_str(), "/");
}

/* umount: busy while a cwd or an open file is inside, then the whole
 * tree is freed (LeakSanitizer checks), even one deeper than any stack,
 * and an inode still referenced keeps the superblock until it is put. */
static void test_umount(void)
{
	struct super *sb = tmpfs_create(0755);
	struct inode *mnt, *kept;
	struct mount_info m;
	struct file *f;
	unsigned n;
	int fd;

	CHECK_EQ(kpath_mkdir("/um", 0755, NULL), 0);
	CHECK_EQ(kpath_lookup("/um", 0, &mnt), 0);
	CHECK_EQ(vfs_mount_source(sb, mnt, "scratch"), 0);
	inode_put(mnt);
	for (n = 0; vfs_mount_get(n, &m) == 0 && m.sb != sb; n++)
		;
	CHECK(m.sb == sb);
	CHECK_STR(m.path, "/um");
	CHECK_STR(m.source, "scratch");
	CHECK_EQ(kpath_mkdir("/um/d", 0755, NULL), 0);
	CHECK_EQ(mkfile("/um/d/f", "data"), 0);
	CHECK_EQ(kpath_link("/um/d/f", "/um/hard"), 0);
	CHECK_EQ(kpath_symlink("d/f", "/um/sym", NULL), 0);
	set_cwd("/um/d");
	{
		int bad = 0;
		for (int i = 0; i < 3000; i++) { /* deeper than a kernel stack could recurse */
			bad += kpath_mkdir("x", 0755, NULL) != 0;
			set_cwd("x");
		}
		CHECK_EQ(bad, 0);
	}
	set_cwd("/um/d");
	CHECK_EQ(kpath_lookup("/um", 0, &mnt), 0);
	CHECK_EQ(vfs_umount(mnt, false), -EBUSY); /* the cwd is inside */
	set_cwd("/");
	CHECK_EQ(vfs_open_kernel("/um/d/f", O_RDONLY, &f), 0);
	env_proc.rlim[RLIMIT_NOFILE].cur = 16;
	fd = fd_alloc(&env_proc, f, 0, false);
	CHECK(fd >= 0);
	CHECK_EQ(kpath_lookup("/um", 0, &mnt), 0);
	CHECK_EQ(vfs_umount(mnt, false), -EBUSY); /* an open file is inside */
	CHECK_EQ(fd_close(&env_proc, fd), 0);
	CHECK_EQ(kpath_lookup("/um/hard", 0, &kept), 0); /* held like a mapping would */
	CHECK_EQ(kpath_lookup("/um", 0, &mnt), 0);
	CHECK_EQ(vfs_umount(mnt, false), 0);
	CHECK_EQ(ino_of("/um", 0), ino_of("/um/.", 0));
	CHECK_EQ(lookup_err("/um/d", 0), -ENOENT);
	CHECK_EQ(kept->nlink, 0u);
	CHECK_STR(slurp_inode(kept), "data");
	inode_put(kept); /* frees the last inode and the superblock */
	CHECK_EQ(kpath_lookup("/um", 0, &mnt), 0);
	CHECK_EQ(vfs_umount(mnt, false), -EINVAL); /* not a mount point any more */
	CHECK_EQ(kpath_lookup("/", 0, &mnt), 0);
	CHECK_EQ(vfs_umount(mnt, false), -EINVAL); /* the root stays */
	/* A lazy umount of a busy tree with a mount inside: both go at once,
	 * the open file keeps working, and the last close frees it all. */
	sb = tmpfs_create(0755);
	CHECK_EQ(kpath_lookup("/um", 0, &mnt), 0);
	CHECK_EQ(vfs_mount(sb, mnt), 0);
	inode_put(mnt);
	CHECK_EQ(kpath_mkdir("/um/in", 0755, NULL), 0);
	CHECK_EQ(kpath_lookup("/um/in", 0, &mnt), 0);
	CHECK_EQ(vfs_mount(tmpfs_create(0755), mnt), 0);
	inode_put(mnt);
	CHECK_EQ(mkfile("/um/in/f", "inner"), 0);
	CHECK_EQ(vfs_open_kernel("/um/in/f", O_RDONLY, &f), 0);
	CHECK_EQ(fd_install_at(&env_proc, fd, f, false), fd);
	set_cwd("/um/in");
	CHECK_EQ(kpath_lookup("/um", 0, &mnt), 0);
	CHECK_EQ(vfs_umount(mnt, false), -EBUSY); /* a mount inside, a cwd, a file */
	CHECK_EQ(kpath_lookup("/um", 0, &mnt), 0);
	CHECK_EQ(vfs_umount(mnt, true), 0);
	for (n = 0; vfs_mount_get(n, &m) == 0; n++)
		CHECK(strncmp(m.path, "/um", 3) != 0);
	CHECK_STR(slurp_inode(f->inode), "inner");
	set_cwd("/");
	CHECK_EQ(fd_close(&env_proc, fd), 0); /* LeakSanitizer: nothing of either is left */
	CHECK_EQ(kpath_rmdir("/um"), 0);
}

static void test_create_remove(void)
{
	CHECK_EQ(kpath_mkdir("/a", 0755, NULL), -EEXIST);
	CHECK_EQ(kpath_mkdir("/a/b/f/x", 0755, NULL), -ENOTDIR);
	CHECK_EQ(kpath_mkdir("/", 0755, NULL), -EEXIST);
	CHECK_EQ(kpath_mkdir("/a/.", 0755, NULL), -EEXIST);
	CHECK_EQ(kpath_mkdir("/a/..", 0755, NULL), -EEXIST);
	CHECK_EQ(kpath_mkdir("/nd/", 0700, NULL), 0);
	CHECK_EQ(kpath_mkdir("/no/such", 0700, NULL), -ENOENT);
	CHECK_EQ(kpath_mknod("/nf/", S_IFREG | 0644, 0, NULL), -ENOENT);
	CHECK_EQ(kpath_mknod("/dang", S_IFREG | 0644, 0, NULL), -EEXIST);
	CHECK_EQ(kpath_mknod("/a/b/f/", S_IFREG | 0644, 0, NULL), -EEXIST);
	CHECK_EQ(nlink_of("/"), 2 + 3); /* subdirectories a, mnt, nd */
	CHECK_EQ(kpath_unlink("/a/b"), -EISDIR);
	CHECK_EQ(kpath_unlink("/a/b/f/"), -ENOTDIR);
	CHECK_EQ(kpath_unlink("/a/b/"), -EISDIR);
	CHECK_EQ(kpath_unlink("/a/."), -EISDIR);
	CHECK_EQ(kpath_unlink("/"), -EISDIR);
	CHECK_EQ(kpath_unlink("/a/nothere"), -ENOENT);
	CHECK_EQ(kpath_rmdir("/a/b/f"), -ENOTDIR);
	CHECK_EQ(kpath_rmdir("/a/."), -EINVAL);
	CHECK_EQ(kpath_rmdir("/a/.."), -ENOTEMPTY);
	CHECK_EQ(kpath_rmdir("/"), -EBUSY);
	CHECK_EQ(kpath_rmdir("/a"), -ENOTEMPTY);
	CHECK_EQ(kpath_rmdir("/nd/"), 0);
	CHECK_EQ(kpath_rmdir("/nd"), -ENOENT);

	/* Hard links. */
	CHECK_EQ(kpath_link("/a", "/alink"), -EPERM);
	CHECK_EQ(kpath_link("/a/b/f", "/a/b/f2"), 0);
	CHECK_EQ(kpath_link("/a/b/f", "/a/b/f2"), -EEXIST);
	CHECK_EQ(nlink_of("/a/b/f"), 2);
	CHECK_EQ(ino_of("/a/b/f2", 0), ino_of("/a/b/f", 0));
	CHECK_EQ(kpath_unlink("/a/b/f"), 0);
	CHECK_EQ(nlink_of("/a/b/f2"), 1);
	CHECK_STR(slurp("/a/b/f2"), "hello");
	CHECK_EQ(kpath_link("/lf", "/lf2"), 0); /* links the symlink itself */
	CHECK_EQ(lookup_err("/lf2", WALK_FOLLOW), -ENOENT);
	CHECK_EQ(kpath_unlink("/lf2"), 0);
	CHECK_EQ(krename("/a/b/f2", "/a/b/f", 0), 0);
}

static void test_rename(void)
{
	uint64_t f = ino_of("/a/b/f", 0);

	CHECK_EQ(kpath_mkdir("/r", 0755, NULL), 0);
	CHECK_EQ(kpath_mkdir("/r/d1", 0755, NULL), 0);
	CHECK_EQ(kpath_mkdir("/r/d2", 0755, NULL), 0);
	CHECK_EQ(mkfile("/r/d2/in", "x"), 0);
	CHECK_EQ(mkfile("/r/x", "x"), 0);
	CHECK_EQ(mkfile("/r/y", "y"), 0);
	CHECK_EQ(krename("/r/x", "/r/x", 0), 0);
	CHECK_EQ(krename("/r/d1", "/r/d1/sub", 0), -EINVAL);
	CHECK_EQ(krename("/r", "/r/d1", 0), -EINVAL);
	CHECK_EQ(krename("/r/d2/in", "/r/d2", 0), -ENOTEMPTY);
	CHECK_EQ(krename("/r/x", "/r/d1", 0), -EISDIR);
	CHECK_EQ(krename("/r/d1", "/r/x", 0), -ENOTDIR);
	CHECK_EQ(krename("/r/d1", "/r/d2", 0), -ENOTEMPTY);
	CHECK_EQ(krename("/r/x/", "/r/z", 0), -ENOTDIR);
	CHECK_EQ(krename("/r/x", "/r/z/", 0), -ENOTDIR);
	CHECK_EQ(krename("/r/nothere", "/r/z", 0), -ENOENT);
	CHECK_EQ(krename("/r/.", "/r/z", 0), -EBUSY);
	CHECK_EQ(krename("/r/x", "/r/..", 0), -EBUSY);
	CHECK_EQ(krename("/r/x", "/r/..", RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(krename("/r/x", "/r/y", RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(krename("/r/x", "/r/y", RENAME_NOREPLACE | RENAME_EXCHANGE), -EINVAL);
	CHECK_EQ(krename("/r/x", "/r/y", 8), -EINVAL);
	CHECK_EQ(krename("/r/x", "/r/z", RENAME_EXCHANGE), -ENOENT);
	CHECK_EQ(krename("/r/x", "/r/y", 0), 0); /* y's inode is freed (LSan) */
	CHECK_STR(slurp("/r/y"), "x");
	CHECK_EQ(lookup_err("/r/x", 0), -ENOENT);

	/* A directory moves: link counts and ".." follow it. */
	CHECK_EQ(nlink_of("/r"), 4);
	CHECK_EQ(krename("/r/d1", "/a/d1", 0), 0);
	CHECK_EQ(nlink_of("/r"), 3);
	CHECK_EQ(nlink_of("/a"), 4);
	CHECK_EQ(ino_of("/a/d1/..", 0), ino_of("/a", 0));
	CHECK_EQ(krename("/a/d1", "/r/d2/in", 0), -ENOTDIR);
	CHECK_EQ(kpath_unlink("/r/d2/in"), 0);
	CHECK_EQ(krename("/a/d1", "/r/d2", 0), 0); /* over an empty directory */
	CHECK_EQ(nlink_of("/a"), 3);
	CHECK_EQ(nlink_of("/r"), 3);

	/* Exchange a file and a directory across directories. */
	CHECK_EQ(krename("/r/y", "/a/b", RENAME_EXCHANGE), 0);
	CHECK_EQ(ino_of("/r/y/f", 0), f);
	CHECK_STR(slurp("/a/b"), "x");
	CHECK_EQ(nlink_of("/r"), 4);
	CHECK_EQ(nlink_of("/a"), 2);
	CHECK_EQ(ino_of("/r/y/..", 0), ino_of("/r", 0));
	CHECK_EQ(krename("/r/y", "/a/b", RENAME_EXCHANGE), 0);
	CHECK_EQ(ino_of("/a/b/f", 0), f);
	CHECK_EQ(ino_of("/a/b/..", 0), ino_of("/a", 0));
	CHECK_EQ(nlink_of("/a"), 3);
}

static void test_open(void)
{
	struct file *f;
	char buf[64];

	CHECK_EQ(kopen("/o", O_CREAT | O_EXCL | O_RDWR, 0640, &f), 0);
	CHECK_EQ(f->inode->mode, S_IFREG | 0640);
	CHECK_EQ(f->ops->write(f, U("0123456789"), 10), 10);
	CHECK_EQ(f->ops->llseek(f, 0, SEEK_CUR), 10);
	CHECK_EQ(f->ops->llseek(f, -4, SEEK_END), 6);
	CHECK_EQ(f->ops->read(f, U(buf), sizeof(buf)), 4);
	CHECK(memcmp(buf, "6789", 4) == 0);
	CHECK_EQ(f->ops->read(f, U(buf), sizeof(buf)), 0);
	CHECK_EQ(f->ops->llseek(f, -11, SEEK_END), -EINVAL);
	CHECK_EQ(f->ops->llseek(f, 0, 7), -EINVAL);
	CHECK_EQ(f->ops->llseek(f, 20, SEEK_SET), 20);
	CHECK_EQ(f->ops->llseek(f, 5, SEEK_DATA), 5);
	CHECK_EQ(f->ops->llseek(f, 5, SEEK_HOLE), 10);
	CHECK_EQ(f->ops->llseek(f, 10, SEEK_DATA), -ENXIO);
	CHECK_EQ(f->ops->pread(f, U(buf), 3, 2), 3);
	CHECK(memcmp(buf, "234", 3) == 0);
	CHECK_EQ(f->ops->pread(f, U(buf), 3, 100), 0);
	CHECK_EQ(f->ops->pread(f, U(buf), 3, (uint64_t)-1), -EINVAL);
	CHECK_EQ(f->ops->read(f, 16, 3), 0); /* at 20, past the end: nothing copied */
	CHECK_EQ(f->ops->pread(f, 16, 3, 0), -EFAULT);
	CHECK_EQ(f->ops->write(f, 16, 3), -EFAULT);
	file_put(f);
	CHECK_EQ(open_err("/o", O_CREAT | O_EXCL), -EEXIST);
	CHECK_EQ(kopen("/o", O_WRONLY | O_APPEND, 0, &f), 0);
	CHECK_EQ(f->ops->write(f, U("ab"), 2), 2);
	CHECK_EQ(f->ops->pwrite(f, U("cd"), 2, 0), 2); /* Linux: appends anyway */
	CHECK_EQ(f->inode->size, 14);
	file_put(f);
	CHECK_STR(slurp("/o"), "0123456789abcd");
	CHECK_EQ(kopen("/o", O_RDONLY | O_TRUNC, 0, &f), 0);
	CHECK_EQ(f->inode->size, 0);
	file_put(f);

	CHECK_EQ(open_err("/dang", O_CREAT | O_EXCL | O_WRONLY), -EEXIST);
	CHECK_EQ(open_err("/dang", O_CREAT | O_NOFOLLOW | O_WRONLY), -ELOOP);
	CHECK_EQ(open_err("/dang", O_CREAT | O_WRONLY), 0); /* makes the target */
	CHECK_EQ(ino_of("/nothere", 0), ino_of("/dang", WALK_FOLLOW));
	CHECK_EQ(kpath_unlink("/nothere"), 0);
	CHECK_EQ(open_err("/l1", O_RDONLY | O_NOFOLLOW), -ELOOP);
	CHECK_EQ(kopen("/l1", O_PATH | O_NOFOLLOW, 0, &f), 0);
	CHECK(file_is_path(f) && mode_is(f->inode->mode, S_IFLNK));
	CHECK_EQ(f->ops->read(f, U(buf), 1), -EBADF);
	file_put(f);
	CHECK_EQ(open_err("/a/b/f", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	CHECK_EQ(open_err("/a", O_WRONLY), -EISDIR);
	CHECK_EQ(open_err("/a", O_RDONLY | O_TRUNC), -EISDIR);
	CHECK_EQ(open_err("/a", O_CREAT | O_RDONLY), -EISDIR);
	CHECK_EQ(open_err("/newf/", O_CREAT | O_RDWR), -EISDIR);
	CHECK_EQ(open_err("/newf", O_CREAT | O_DIRECTORY), -EINVAL);
	CHECK_EQ(open_err("/.", O_CREAT | O_RDWR), -EISDIR);
	CHECK_EQ(open_err("/a/nothere", O_RDONLY), -ENOENT);
	CHECK_EQ(kopen("/a", O_RDONLY | O_DIRECTORY, 0, &f), 0);
	CHECK_EQ(f->ops->read(f, U(buf), 1), -EISDIR);
	file_put(f);
	CHECK_EQ(kpath_unlink("/o"), 0);

	/* An open file outlives its name. */
	CHECK_EQ(mkfile("/gone", "still here"), 0);
	CHECK_EQ(kopen("/gone", O_RDONLY, 0, &f), 0);
	CHECK_EQ(kpath_unlink("/gone"), 0);
	CHECK_EQ(f->inode->nlink, 0);
	CHECK_EQ(f->ops->read(f, U(buf), sizeof(buf)), 10);
	file_put(f); /* freed here (LSan) */
}

static void test_devices(void)
{
	struct file *f;
	char buf[8] = "xxxxxxx";

	mem_devices_register();
	CHECK_EQ(kpath_mknod("/null", S_IFCHR | 0666, (uint32_t)encode_dev(1, 3), NULL), 0);
	CHECK_EQ(kpath_mknod("/zero", S_IFCHR | 0666, (uint32_t)encode_dev(1, 5), NULL), 0);
	CHECK_EQ(kpath_mknod("/nodev", S_IFCHR | 0666, (uint32_t)encode_dev(99, 1), NULL), 0);
	CHECK_EQ(kpath_mknod("/fifo", S_IFIFO | 0666, 0, NULL), 0);
	CHECK_EQ(kopen("/null", O_RDWR, 0, &f), 0);
	CHECK_EQ(f->ops->read(f, U(buf), 8), 0);
	CHECK_EQ(f->ops->write(f, 16, 8), 8);
	CHECK_EQ(f->ops->llseek(f, 100, SEEK_SET), 0);
	CHECK(f->inode && mode_is(f->inode->mode, S_IFCHR));
	file_put(f);
	CHECK_EQ(kopen("/zero", O_RDONLY, 0, &f), 0);
	CHECK_EQ(f->ops->read(f, U(buf), 8), 8);
	CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0);
	file_put(f);
	CHECK_EQ(open_err("/nodev", O_RDONLY), -ENXIO);
	CHECK_EQ(open_err("/fifo", O_RDONLY), -ENXIO);
	CHECK_EQ(kpath_unlink("/null"), 0);
	CHECK_EQ(kpath_unlink("/zero"), 0);
	CHECK_EQ(kpath_unlink("/nodev"), 0);
	CHECK_EQ(kpath_unlink("/fifo"), 0);
}

struct seen {
	char names[64][32];
	int n;
	int stop_after;
};

static int collect(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type, uint64_t next)
{
	struct seen *s = ctx;

	(void)ino, (void)type, (void)next;
	if (s->n == s->stop_after)
		return 1;
	snprintf(s->names[s->n++], 32, "%.*s", (int)len, name);
	return 0;
}

static bool saw(const struct seen *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return true;
	return false;
}

static void test_readdir(void)
{
	struct seen s = { .stop_after = 3 };
	struct file *f;
	char name[32];

	CHECK_EQ(kpath_mkdir("/rd", 0755, NULL), 0);
	for (int i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "/rd/e%d", i);
		CHECK_EQ(mkfile(name, ""), 0);
	}
	CHECK_EQ(kopen("/rd", O_RDONLY, 0, &f), 0);
	CHECK_EQ(vfs_readdir(f, collect, &s), 0);
	CHECK_EQ(s.n, 3);
	CHECK_STR(s.names[0], ".");
	CHECK_STR(s.names[1], "..");
	CHECK_STR(s.names[2], "e0");
	/* Removing entries (read or not) skips nothing that remains. */
	CHECK_EQ(kpath_unlink("/rd/e0"), 0);
	CHECK_EQ(kpath_unlink("/rd/e1"), 0);
	CHECK_EQ(mkfile("/rd/late", ""), 0);
	s.stop_after = 64;
	CHECK_EQ(vfs_readdir(f, collect, &s), 0);
	CHECK_EQ(s.n, 3 + 5);
	CHECK(saw(&s, "e2") && saw(&s, "e5") && saw(&s, "late") && !saw(&s, "e1"));
	s.n = 0;
	CHECK_EQ(vfs_readdir(f, collect, &s), 0);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(f->ops->llseek(f, 0, SEEK_SET), 0);
	CHECK_EQ(vfs_readdir(f, collect, &s), 0);
	CHECK_EQ(s.n, 2 + 5);
	file_put(f);
	for (int i = 2; i < 6; i++) {
		snprintf(name, sizeof(name), "/rd/e%d", i);
		CHECK_EQ(kpath_unlink(name), 0);
	}
	CHECK_EQ(kpath_unlink("/rd/late"), 0);
	CHECK_EQ(kopen("/rd", O_RDONLY, 0, &f), 0);
	CHECK_EQ(kpath_rmdir("/rd"), 0);
	s.n = 0;
	CHECK_EQ(vfs_readdir(f, collect, &s), -ENOENT);
	file_put(f);
}

static void test_getcwd(void)
{
	char small[4];

	set_cwd("/a/b");
	CHECK_STR(cwd_str(), "/a/b");
	CHECK_EQ(vfs_getcwd(small, sizeof(small)), -ENAMETOOLONG);
	CHECK_EQ(kpath_mkdir("/a/b/gone", 0755, NULL), 0);
	set_cwd("/a/b/gone");
	CHECK_EQ(kpath_rmdir("/a/b/gone"), 0);
	CHECK_STR(cwd_str(), "ENOENT");
	CHECK_EQ(ino_of("..", 0), ino_of("/a/b", 0));
	CHECK_EQ(kpath_mkdir("new", 0755, NULL), -ENOENT);
	set_cwd("/");
}

static void test_fdtable(void)
{
	struct process *p = &env_proc, child;
	struct file *f;
	struct inode *ino;
	struct walk w;

	p->rlim[RLIMIT_NOFILE].cur = 8;
	CHECK_EQ(kopen("/a", O_PATH, 0, &f), 0);
	CHECK_EQ(fd_alloc(p, f, 3, true), 3);
	CHECK(fd_cloexec(p, 3));
	CHECK_EQ(walk_begin(&w, 3, "b/f", 0), 0);
	CHECK_EQ(walk_lookup(&w, &ino), 0);
	CHECK_EQ(ino->ino, ino_of("/a/b/f", 0));
	inode_put(ino);
	walk_end(&w);
	CHECK_EQ(walk_begin(&w, 3, "", WALK_EMPTY), 0);
	CHECK_EQ(walk_lookup(&w, &ino), 0);
	CHECK_EQ(ino->ino, ino_of("/a", 0));
	inode_put(ino);
	walk_end(&w);
	CHECK_EQ(walk_begin(&w, 5, "b", 0), -EBADF);
	walk_end(&w);
	CHECK_EQ(walk_begin(&w, 5, "/a", 0), 0); /* absolute: dirfd unused */
	walk_end(&w);
	CHECK_EQ(kopen("/a/b/f", O_RDONLY, 0, &f), 0);
	CHECK_EQ(fd_alloc(p, f, 0, false), 0);
	CHECK_EQ(walk_begin(&w, 0, "x", 0), -ENOTDIR);
	walk_end(&w);
	CHECK_EQ(fd_install_at(p, 5, file_get(f), false), 5);
	CHECK_EQ(fd_install_at(p, 8, file_get(f), false), -EBADF);
	file_put(f);
	CHECK_EQ(fd_alloc(p, file_get(f), 8, false), -EINVAL);
	file_put(f);
	for (int i = 0; i < 5; i++) /* 1, 2, 4, 6, 7 */
		CHECK(fd_alloc(p, file_get(f), 0, i == 1) >= 0);
	CHECK_EQ(fd_alloc(p, file_get(f), 0, false), -EMFILE);
	file_put(f);
	CHECK(!fd_available(p));
	memset(&child, 0, sizeof(child));
	CHECK_EQ(fs_process_fork(&child, p, false), 0);
	CHECK(child.cwd == p->cwd && child.umask == p->umask && fd_cloexec(&child, 3));
	CHECK(child.files != p->files && fd_get(&child, 5) == fd_get(p, 5));
	CHECK_EQ(fd_close(&child, 5), 0); /* a copy: the parent keeps its fd 5 */
	CHECK(fd_get(p, 5) != NULL);
	fs_process_release(&child);
	memset(&child, 0, sizeof(child));
	CHECK_EQ(fs_process_fork(&child, p, true), 0); /* CLONE_FILES */
	CHECK(child.files == p->files);
	fs_process_release(&child);
	CHECK(fd_get(p, 5) != NULL);
	fd_close_on_exec(p);
	CHECK(!fd_get(p, 3) && !fd_get(p, 2) && fd_get(p, 1) && fd_get(p, 0));
	CHECK_EQ(fd_close(p, 3), -EBADF);
	for (int fd = 0; fd < 8; fd++)
		if (fd_get(p, fd))
			CHECK_EQ(fd_close(p, fd), 0);
	CHECK(fd_available(p));
}

static struct lock_request lock_req(const void *owner, int type, uint64_t start, uint64_t end)
{
	return (struct lock_request){ .kind = LOCK_POSIX, .owner = owner, .pid = 1, .type = type,
				      .start = start, .end = end };
}

/* Record locks: conflicts, splitting on unlock, merging, release. */
static void test_record_locks(void)
{
	int a, b; /* two owners */
	struct inode *ino;
	struct lock_request r;

	CHECK_EQ(kpath_mknod("/locked", S_IFREG | 0644, 0, &ino), 0);
	r = lock_req(&a, F_WRLCK, 0, 99);
	CHECK_EQ(lock_set(ino, &r, false), 0);
	r = lock_req(&b, F_RDLCK, 50, 50);
	CHECK_EQ(lock_set(ino, &r, false), -EAGAIN);
	CHECK_EQ(lock_set(ino, &r, true), -ERESTARTSYS); /* would sleep: the stub's signal */
	r = lock_req(&a, F_UNLCK, 40, 59); /* split into [0,39] and [60,99] */
	CHECK_EQ(lock_set(ino, &r, false), 0);
	r = lock_req(&b, F_WRLCK, 40, 59);
	CHECK_EQ(lock_set(ino, &r, false), 0);
	r = lock_req(&b, F_RDLCK, 0, LOCK_EOF);
	lock_get(ino, &r);
	CHECK(r.type == F_WRLCK && r.owner == &a && r.start == 0 && r.end == 39);
	r = lock_req(&a, F_WRLCK, 40, 40); /* b's lock is in the way */
	lock_get(ino, &r);
	CHECK(r.owner == &b && r.start == 40 && r.end == 59);
	lock_release(ino, LOCK_POSIX, &b);
	r = lock_req(&a, F_WRLCK, 40, 59); /* fills the hole: one lock again */
	CHECK_EQ(lock_set(ino, &r, false), 0);
	r = lock_req(&b, F_RDLCK, 0, LOCK_EOF);
	lock_get(ino, &r);
	CHECK(r.owner == &a && r.start == 0 && r.end == 99);
	lock_release(ino, LOCK_POSIX, &a);
	CHECK(ino->locks == NULL);
	inode_put(ino);
}

static void test_permissions(void)
{
	struct inode *ino;

	CHECK_EQ(kpath_mknod("/noexec", S_IFREG | 0644, 0, &ino), 0);
	CHECK_EQ(inode_permission(ino, MAY_READ | MAY_WRITE), 0); /* root */
	CHECK_EQ(inode_permission(ino, MAY_EXEC), -EACCES);
	CHECK_EQ(vfs_chmod(ino, 04701), 0);
	CHECK_EQ(inode_permission(ino, MAY_EXEC), 0);
	CHECK_EQ(vfs_chown(ino, 5, 6), 0);
	CHECK_EQ(ino->mode, S_IFREG | 0701); /* chown drops set-user-ID */
	CHECK(ino->uid == 5 && ino->gid == 6);
	CHECK_EQ(vfs_chown(ino, (uint32_t)-1, 7), 0);
	CHECK(ino->uid == 5 && ino->gid == 7);
	inode_put(ino);
	CHECK_EQ(kpath_unlink("/noexec"), 0);
}

static void test_times(void)
{
	struct inode *ino;
	int64_t t[2][2] = { { 100, 5 }, { 200, UTIME_OMIT } };

	env_now_ns = 5000000123ull;
	CHECK_EQ(kpath_mknod("/t", S_IFREG | 0644, 0, &ino), 0);
	CHECK(ino->mtime.sec == 5 && ino->mtime.nsec == 123);
	CHECK_EQ(vfs_utimes(ino, t), 0);
	CHECK(ino->atime.sec == 100 && ino->atime.nsec == 5 && ino->mtime.sec == 5);
	t[1][1] = UTIME_NOW;
	env_now_ns = 7000000000ull;
	CHECK_EQ(vfs_utimes(ino, t), 0);
	CHECK(ino->mtime.sec == 7 && ino->ctime.sec == 7);
	t[0][1] = 1000000000;
	CHECK_EQ(vfs_utimes(ino, t), -EINVAL);
	inode_put(ino);
	CHECK_EQ(kpath_unlink("/t"), 0);
}

int main(void)
{
	root_sb = env_setup();
	test_walk_basics();
	test_symlinks();
	test_mounts();
	test_umount();
	test_create_remove();
	test_rename();
	test_open();
	test_devices();
	test_readdir();
	test_getcwd();
	test_fdtable();
	test_record_locks();
	test_permissions();
	test_times();
	return test_done("vfs");
}
