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

/* request.c: one request, waited for without signals (a half-done write
 * must not be abandoned). count sectors from sector; checked against bd. */
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
