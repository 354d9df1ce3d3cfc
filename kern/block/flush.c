/* Flushes of a disk's write cache (block.h): waited for (fsync, syncfs,
 * umount), or only started (sync(2)); a started one is waited for by the
 * next flush of the same disk, which reports its error. */
#include <frame/irq.h>
#include "block/block.h"

/* A partition's flush goes to its disk: the disk's counters decide. */
static struct block_stats *disk_stats(const struct blockdev *bd)
{
	struct block_stats *s[2];

	block_stats_of(bd, s);
	return s[1] ? s[1] : s[0];
}

static uint64_t writes_done(const struct block_stats *d)
{
	unsigned long flags = irq_save();
	uint64_t writes = d->ios[BLOCK_WRITE];

	irq_restore(flags);
	return writes;
}

static void flushed(struct block_stats *d, uint64_t writes)
{
	unsigned long flags = irq_save();

	d->writes_at_flush = MAX(d->writes_at_flush, writes);
	irq_restore(flags);
}

/* Waits for the flush block_flush_start left in flight, if any. */
static int finish_started(struct block_flush_state *f, struct block_stats *d)
{
	int err;

	if (!f->started)
		return 0;
	err = block_batch_wait(&f->batch);
	block_reap(&f->batch);
	f->started = false;
	f->batch = (struct block_batch)BLOCK_BATCH_INIT;
	if (!err)
		flushed(d, f->writes);
	return err;
}

int block_flush(struct blockdev *bd)
{
	struct block_stats *d = disk_stats(bd);
	int err = finish_started(block_flush_state_of(bd), d), e;
	uint64_t writes = writes_done(d); /* completed before the flush is submitted */

	if (writes == d->writes_at_flush)
		return err;
	if ((e = block_io(bd, BLOCK_FLUSH, 0, 0, NULL)) == 0)
		flushed(d, writes);
	return err ? err : e;
}

int block_flush_start(struct blockdev *bd)
{
	struct block_flush_state *f = block_flush_state_of(bd);
	struct block_stats *d = disk_stats(bd);
	int err, e;
	uint64_t writes = writes_done(d);

	if (f->started && writes == f->writes)
		return 0; /* the one in flight covers them (a file system's, then sync's own) */
	err = finish_started(f, d);
	writes = writes_done(d);
	if (writes == d->writes_at_flush)
		return err;
	if ((e = block_submit(&f->batch, &f->req, bd, BLOCK_FLUSH, 0, 0, NULL)) == 0) {
		f->started = true;
		f->writes = writes;
	}
	return err ? err : e;
}
