/* The block cache (see cache.h): a hash of buffers by (device, block) and
 * one LRU list, most recently used first. The lists are only changed by
 * code that does not sleep; I/O is done with no lock held, each buffer
 * marked filling or writing while its request is in flight, so requests
 * for different blocks overlap in the device's queue. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/meminfo.h>
#include <string.h>
#include "block/block.h"
#include "block/cache.h"

#define HASH_SIZE 512
#define LIMIT_MIN (256u << 10)
#define LIMIT_MAX (16u << 20)
#define CLUSTER_BYTES (512u << 10) /* one request's worth of neighbouring blocks */
#define CLUSTER_BLOCKS 128u
#define READ_AHEAD_MIN (64u << 10) /* the first read-ahead of a stream */

static struct bbuf *hash[HASH_SIZE];
static struct bbuf *lru_head, *lru_tail;
static size_t used, limit;
static int sticky_err; /* a write-back on eviction failed: the next sync says so */
/* Bumped whenever a buffer joins, leaves or moves in the LRU list: a walk
 * that slept goes on from where it was only if nothing moved meanwhile. */
static unsigned long generation;
static uint64_t dirty_clock; /* counts bcache_mark_dirty of clean buffers */
/* Sequential streams: a miss right where one's last read ended continues
 * it, and its read-ahead doubles (as Linux's does) up to a cluster. A few
 * are followed at once, so that readers of different files (or a reader
 * and the metadata it needs) do not reset each other; a miss that
 * continues none takes the least recently used. */
#define STREAMS 4
struct stream {
	const struct blockdev *bd;
	uint64_t next;
	uint32_t window; /* blocks */
	unsigned long used;
};
static struct stream streams[STREAMS];
static unsigned long stream_clock;

/* An asynchronous read-ahead: the window after the one a sequential reader
 * is in, read while the reader copies what it has (as Linux's is). Its
 * buffers are in the cache, filling, each pointing here; the request
 * completes into the batch (from the driver's interrupt), and the first
 * task that wants one of the buffers finishes it for all of them (ends
 * their fills). Completed ones nobody wanted are finished when the cache
 * makes room, and a device's are waited for when its buffers are dropped. */
struct rareq {
	struct block_async a; /* first: the batch hands back &a */
	struct block_batch batch;
	struct rareq *next; /* in read_aheads */
	bool finishing;     /* a task waits for it: others wait on the buffers */
	uint32_t n;
	struct bbuf *run[CLUSTER_BLOCKS];
	void *data[CLUSTER_BLOCKS];
};
static struct rareq *read_aheads; /* in flight, not finished */

/* A write of a run of neighbouring dirty buffers, straight from their
 * data: the driver has copied it when the submit returns (blockdev.h), so
 * the file system may change them while the request is in flight (a
 * change marks them dirty again). */
struct wreq {
	struct block_async a; /* first: the batch hands back &a */
	uint32_t n;
	struct bbuf *run[CLUSTER_BLOCKS];
	void *data[CLUSTER_BLOCKS];
};

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
	generation++;
}

static void lru_push(struct bbuf *b)
{
	b->lnext = lru_head;
	if (lru_head)
		lru_head->lprev = b;
	else
		lru_tail = b;
	lru_head = b;
	generation++;
}

static void hash_unlink(struct bbuf *b)
{
	struct bbuf **pp = &hash[bucket(b->bd, b->block)];

	while (*pp != b)
		pp = &(*pp)->hnext;
	*pp = b->hnext;
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
	struct bbuf *b = kmalloc(sizeof(*b)); /* every member set below */

	if (!b)
		return NULL;
	*b = (struct bbuf){ .data = data, .block = block, .bd = bd, .size = size,
			    .wq = WAIT_QUEUE_INIT };
	b->hnext = hash[bucket(bd, block)];
	hash[bucket(bd, block)] = b;
	lru_push(b);
	used += size;
	return b;
}

/* Out of the lists (nobody finds it any more); the memory stays. */
static void forget(struct bbuf *b)
{
	hash_unlink(b);
	lru_unlink(b);
	used -= b->size;
}

static void free_buf(struct bbuf *b)
{
	kfree(b->data);
	kfree(b);
}

static bool idle(const struct bbuf *b)
{
	return b->refs == 0 && !b->filling && !b->writing;
}

/* Sleeps until b is neither being read nor (with writes) being written. */
static void wait_io(struct bbuf *b, bool writes)
{
	unsigned long flags = irq_save();

	while (b->filling || (writes && b->writing))
		wait_queue_sleep(&b->wq);
	irq_restore(flags);
}

/* The memory limit, a sixteenth of RAM within [LIMIT_MIN, LIMIT_MAX]
 * unless a test set it. */
static size_t cache_limit(void)
{
	if (!limit)
		limit = MIN(MAX(mem_total_bytes() / 16, LIMIT_MIN), LIMIT_MAX);
	return limit;
}

/* Blocks in one request: a cluster, but at most an eighth of the cache
 * (a small machine's cache is small; a request's bounce buffers come from
 * the same memory). */
static uint32_t cluster_max(unsigned size)
{
	size_t bytes = MIN((size_t)CLUSTER_BYTES, cache_limit() / 8);

	return MAX(MIN((uint32_t)(bytes / size), CLUSTER_BLOCKS), 1u);
}

/* A neighbour that may join a write: dirty and not already being written
 * (two writes of one block in flight could land in either order). */
static struct bbuf *writable_at(struct blockdev *bd, uint64_t block)
{
	struct bbuf *b = lookup(bd, block);

	return b && b->dirty && !b->writing ? b : NULL;
}

/* The writable run around b, in block order, up to cluster_max blocks:
 * as far back as it goes first, then forward (one pass each way). */
static uint32_t dirty_run(struct bbuf *b, struct bbuf *run[CLUSTER_BLOCKS])
{
	uint32_t max = cluster_max(b->size), n = 0, back = 0;
	struct bbuf *d;

	while (back + 1 < max && b->block > back && writable_at(b->bd, b->block - back - 1))
		back++;
	for (uint64_t blk = b->block - back; n < max && (d = writable_at(b->bd, blk)); blk++)
		run[n++] = d; /* b itself is writable */
	return n;
}

static void log_write_error(const struct bbuf *first, const struct bbuf *last, int err)
{
	pr_err("block: %s: writing blocks %llu-%llu failed (%s)\n", first->bd->name,
	       (unsigned long long)first->block, (unsigned long long)last->block, errno_name(err));
}

static void end_write(struct bbuf *b, int err)
{
	b->writing = false;
	b->err = err;
	wait_queue_wake_all(&b->wq);
}

/* Without memory for a request of its own: b alone, from its own data,
 * waited for. */
static int write_alone(struct bbuf *b)
{
	uint32_t per = b->size / b->bd->sector_size;
	int err;

	b->dirty = false; /* failed or not: a retry would fail the same way */
	b->writing = true;
	if ((err = block_io(b->bd, BLOCK_WRITE, b->block * per, per, b->data)))
		log_write_error(b, b, err);
	end_write(b, err);
	return err;
}

static int finish_write(struct wreq *w, int err)
{
	if (err)
		log_write_error(w->run[0], w->run[w->n - 1], err);
	for (uint32_t i = 0; i < w->n; i++)
		end_write(w->run[i], err);
	kfree(w);
	return err;
}

/* Finishes the batch's completed writes; the first error into *err. */
static void reap_writes(struct block_batch *batch, int *err)
{
	struct block_async *a;
	int e;

	while ((a = block_reap(batch)))
		if ((e = finish_write((struct wreq *)a, a->err)) && !*err)
			*err = e;
}

/* Queues a write of b (dirty, not being written) with the writable blocks
 * on either side of it, up to a cluster in one request: a sync then costs
 * one request per cluster, all of them in flight together. The blocks are
 * clean (and writing) from here on. Returns how many blocks; errors into
 * *err. */
static uint32_t start_write(struct bbuf *b, struct block_batch *batch, int *err)
{
	uint32_t per = b->size / b->bd->sector_size, n;
	struct wreq *w = kmalloc(sizeof(*w));
	int e;

	if (!w) {
		if ((e = write_alone(b)) && !*err)
			*err = e;
		return 1;
	}
	n = w->n = dirty_run(b, w->run);
	for (uint32_t i = 0; i < n; i++) {
		w->data[i] = w->run[i]->data;
		w->run[i]->dirty = false; /* failed or not: a retry would fail the same way */
		w->run[i]->writing = true;
	}
	e = block_submit_segs(batch, &w->a, b->bd, BLOCK_WRITE, w->run[0]->block * per, w->data,
			      n, b->size);
	if (e && finish_write(w, e) && !*err)
		*err = e;
	reap_writes(batch, err); /* frees the requests that completed meanwhile */
	return n;
}

/* The LRU tail's idle clean buffers, dropped until size more bytes fit. */
static void drop_clean(size_t size)
{
	for (struct bbuf *b = lru_tail, *prev; b && used + size > limit; b = prev) {
		prev = b->lprev;
		if (idle(b) && !b->dirty) {
			forget(b);
			free_buf(b);
		}
	}
}

/* Writes back idle dirty buffers from the LRU tail, all in one batch: a
 * little more than size needs, so the next allocations find clean
 * buffers to drop. Failures are the next sync's to report. */
static void write_victims(size_t size)
{
	struct block_batch batch = BLOCK_BATCH_INIT;
	size_t want = used + size - limit + limit / 32, covered = 0;
	int err = 0;

restart:
	for (struct bbuf *b = lru_tail, *prev; b && covered < want; b = prev) {
		unsigned long g = generation;

		prev = b->lprev;
		if (!idle(b) || !b->dirty)
			continue;
		covered += (size_t)start_write(b, &batch, &err) * b->size;
		if (g != generation)
			goto restart; /* it slept and the list changed */
	}
	block_batch_wait(&batch);
	reap_writes(&batch, &err);
	if (err)
		sticky_err = err;
}

static void reap_aheads(const struct blockdev *bd);

/* Makes room for size more bytes: clean buffers go first; if that is not
 * enough, dirty ones are written back and then go. Referenced buffers and
 * those under I/O stay, so the cache may run over its limit for a while. */
static void shrink(size_t size)
{
	cache_limit();
	if (read_aheads)
		reap_aheads(NULL);
	drop_clean(size);
	if (used + size <= limit)
		return;
	write_victims(size);
	drop_clean(size);
}

/* The device's size in cache blocks. */
static uint64_t device_blocks(const struct blockdev *bd)
{
	return bd->sectors / (blockdev_block_size(bd) / bd->sector_size);
}

/* How many of the blocks from `from` on (at most want, within the
 * device) are not cached. */
static uint32_t uncached(struct blockdev *bd, uint64_t from, uint32_t want, uint64_t nblocks)
{
	uint32_t n = 0;

	while (n < want && from + n < nblocks && !lookup(bd, from + n))
		n++;
	return n;
}

/* The stream a miss at block continues, or NULL. */
static struct stream *stream_at(const struct blockdev *bd, uint64_t block)
{
	for (unsigned i = 0; i < STREAMS; i++)
		if (streams[i].bd == bd && streams[i].next == block)
			return &streams[i];
	return NULL;
}

static struct stream *least_used_stream(void)
{
	struct stream *s = &streams[0];

	for (unsigned i = 1; i < STREAMS; i++)
		if (streams[i].used < s->used)
			s = &streams[i];
	return s;
}

/* How many blocks from block on (a miss, in the cache already) to read in
 * one request: its stream's window of blocks not cached yet, within the
 * device. Reading ahead is what makes a sequential file read one request
 * per window; *seq is the stream when the miss continues one. */
static uint32_t read_ahead(struct blockdev *bd, uint64_t block, uint64_t nblocks, struct stream **seq)
{
	unsigned size = blockdev_block_size(bd);
	uint32_t n, want = MAX(READ_AHEAD_MIN / size, 1u);
	struct stream *s = *seq = stream_at(bd, block);

	if (s)
		want = s->window * 2;
	else
		s = least_used_stream();
	want = MIN(want, cluster_max(size));
	n = 1 + uncached(bd, block + 1, want - 1, nblocks);
	*s = (struct stream){ .bd = bd, .next = block + n, .window = want, .used = ++stream_clock };
	return n;
}

/* The end of a read: the contents are there (or the buffer is gone, with
 * the error for whoever waited for it). */
static void end_fill(struct bbuf *b, int err)
{
	b->filling = false;
	b->checked = false;
	b->err = err;
	if (err) {
		b->gone = true;
		forget(b);
	}
	wait_queue_wake_all(&b->wq);
	if (err && b->refs == 0)
		free_buf(b);
}

/* Puts run[from..n) in the cache, blocks block + from on, filling and
 * unreferenced, so nobody else reads them meanwhile; how many fitted. */
static uint32_t add_fills(struct blockdev *bd, uint64_t block, struct bbuf **run, uint32_t from,
			  uint32_t n)
{
	unsigned size = blockdev_block_size(bd);

	for (uint32_t i = from; i < n; i++) {
		uint8_t *data = kmalloc(size);

		if (!data || !(run[i] = insert(bd, block + i, size, data))) {
			kfree(data);
			return i;
		}
		run[i]->filling = true;
	}
	return n;
}

/* Ends the fills of r (finishing, set by the caller), waiting for its
 * request first; err: its submit failed. */
static void finish_ahead(struct rareq *r, int err)
{
	struct rareq **pp = &read_aheads;
	int e = block_batch_wait(&r->batch);

	while (*pp != r)
		pp = &(*pp)->next;
	*pp = r->next;
	for (uint32_t i = 0; i < r->n; i++) {
		r->run[i]->ahead = NULL;
		end_fill(r->run[i], err ? err : e);
	}
	kfree(r);
}

/* Starts reading stream s's next window (twice the last, up to a
 * cluster: its uncached blocks from s->next on) without waiting; its
 * first buffer is marked, and a reader that gets there starts the one
 * after. The reader stays one window ahead of the disk. */
static void start_ahead(struct stream *s, struct blockdev *bd, uint64_t nblocks)
{
	unsigned size = blockdev_block_size(bd);
	uint32_t want = MIN(s->window * 2, cluster_max(size));
	uint32_t n = uncached(bd, s->next, want, nblocks);
	uint64_t from = s->next;
	struct rareq *r;
	int err;

	s->next = from + n;
	s->window = want;
	s->used = ++stream_clock;
	if (!n || !(r = kmalloc(sizeof(*r))))
		return;
	if (!(r->n = add_fills(bd, from, r->run, 0, n))) {
		kfree(r);
		return;
	}
	r->batch = (struct block_batch)BLOCK_BATCH_INIT;
	r->finishing = false;
	for (uint32_t i = 0; i < r->n; i++) {
		r->run[i]->ahead = r;
		r->data[i] = r->run[i]->data;
	}
	r->run[0]->ahead_mark = true;
	r->next = read_aheads;
	read_aheads = r;
	err = block_submit_segs(&r->batch, &r->a, bd, BLOCK_READ, from * (size / bd->sector_size),
				r->data, r->n, size);
	if (err) {
		r->finishing = true;
		finish_ahead(r, err);
	}
}

/* A reader got to b, the first block of a read-ahead window: its stream
 * (the one whose last window holds b) goes on, so the next window starts. */
static void continue_stream(struct bbuf *b, uint64_t end)
{
	struct blockdev *bd = b->bd;

	b->ahead_mark = false;
	for (unsigned i = 0; i < STREAMS; i++) {
		struct stream *s = &streams[i];

		if (s->bd == bd && s->next > b->block && s->next - b->block <= CLUSTER_BLOCKS) {
			start_ahead(s, bd, MIN(device_blocks(bd), end));
			return;
		}
	}
}

/* Until b (referenced) is read: its read-ahead is finished here, or
 * whoever finishes it is waited for. */
static void wait_filled(struct bbuf *b)
{
	struct rareq *r = b->ahead;

	if (r && !r->finishing) {
		r->finishing = true;
		finish_ahead(r, 0);
	} else {
		wait_io(b, false);
	}
}

/* Finishes the read-aheads that have completed; with bd, waits for all of
 * bd's (its buffers are about to be dropped). */
static void reap_aheads(const struct blockdev *bd)
{
restart:
	for (struct rareq *r = read_aheads; r; r = r->next) {
		struct bbuf *b = r->run[0];
		bool due = bd ? b->bd == bd : !__atomic_load_n(&r->batch.pending, __ATOMIC_RELAXED);

		if (!due || (r->finishing && !bd))
			continue;
		if (r->finishing) { /* another task finishes it: wait for that */
			b->refs++;
			wait_io(b, false);
			bcache_put(b);
		} else {
			r->finishing = true;
			finish_ahead(r, 0);
		}
		goto restart;
	}
}

/* Reads b (in the cache, filling) and the uncached blocks after it in one
 * request, straight into their buffers; the neighbours stay unreferenced
 * (the LRU drops them first if nobody asks). A miss that continues a
 * sequential stream also starts the window after, without waiting. */
static int fill(struct bbuf *b, uint64_t nblocks)
{
	struct bbuf *one[1] = { b }, **run = one;
	void *one_data[1], **data = one_data;
	struct stream *seq;
	uint32_t per = b->size / b->bd->sector_size, n = read_ahead(b->bd, b->block, nblocks, &seq);
	struct block_batch batch = BLOCK_BATCH_INIT;
	struct block_async a;
	int err;

	if (n > 1 && (run = kmalloc(n * (sizeof(*run) + sizeof(*data))))) {
		data = (void **)(run + n);
		run[0] = b;
		n = add_fills(b->bd, b->block, run, 1, n);
	} else {
		run = one;
		n = 1;
	}
	shrink(0);
	for (uint32_t i = 0; i < n; i++)
		data[i] = run[i]->data;
	err = block_submit_segs(&batch, &a, b->bd, BLOCK_READ, b->block * per, data, n, b->size);
	if (seq)
		start_ahead(seq, b->bd, nblocks); /* in the device's queue behind ours */
	if (!err)
		err = block_batch_wait(&batch);
	for (uint32_t i = 0; i < n; i++)
		end_fill(run[i], err);
	if (run != one)
		kfree(run);
	return err;
}

/* The miss path, apart: its read's arrays would cost every hit a large
 * frame and a stack canary. */
static __attribute__((noinline)) int create(struct blockdev *bd, uint64_t block, bool read,
					    uint64_t end, struct bbuf **out)
{
	unsigned size = blockdev_block_size(bd);
	uint64_t nblocks = device_blocks(bd);
	uint8_t *data;
	struct bbuf *b;
	int err;

	if (block >= nblocks)
		return -EIO;
	if (!(data = kmalloc(size)))
		return -ENOMEM;
	if (!(b = insert(bd, block, size, data))) {
		kfree(data);
		return -ENOMEM;
	}
	b->refs = 1;
	if (!read) {
		memset(data, 0, size);
		shrink(0);
	} else {
		b->filling = true; /* from here on, others who want it wait */
		if ((err = fill(b, MIN(nblocks, end))) != 0) {
			bcache_put(b);
			return err;
		}
	}
	*out = b;
	return 0;
}

static int get_once(struct blockdev *bd, uint64_t block, bool read, uint64_t end,
		    struct bbuf **out)
{
	struct bbuf *b = lookup(bd, block);
	int err;

	if (!b)
		return create(bd, block, read, end, out);
	b->refs++;
	if (b != lru_head) {
		lru_unlink(b);
		lru_push(b);
	}
	if (b->ahead_mark)
		continue_stream(b, end);
	if (b->filling) /* set and cleared by tasks, never by an interrupt */
		wait_filled(b);
	if (b->gone) { /* the read we waited for failed */
		err = b->err;
		bcache_put(b);
		return err;
	}
	if (!read) {
		memset(b->data, 0, b->size);
		b->checked = false;
	}
	*out = b;
	return 0;
}

/* bcache_get, with read-ahead up to block end (exclusive). An I/O error
 * (the failed read may have been a window's, this one's or one it waited
 * for) is tried once more for this block alone, so that only a block that
 * cannot be read is an error (as Linux retries a page its read-ahead
 * failed). */
static int get(struct blockdev *bd, uint64_t block, bool read, uint64_t end, struct bbuf **out)
{
	int err = get_once(bd, block, read, end, out);

	if (err == -EIO && read && end > block + 1)
		err = get_once(bd, block, read, block + 1, out);
	return err;
}

int bcache_get(struct blockdev *bd, uint64_t block, bool read, struct bbuf **out)
{
	return get(bd, block, read, UINT64_MAX, out);
}

int bcache_read(struct blockdev *bd, uint64_t block, uint64_t ahead, struct bbuf **out)
{
	return get(bd, block, true, block + 1 + MIN(ahead, (uint64_t)CLUSTER_BLOCKS * 2), out);
}

int bcache_get_overwrite(struct blockdev *bd, uint64_t block, struct bbuf **out)
{
	return bcache_get(bd, block, lookup(bd, block) != NULL, out);
}

void bcache_put(struct bbuf *b)
{
	if (b && --b->refs == 0 && b->gone)
		free_buf(b);
}

void bcache_mark_dirty(struct bbuf *b)
{
	if (!b->dirty)
		b->dirtied = ++dirty_clock;
	b->dirty = true;
	b->checked = false;
}

/* Queues writes of bd's buffers dirtied at or before horizon; true if one
 * was passed over because an earlier write of it is still in flight. */
static bool submit_dirty(struct blockdev *bd, uint64_t horizon, struct block_batch *batch,
			 int *err)
{
	bool skipped = false;

restart:
	for (struct bbuf *b = lru_head, *next; b; b = next) {
		unsigned long g = generation;

		next = b->lnext;
		if (!b->dirty || b->dirtied > horizon || (bd && b->bd != bd))
			continue;
		if (b->writing) {
			skipped = true;
			continue;
		}
		start_write(b, batch, err);
		if (g != generation)
			goto restart;
	}
	return skipped;
}

/* Waits for the writes of bd's buffers in flight (others' too: what they
 * write was dirty before this sync asked); their errors into *err. */
static void wait_writes(struct blockdev *bd, int *err)
{
restart:
	for (struct bbuf *b = lru_head; b; b = b->lnext) {
		if (!b->writing || (bd && b->bd != bd))
			continue;
		b->refs++;
		wait_io(b, true);
		if (b->err && !*err)
			*err = b->err;
		bcache_put(b);
		goto restart;
	}
}

/* Flushes bd (NULL: every device) where writes completed since its last
 * flush: the global flush after a file system's own sync is then skipped. */
static int flush_devices(struct blockdev *bd, enum bcache_flush how)
{
	int err = 0, e;

	for (unsigned i = 0; blockdev_get(i); i++) {
		struct blockdev *d = blockdev_get(i);
		if (bd && d != bd)
			continue;
		e = how == BCACHE_FLUSH_START ? block_flush_start(d) : block_flush(d);
		if (e && !err)
			err = e;
	}
	return err;
}

int bcache_sync(struct blockdev *bd, enum bcache_flush flush)
{
	uint64_t horizon = dirty_clock;
	int err = sticky_err, e;

	sticky_err = 0;
	/* A second round for buffers passed over: their earlier write has
	 * completed now, and their newer contents go out too. */
	for (int round = 0; round < 2; round++) {
		struct block_batch batch = BLOCK_BATCH_INIT;
		bool skipped = submit_dirty(bd, horizon, &batch, &err);

		block_batch_wait(&batch);
		reap_writes(&batch, &err);
		wait_writes(bd, &err);
		if (!skipped)
			break;
	}
	if (flush != BCACHE_NO_FLUSH && (e = flush_devices(bd, flush)) && !err)
		err = e;
	return err;
}

/* Is one of bd's buffers referenced or being read (-EBUSY), or dirty (1)? */
static int in_use(const struct blockdev *bd)
{
	int dirty = 0;

	for (struct bbuf *b = lru_head; b; b = b->lnext)
		if (b->bd == bd && (b->refs || b->filling))
			return -EBUSY;
		else if (b->bd == bd && (b->dirty || b->writing))
			dirty = 1;
	return dirty;
}

int bcache_invalidate(struct blockdev *bd)
{
	int err = 0, e, state;

	/* The sync sleeps: someone may write the device meanwhile, so write
	 * again until nothing of it is dirty (a few rounds, else busy). */
	for (int round = 0;; round++) {
		reap_aheads(bd);
		if ((state = in_use(bd)) < 0)
			return state;
		if (round > 0 && state == 0)
			break;
		if (round == 4)
			return -EBUSY;
		if ((e = bcache_sync(bd, BCACHE_NO_FLUSH)) && !err)
			err = e;
	}
	for (struct bbuf *b = lru_head, *next; b; b = next) {
		next = b->lnext;
		if (b->bd == bd) {
			forget(b);
			free_buf(b);
		}
	}
	return err;
}

size_t bcache_set_limit(size_t bytes)
{
	size_t old = limit;

	if (bytes)
		limit = bytes;
	return old;
}
