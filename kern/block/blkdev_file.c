/* Block device nodes opened as files (/dev/vda, /dev/vda1): reads and
 * writes at any byte offset go through the block cache, so they see what
 * a mounted file system sees; fsync writes the cache back (fs/sync.c).
 * ioctls: the sizes (BLKGETSIZE64, BLKGETSIZE, BLKSSZGET, BLKBSZGET,
 * BLKPBSZGET), BLKROGET, and BLKFLSBUF (write back and drop the cache). */
#include <frame/errno.h>
#include <frame/uaccess.h>
#include "block/blkdev_file.h"
#include "block/block.h"
#include "block/cache.h"
#include "fs/fcntl.h"

#define BLKROGET 0x125e
#define BLKGETSIZE 0x1260
#define BLKFLSBUF 0x1261
#define BLKSSZGET 0x1268
#define BLKBSZGET 0x80081270
#define BLKGETSIZE64 0x80081272
#define BLKPBSZGET 0x127b

static uint64_t dev_bytes(const struct blockdev *bd)
{
	return bd->sectors * bd->sector_size;
}

/* Moves [off, off + n) of one cache block to or from user memory. */
static int move(struct blockdev *bd, uint64_t off, uint64_t ubuf, size_t n, bool write)
{
	unsigned bs = blockdev_block_size(bd);
	struct bbuf *b;
	int err = bcache_get(bd, off / bs, !(write && n == bs), &b);

	if (err)
		return err;
	if (!write) {
		err = copy_to_user(ubuf, b->data + off % bs, n);
	} else if ((err = copy_from_user(b->data + off % bs, ubuf, n)) == 0) {
		bcache_mark_dirty(b);
	}
	bcache_put(b);
	return err;
}

static long transfer(struct file *f, uint64_t ubuf, size_t len, uint64_t off, bool write)
{
	struct blockdev *bd = f->priv;
	uint64_t size = dev_bytes(bd);
	size_t done = 0;
	int err = 0;

	if ((int64_t)off < 0)
		return -EINVAL;
	if (off >= size)
		return write && len ? -ENOSPC : 0;
	len = (size_t)MIN(len, size - off);
	while (done < len && !err) {
		unsigned bs = blockdev_block_size(bd), in = (unsigned)((off + done) % bs);
		size_t n = MIN(len - done, (size_t)(bs - in));

		if ((err = move(bd, off + done, ubuf + done, n, write)) == 0)
			done += n;
	}
	return done ? (long)done : err;
}

static long blk_pread(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	return transfer(f, ubuf, len, off, false);
}

static long blk_pwrite(struct file *f, uint64_t ubuf, size_t len, uint64_t off)
{
	return transfer(f, ubuf, len, off, true);
}

static long blk_read(struct file *f, uint64_t ubuf, size_t len)
{
	long n = transfer(f, ubuf, len, f->pos, false);

	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

static long blk_write(struct file *f, uint64_t ubuf, size_t len)
{
	long n = transfer(f, ubuf, len, f->pos, true);

	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

static int64_t blk_llseek(struct file *f, int64_t off, int whence)
{
	int64_t base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = (int64_t)dev_bytes(f->priv); break;
	default: return -EINVAL;
	}
	if (off > 0 ? base > INT64_MAX - off : base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return base + off;
}

static long put_u64(uint64_t uarg, uint64_t v)
{
	return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long put_int(uint64_t uarg, int v)
{
	return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long blk_ioctl(struct file *f, unsigned long cmd, uint64_t uarg)
{
	struct blockdev *bd = f->priv;

	switch (cmd) {
	case BLKGETSIZE64: return put_u64(uarg, dev_bytes(bd));
	case BLKGETSIZE: return put_u64(uarg, dev_bytes(bd) / 512);
	case BLKSSZGET:
	case BLKPBSZGET: return put_int(uarg, (int)bd->sector_size);
	case BLKBSZGET: return put_int(uarg, (int)blockdev_block_size(bd));
	case BLKROGET: return put_int(uarg, bd->read_only);
	case BLKFLSBUF: {
		int err = bcache_sync(bd, BCACHE_FLUSH);
		/* Buffers a mounted file system holds stay: -EBUSY is no error here. */
		int inv = bcache_invalidate(bd);
		return err ? err : inv == -EBUSY ? 0 : inv;
	}
	default: return -ENOTTY;
	}
}

static const struct file_ops blkdev_ops = {
	.read = blk_read,
	.write = blk_write,
	.pread = blk_pread,
	.pwrite = blk_pwrite,
	.llseek = blk_llseek,
	.ioctl = blk_ioctl,
};

int blkdev_open(uint32_t rdev, unsigned flags, struct file **out)
{
	struct blockdev *bd = blockdev_by_rdev(rdev);

	if (!bd)
		return -ENXIO;
	if ((flags & O_ACCMODE) != O_RDONLY && bd->read_only)
		return -EROFS;
	return file_create(&blkdev_ops, flags, bd, out);
}

struct blockdev *blkdev_of_file(const struct file *f)
{
	return f->ops == &blkdev_ops ? f->priv : NULL;
}
