/* ext2 file data: reads (holes read as zeros), writes that allocate only
 * the blocks they touch (sparse files stay sparse), truncation, symlink
 * targets. */
#include <frame/errno.h>
#include <string.h>
#include "fs/ext2/ext2.h"
#include "fs/iobuf.h"

/* How many disk blocks a read of lblock may want after it: the file's
 * blocks left, and the indirect blocks ext2 puts among them (one per
 * addr_per_block data blocks, a few more at the edges of the tree). */
static uint64_t blocks_after(struct inode *ino, uint64_t lblock)
{
	struct ext2_sb *s = ino_sb(ino);
	uint64_t blocks = (ino->size + s->block_size - 1) / s->block_size;
	uint64_t left = blocks > lblock + 1 ? blocks - lblock - 1 : 0;

	return left ? left + left / s->addr_per_block + 3 : 0;
}

/* File blocks [first, first + n) lie on the disk from pblock on (a read's
 * last mapping: the file system lock is held across the read, so it
 * stays true). */
struct mapped_run {
	uint64_t first;
	uint32_t pblock, n;
};

/* The disk block of lblock (0: a hole), from the run if it is there, else
 * from a walk that maps as long a run as the transfer may want. */
static int map_block(struct inode *ino, uint64_t lblock, uint64_t last, bool write,
		     struct mapped_run *run, uint32_t *pblock)
{
	int err;

	if (write)
		return ext2_bmap(ino, lblock, true, pblock);
	if (run->n && lblock >= run->first && lblock - run->first < run->n) {
		*pblock = run->pblock + (uint32_t)(lblock - run->first);
		return 0;
	}
	err = ext2_bmap_run(ino, lblock, false, (uint32_t)MIN(last - lblock + 1, 1024u), pblock,
			    &run->n);
	run->first = lblock;
	run->pblock = *pblock;
	if (err || !*pblock)
		run->n = 0;
	return err;
}

/* Copies one block's part [in, in + n) to or from buf at done. */
static int move_block(struct inode *ino, uint64_t lblock, unsigned in, size_t n,
		      const struct iobuf *buf, size_t done, bool write, uint32_t pblock)
{
	struct ext2_sb *s = ino_sb(ino);
	struct bbuf *bb;
	int err;

	if (!pblock)
		return iobuf_zero(buf, done, n);
	if (write && n == s->block_size)
		err = bcache_get_overwrite(s->bd, pblock, &bb);
	else if (write)
		err = bcache_get(s->bd, pblock, true, &bb);
	else
		err = bcache_read(s->bd, pblock, blocks_after(ino, lblock), &bb);
	if (err)
		return err;
	if (!write) {
		err = iobuf_copy_to(buf, done, bb->data + in, n);
	} else if ((err = iobuf_copy_from(bb->data + in, buf, done, n)) == 0) {
		bcache_mark_dirty(bb);
	}
	bcache_put(bb);
	return err;
}

static long transfer(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len, bool write)
{
	unsigned bs = ino_sb(ino)->block_size;
	uint64_t last = len ? (off + len - 1) / bs : 0;
	struct mapped_run run = { 0 };
	size_t done = 0;
	uint32_t pblock;
	int err = 0;

	while (done < len) {
		uint64_t pos = off + done;
		unsigned in = (unsigned)(pos % bs);
		size_t n = MIN(len - done, (size_t)(bs - in));

		if ((err = map_block(ino, pos / bs, last, write, &run, &pblock)) != 0 ||
		    (err = move_block(ino, pos / bs, in, n, buf, done, write, pblock)) != 0)
			break;
		done += n;
		if (write && pos + n > ino->size)
			ino->size = pos + n;
	}
	return done ? (long)done : err;
}

long ext2_read(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len)
{
	struct ext2_sb *s = ino_sb(ino);
	long n;

	ext2_lock(s);
	n = transfer(ino, off, buf, len, false);
	ext2_unlock(s);
	return n;
}

long ext2_write(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len)
{
	struct ext2_sb *s = ino_sb(ino);
	long n;

	if (s->read_only)
		return -EROFS;
	ext2_lock(s);
	n = transfer(ino, off, buf, len, true);
	ext2_write_inode(ino);
	ext2_unlock(s);
	return n;
}

/* Zeroes the part of the last block past size, so that growing the file
 * again shows zeros there. */
static int zero_tail(struct inode *ino, uint64_t size)
{
	struct ext2_sb *s = ino_sb(ino);
	unsigned in = (unsigned)(size % s->block_size);
	struct bbuf *bb;
	uint32_t pblock;
	int err;

	if (!in || (err = ext2_bmap(ino, size / s->block_size, false, &pblock)) != 0 || !pblock)
		return in ? err : 0;
	if ((err = bcache_get(s->bd, pblock, true, &bb)) != 0)
		return err;
	memset(bb->data + in, 0, s->block_size - in);
	bcache_mark_dirty(bb);
	bcache_put(bb);
	return 0;
}

int ext2_truncate_locked(struct inode *ino, uint64_t size)
{
	unsigned bs = ino_sb(ino)->block_size;
	int err = 0;

	if (size < ino->size) {
		if ((err = zero_tail(ino, size)) == 0)
			err = ext2_free_from(ino, (size + bs - 1) / bs);
	}
	if (!err)
		ino->size = size;
	ext2_write_inode(ino);
	return err;
}

/* The size past which the block tree cannot address. */
static uint64_t max_size(const struct ext2_sb *s)
{
	uint64_t apb = s->addr_per_block;

	return (EXT2_NDIR + apb + apb * apb + apb * apb * apb) * s->block_size;
}

int ext2_truncate(struct inode *ino, uint64_t size)
{
	struct ext2_sb *s = ino_sb(ino);
	int err;

	if (s->read_only)
		return -EROFS;
	if (size > max_size(s))
		return -EFBIG;
	ext2_lock(s);
	err = ext2_truncate_locked(ino, size);
	ext2_unlock(s);
	return err;
}

long ext2_readlink(struct inode *ino, char *buf, size_t size)
{
	struct ext2_sb *s = ino_sb(ino);
	struct iobuf b = iobuf_kernel(buf);
	uint64_t acl = ei(ino)->file_acl ? s->block_size / 512 : 0;
	size_t n = MIN(size, ino->size);
	long r;

	if (ino->blocks == acl) { /* fast: the target lives in i_block */
		if (ino->size > EXT2_FAST_LINK_MAX) {
			ext2_error(s, "bad fast symlink size in inode", ino->ino);
			return -EIO;
		}
		memcpy(buf, ei(ino)->block, n);
		return (long)n;
	}
	if (ino->size >= s->block_size) {
		ext2_error(s, "bad symlink size in inode", ino->ino);
		return -EIO;
	}
	ext2_lock(s);
	r = transfer(ino, 0, &b, n, false);
	ext2_unlock(s);
	return r;
}
