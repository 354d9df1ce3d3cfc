/* Host tests of the block cache and ext2 (kern/block, kern/fs/ext2) over
 * image files made by the host's mke2fs (e2fsprogs), for 1 KiB and 4 KiB
 * blocks:
 *   - read: a generated tree (sizes around every block-pointer edge, a
 *     sparse file, fast and slow symlinks, hard links, a deep path, a big
 *     directory) is put into an image with `mke2fs -d`, and every file read
 *     through the VFS must equal the host's;
 *   - write: files created, grown, truncated, renamed (over files, across
 *     directories, directories too), linked, unlinked, a multi-MiB file, a
 *     sparse one; then the host's `e2fsck -fn` must find the image clean and
 *     `debugfs` must read back what was written; a second mount must too;
 *   - corruption: images with broken superblocks, group descriptors,
 *     inodes, directory records and block pointers, and randomly damaged
 *     metadata, must fail to mount or read as errors, never crash (ASan).
 * Without mke2fs the test fails saying so. */
#include <stdarg.h>
#include <stdlib.h>

#include <frame/errno.h>
#include "block/block.h"
#include "block/cache.h"
#include "block_req_copy.h"
#include "fs/ext2/ext2.h"
#include "fs/fcntl.h"
#include "fs/iobuf.h"
#include "fs/kpath.h"
#include "fs/open.h"
#include "fs/path.h"
#include "fs/sync.h"
#include "rng.h"
#include "test.h"
#include "test_vfs_env.h"

static char workdir[] = "/tmp/rivet-ext2-XXXXXX";

/* ---- A disk in host memory, completing requests at once. ---- */

struct memdisk {
	struct blockdev bd;
	uint8_t *data;
	size_t size;
	char name[8];
	unsigned long writes, flushes;
	/* Deferred reads (test_read_ahead): queued until a task would sleep. */
	bool deferred;
	uint64_t fail_from, fail_to; /* sectors whose deferred reads fail */
	struct block_request *queued[64];
	unsigned nqueued, max_queued;
	uint64_t read_sectors;
	unsigned long read_requests;
};

static int md_submit(struct blockdev *bd, struct block_request *req)
{
	struct memdisk *m = bd->driver_data;
	size_t off = req->sector * 512, n = (size_t)req->count * 512;

	if (req->op == BLOCK_FLUSH) {
		m->flushes++;
	} else if (off + n > m->size) {
		req->done(req, -EIO);
		return 0;
	} else if (req->op == BLOCK_READ && m->deferred) {
		if (m->nqueued == ARRAY_SIZE(m->queued))
			return -EAGAIN;
		m->queued[m->nqueued++] = req;
		m->max_queued = MAX(m->max_queued, m->nqueued);
		m->read_sectors += req->count;
		m->read_requests++;
		return 0;
	} else if (req->op == BLOCK_READ) {
		block_req_copy(req, m->data + off, true);
		m->read_sectors += req->count;
		m->read_requests++;
	} else {
		block_req_copy(req, m->data + off, false);
		m->writes++;
	}
	req->done(req, 0);
	return 0;
}

static const struct blockdev_ops md_ops = { .submit = md_submit };

static struct memdisk *md_new(uint8_t *data, size_t size)
{
	static unsigned n;
	struct memdisk *m = calloc(1, sizeof(*m));

	m->data = data;
	m->size = size;
	snprintf(m->name, sizeof(m->name), "hd%c", 'a' + n++);
	m->bd = (struct blockdev){ .name = m->name, .sectors = size / 512, .sector_size = 512,
				   .ops = &md_ops, .driver_data = m };
	return m;
}

static uint8_t *file_load(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	rewind(f);
	p = malloc(*size);
	if (fread(p, 1, *size, f) != *size) {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

static void file_save(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	fwrite(p, 1, n, f);
	fclose(f);
}

static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st == -1 || (st & 0x7f) ? -1 : (st >> 8) & 0xff; /* exited: its status */
}

/* ---- The tree put into the images. ---- */

static void fill_random(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

static void host_file(const char *path, size_t size, uint64_t seed)
{
	uint8_t *p = malloc(size + 1);

	fill_random(p, size, seed);
	file_save(path, p, size);
	free(p);
}

static const size_t sizes[] = {
	0, 1, 59, 60, 1023, 1024, 1025, 4095, 4096, 4097, 12 * 1024, 12 * 1024 + 1,
	12 * 4096 + 1, (12 + 256) * 1024 + 7, (12 + 1024) * 4096 + 3, 300000, 2100000,
};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define BIGDIR 300

static const char long_target[] =
	"a/very/long/symlink/target/that/does/not/fit/in/the/inode/itself/so/it/takes/a/block";

static void make_tree(const char *root)
{
	char p[512];

	sh("rm -rf %s && mkdir -p %s/sub/deep/er/and/deeper/still %s/big", root, root, root);
	for (unsigned i = 0; i < NSIZES; i++) {
		snprintf(p, sizeof(p), "%s/f%u", root, i);
		host_file(p, sizes[i], i + 1);
	}
	for (unsigned i = 0; i < BIGDIR; i++) {
		snprintf(p, sizeof(p), "%s/big/entry-with-a-longish-name-%04u", root, i);
		host_file(p, i % 7, i);
	}
	snprintf(p, sizeof(p), "%s/sub/deep/er/and/deeper/still/leaf", root);
	host_file(p, 5000, 99);
	sh("cd %s && truncate -s 5000000 sparse && printf tail >> sparse && "
	   "printf head | dd of=sparse conv=notrunc status=none && "
	   "ln -s f3 fast && ln -s %s slow && ln f5 hard && chmod 0751 f2 && chmod 1777 sub",
	   root, long_target);
}

static int mkfs(const char *img, unsigned bs, const char *tree, const char *size)
{
	return sh("mke2fs -q -F -t ext2 -b %u %s%s %s %s >/dev/null 2>&1", bs, tree ? "-d " : "",
		  tree ? tree : "", img, size);
}

/* ---- Reading through the VFS. ---- */

static long kread(struct inode *ino, uint64_t off, void *p, size_t n)
{
	struct iobuf b = iobuf_kernel(p);

	return ino->ops->read(ino, off, &b, n);
}

static long kwrite(struct inode *ino, uint64_t off, const void *p, size_t n)
{
	struct iobuf b = iobuf_kernel((void *)(uintptr_t)p);

	return ino->ops->write(ino, off, &b, n);
}

/* The whole file at path (through the kernel) equals the host file hpath. */
static bool same_file(const char *path, const char *hpath)
{
	struct inode *ino;
	size_t hsize;
	uint8_t *want = file_load(hpath, &hsize), *got;
	bool ok;

	if (!want || kpath_lookup(path, 0, &ino)) {
		free(want);
		return false;
	}
	got = malloc(hsize + 1);
	ok = ino->size == hsize && kread(ino, 0, got, hsize) == (long)hsize &&
	     memcmp(got, want, hsize) == 0;
	inode_put(ino);
	free(got);
	free(want);
	return ok;
}

static int count_fill(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type,
		      uint64_t next)
{
	(void)name, (void)len, (void)ino, (void)type, (void)next;
	++*(unsigned *)ctx;
	return 0;
}

static unsigned count_entries(const char *path)
{
	struct inode *dir;
	uint64_t pos = 0;
	unsigned n = 0;

	if (kpath_lookup(path, WALK_DIRECTORY, &dir))
		return 0;
	dir->ops->readdir(dir, &pos, count_fill, &n);
	inode_put(dir);
	return n;
}

static long read_link(const char *path, char *buf, size_t size)
{
	struct inode *ino;
	long n;

	if (kpath_lookup(path, 0, &ino))
		return -1;
	n = ino->ops->readlink(ino, buf, size);
	inode_put(ino);
	return n;
}

static struct super *mount_image_flags(const char *img, const char *at, unsigned long flags,
				       struct memdisk **out)
{
	size_t size;
	uint8_t *data = file_load(img, &size);
	struct memdisk *m = md_new(data, size);
	struct inode *dir;
	struct super *sb = NULL;

	CHECK_EQ(blockdev_register(&m->bd), 0);
	if (ext2_mount(&m->bd, flags, NULL, &sb) != 0)
		return NULL;
	kpath_mkdir(at, 0755, NULL);
	CHECK_EQ(kpath_lookup(at, WALK_DIRECTORY, &dir), 0);
	CHECK_EQ(vfs_mount(sb, dir), 0);
	inode_put(dir);
	*out = m;
	return sb;
}

static struct super *mount_image(const char *img, const char *at, struct memdisk **out)
{
	return mount_image_flags(img, at, 0, out);
}

static void check_tree(const char *at, const char *host, bool written)
{
	char p[512], hp[512], buf[256];
	struct inode *a, *b;

	for (unsigned i = 0; i < NSIZES; i++) {
		if (written && (i == 1 || i == 15))
			continue; /* write_tree changed them */
		snprintf(p, sizeof(p), "%s/f%u", at, i);
		snprintf(hp, sizeof(hp), "%s/f%u", host, i);
		CHECK_MSG(same_file(p, hp), "%s (%zu bytes) reads as on the host", p, sizes[i]);
	}
	snprintf(p, sizeof(p), "%s/sparse", at);
	snprintf(hp, sizeof(hp), "%s/sparse", host);
	CHECK_MSG(same_file(p, hp), "sparse file");
	if (kpath_lookup(p, 0, &a) == 0) {
		CHECK(a->blocks < 64); /* two blocks and their pointers, not 5 MB */
		inode_put(a);
	}
	snprintf(p, sizeof(p), "%s/sub/deep/er/and/deeper/still/leaf", at);
	snprintf(hp, sizeof(hp), "%s/sub/deep/er/and/deeper/still/leaf", host);
	CHECK_MSG(same_file(p, hp), "deep file");
	snprintf(p, sizeof(p), "%s/big", at);
	CHECK_EQ(count_entries(p), BIGDIR + 2);
	snprintf(p, sizeof(p), "%s/fast", at);
	CHECK_EQ(read_link(p, buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "f3", 2) == 0);
	snprintf(p, sizeof(p), "%s/slow", at);
	CHECK_EQ(read_link(p, buf, sizeof(buf)), strlen(long_target));
	CHECK(memcmp(buf, long_target, strlen(long_target)) == 0);
	snprintf(p, sizeof(p), "%s/hard", at);
	snprintf(hp, sizeof(hp), "%s/f5", at);
	if (kpath_lookup(p, 0, &a) == 0 && kpath_lookup(hp, 0, &b) == 0) {
		CHECK(a == b);
		CHECK_EQ(a->nlink, 2);
		inode_put(a);
		inode_put(b);
	}
	snprintf(p, sizeof(p), "%s/f2", at);
	if (kpath_lookup(p, 0, &a) == 0) {
		CHECK_EQ(a->mode, S_IFREG | 0751);
		inode_put(a);
	}
	snprintf(p, sizeof(p), "%s/sub", at);
	if (kpath_lookup(p, 0, &a) == 0) {
		CHECK_EQ(a->mode, S_IFDIR | 01777);
		CHECK_EQ(a->nlink, written ? 4 : 3);
		inode_put(a);
	}
}

/* ---- Writing. ---- */

static int krename(const char *from, const char *to, unsigned flags)
{
	struct walk ow, nw;
	int err = walk_begin(&ow, AT_FDCWD, from, 0);

	if (!err && !(err = walk_begin(&nw, AT_FDCWD, to, 0))) {
		err = vfs_rename(&ow, &nw, flags);
		walk_end(&nw);
	}
	walk_end(&ow);
	return err;
}

static int make_file(const char *path, size_t size, uint64_t seed)
{
	struct inode *ino;
	uint8_t *p = malloc(size + 1);
	int err = kpath_mknod(path, S_IFREG | 0644, 0, &ino);

	fill_random(p, size, seed);
	if (!err) {
		/* In odd-sized pieces, so writes straddle block edges. */
		for (size_t off = 0; off < size && !err; off += 7777)
			if (kwrite(ino, off, p + off, MIN(7777, size - off)) != (long)MIN(7777, size - off))
				err = -EIO;
		inode_put(ino);
	}
	free(p);
	return err;
}

/* The file at path holds size bytes of seed's data. */
static bool has_content(const char *path, size_t size, uint64_t seed)
{
	uint8_t *want = malloc(size + 1), *got = malloc(size + 1);
	struct inode *ino;
	bool ok = false;

	fill_random(want, size, seed);
	if (kpath_lookup(path, 0, &ino) == 0) {
		ok = ino->size == size && kread(ino, 0, got, size) == (long)size &&
		     memcmp(got, want, size) == 0;
		inode_put(ino);
	}
	free(want);
	free(got);
	return ok;
}

static unsigned nlink_of(const char *path)
{
	struct inode *ino;
	unsigned n;

	if (kpath_lookup(path, 0, &ino))
		return 0;
	n = ino->nlink;
	inode_put(ino);
	return n;
}

#define NFILES 200
#define BIG_SIZE (3u << 20)

static void write_tree(const char *at)
{
	char p[512], q[512];
	struct inode *ino, *open;
	static const char zeros[4096];
	char buf[4096];

	snprintf(p, sizeof(p), "%s/w", at);
	CHECK_EQ(kpath_mkdir(p, 0755, NULL), 0);
	for (unsigned i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), "%s/w/n%u", at, i);
		CHECK_EQ(make_file(p, i * 37 % 3000, 1000 + i), 0);
	}
	snprintf(p, sizeof(p), "%s/w/big", at);
	CHECK_EQ(make_file(p, BIG_SIZE, 7), 0);
	CHECK(has_content(p, BIG_SIZE, 7));

	/* Shrink through an indirect block, then grow: the tail reads zeros. */
	snprintf(p, sizeof(p), "%s/f15", at);
	CHECK_EQ(kpath_lookup(p, 0, &ino), 0);
	CHECK_EQ(vfs_truncate(ino, 5000), 0);
	CHECK_EQ(vfs_truncate(ino, 100000), 0);
	CHECK_EQ(kread(ino, 5000, buf, sizeof(buf)), sizeof(buf));
	CHECK(memcmp(buf, zeros, sizeof(buf)) == 0);
	inode_put(ino);

	/* Sparse: one byte far out (double indirect with 1 KiB blocks). */
	snprintf(p, sizeof(p), "%s/w/sparse", at);
	CHECK_EQ(kpath_mknod(p, S_IFREG | 0600, 0, &ino), 0);
	CHECK_EQ(kwrite(ino, 40u << 20, "x", 1), 1);
	CHECK_EQ(ino->size, (40u << 20) + 1);
	CHECK(ino->blocks <= 4 * (4096 / 512));
	CHECK_EQ(kread(ino, 1 << 20, buf, sizeof(buf)), sizeof(buf));
	CHECK(memcmp(buf, zeros, sizeof(buf)) == 0);
	inode_put(ino);

	/* A deep path. */
	snprintf(p, sizeof(p), "%s", at);
	for (int i = 0; i < 30; i++) {
		strcat(p, "/d");
		CHECK_EQ(kpath_mkdir(p, 0700, NULL), 0);
	}
	strcat(p, "/bottom");
	CHECK_EQ(make_file(p, 12345, 55), 0);

	/* Renames: in a directory, across, over a file, a directory across. */
	snprintf(p, sizeof(p), "%s/w/n1", at);
	snprintf(q, sizeof(q), "%s/w/renamed", at);
	CHECK_EQ(krename(p, q, 0), 0);
	snprintf(p, sizeof(p), "%s/w/n2", at);
	snprintf(q, sizeof(q), "%s/sub/moved", at);
	CHECK_EQ(krename(p, q, 0), 0);
	snprintf(p, sizeof(p), "%s/w/n3", at);
	snprintf(q, sizeof(q), "%s/w/n4", at);
	CHECK_EQ(krename(p, q, 0), 0);
	snprintf(p, sizeof(p), "%s/w/dirA", at);
	CHECK_EQ(kpath_mkdir(p, 0755, NULL), 0);
	snprintf(p, sizeof(p), "%s/w/dirA/inner", at);
	CHECK_EQ(kpath_mkdir(p, 0755, NULL), 0);
	snprintf(p, sizeof(p), "%s/w/dirA", at);
	snprintf(q, sizeof(q), "%s/sub/dirB", at);
	CHECK_EQ(krename(p, q, 0), 0);
	snprintf(p, sizeof(p), "%s/sub", at);
	CHECK_EQ(nlink_of(p), 4);
	snprintf(p, sizeof(p), "%s/w", at);
	CHECK_EQ(nlink_of(p), 2);
	snprintf(p, sizeof(p), "%s/sub/dirB/inner/..", at);
	snprintf(q, sizeof(q), "%s/sub/dirB", at);
	{
		struct inode *a, *b;
		if (kpath_lookup(p, 0, &a) == 0 && kpath_lookup(q, 0, &b) == 0) {
			CHECK(a == b);
			inode_put(a);
			inode_put(b);
		} else {
			CHECK(0);
		}
	}
	/* A directory over an empty directory, and over a full one. */
	snprintf(p, sizeof(p), "%s/w/e1", at);
	CHECK_EQ(kpath_mkdir(p, 0755, NULL), 0);
	snprintf(q, sizeof(q), "%s/w/e2", at);
	CHECK_EQ(kpath_mkdir(q, 0755, NULL), 0);
	CHECK_EQ(krename(p, q, 0), 0);
	snprintf(p, sizeof(p), "%s/sub/dirB", at);
	CHECK_EQ(krename(q, p, 0), -ENOTEMPTY);
	/* Exchange a file and a directory across directories. */
	snprintf(p, sizeof(p), "%s/w/n6", at);
	snprintf(q, sizeof(q), "%s/sub/dirB/inner", at);
	CHECK_EQ(krename(p, q, RENAME_EXCHANGE), 0);
	snprintf(p, sizeof(p), "%s/w/n6/..", at);
	CHECK_EQ(kpath_lookup(p, 0, &ino), 0);
	snprintf(q, sizeof(q), "%s/w", at);
	CHECK_EQ(nlink_of(q), 4); /* ., .., e2, n6 */
	inode_put(ino);
	snprintf(p, sizeof(p), "%s/sub/dirB/inner", at);
	CHECK(has_content(p, 6 * 37, 1006));

	/* Links and unlinks, one of a file still open. */
	snprintf(p, sizeof(p), "%s/w/n5", at);
	snprintf(q, sizeof(q), "%s/sub/n5link", at);
	CHECK_EQ(kpath_link(p, q), 0);
	CHECK_EQ(nlink_of(q), 2);
	CHECK_EQ(kpath_unlink(p), 0);
	CHECK_EQ(nlink_of(q), 1);
	for (unsigned i = 100; i < 150; i++) {
		snprintf(p, sizeof(p), "%s/w/n%u", at, i);
		CHECK_EQ(kpath_unlink(p), 0);
	}
	snprintf(p, sizeof(p), "%s/w/n150", at);
	CHECK_EQ(kpath_lookup(p, 0, &open), 0);
	CHECK_EQ(kpath_unlink(p), 0);
	CHECK_EQ(kwrite(open, 0, zeros, sizeof(zeros)), sizeof(zeros));
	inode_put(open); /* the last reference: blocks and inode freed now */
	snprintf(p, sizeof(p), "%s/w/gone", at);
	CHECK_EQ(kpath_mkdir(p, 0755, NULL), 0);
	CHECK_EQ(kpath_rmdir(p), 0);
	snprintf(p, sizeof(p), "%s/sub", at);
	CHECK_EQ(kpath_rmdir(p), -ENOTEMPTY);

	/* Symlinks, fast and slow; a file appended to. */
	snprintf(p, sizeof(p), "%s/w/lfast", at);
	CHECK_EQ(kpath_symlink("n7", p, NULL), 0);
	snprintf(p, sizeof(p), "%s/w/lslow", at);
	CHECK_EQ(kpath_symlink(long_target, p, NULL), 0);
	CHECK_EQ(read_link(p, buf, sizeof(buf)), strlen(long_target));
	snprintf(p, sizeof(p), "%s/f1", at);
	CHECK_EQ(kpath_lookup(p, 0, &ino), 0);
	CHECK_EQ(kwrite(ino, ino->size, "appended", 8), 8);
	CHECK_EQ(ino->size, 9);
	CHECK_EQ(vfs_chmod(ino, 0600), 0);
	CHECK_EQ(vfs_chown(ino, 1234, 5678), 0);
	inode_put(ino);
}

static void check_written(const char *at)
{
	char p[512];
	struct inode *ino;

	snprintf(p, sizeof(p), "%s/w/big", at);
	CHECK(has_content(p, BIG_SIZE, 7));
	snprintf(p, sizeof(p), "%s/w/renamed", at);
	CHECK(has_content(p, 37, 1001));
	snprintf(p, sizeof(p), "%s/sub/moved", at);
	CHECK(has_content(p, 74, 1002));
	snprintf(p, sizeof(p), "%s/w/n4", at);
	CHECK(has_content(p, 111, 1003));
	snprintf(p, sizeof(p), "%s/w/n199", at);
	CHECK(has_content(p, 199 * 37 % 3000, 1199));
	snprintf(p, sizeof(p), "%s/w", at);
	/* . .. n0..n199 minus 1,2,3,5,6,100..150, big sparse renamed e2 n6 lfast lslow */
	CHECK_EQ(count_entries(p), 2 + NFILES - 5 - 51 + 7);
	snprintf(p, sizeof(p), "%s/f1", at);
	CHECK_EQ(kpath_lookup(p, 0, &ino), 0);
	CHECK_EQ(ino->mode, S_IFREG | 0600);
	CHECK_EQ(ino->uid, 1234);
	CHECK_EQ(ino->gid, 5678);
	inode_put(ino);
}

static void check_e2fsck(const char *img, const char *what)
{
	int st = sh("e2fsck -fn %s >%s.fsck 2>&1", img, img);

	CHECK_MSG(st == 0, "e2fsck -fn is clean after %s (exit %d)", what, st);
	if (st)
		sh("cat %s.fsck >&2", img);
}

static void check_debugfs(const char *img)
{
	char out[600];
	size_t n;
	uint8_t *got, *want = malloc(BIG_SIZE);

	snprintf(out, sizeof(out), "%s.big", img);
	CHECK_EQ(sh("debugfs -R 'dump /w/big %s' %s >/dev/null 2>&1", out, img), 0);
	got = file_load(out, &n);
	fill_random(want, BIG_SIZE, 7);
	CHECK_MSG(got && n == BIG_SIZE && memcmp(got, want, n) == 0, "debugfs reads /w/big back");
	CHECK_EQ(sh("debugfs -R 'stat /sub/dirB/inner' %s 2>/dev/null | grep -q 'Size: 222'", img), 0);
	free(got);
	free(want);
}

static unsigned referenced_inodes(struct super *sb)
{
	unsigned n = 0;

	for (struct ext2_inode_info *e = esb(sb)->inodes; e; e = e->next)
		n += e->vfs.refs && &e->vfs != sb->root;
	return n;
}

static void test_image(unsigned bs)
{
	char tree[300], img[300], at[32], again[32];
	struct memdisk *m, *m2;
	struct super *sb, *sb2;
	struct kstatfs st;

	snprintf(tree, sizeof(tree), "%s/tree", workdir);
	snprintf(img, sizeof(img), "%s/img%u", workdir, bs);
	snprintf(at, sizeof(at), "/mnt%u", bs);
	snprintf(again, sizeof(again), "/again%u", bs);
	make_tree(tree);
	if (mkfs(img, bs, tree, "64M")) {
		CHECK_MSG(0, "mke2fs -t ext2 -d (e2fsprogs) is needed");
		return;
	}
	if (!(sb = mount_image(img, at, &m))) {
		CHECK_MSG(0, "the %u-byte-block image mounts", bs);
		return;
	}
	CHECK_EQ(sb->statfs(sb, &st), 0);
	CHECK_EQ(st.bsize, bs);
	CHECK_EQ(st.type, EXT2_MAGIC);
	check_tree(at, tree, false);
	write_tree(at);
	check_written(at);
	CHECK_EQ(referenced_inodes(sb), 0);
	CHECK_EQ(sb->sync(sb, true), 0);
	CHECK(m->flushes > 0);
	/* A sync with nothing new written asks for no second flush (what was
	 * flushed is stable); a new write makes the next one flush again. */
	{
		unsigned long flushes = m->flushes, writes = m->writes;

		CHECK_EQ(sb->sync(sb, true), 0);
		CHECK_EQ(m->flushes, flushes);
		CHECK_EQ(m->writes, writes);
		char p[300];

		snprintf(p, sizeof(p), "%s/flushed-again", at);
		CHECK_EQ(make_file(p, 5000, 3), 0);
		CHECK_EQ(kpath_unlink(p), 0);
		CHECK_EQ(sb->sync(sb, true), 0);
		CHECK(m->writes > writes);
		CHECK_EQ(m->flushes, flushes + 1);
	}
	file_save(img, m->data, m->size);
	check_e2fsck(img, "writing");
	check_debugfs(img);
	if ((sb2 = mount_image(img, again, &m2)) != NULL) {
		check_tree(again, tree, true);
		check_written(again);
	} else {
		CHECK_MSG(0, "the written image mounts again");
	}
}

/* ---- Asynchronous read-ahead over a disk that completes reads later. ---- */

static struct memdisk *slow_disk;

/* The disk's queued reads complete (a failing range with -EIO). */
static bool complete_queued(void)
{
	struct memdisk *m = slow_disk;
	unsigned n = m->nqueued;

	for (unsigned i = 0; i < n; i++) {
		struct block_request *req = m->queued[i];
		bool bad = req->sector < m->fail_to && req->sector + req->count > m->fail_from;

		if (!bad)
			block_req_copy(req, m->data + req->sector * 512, true);
		req->done(req, bad ? -EIO : 0);
	}
	memmove(m->queued, m->queued + n, (m->nqueued - n) * sizeof(m->queued[0]));
	m->nqueued -= n;
	return n > 0;
}

static bool read_chunks(struct inode *ino, uint64_t from, uint64_t to, const uint8_t *want)
{
	static uint8_t got[64 * 1024];

	for (uint64_t off = from; off < to; off += sizeof(got)) {
		size_t n = (size_t)MIN(sizeof(got), to - off);
		if (kread(ino, off, got, n) != (long)n || memcmp(got, want + off, n) != 0)
			return false;
	}
	return true;
}

/* A sequential read keeps a window in flight while it copies the last
 * one, stops its read-ahead at the end of the file, and a failed
 * read-ahead costs the reader an error only for what failed: the blocks
 * read again once the disk is well. */
static void test_read_ahead(void)
{
	enum { SIZE = 3 << 20 };
	char tree[300], img[300], p[320];
	struct inode *ino;
	size_t hsize;
	uint8_t *want, *want2;
	struct super *sb;

	snprintf(tree, sizeof(tree), "%s/ra-tree", workdir);
	snprintf(img, sizeof(img), "%s/ra-img", workdir);
	snprintf(p, sizeof(p), "%s/big", tree);
	sh("mkdir -p %s", tree);
	host_file(p, SIZE, 42);
	snprintf(p, sizeof(p), "%s/big2", tree);
	host_file(p, SIZE, 43);
	want2 = file_load(p, &hsize);
	snprintf(p, sizeof(p), "%s/big", tree);
	want = file_load(p, &hsize);
	if (!want || mkfs(img, 4096, tree, "16M") || !(sb = mount_image(img, "/ra", &slow_disk))) {
		CHECK_MSG(0, "the read-ahead image mounts");
		free(want);
		return;
	}
	CHECK_EQ(kpath_lookup("/ra/big", 0, &ino), 0);
	slow_disk->deferred = true;
	env_sleep_hook = complete_queued;
	uint64_t before = slow_disk->read_sectors;
	CHECK_MSG(read_chunks(ino, 0, SIZE, want), "the file reads as on the host");
	CHECK_MSG(slow_disk->max_queued >= 2, "a read-ahead was in flight beside the read (%u)",
		  slow_disk->max_queued);
	uint64_t read = (slow_disk->read_sectors - before) * 512;
	CHECK_MSG(read <= SIZE + 64 * 1024, /* the first blocks came with the inode table */
		  "read-ahead stops at the end of the file (%llu bytes read for %d)",
		  (unsigned long long)read, SIZE);
	CHECK_EQ(slow_disk->nqueued, 0);

	/* Again from a cold cache, with the middle of the file failing. */
	inode_put(ino);
	CHECK_EQ(bcache_sync(&slow_disk->bd, BCACHE_NO_FLUSH), 0);
	CHECK_EQ(kpath_lookup("/ra/big", 0, &ino), 0);
	uint32_t mid;
	CHECK_EQ(ext2_bmap(ino, (SIZE / 2) / 4096, false, &mid), 0);
	slow_disk->fail_from = (uint64_t)mid * 8;
	slow_disk->fail_to = slow_disk->fail_from + 8;
	inode_put(ino);
	CHECK_EQ(bcache_invalidate(&slow_disk->bd), 0); /* a cold cache */
	CHECK_EQ(kpath_lookup("/ra/big", 0, &ino), 0);
	CHECK_MSG(read_chunks(ino, 0, SIZE / 2, want),
		  "the blocks before the bad one read, though a window held it");
	static uint8_t got[64 * 1024];
	CHECK_MSG(kread(ino, SIZE / 2, got, sizeof(got)) == -EIO, "the bad block is an error");
	CHECK_MSG(read_chunks(ino, SIZE / 2 + 4096, SIZE, want), "the blocks after it read");
	slow_disk->fail_from = slow_disk->fail_to = 0;
	CHECK_MSG(read_chunks(ino, 0, SIZE, want), "once the disk is well, all of it reads");
	inode_put(ino);
	complete_queued();
	env_sleep_hook = NULL;
	slow_disk->deferred = false;

	/* Two readers taking turns each keep their own growing windows. */
	struct inode *ino2;
	CHECK_EQ(bcache_invalidate(&slow_disk->bd), 0);
	CHECK_EQ(kpath_lookup("/ra/big", 0, &ino), 0);
	CHECK_EQ(kpath_lookup("/ra/big2", 0, &ino2), 0);
	unsigned long requests = slow_disk->read_requests;
	bool same = true;
	for (uint64_t off = 0; off < SIZE; off += 64 * 1024)
		same &= read_chunks(ino, off, off + 64 * 1024, want) &&
			read_chunks(ino2, off, off + 64 * 1024, want2);
	CHECK_MSG(same, "both files read as on the host, in turns");
	requests = slow_disk->read_requests - requests;
	/* Each file: windows of 16, 32, 64, then 128 blocks (512 KiB) to its
	 * end, about 9 requests, and a little metadata; 27 when the two share
	 * one stream (seen with STREAMS 1). */
	CHECK_MSG(requests <= 22, "two interleaved 3 MiB reads took %lu requests", requests);
	inode_put(ino);
	inode_put(ino2);
	free(want);
	free(want2);
}

/* MS_RDONLY: everything reads, nothing changes (EROFS), the disk untouched. */
static void test_read_only(void)
{
	char img[300];
	struct memdisk *m;
	struct inode *ino;
	struct file *f;
	uint8_t *before;
	size_t size;

	snprintf(img, sizeof(img), "%s/img1024", workdir);
	if (!(before = file_load(img, &size)) || !mount_image_flags(img, "/ro", MS_RDONLY, &m)) {
		CHECK_MSG(0, "read-only mount");
		free(before);
		return;
	}
	CHECK(has_content("/ro/w/big", BIG_SIZE, 7));
	CHECK_EQ(kpath_mknod("/ro/new", S_IFREG | 0644, 0, NULL), -EROFS);
	CHECK_EQ(kpath_mkdir("/ro/newdir", 0755, NULL), -EROFS);
	CHECK_EQ(kpath_unlink("/ro/f0"), -EROFS);
	CHECK_EQ(krename("/ro/f0", "/ro/g0", 0), -EROFS);
	CHECK_EQ(vfs_open_kernel("/ro/f0", O_WRONLY, &f), -EROFS);
	CHECK_EQ(kpath_lookup("/ro/f0", 0, &ino), 0);
	CHECK_EQ(vfs_chmod(ino, 0600), -EROFS);
	CHECK_EQ(vfs_truncate(ino, 0), -EROFS);
	CHECK_EQ(kwrite(ino, 0, "x", 1), -EROFS);
	inode_put(ino);
	vfs_sync_all();
	CHECK(m->writes == 0 && memcmp(m->data, before, size) == 0);
	free(before);
}

/* ---- Damaged images. ---- */

static struct memdisk *fuzz_disk;

/* Everything reachable from dir, read; bounded in depth and breadth so a
 * loop on the disk cannot make the test loop. */
struct names {
	char name[16][256];
	unsigned n;
};

static int names_fill(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type,
		      uint64_t next)
{
	struct names *ns = ctx;

	(void)ino, (void)type, (void)next;
	if (ns->n == 16)
		return 1;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	memcpy(ns->name[ns->n], name, len);
	ns->name[ns->n++][len] = '\0';
	return 0;
}

static void walk_all(struct inode *dir, int depth)
{
	struct names *ns = calloc(1, sizeof(*ns));
	uint64_t pos = 0;
	static char buf[65536];

	dir->ops->readdir(dir, &pos, names_fill, ns);
	for (unsigned i = 0; i < ns->n; i++) {
		struct inode *c;

		if (dir->ops->lookup(dir, ns->name[i], strlen(ns->name[i]), &c))
			continue;
		if (mode_is(c->mode, S_IFDIR) && depth < 6)
			walk_all(c, depth + 1);
		else if (mode_is(c->mode, S_IFREG))
			kread(c, 0, buf, MIN(c->size, sizeof(buf)));
		else if (mode_is(c->mode, S_IFLNK))
			c->ops->readlink(c, buf, sizeof(buf));
		inode_put(c);
	}
	free(ns);
}

/* Mounts the damaged image (if it mounts), reads it all, writes a little. */
static int try_image(uint8_t *data, size_t size)
{
	struct super *sb;
	struct inode *root, *f;
	int err;

	CHECK_EQ(bcache_invalidate(&fuzz_disk->bd), 0); /* the last image's blocks */
	fuzz_disk->data = data;
	fuzz_disk->size = size;
	if ((err = ext2_mount(&fuzz_disk->bd, 0, NULL, &sb)) != 0)
		return err;
	root = sb->root;
	walk_all(root, 0);
	if (!esb(sb)->read_only && root->ops->create(root, "new", 3, S_IFREG | 0644, 0, &f) == 0) {
		kwrite(f, 0, data, 5000);
		inode_put(f);
		root->ops->unlink(root, "new", 3);
	}
	CHECK_EQ(referenced_inodes(sb), 0);
	ext2_release(sb);
	CHECK_MSG(bcache_invalidate(&fuzz_disk->bd) == 0, "no block left referenced");
	return 0;
}

struct damage {
	const char *what;
	size_t off;     /* byte in the image, or from a helper below */
	uint32_t value; /* little-endian */
	unsigned width;
	bool mounts;    /* whether mounting should still succeed */
};

static void put_le(uint8_t *p, uint32_t v, unsigned width)
{
	for (unsigned i = 0; i < width; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Where things are in a pristine image: from its superblock and group 0. */
struct layout {
	unsigned bs, isz;
	size_t itable, root_inode, root_block;
};

static struct layout layout_of(const uint8_t *img)
{
	struct layout l;
	const uint8_t *gd;

	l.bs = 1024u << get_le32(img + 1024 + 24);
	l.isz = img[1024 + 88] | img[1024 + 89] << 8;
	gd = img + (size_t)(l.bs == 1024 ? 2 : 1) * l.bs;
	l.itable = (size_t)get_le32(gd + 8) * l.bs;
	l.root_inode = l.itable + l.isz; /* inode 2 */
	l.root_block = (size_t)get_le32(img + l.root_inode + 40) * l.bs;
	return l;
}

/* Where "big" (300000 bytes: direct and single indirect blocks) lives. */
static bool find_big(uint8_t *img, size_t size, uint32_t *ino, uint32_t *ind)
{
	struct super *sb;
	struct inode *big;
	bool ok = false;

	CHECK_EQ(bcache_invalidate(&fuzz_disk->bd), 0);
	fuzz_disk->data = img;
	fuzz_disk->size = size;
	if (ext2_mount(&fuzz_disk->bd, MS_RDONLY, NULL, &sb))
		return false;
	if (sb->root->ops->lookup(sb->root, "big", 3, &big) == 0) {
		*ino = (uint32_t)big->ino;
		*ind = ei(big)->block[EXT2_IND];
		ok = *ind != 0;
		inode_put(big);
	}
	ext2_release(sb);
	return ok;
}

/* Reads all of "big" from the damaged image: the error, or the bytes read. */
static long read_big(uint8_t *img, size_t size)
{
	static char buf[300000];
	struct super *sb;
	struct inode *big;
	long n = -ENOENT;

	CHECK_EQ(bcache_invalidate(&fuzz_disk->bd), 0);
	fuzz_disk->data = img;
	fuzz_disk->size = size;
	if (ext2_mount(&fuzz_disk->bd, 0, NULL, &sb))
		return -EINVAL;
	if (sb->root->ops->lookup(sb->root, "big", 3, &big) == 0) {
		n = kread(big, 0, buf, sizeof(buf));
		int err = vfs_truncate(big, 0); /* frees what it can, never a wild block */
		CHECK(err == 0 || err == -EIO);
		inode_put(big);
	}
	ext2_release(sb);
	return n;
}

/* Block pointers of a file made garbage: in the inode, in its indirect block. */
static void test_bad_pointers(const uint8_t *clean, size_t size, const struct layout *l)
{
	uint8_t *copy = malloc(size);
	uint32_t ino, ind;
	size_t slot;

	memcpy(copy, clean, size);
	if (!find_big(copy, size, &ino, &ind)) {
		CHECK_MSG(0, "big found in the small image");
		free(copy);
		return;
	}
	slot = l->itable + (size_t)(ino - 1) * l->isz; /* group 0 in a small image */
	memcpy(copy, clean, size);
	put_le(copy + slot + 40 + 4 * EXT2_IND, 0xfffffff0, 4);
	CHECK_EQ(read_big(copy, size), 12 * l->bs); /* the direct blocks, then EIO */
	memcpy(copy, clean, size);
	for (unsigned i = 0; i < l->bs / 4; i++)
		put_le(copy + (size_t)ind * l->bs + 4 * i, 0x80000000u + i, 4);
	CHECK_EQ(read_big(copy, size), 12 * l->bs);
	memcpy(copy, clean, size);
	put_le(copy + slot + 40, 0x7fffffff, 4); /* the first direct pointer */
	CHECK_EQ(read_big(copy, size), -EIO);
	free(copy);
}

static void test_damage(unsigned bs)
{
	char tree[300], img[300];
	size_t size;
	uint8_t *clean, *copy;
	struct layout l;

	snprintf(tree, sizeof(tree), "%s/tree", workdir);
	snprintf(img, sizeof(img), "%s/small%u", workdir, bs);
	sh("rm -rf %s/small && mkdir -p %s/small/d/e && echo hello > %s/small/d/e/f && "
	   "ln -s f %s/small/d/e/l && head -c 300000 /dev/zero | tr '\\0' x > %s/small/big",
	   workdir, workdir, workdir, workdir, workdir);
	snprintf(tree, sizeof(tree), "%s/small", workdir);
	if (mkfs(img, bs, tree, "2M") || !(clean = file_load(img, &size)))
		return;
	l = layout_of(clean);
	copy = malloc(size);
	{
		const struct damage cases[] = {
			{ "magic", 1024 + 56, 0x1234, 2, false },
			{ "block size", 1024 + 24, 9, 4, false },
			{ "block count", 1024 + 4, 0x7fffffff, 4, false },
			{ "inodes per group", 1024 + 40, 0, 4, false },
			{ "blocks per group", 1024 + 32, 0, 4, false },
			{ "inode count", 1024 + 0, 12345, 4, false },
			{ "inode size", 1024 + 88, 100, 2, false },
			{ "first data block", 1024 + 20, 7, 4, false },
			{ "incompatible feature", 1024 + 96, 0x80000, 4, false },
			{ "inode table", (size_t)(bs == 1024 ? 2 : 1) * bs + 8, 0xfffffff0, 4, false },
			{ "block bitmap", (size_t)(bs == 1024 ? 2 : 1) * bs + 0, 0, 4, false },
			{ "root mode", l.root_inode + 0, 0, 2, false },
			{ "root link count", l.root_inode + 26, 0, 2, false },
			{ "root block pointer", l.root_inode + 40, 0xffffff00, 4, true },
			{ "dirent rec_len", l.root_block + 4, 3, 2, true },
			{ "dirent rec_len past block", l.root_block + 16, 0xfff0, 2, true },
			{ "dirent name_len", l.root_block + 12 + 6, 250, 1, true },
			{ "dirent inode", l.root_block + 24, 0x7ffffff, 4, true },
			{ "read-only feature", 1024 + 100, 0x8000, 4, true },
		};

		for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const struct damage *d = &cases[i];
			int err;

			memcpy(copy, clean, size);
			put_le(copy + d->off, d->value, d->width);
			err = try_image(copy, size);
			CHECK_MSG(d->mounts ? err == 0 : err != 0, "%u: damaged %s: mount gives %d", bs,
				  d->what, err);
		}
	}
	test_bad_pointers(clean, size, &l);
	/* Random bytes in the metadata (superblock, descriptors, bitmaps,
	 * inode table, first directory blocks): whatever happens, no crash. */
	for (unsigned round = 0; round < 300; round++) {
		size_t meta = MIN(size, l.itable + 64 * l.isz + 8 * l.bs);

		memcpy(copy, clean, size);
		for (unsigned k = 0, n = 1 + (unsigned)rng_below(12); k < n; k++)
			copy[rng_below(meta)] = (uint8_t)rng();
		try_image(copy, size);
	}
	free(copy);
	free(clean);
}

/* "d/.." made to name d/e, whose ".." names d: a rename there must end
 * (EINVAL), not walk the loop forever. Last: the mount stays. */
static void test_dotdot_loop(void)
{
	char img[300];
	size_t size;
	uint8_t *data;
	struct super *sb;
	struct inode *d, *e, *dir;
	uint32_t block, eino;
	unsigned bs;

	snprintf(img, sizeof(img), "%s/small1024", workdir);
	if (!(data = file_load(img, &size)))
		return;
	CHECK_EQ(bcache_invalidate(&fuzz_disk->bd), 0);
	fuzz_disk->data = data;
	fuzz_disk->size = size;
	if (ext2_mount(&fuzz_disk->bd, 0, NULL, &sb) != 0) {
		CHECK_MSG(0, "small image mounts");
		return;
	}
	CHECK_EQ(sb->root->ops->lookup(sb->root, "d", 1, &d), 0);
	CHECK_EQ(d->ops->lookup(d, "e", 1, &e), 0);
	block = ei(d)->block[0];
	eino = (uint32_t)e->ino;
	bs = esb(sb)->block_size;
	inode_put(e);
	inode_put(d);
	ext2_release(sb);
	put_le(data + (size_t)block * bs + 12, eino, 4); /* the second record: ".." */
	CHECK_EQ(bcache_invalidate(&fuzz_disk->bd), 0);
	CHECK_EQ(ext2_mount(&fuzz_disk->bd, 0, NULL, &sb), 0);
	kpath_mkdir("/loop", 0755, NULL);
	CHECK_EQ(kpath_lookup("/loop", WALK_DIRECTORY, &dir), 0);
	CHECK_EQ(vfs_mount(sb, dir), 0);
	inode_put(dir);
	CHECK_EQ(krename("/loop/d/e/f", "/loop/d/e/g", 0), -EINVAL);
	CHECK(has_content("/loop/big", 0, 0) == false); /* still answers */
}

int main(void)
{
	rng_init("host_ext2");
	if (!mkdtemp(workdir)) {
		perror("mkdtemp");
		return 1;
	}
	env_setup();
	test_image(1024);
	test_image(4096);
	test_read_only();
	test_read_ahead();
	fuzz_disk = md_new(NULL, 0);
	fuzz_disk->bd.sectors = 4096; /* 2 MiB images */
	CHECK_EQ(blockdev_register(&fuzz_disk->bd), 0);
	test_damage(1024);
	test_damage(4096);
	test_dotdot_loop();
	if (!t_failed)
		sh("rm -rf %s", workdir);
	return test_done("host_ext2");
}
