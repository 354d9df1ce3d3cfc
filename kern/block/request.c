/* Synchronous block requests: submit, then sleep until the driver's done
 * callback (often from its interrupt handler) says the request finished.
 * The wait is uninterruptible on purpose: a signal must not abandon a
 * write half done, nor free a buffer the device still fills. */
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/task.h>
#include "block/block.h"

struct waiter {
	volatile bool finished;
	int err;
	struct wait_queue wq;
};

static void request_done(struct block_request *req, int err)
{
	struct waiter *w = req->priv;

	w->err = err;
	w->finished = true;
	wait_queue_wake_all(&w->wq);
}

static bool request_valid(const struct blockdev *bd, enum block_op op, uint64_t sector,
			  uint32_t count)
{
	if (op == BLOCK_FLUSH)
		return count == 0;
	return count > 0 && sector < bd->sectors && count <= bd->sectors - sector;
}

int block_io(struct blockdev *bd, enum block_op op, uint64_t sector, uint32_t count, void *buf)
{
	struct waiter w = { .finished = false, .err = 0, .wq = WAIT_QUEUE_INIT };
	struct block_request req = { .op = op, .sector = sector, .count = count, .buf = buf,
				     .done = request_done, .priv = &w };
	unsigned long flags;
	int err;

	if (!request_valid(bd, op, sector, count))
		return -EIO;
	if (op == BLOCK_WRITE && bd->read_only)
		return -EROFS;
	/* -EAGAIN: the device's queue is full; let its completions run. */
	while ((err = bd->ops->submit(bd, &req)) == -EAGAIN)
		task_yield();
	if (err)
		return err;
	flags = irq_save();
	while (!w.finished)
		wait_queue_sleep(&w.wq);
	irq_restore(flags);
	return w.err;
}
