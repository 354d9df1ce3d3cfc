/* libFuzzer target: ext2 (kern/fs/ext2 over kern/block's cache) on an
 * arbitrary image, through a disk in host memory.
 *
 * The input is the start of a 512 KiB disk, the rest zeros (so a seed can
 * be an image with its zero tail cut off). Mount; if it mounts, read every
 * file and link of the tree, and on a writable mount create, write and
 * remove a file; then release it. A damaged image may fail any of these
 * with an error, never crash (ASan/UBSan), and must leave no inode or
 * block referenced. */
#include <stdlib.h>
#include <string.h>

#include <frame/errno.h>
#include "block/block.h"
#include "block/cache.h"
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
		memcpy(req->buf, disk + off, n);
	else if (req->op == BLOCK_WRITE)
		memcpy(disk + off, req->buf, n);
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

static void write_a_file(struct inode *root)
{
	static const char text[5000] = "a file written on a damaged file system";
	struct iobuf b = iobuf_kernel((void *)(uintptr_t)text);
	struct inode *f;

	if (root->ops->create(root, "new", 3, S_IFREG | 0644, 0, &f) != 0)
		return;
	f->ops->write(f, 0, &b, sizeof(text));
	inode_put(f);
	root->ops->unlink(root, "new", 3);
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
		if (!esb(sb)->read_only)
			write_a_file(sb->root);
		if (referenced_inodes(sb) != 0)
			abort(); /* an inode reference leaked on some error path */
		ext2_release(sb);
	}
	if (bcache_invalidate(&bd) != 0)
		abort(); /* a block left referenced */
	return 0;
}
