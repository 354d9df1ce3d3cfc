/* kern's side of block devices: the registry, synchronous requests, the
 * block cache and partitions. Drivers see only kern/blockdev.h.
 *
 * Every registered device (a disk or a partition of one) has a number: the
 * Linux virtio-blk numbering, major 254 and 16 minors per disk (minor
 * 16 * disk + partition). Devices stay registered for good. */
#ifndef KERN_BLOCK_BLOCK_H
#define KERN_BLOCK_BLOCK_H

#include <frame/task.h>
#include <frame/types.h>
#include <kern/blockdev.h>
#include "block/registry.h"

#define BLOCK_MAJOR 254
#define BLOCK_MINORS 16 /* per disk: the disk and 15 partitions */
#define BLOCK_MAX_DISKS 8

/* registry.c */
/* Drivers register disks while they probe, before interrupts are on and
 * before kern runs; kern calls this once it can wait for requests: the
 * partition tables of the disks so far are read now, later disks' at once. */
void block_start(void);
/* blockdev_get(i): the i-th registered device, disks and partitions
 * (block/registry.h); blockdev_find("vda1"): the one of that name. */
/* The device numbered rdev (encode_dev form), or NULL. */
struct blockdev *blockdev_by_rdev(uint32_t rdev);
uint32_t blockdev_rdev(const struct blockdev *bd);
/* The cache's block size for bd (1024 at first; a mounted fs sets its own). */
unsigned blockdev_block_size(const struct blockdev *bd);
/* Writes back and forgets bd's cached blocks, then caches size-byte blocks:
 * 0, -EINVAL (not a power of two in [sector, 64 KiB]), -EBUSY (blocks in use). */
int blockdev_set_block_size(struct blockdev *bd, unsigned size);
/* One file system at a time per device: 0, or -EBUSY if it has one. */
int blockdev_claim(struct blockdev *bd);
void blockdev_unclaim(struct blockdev *bd);
/* Registers a partition of disk: sectors [start, start + sectors). */
int blockdev_add_partition(struct blockdev *disk, unsigned partno, uint64_t start, uint64_t sectors);

/* stats.c: what /proc/diskstats shows, per device; a partition's requests
 * count for its disk too, as Linux's. Changed by the completion callback,
 * so read with interrupts masked. */
struct block_stats {
	uint64_t ios[3], sectors[3], ns[3]; /* by enum block_op; 512-byte sectors */
	unsigned in_flight;
	unsigned max_in_flight; /* the most ever in flight at once (Rivet's own) */
	uint64_t busy_ns, busy_since; /* time with at least one request in flight */
	/* Rivet's own, a disk's only: ios[BLOCK_WRITE] when the last flush
	 * that succeeded was submitted. Writes completed by then are stable,
	 * so a flush is due only once the count has moved on. */
	uint64_t writes_at_flush;
};
/* bd's counters and its disk's (out[1] NULL for a disk). */
void block_stats_of(const struct blockdev *bd, struct block_stats *out[2]);
void block_stats_start(struct block_stats *s[2], unsigned level[2], uint64_t now);
void block_stats_accepted(struct block_stats *s[2], const unsigned level[2]);
void block_stats_cancel(struct block_stats *s[2]);
void block_stats_done(struct block_stats *s[2], enum block_op op, uint32_t count,
		      uint32_t sector_size, uint64_t start, uint64_t now);
/* A consistent copy of bd's counters, busy time up to now. */
void block_stats_read(const struct blockdev *bd, struct block_stats *out);

/* request.c: requests submitted into a batch and waited for together, so
 * a caller keeps the device's queue full. Waits are without signals (a
 * half-done write must not be abandoned). count sectors from sector;
 * checked against bd. */
struct block_async;
struct block_batch {
	unsigned pending;          /* submitted, not completed */
	unsigned long completed;   /* how many ever completed */
	int err;                   /* the first request error */
	struct block_async *done;  /* completed, not reaped yet */
	struct wait_queue wq;
};
#define BLOCK_BATCH_INIT { 0, 0, 0, NULL, WAIT_QUEUE_INIT }
struct block_async {
	struct block_request req;
	struct block_batch *batch;
	struct block_stats *stats[2];
	uint32_t bytes_per_sector;
	uint64_t start_ns;
	int err;                   /* the request's own result */
	struct block_async *next;  /* on the batch's done list */
};
/* flush.c: flushes of a disk's write cache. block_flush is
 * block_io(BLOCK_FLUSH), skipped when nothing was written since the last
 * one (0 then), and remembered when it succeeds. block_flush_start only
 * submits it (sync(2): POSIX lets it return before the data is stable);
 * the next flush of the disk waits for that one first and reports its
 * error. */
struct block_flush_state {
	struct block_batch batch;
	struct block_async req;
	uint64_t writes; /* ios[BLOCK_WRITE] when the started flush was submitted */
	bool started;
};
int block_flush(struct blockdev *bd);
int block_flush_start(struct blockdev *bd);
/* The disk's (a partition's flush goes to its disk); registry.c. */
struct block_flush_state *block_flush_state_of(const struct blockdev *bd);

/* Queues one request of b (a must live until it is reaped or b waited
 * for). While the device's queue is full it waits for b's completions (or
 * yields). 0, or the error (the request was not queued). */
int block_submit(struct block_batch *b, struct block_async *a, struct blockdev *bd,
		 enum block_op op, uint64_t sector, uint32_t count, void *buf);
/* The same with the data in nsegs pieces of seg_bytes (whole sectors in
 * all; blockdev.h invariant 5): a run of cached blocks, not gathered. */
int block_submit_segs(struct block_batch *b, struct block_async *a, struct blockdev *bd,
		      enum block_op op, uint64_t sector, void **segs, uint32_t nsegs,
		      uint32_t seg_bytes);
/* A completed request of b, or NULL; never sleeps. */
struct block_async *block_reap(struct block_batch *b);
/* Sleeps until none of b's requests is pending: the first error, or 0. */
int block_batch_wait(struct block_batch *b);
/* One request, waited for. */
int block_io(struct blockdev *bd, enum block_op op, uint64_t sector, uint32_t count, void *buf);

/* part.c: reads bd's partition table (GPT, else MBR) and registers what it
 * finds; a malformed table gives a log line and no partitions. */
void block_scan_partitions(struct blockdev *disk);
/* part_parse.c: the parsers, pure functions over the sectors read (host-tested). */
struct part_entry {
	uint64_t start, sectors;
};
#define PART_MAX (BLOCK_MINORS - 1)
/* Each fills parts[0..n) and returns n >= 0, or -1 if the table is
 * malformed (reason set to why), or 0 if there is no such table. read
 * reads sector s of the disk into a sector_size buffer (0 or -errno). */
typedef int (*part_read_fn)(void *ctx, uint64_t sector, void *buf);
int part_parse_mbr(const uint8_t *sector0, uint32_t sector_size, uint64_t disk_sectors,
		   struct part_entry *parts, const char **reason);
/* buf: a sector_size scratch buffer. */
int part_parse_gpt(part_read_fn read, void *ctx, uint32_t sector_size, uint64_t disk_sectors,
		   struct part_entry *parts, const char **reason, uint8_t *buf);

/* slock.c: a lock held across sleeps (disk I/O), waited for without
 * signals. Kernel tasks are scheduled cooperatively, so the lock only has
 * to cover code that may sleep in between. */
struct slock {
	bool held;
	struct wait_queue wq;
};
void slock_take(struct slock *l);
void slock_give(struct slock *l);

#endif
