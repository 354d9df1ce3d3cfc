/* The block cache: blocks of a device in memory, shared by every user of
 * the device (file systems, the device node), written back lazily.
 *
 * Policy: a buffer is one block of blockdev_block_size(bd) bytes. Writers
 * mark it dirty; dirty buffers reach the disk on bcache_sync (sync, fsync,
 * syncfs, unmount) or when the buffer is evicted. Memory is bounded: past
 * the limit the least recently used unreferenced buffer is evicted
 * (written first if dirty). Referenced buffers are never evicted, so a
 * caller may keep a few while it works.
 *
 * Callers take buffers with bcache_get and give them back with bcache_put;
 * data stays valid in between. All calls may sleep (disk I/O). */
#ifndef KERN_BLOCK_CACHE_H
#define KERN_BLOCK_CACHE_H

#include <frame/types.h>
#include <kern/blockdev.h>

struct bbuf {
	uint8_t *data; /* blockdev_block_size(bd) bytes */
	uint64_t block;
	/* The file system's: set once it has checked the contents (ext2's
	 * directory blocks); the cache clears it whenever they may change
	 * (read, zeroed, marked dirty). */
	bool checked;
	/* The cache's own. */
	struct blockdev *bd;
	unsigned size, refs;
	bool dirty;
	struct bbuf *hnext, *lprev, *lnext;
};

/* Block number block of bd, read from the disk unless cached. With !read
 * the old contents are not wanted (a newly allocated block, or one the
 * caller overwrites whole): the buffer comes zeroed, without a read.
 * 0 and *out, or -EIO (read error or outside the device), -ENOMEM. */
int bcache_get(struct blockdev *bd, uint64_t block, bool read, struct bbuf **out);
void bcache_put(struct bbuf *b);
void bcache_mark_dirty(struct bbuf *b);
/* Writes bd's dirty buffers (NULL: every device's); with flush, then asks
 * the device to make them stable. The first error, or 0. */
int bcache_sync(struct blockdev *bd, bool flush);
/* bcache_sync(bd) and drop bd's buffers: -EBUSY if one is referenced. */
int bcache_invalidate(struct blockdev *bd);
/* Memory limit in bytes (tests shrink it); 0 keeps it. Returns the old one. */
size_t bcache_set_limit(size_t bytes);

#endif
