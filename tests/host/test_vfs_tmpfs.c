/* Host tests of tmpfs file data (kern/fs/tmpfs_data.c) and of the
 * initramfs unpacker (kern/fs/initramfs_unpack.c): chunk edges, sparse
 * files and their block counts, truncation, the size limit, a randomized
 * run against a shadow copy; then archives with every entry type, hard
 * links, "." and "./" names, replaced entries, two archives, a damaged one.
 * Under ASan and LeakSanitizer: every chunk and node must be freed. */
#include <stdlib.h>

#include <frame/errno.h>
#include "fs/initramfs_unpack.h"
#include "fs/kpath.h"
#include "fs/open.h"
#include "fs/tmpfs_internal.h"
#include "rng.h"
#include "test.h"
#include "test_vfs_env.h"

static struct super *root_sb;

static struct tmpfs_sb *ts(void)
{
	return root_sb->priv;
}

static long kwrite(struct inode *ino, uint64_t off, const void *p, size_t n)
{
	struct iobuf b = iobuf_kernel((char *)p);

	return ino->ops->write(ino, off, &b, n);
}

static long kread(struct inode *ino, uint64_t off, void *p, size_t n)
{
	struct iobuf b = iobuf_kernel(p);

	return ino->ops->read(ino, off, &b, n);
}

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_edges(void)
{
	struct inode *ino;
	char buf[3 * TMPFS_CHUNK];

	CHECK_EQ(kpath_mknod("/f", S_IFREG | 0644, 0, &ino), 0);
	CHECK_EQ(kwrite(ino, TMPFS_CHUNK - 1, "abc", 3), 3);
	CHECK_EQ(ino->size, TMPFS_CHUNK + 2);
	CHECK_EQ(tnode(ino)->data.chunks, 2);
	CHECK_EQ(ino->blocks, 16);
	CHECK_EQ(kread(ino, 0, buf, sizeof(buf)), sizeof(buf)); /* the inode op reads past size */
	CHECK(all_zero(buf, TMPFS_CHUNK - 1));
	CHECK(memcmp(buf + TMPFS_CHUNK - 1, "abc", 3) == 0);
	CHECK_EQ(vfs_truncate(ino, TMPFS_CHUNK), 0);
	CHECK_EQ(tnode(ino)->data.chunks, 1);
	CHECK_EQ(vfs_truncate(ino, TMPFS_CHUNK - 1), 0);
	CHECK_EQ(vfs_truncate(ino, 2 * TMPFS_CHUNK), 0);
	CHECK_EQ(kread(ino, TMPFS_CHUNK - 2, buf, 4), 4);
	CHECK(all_zero(buf, 4)); /* what was cut off reads as zeros again */
	CHECK_EQ(vfs_truncate(ino, 0), 0);
	CHECK_EQ(tnode(ino)->data.chunks, 0);
	CHECK_EQ(tnode(ino)->data.height, 0);
	CHECK_EQ(ino->blocks, 0);
	inode_put(ino);
	CHECK_EQ(kpath_unlink("/f"), 0);
}

static void test_sparse(void)
{
	struct inode *ino;
	uint64_t far = 1ull << 40, huge = (uint64_t)INT64_MAX - 10;
	char buf[16];
	uint64_t before = ts()->chunks;

	CHECK_EQ(kpath_mknod("/sparse", S_IFREG | 0644, 0, &ino), 0);
	CHECK_EQ(kwrite(ino, far, "x", 1), 1);
	CHECK_EQ(ino->size, far + 1);
	CHECK_EQ(tnode(ino)->data.chunks, 1);
	CHECK_EQ(ino->blocks, 8);
	CHECK_EQ(kread(ino, far - 8, buf, 9), 9);
	CHECK(all_zero(buf, 8) && buf[8] == 'x');
	CHECK_EQ(kwrite(ino, 0, "y", 1), 1);
	CHECK_EQ(tnode(ino)->data.chunks, 2);
	CHECK_EQ(kwrite(ino, huge, "0123456789", 10), 10);
	CHECK_EQ(ino->size, (uint64_t)INT64_MAX);
	CHECK_EQ(kread(ino, huge, buf, 10), 10);
	CHECK(memcmp(buf, "0123456789", 10) == 0);
	CHECK_EQ(ts()->chunks, before + 3 + (huge % TMPFS_CHUNK + 10 > TMPFS_CHUNK));
	CHECK_EQ(vfs_truncate(ino, far), 0);
	CHECK_EQ(tnode(ino)->data.chunks, 1 + (far % TMPFS_CHUNK != 0)); /* 'x' cut off, its chunk kept */
	CHECK_EQ(kread(ino, far - 1, buf, 2), 2);
	CHECK(all_zero(buf, 2));
	CHECK_EQ(kread(ino, 0, buf, 1), 1);
	CHECK_EQ(buf[0], 'y');
	inode_put(ino);
	CHECK_EQ(kpath_unlink("/sparse"), 0); /* evicted: every chunk and node freed */
	CHECK_EQ(ts()->chunks, before);
}

static void test_limit(void)
{
	struct inode *ino;
	uint64_t max = ts()->max_chunks;
	static char chunk[TMPFS_CHUNK];
	long n;

	ts()->max_chunks = ts()->chunks + 2;
	CHECK_EQ(kpath_mknod("/big", S_IFREG | 0644, 0, &ino), 0);
	n = kwrite(ino, 0, chunk, sizeof(chunk));
	CHECK_EQ(n, TMPFS_CHUNK);
	n = kwrite(ino, TMPFS_CHUNK, chunk, sizeof(chunk));
	CHECK_EQ(n, TMPFS_CHUNK);
	CHECK_EQ(kwrite(ino, 2 * TMPFS_CHUNK, chunk, 1), -ENOSPC);
	CHECK_EQ(kwrite(ino, TMPFS_CHUNK + 10, chunk, TMPFS_CHUNK), TMPFS_CHUNK - 10); /* short */
	ts()->max_chunks = max;
	inode_put(ino);
	CHECK_EQ(kpath_unlink("/big"), 0);
}

/* Random writes, truncates and reads, against a plain buffer. */
static void test_random(void)
{
	enum { MAXSZ = 40 * TMPFS_CHUNK };
	char *shadow = calloc(1, MAXSZ), *buf = malloc(MAXSZ), *src = malloc(MAXSZ);
	uint64_t size = 0;
	struct inode *ino;
	int bad = 0;

	CHECK_EQ(kpath_mknod("/rand", S_IFREG | 0644, 0, &ino), 0);
	for (int step = 0; step < 3000 && !bad; step++) {
		uint64_t off = rng() % MAXSZ, len = rng() % (3 * TMPFS_CHUNK);
		unsigned op = (unsigned)(rng() % 8);
		if (off + len > MAXSZ)
			len = MAXSZ - off;
		if (op < 4) {
			for (uint64_t i = 0; i < len; i++)
				src[i] = (char)rng();
			bad |= kwrite(ino, off, src, len) != (long)len;
			memcpy(shadow + off, src, len);
			if (len && off + len > size)
				size = off + len;
		} else if (op == 4) {
			bad |= vfs_truncate(ino, off) != 0;
			if (off < size)
				memset(shadow + off, 0, size - off);
			size = off;
		} else {
			uint64_t n = off < size ? MIN(len, size - off) : 0;
			bad |= kread(ino, off, buf, n) != (long)n || memcmp(buf, shadow + off, n) != 0;
		}
		bad |= ino->size != size;
	}
	CHECK(!bad);
	CHECK_EQ(kread(ino, 0, buf, size), (long)size);
	CHECK(memcmp(buf, shadow, size) == 0);
	inode_put(ino);
	CHECK_EQ(kpath_unlink("/rand"), 0);
	free(shadow);
	free(buf);
	free(src);
}

/* ---- initramfs ----------------------------------------------------------- */

struct archive {
	char *buf;
	size_t len;
};

static void put(struct archive *a, const void *p, size_t n)
{
	a->buf = realloc(a->buf, a->len + n + 4);
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void pad(struct archive *a)
{
	while (a->len & 3)
		put(a, "", 1);
}

static void entry(struct archive *a, const char *name, uint32_t ino, uint32_t mode, uint32_t nlink,
		  uint32_t mtime, const char *body, uint32_t rmaj, uint32_t rmin)
{
	char hdr[111];
	size_t blen = body ? strlen(body) : 0;

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ino, mode, 7, 8, nlink, mtime, (unsigned)blen, 0, 0, rmaj, rmin,
		 (unsigned)strlen(name) + 1, 0);
	put(a, hdr, 110);
	put(a, name, strlen(name) + 1);
	pad(a);
	put(a, body ? body : "", blen);
	pad(a);
}

static void trailer(struct archive *a)
{
	entry(a, "TRAILER!!!", 0, 0, 1, 0, NULL, 0, 0);
}

static struct inode *get(const char *path)
{
	struct inode *ino = NULL;

	kpath_lookup(path, 0, &ino);
	return ino;
}

static const char *contents(const char *path)
{
	static char buf[64];
	struct inode *ino = get(path);
	long n = ino ? kread(ino, 0, buf, MIN(ino->size, sizeof(buf) - 1)) : -1;

	inode_put(ino);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static void check_attrs(const char *path, uint32_t mode, uint32_t mtime)
{
	struct inode *ino = get(path);

	CHECK_MSG(ino && ino->mode == mode && ino->uid == 7 && ino->gid == 8 &&
			  ino->mtime.sec == mtime,
		  "%s: mode 0%o uid %u gid %u mtime %ld", path, ino ? ino->mode : 0,
		  ino ? ino->uid : 0, ino ? ino->gid : 0, ino ? (long)ino->mtime.sec : 0L);
	inode_put(ino);
}

static void test_unpack(void)
{
	struct archive a = { 0 }, b = { 0 };
	struct inode *x, *y, *z;

	entry(&a, ".", 1, S_IFDIR | 0755, 2, 10, NULL, 0, 0);
	entry(&a, "./etc", 2, S_IFDIR | 0750, 2, 11, NULL, 0, 0);
	entry(&a, "etc/passwd", 3, S_IFREG | 0644, 1, 12, "root:x:0:0\n", 0, 0);
	entry(&a, "/bin", 4, S_IFDIR | 0755, 2, 13, NULL, 0, 0);
	/* GNU cpio's hard links: the data comes with the last name. */
	entry(&a, "bin/x", 5, S_IFREG | 0755, 3, 14, "", 0, 0);
	entry(&a, "bin/y", 5, S_IFREG | 0755, 3, 14, "", 0, 0);
	entry(&a, "bin/z", 5, S_IFREG | 0755, 3, 14, "shared", 0, 0);
	entry(&a, "bin/sh", 6, S_IFLNK | 0777, 1, 15, "x", 0, 0);
	entry(&a, "init", 7, S_IFLNK | 0777, 1, 15, "/bin/sh", 0, 0);
	entry(&a, "dev", 8, S_IFDIR | 0755, 2, 16, NULL, 0, 0);
	entry(&a, "dev/console", 9, S_IFCHR | 0600, 1, 17, NULL, 5, 1);
	entry(&a, "dev/fifo", 10, S_IFIFO | 0644, 1, 17, NULL, 0, 0);
	entry(&a, "nodir/file", 11, S_IFREG | 0644, 1, 17, "lost", 0, 0);
	entry(&a, "setuid", 12, S_IFREG | 04755, 1, 18, "s", 0, 0);
	trailer(&a);
	while (a.len % 512)
		put(&a, "", 1);
	/* A second archive: replaces a file, a file by a directory; its inode
	 * 5 is not the first archive's. */
	entry(&a, "etc/passwd", 3, S_IFREG | 0600, 1, 20, "new\n", 0, 0);
	entry(&a, "bin/sh", 21, S_IFDIR | 0700, 2, 21, NULL, 0, 0);
	entry(&a, "bin/w", 5, S_IFREG | 0755, 2, 22, "w", 0, 0);
	trailer(&a);

	CHECK_EQ(initramfs_unpack(a.buf, a.len), 0);
	check_attrs("/", S_IFDIR | 0755, 10);
	check_attrs("/etc", S_IFDIR | 0750, 11);
	check_attrs("/etc/passwd", S_IFREG | 0600, 20);
	CHECK_STR(contents("/etc/passwd"), "new\n");
	check_attrs("/bin", S_IFDIR | 0755, 13); /* set after its entries were added */
	x = get("/bin/x"), y = get("/bin/y"), z = get("/bin/z");
	CHECK(x && x == y && y == z && x->nlink == 3);
	inode_put(x), inode_put(y), inode_put(z);
	CHECK_STR(contents("/bin/y"), "shared");
	check_attrs("/bin/z", S_IFREG | 0755, 14);
	x = get("/bin/w");
	CHECK(x && x->nlink == 1);
	inode_put(x);
	check_attrs("/bin/sh", S_IFDIR | 0700, 21);
	check_attrs("/init", S_IFLNK | 0777, 15);
	CHECK_EQ(kpath_lookup("/init", WALK_FOLLOW, &x), 0); /* to the directory /bin/sh now */
	CHECK(x && mode_is(x->mode, S_IFDIR));
	inode_put(x);
	check_attrs("/dev/console", S_IFCHR | 0600, 17);
	x = get("/dev/console");
	CHECK(x && x->rdev == encode_dev(5, 1));
	inode_put(x);
	check_attrs("/dev/fifo", S_IFIFO | 0644, 17);
	CHECK(get("/nodir/file") == NULL);
	check_attrs("/setuid", S_IFREG | 04755, 18);

	/* A damaged archive: what came before the damage stays. */
	entry(&b, "ok", 30, S_IFREG | 0644, 1, 0, "ok", 0, 0);
	put(&b, "070701zz", 8);
	while (b.len % 512)
		put(&b, "", 1);
	CHECK_EQ(initramfs_unpack(b.buf, b.len), -EINVAL);
	CHECK_STR(contents("/ok"), "ok");
	free(a.buf);
	free(b.buf);
}

/* get_page (mmap's way in): the same page read and write use, holes
 * filled, nothing past the end; mapping references outlive truncation. */
static void test_get_page(void)
{
	struct inode *ino;
	page_t p, q;
	char b[4];

	CHECK_EQ(kpath_mknod("/m", S_IFREG | 0644, 0, &ino), 0);
	CHECK_EQ(ino->ops->get_page(ino, 0, &p), -ENXIO); /* empty file */
	CHECK_EQ(vfs_truncate(ino, 2 * TMPFS_CHUNK), 0);
	CHECK_EQ(tnode(ino)->data.chunks, 0);
	CHECK_EQ(ino->ops->get_page(ino, 1, &p), 0); /* a hole gets its page */
	CHECK_EQ(tnode(ino)->data.chunks, 1);
	CHECK_EQ(ino->ops->get_page(ino, 1, &q), 0);
	CHECK_EQ(p.v, q.v);
	page_put(q);
	CHECK_EQ(page_write(p, 5, "map", 3), 0); /* a store through a mapping ... */
	CHECK_EQ(kread(ino, TMPFS_CHUNK + 5, b, 3), 3);
	CHECK(memcmp(b, "map", 3) == 0);      /* ... is what read() sees */
	CHECK_EQ(kwrite(ino, TMPFS_CHUNK + 6, "W", 1), 1);
	CHECK_EQ(page_read(p, 6, b, 1), 0);
	CHECK_EQ(b[0], 'W');
	CHECK_EQ(ino->ops->get_page(ino, 2, &q), -ENXIO);
	CHECK_EQ(vfs_truncate(ino, 0), 0); /* the file lets go; our reference stays */
	CHECK_EQ(page_read(p, 6, b, 1), 0);
	page_put(p);
	inode_put(ino);
	CHECK_EQ(kpath_unlink("/m"), 0);
}

int main(void)
{
	root_sb = env_setup();
	rng_init("vfs_tmpfs");
	test_edges();
	test_sparse();
	test_limit();
	test_get_page();
	test_random();
	test_unpack();
	return test_done("vfs_tmpfs");
}
