/* Block requests: submitted asynchronously into a batch, completed by the
 * driver's done callback (often from its interrupt handler), waited for
 * together. A synchronous block_io is a batch of one.
 *
 * Waits are uninterruptible on purpose: a signal must not abandon a write
 * half done, nor free a buffer the device still fills.
 *
 * The callback may run nested in service code on this hart (or on another
 * hart, under the BKL): what it changes (the batch, the device's counters)
 * is read and changed by tasks only with interrupts masked. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/task.h>
#include <frame/time.h>
#include "block/block.h"

static void request_done(struct block_request *req, int err)
{
	struct block_async *a = req->priv;
	struct block_batch *b = a->batch;

	block_stats_done(a->stats, req->op, req->count, a->bytes_per_sector, a->start_ns,
			 time_now_ns());
	a->err = err;
	if (err && !b->err)
		b->err = err;
	a->next = b->done;
	b->done = a;
	b->pending--;
	b->completed++;
	wait_queue_wake_all(&b->wq);
}

static bool request_valid(const struct blockdev *bd, enum block_op op, uint64_t sector,
			  uint32_t count)
{
	if (op == BLOCK_FLUSH)
		return count == 0;
	return count > 0 && sector < bd->sectors && count <= bd->sectors - sector;
}

struct block_async *block_reap(struct block_batch *b)
{
	unsigned long flags = irq_save();
	struct block_async *a = b->done;

	if (a)
		b->done = a->next;
	irq_restore(flags);
	return a;
}

int block_batch_wait(struct block_batch *b)
{
	unsigned long flags = irq_save();
	int err;

	while (b->pending)
		wait_queue_sleep(&b->wq);
	err = b->err;
	irq_restore(flags);
	return err;
}

/* Sleeps until one more of b's requests completes: false at once if none
 * is pending. */
static bool wait_completion(struct block_batch *b)
{
	unsigned long flags = irq_save();
	unsigned long seen = b->completed;
	bool any = b->pending > 0;

	while (b->pending && b->completed == seen)
		wait_queue_sleep(&b->wq);
	irq_restore(flags);
	return any;
}

/* One attempt: 0 (queued, counted in b), -EAGAIN (the device is full) or
 * the driver's error. */
static int try_submit(struct block_batch *b, struct block_async *a, struct blockdev *bd)
{
	unsigned long flags = irq_save();
	unsigned level[2];
	int err;

	b->pending++;
	a->start_ns = time_now_ns();
	block_stats_start(a->stats, level, a->start_ns);
	if ((err = bd->ops->submit(bd, &a->req)) != 0) {
		b->pending--;
		block_stats_cancel(a->stats);
	} else {
		block_stats_accepted(a->stats, level);
	}
	irq_restore(flags);
	return err;
}

/* Queues a's request (built, checked), waiting while the device is full. */
static int submit(struct block_batch *b, struct block_async *a, struct blockdev *bd)
{
	int err;

	block_stats_of(bd, a->stats);
	/* -EAGAIN: the device's queue is full. One of this batch's requests
	 * completing makes room; with none of ours in flight, others' will,
	 * so let them run. */
	while ((err = try_submit(b, a, bd)) == -EAGAIN)
		if (!wait_completion(b))
			task_yield();
	return err;
}

static int check(const struct blockdev *bd, enum block_op op, uint64_t sector, uint32_t count)
{
	if (!request_valid(bd, op, sector, count))
		return -EIO;
	return op == BLOCK_WRITE && bd->read_only ? -EROFS : 0;
}

int block_submit(struct block_batch *b, struct block_async *a, struct blockdev *bd,
		 enum block_op op, uint64_t sector, uint32_t count, void *buf)
{
	int err = check(bd, op, sector, count);

	if (err)
		return err;
	*a = (struct block_async){ .req = { .op = op, .sector = sector, .count = count, .buf = buf,
					    .done = request_done, .priv = a },
				   .batch = b, .bytes_per_sector = bd->sector_size };
	return submit(b, a, bd);
}

int block_submit_segs(struct block_batch *b, struct block_async *a, struct blockdev *bd,
		      enum block_op op, uint64_t sector, void **segs, uint32_t nsegs,
		      uint32_t seg_bytes)
{
	uint64_t bytes = (uint64_t)nsegs * seg_bytes;
	uint32_t count = (uint32_t)(bytes / bd->sector_size);
	int err = check(bd, op, sector, count);

	if (err || op == BLOCK_FLUSH || !nsegs || bytes % bd->sector_size || bytes > UINT32_MAX)
		return err ? err : -EINVAL;
	*a = (struct block_async){ .req = { .op = op, .sector = sector, .count = count,
					    .done = request_done, .priv = a, .segs = segs,
					    .nsegs = nsegs, .seg_bytes = seg_bytes },
				   .batch = b, .bytes_per_sector = bd->sector_size };
	return submit(b, a, bd);
}

int block_io(struct blockdev *bd, enum block_op op, uint64_t sector, uint32_t count, void *buf)
{
	struct block_batch b = BLOCK_BATCH_INIT;
	struct block_async a;
	int err;

	if ((err = block_submit(&b, &a, bd, op, sector, count, buf)) != 0)
		return err;
	return block_batch_wait(&b);
}
