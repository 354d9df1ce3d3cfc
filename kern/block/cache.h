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
 * data stays valid in between. All calls may sleep (disk I/O).
 *
 * Concurrency: no lock is held across a device request. The lists change
 * only in code that does not sleep (kernel tasks are cooperative and
 * service code runs under the BKL), and each buffer says what I/O it is
 * under: a buffer being read (filling) is waited for by every other task
 * that asks for it, so a block is read once and never seen half filled; a
 * buffer being written (writing) is neither dropped nor written again until
 * that write completes. Requests for different blocks overlap. */
#ifndef KERN_BLOCK_CACHE_H
#define KERN_BLOCK_CACHE_H

#include <frame/task.h>
#include <frame/types.h>
#include <kern/blockdev.h>

struct rareq;

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
	bool filling;  /* being read: the contents are not there yet */
	bool writing;  /* a write of it is in flight */
	bool gone;     /* its read failed: out of the lists, freed with the last reference */
	bool ahead_mark; /* the first of a read-ahead window: a reader here starts the next */
	struct rareq *ahead; /* the asynchronous read-ahead it is filling under, or NULL */
	int err;       /* the last I/O's error (0: it succeeded) */
	uint64_t dirtied; /* when it was last made dirty (the cache's clock): syncs write what is older */
	struct wait_queue wq; /* tasks waiting for filling or writing to end */
	struct bbuf *hnext, *lprev, *lnext;
};

/* Block number block of bd, read from the disk unless cached. With !read
 * the old contents are not wanted (a newly allocated block, or one the
 * caller overwrites whole): the buffer comes zeroed, without a read.
 * 0 and *out, or -EIO (read error or outside the device), -ENOMEM. */
int bcache_get(struct blockdev *bd, uint64_t block, bool read, struct bbuf **out);
/* bcache_get(bd, block, true, out) for a reader that knows how far it
 * will go (a file's blocks left): read-ahead, the synchronous window and
 * the one started after it, stops ahead blocks after block. */
int bcache_read(struct blockdev *bd, uint64_t block, uint64_t ahead, struct bbuf **out);
/* For a caller about to overwrite the whole block: a cached buffer as it
 * is (not zeroed again: a block just allocated was zeroed once), else a
 * zeroed one without a read. */
int bcache_get_overwrite(struct blockdev *bd, uint64_t block, struct bbuf **out);
void bcache_put(struct bbuf *b);
void bcache_mark_dirty(struct bbuf *b);
/* Writes bd's dirty buffers (NULL: every device's), as many requests in
 * flight at once as the device takes, and waits for them and for writes
 * other tasks have in flight; then asks the device to make them stable
 * (BCACHE_FLUSH: and waits for that; BCACHE_FLUSH_START: sync(2), which
 * need not). The first error (a failed write-back on eviction since the
 * last sync included), or 0. */
enum bcache_flush { BCACHE_NO_FLUSH, BCACHE_FLUSH, BCACHE_FLUSH_START };
int bcache_sync(struct blockdev *bd, enum bcache_flush flush);
/* bcache_sync(bd) and drop bd's buffers: -EBUSY if one is referenced. */
int bcache_invalidate(struct blockdev *bd);
/* Memory limit in bytes (tests shrink it); 0 keeps it. Returns the old one. */
size_t bcache_set_limit(size_t bytes);

#endif
