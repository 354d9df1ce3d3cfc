/* libFuzzer target: ext2 (kern/fs/ext2 over kern/block's cache) on an
 * arbitrary image, through a disk in host memory.
 *
 * The input is the start of a 512 KiB disk, the rest zeros (so a seed can
 * be an image with its zero tail cut off). Mount; if it mounts, read every
 * file and link of the tree; on a writable mount, make, change and remove
 * new files and directories, and truncate, unlink and remove old ones;
 * then release it. A damaged image may fail any of these
 * with an error, never crash (ASan/UBSan), and must leave no inode or
 * block referenced. */
#include <stdlib.h>
#include <string.h>

#include <frame/errno.h>
#include "block/block.h"
#include "block/cache.h"
#include "block_req_copy.h"
#include "fs/ext2/ext2.h"
#include "fs/iobuf.h"
#include "fuzz_tree.h"
#include "test_vfs_env.h"

#define DISK_SIZE (512u * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t disk[DISK_SIZE];

static int disk_submit(struct blockdev *bd, struct block_request *req)
{
	size_t off = req->sector * 512, n = (size_t)req->count * 512;

	(void)bd;
	if (req->op != BLOCK_FLUSH && (off > DISK_SIZE || n > DISK_SIZE - off)) {
		req->done(req, -EIO);
		return 0;
	}
	if (req->op == BLOCK_READ)
		block_req_copy(req, disk + off, true);
	else if (req->op == BLOCK_WRITE)
		block_req_copy(req, disk + off, false);
	req->done(req, 0);
	return 0;
}

static const struct blockdev_ops disk_ops = { .submit = disk_submit };
static struct blockdev bd = { .name = "fuzz", .sectors = DISK_SIZE / 512, .sector_size = 512,
			      .ops = &disk_ops };

static unsigned referenced_inodes(struct super *sb)
{
	unsigned n = 0;

	for (struct ext2_inode_info *e = esb(sb)->inodes; e; e = e->next)
		n += e->vfs.refs && &e->vfs != sb->root;
	return n;
}

static long write_text(struct inode *f, uint64_t off)
{
	static const char text[5000] = "a file written on a damaged file system";
	struct iobuf b = iobuf_kernel((void *)(uintptr_t)text);

	return f->ops->write(f, off, &b, sizeof(text));
}

/* New names: a directory with a file (past a direct block's worth), a
 * symlink, a rename out of it, a truncation; then all removed again. */
static void write_new(struct inode *root)
{
	struct inode *d, *f, *l;

	if (root->ops->mkdir(root, "d", 1, S_IFDIR | 0755, &d) != 0)
		return;
	if (d->ops->create(d, "f", 1, S_IFREG | 0644, 0, &f) == 0) {
		write_text(f, 0);
		write_text(f, 70000); /* an indirect block */
		f->ops->truncate(f, 100);
		inode_put(f);
	}
	if (d->ops->symlink(d, "l", 1, "f", 1, &l) == 0)
		inode_put(l);
	d->ops->rename(d, "f", 1, root, "g", 1, 0);
	root->ops->unlink(root, "g", 1);
	d->ops->unlink(d, "l", 1);
	inode_put(d);
	root->ops->rmdir(root, "d", 1);
}

/* Old names, from the (damaged) image: the first regular file truncated
 * and appended to, the first other non-directory unlinked, the first
 * empty-looking directory removed: the paths that free what the disk's
 * block pointers and bitmaps claim. Names come from readdir; the VFS would
 * never pass one with '/' or NUL, so neither does this. */
static void change_old(struct inode *root)
{
	char names[8][256];
	size_t lens[8];
	unsigned n = fuzz_names(root, names, lens, 8);
	bool truncated = false, unlinked = false, removed = false;

	for (unsigned i = 0; i < n; i++) {
		struct inode *c;

		if (memchr(names[i], '/', lens[i]) || memchr(names[i], '\0', lens[i]) ||
		    root->ops->lookup(root, names[i], lens[i], &c))
			continue;
		if (mode_is(c->mode, S_IFREG) && !truncated) {
			truncated = true;
			c->ops->truncate(c, c->size / 2);
			write_text(c, c->size);
		} else if (mode_is(c->mode, S_IFDIR) && !removed) {
			removed = true;
			inode_put(c);
			root->ops->rmdir(root, names[i], lens[i]);
			continue;
		} else if (!mode_is(c->mode, S_IFDIR) && !unlinked) {
			unlinked = true;
			inode_put(c);
			root->ops->unlink(root, names[i], lens[i]);
			continue;
		}
		inode_put(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct super *sb;

	if (!ready) {
		env_setup();
		if (blockdev_register(&bd) != 0)
			abort();
		ready = true;
	}
	memset(disk, 0, sizeof(disk));
	memcpy(disk, data, size < sizeof(disk) ? size : sizeof(disk));
	if (ext2_mount(&bd, 0, NULL, &sb) == 0) {
		fuzz_walk(sb->root, 0);
		if (!esb(sb)->read_only) {
			write_new(sb->root);
			change_old(sb->root);
		}
		if (referenced_inodes(sb) != 0)
			abort(); /* an inode reference leaked on some error path */
		ext2_release(sb);
	}
	if (bcache_invalidate(&bd) != 0)
		abort(); /* a block left referenced */
	return 0;
}
