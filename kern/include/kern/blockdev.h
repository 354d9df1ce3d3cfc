/* Block devices: how a driver service offers a disk to kern.
 *
 * A driver fills a struct blockdev and registers it; kern (kern/block/)
 * names it (/dev/vda, partitions /dev/vda1 ...), caches its blocks and
 * mounts file systems on it. Requests carry kernel buffers: the driver
 * copies them to and from its own DMA buffers (frame DMA handles), so a
 * device never sees kernel memory it was not given.
 *
 * Invariants:
 *   1. submit never sleeps; it returns 0 once the request is queued (or
 *      -EAGAIN if the device has no room now: kern retries after a
 *      completion) and later calls req->done exactly once, possibly from
 *      the device's interrupt handler.
 *   2. A request moves whole sectors of sector_size bytes, inside
 *      [0, sectors); kern checks both before calling submit.
 *   3. BLOCK_FLUSH completes only when every write completed before it was
 *      submitted is on stable storage.
 *   4. A write's data has been taken (copied) when submit returns 0: the
 *      caller may change its buffers while the request is in flight.
 *   5. The data is one buffer (buf) or, with segs, nsegs pieces of
 *      seg_bytes each, in order (a run of cached blocks moves without
 *      being gathered first); block_req_piece walks either. */
#ifndef KERN_BLOCKDEV_H
#define KERN_BLOCKDEV_H

#include <frame/types.h>

enum block_op { BLOCK_READ, BLOCK_WRITE, BLOCK_FLUSH };

struct block_request {
	enum block_op op;
	uint64_t sector;  /* in sector_size units */
	uint32_t count;   /* sectors (0 for BLOCK_FLUSH) */
	void *buf;        /* count * sector_size bytes of kernel memory (no segs) */
	/* Completion: err is 0 or a negative errno (-EIO). Any context. */
	void (*done)(struct block_request *req, int err);
	void *priv;       /* the submitter's */
	void **segs;      /* NULL, or nsegs pieces: nsegs * seg_bytes == count * sector_size */
	uint32_t nsegs, seg_bytes;
};

static inline uint32_t block_req_pieces(const struct block_request *req)
{
	return req->segs ? req->nsegs : 1;
}

/* Piece i of req's data; its length into *len. */
static inline void *block_req_piece(const struct block_request *req, uint32_t i, size_t *len,
				    uint32_t sector_size)
{
	*len = req->segs ? req->seg_bytes : (size_t)req->count * sector_size;
	return req->segs ? req->segs[i] : req->buf;
}

struct blockdev;

struct blockdev_ops {
	int (*submit)(struct blockdev *bd, struct block_request *req);
};

struct blockdev {
	const char *name;     /* "vda", "vdb" ...: the driver picks the next free */
	uint64_t sectors;
	uint32_t sector_size; /* 512 for virtio-blk */
	bool read_only;
	const struct blockdev_ops *ops;
	void *driver_data;
};

/* Makes bd known to kern (it stays registered): 0 or -errno. */
int blockdev_register(struct blockdev *bd);
/* The next unused "vdX" name for a virtio disk ("vda" first). */
const char *blockdev_next_name(const char *prefix);

#endif
