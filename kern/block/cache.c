/* The block cache (see cache.h): a hash of buffers by (device, block) and
 * one LRU list, most recently used first. One sleeping lock covers the
 * lists and the I/O done on their behalf, so two tasks never read the same
 * block twice or see a buffer half filled. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/meminfo.h>
#include <string.h>
#include "block/block.h"
#include "block/cache.h"

#define HASH_SIZE 512
#define LIMIT_MIN (256u << 10)
#define LIMIT_MAX (16u << 20)

static struct bbuf *hash[HASH_SIZE];
static struct bbuf *lru_head, *lru_tail;
static size_t used, limit;
static int sticky_err; /* a write-back on eviction failed: the next sync says so */
static bool unflushed;  /* blocks were written since the devices were last flushed */
static struct slock lock;

static unsigned bucket(const struct blockdev *bd, uint64_t block)
{
	uintptr_t k = (uintptr_t)bd ^ (uintptr_t)(block * 0x9e3779b97f4a7c15ull);

	return (unsigned)((k >> 7) ^ k) % HASH_SIZE;
}

static void lru_unlink(struct bbuf *b)
{
	if (b->lprev)
		b->lprev->lnext = b->lnext;
	else
		lru_head = b->lnext;
	if (b->lnext)
		b->lnext->lprev = b->lprev;
	else
		lru_tail = b->lprev;
	b->lprev = b->lnext = NULL;
}

static void lru_push(struct bbuf *b)
{
	b->lnext = lru_head;
	if (lru_head)
		lru_head->lprev = b;
	else
		lru_tail = b;
	lru_head = b;
}

static void hash_unlink(struct bbuf *b)
{
	struct bbuf **pp = &hash[bucket(b->bd, b->block)];

	while (*pp != b)
		pp = &(*pp)->hnext;
	*pp = b->hnext;
}

static int transfer(struct bbuf *b, enum block_op op)
{
	uint32_t per = b->size / b->bd->sector_size;

	return block_io(b->bd, op, b->block * per, per, b->data);
}

#define CLUSTER_BYTES (64u << 10) /* one request's worth of neighbouring blocks */
#define CLUSTER_BLOCKS 32u

static struct bbuf *lookup(struct blockdev *bd, uint64_t block);

static uint32_t cluster_max(unsigned size)
{
	return MAX(MIN(CLUSTER_BYTES / size, CLUSTER_BLOCKS), 1u);
}

static struct bbuf *dirty_at(struct blockdev *bd, uint64_t block)
{
	struct bbuf *b = lookup(bd, block);

	return b && b->dirty ? b : NULL;
}

/* The dirty run around b, in block order, up to cluster_max blocks. */
static uint32_t dirty_run(struct bbuf *b, struct bbuf *run[CLUSTER_BLOCKS])
{
	uint32_t max = cluster_max(b->size), n = 1, back = 0;
	struct bbuf *d;

	run[0] = b;
	while (n < max && (d = dirty_at(b->bd, b->block + n)))
		run[n++] = d;
	while (n < max && b->block > back && (d = dirty_at(b->bd, b->block - back - 1))) {
		memmove(&run[1], &run[0], n * sizeof(run[0]));
		run[0] = d;
		n++, back++;
	}
	return n;
}

/* Writes b with the dirty blocks on either side of it in one request: a
 * sync then costs one device round trip per 64 KiB instead of one per
 * block. Without memory for the bounce, the block alone. */
static int write_back(struct bbuf *b)
{
	struct bbuf *run[CLUSTER_BLOCKS];
	uint32_t per = b->size / b->bd->sector_size, n = dirty_run(b, run);
	uint8_t *bounce = n > 1 ? kmalloc((size_t)n * b->size) : NULL;
	int err;

	if (!bounce) {
		run[0] = b;
		n = 1;
		err = transfer(b, BLOCK_WRITE);
	} else {
		for (uint32_t i = 0; i < n; i++)
			memcpy(bounce + (size_t)i * b->size, run[i]->data, b->size);
		err = block_io(b->bd, BLOCK_WRITE, run[0]->block * per, n * per, bounce);
		kfree(bounce);
	}
	unflushed = true;
	if (err)
		pr_err("block: %s: writing blocks %llu-%llu failed (%s)\n", b->bd->name,
		       (unsigned long long)run[0]->block, (unsigned long long)run[n - 1]->block,
		       errno_name(err));
	for (uint32_t i = 0; i < n; i++)
		run[i]->dirty = false; /* failed or not: a retry would fail the same way */
	return err;
}

static void destroy(struct bbuf *b)
{
	hash_unlink(b);
	lru_unlink(b);
	used -= b->size;
	kfree(b->data);
	kfree(b);
}

/* Makes room for size more bytes by evicting unreferenced buffers. */
static void shrink(size_t size)
{
	struct bbuf *b = lru_tail;

	if (!limit)
		limit = MIN(MAX(mem_total_bytes() / 16, LIMIT_MIN), LIMIT_MAX);
	while (b && used + size > limit) {
		struct bbuf *prev = b->lprev;

		if (b->refs == 0) {
			if (b->dirty && write_back(b))
				sticky_err = -EIO;
			destroy(b);
		}
		b = prev;
	}
}

static struct bbuf *lookup(struct blockdev *bd, uint64_t block)
{
	for (struct bbuf *b = hash[bucket(bd, block)]; b; b = b->hnext)
		if (b->bd == bd && b->block == block)
			return b;
	return NULL;
}

static struct bbuf *insert(struct blockdev *bd, uint64_t block, unsigned size, uint8_t *data)
{
	struct bbuf *b = kzalloc(sizeof(*b));

	if (!b)
		return NULL;
	*b = (struct bbuf){ .data = data, .block = block, .bd = bd, .size = size };
	b->hnext = hash[bucket(bd, block)];
	hash[bucket(bd, block)] = b;
	lru_push(b);
	used += size;
	return b;
}

/* How many blocks from block on to read in one request: up to
 * CLUSTER_BYTES of blocks not cached yet, within the device. Reading
 * ahead is what makes a sequential file read one request per 64 KiB. */
static uint32_t read_ahead(struct blockdev *bd, uint64_t block, unsigned size, uint64_t nblocks)
{
	uint32_t n = 1, max = cluster_max(size);

	while (n < max && block + n < nblocks && !lookup(bd, block + n))
		n++;
	return n;
}

/* Reads block and the uncached ones after it; the neighbours go into the
 * cache unreferenced (the LRU drops them first if nobody asks). */
static int read_cluster(struct blockdev *bd, uint64_t block, unsigned size, uint64_t nblocks,
			uint8_t *data)
{
	uint32_t per = size / bd->sector_size, n = read_ahead(bd, block, size, nblocks);
	uint8_t *run = n > 1 ? kmalloc((size_t)n * size) : NULL;
	int err;

	if (!run)
		return block_io(bd, BLOCK_READ, block * per, per, data);
	shrink((size_t)(n - 1) * size);
	if ((err = block_io(bd, BLOCK_READ, block * per, n * per, run)) == 0) {
		memcpy(data, run, size);
		for (uint32_t i = 1; i < n; i++) {
			uint8_t *copy = kmalloc(size);
			if (!copy)
				break;
			memcpy(copy, run + (size_t)i * size, size);
			if (!insert(bd, block + i, size, copy)) {
				kfree(copy);
				break;
			}
		}
	}
	kfree(run);
	return err;
}

static int create(struct blockdev *bd, uint64_t block, bool read, struct bbuf **out)
{
	unsigned size = blockdev_block_size(bd);
	uint64_t nblocks = bd->sectors / (size / bd->sector_size);
	uint8_t *data;
	struct bbuf *b;
	int err;

	if (block >= nblocks)
		return -EIO;
	shrink(size);
	if (!(data = kmalloc(size)))
		return -ENOMEM;
	if (read && (err = read_cluster(bd, block, size, nblocks, data)) != 0) {
		kfree(data);
		return err;
	}
	if (!read)
		memset(data, 0, size);
	if (!(b = insert(bd, block, size, data))) {
		kfree(data);
		return -ENOMEM;
	}
	b->refs = 1;
	*out = b;
	return 0;
}

int bcache_get(struct blockdev *bd, uint64_t block, bool read, struct bbuf **out)
{
	struct bbuf *b;
	int err = 0;

	slock_take(&lock);
	if ((b = lookup(bd, block)) != NULL) {
		if (!read) {
			memset(b->data, 0, b->size);
			b->checked = false;
		}
		b->refs++;
		lru_unlink(b);
		lru_push(b);
		*out = b;
	} else {
		err = create(bd, block, read, out);
	}
	slock_give(&lock);
	return err;
}

void bcache_put(struct bbuf *b)
{
	if (b)
		b->refs--;
}

void bcache_mark_dirty(struct bbuf *b)
{
	b->dirty = true;
	b->checked = false;
}

static int sync_locked(struct blockdev *bd, bool flush)
{
	int err = sticky_err, e;

	sticky_err = 0;
	for (struct bbuf *b = lru_head; b; b = b->lnext)
		if (b->dirty && (!bd || b->bd == bd) && (e = write_back(b)) && !err)
			err = e;
	if (!unflushed)
		return err; /* nothing written: nothing to make stable */
	if (flush && !bd)
		unflushed = false;
	for (unsigned i = 0; flush && blockdev_get(i); i++)
		if ((!bd || blockdev_get(i) == bd) &&
		    (e = block_io(blockdev_get(i), BLOCK_FLUSH, 0, 0, NULL)) && !err)
			err = e;
	return err;
}

int bcache_sync(struct blockdev *bd, bool flush)
{
	int err;

	slock_take(&lock);
	err = sync_locked(bd, flush);
	slock_give(&lock);
	return err;
}

int bcache_invalidate(struct blockdev *bd)
{
	struct bbuf *b, *next;
	int err;

	slock_take(&lock);
	for (b = lru_head; b; b = b->lnext)
		if (b->bd == bd && b->refs) {
			slock_give(&lock);
			return -EBUSY;
		}
	err = sync_locked(bd, false);
	for (b = lru_head; b; b = next) {
		next = b->lnext;
		if (b->bd == bd)
			destroy(b);
	}
	slock_give(&lock);
	return err;
}

size_t bcache_set_limit(size_t bytes)
{
	size_t old = limit;

	if (bytes)
		limit = bytes;
	return old;
}
