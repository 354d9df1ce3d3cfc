/* Monitor commands for the device services, so boot tests can check them
 * against the host: block reads and writes through the blockdev registry
 * (several requests in flight at once), the wall clock, the entropy feed. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/task.h>
#include <kern/wallclock.h>
#include <stdlib.h>
#include <string.h>
#include "block/registry.h"
#include "monitor/monitor.h"
#include "proc/entropy.h"

#define MAX_BATCH 16

struct batch {
	struct wait_queue wq;
	unsigned pending, max_in_flight;
	struct block_request reqs[MAX_BATCH];
	int errors[MAX_BATCH];
};

static void batch_done(struct block_request *req, int err)
{
	struct batch *b = req->priv;

	b->errors[req - b->reqs] = err;
	b->pending--;
	wait_queue_wake_all(&b->wq);
}

/* Submits n requests at once (all in flight together), then sleeps until
 * every one completed. -EAGAIN from the driver: wait for one and retry. */
static void batch_run(struct blockdev *bd, struct batch *b, unsigned n)
{
	unsigned long flags = irq_save();

	for (unsigned i = 0; i < n; i++) {
		int err;
		b->reqs[i].done = batch_done;
		b->reqs[i].priv = b;
		b->pending++;
		while ((err = bd->ops->submit(bd, &b->reqs[i])) == -EAGAIN)
			wait_queue_sleep(&b->wq);
		if (err) {
			b->errors[i] = err;
			b->pending--;
		}
		b->max_in_flight = MAX(b->max_in_flight, b->pending);
	}
	while (b->pending)
		wait_queue_sleep(&b->wq);
	irq_restore(flags);
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* Parses "name [n1 [n2 [n3]]]" into the device and numbers. */
static struct blockdev *parse(const char *args, uint64_t *nums, unsigned count)
{
	char name[16];
	const char *sp = strchr(args, ' ');
	size_t len = sp ? (size_t)(sp - args) : strlen(args);
	struct blockdev *bd;

	if (len == 0 || len >= sizeof(name)) {
		pr_info("usage: blk* <disk> <numbers...>\n");
		return NULL;
	}
	memcpy(name, args, len);
	name[len] = '\0';
	if (!(bd = blockdev_find(name))) {
		pr_info("%s: no such disk\n", name);
		return NULL;
	}
	for (unsigned i = 0; i < count; i++) {
		char *end;
		while (sp && *sp == ' ')
			sp++;
		nums[i] = sp && *sp ? strtoul(sp, &end, 0) : nums[i];
		sp = sp && *sp ? end : NULL;
	}
	return bd;
}

void monitor_cmd_blk(const char *args)
{
	(void)args;
	for (unsigned i = 0; blockdev_get(i); i++) {
		struct blockdev *bd = blockdev_get(i);
		pr_info("%s: %lu sectors of %u bytes%s\n", bd->name, bd->sectors, bd->sector_size,
			bd->read_only ? ", read-only" : "");
	}
}

/* blkread <disk> <sector> [n [count]]: n reads of count sectors each (the
 * i-th at sector + i * count), all in flight at once; the FNV-1a hash of
 * each request's data, so the test compares with the host's file. */
void monitor_cmd_blkread(const char *args)
{
	uint64_t nums[3] = { 0, 1, 1 };
	struct blockdev *bd = parse(args, nums, 3);
	unsigned n = (unsigned)MIN(MAX(nums[1], 1), MAX_BATCH);
	uint32_t count = (uint32_t)MIN(MAX(nums[2], 1), 1u << 16);
	size_t bytes = (size_t)count * (bd ? bd->sector_size : 0);
	struct batch *b;
	uint8_t *buf;

	if (!bd || !(b = kzalloc(sizeof(*b))))
		return;
	if (!(buf = kmalloc((size_t)n * bytes))) {
		pr_info("blkread: no memory for %u x %zu bytes\n", n, bytes);
		kfree(b);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		b->reqs[i] = (struct block_request){ BLOCK_READ, nums[0] + (uint64_t)i * count, count,
						     buf + i * bytes, NULL, NULL, NULL, 0, 0 };
	batch_run(bd, b, n);
	for (unsigned i = 0; i < n; i++) {
		uint64_t sector = nums[0] + (uint64_t)i * count;
		if (b->errors[i])
			pr_info("blkread %s %lu: %s\n", bd->name, sector, errno_name(b->errors[i]));
		else
			pr_info("blkread %s %lu: fnv1a 0x%08x\n", bd->name, sector,
				fnv1a(buf + i * bytes, bytes));
	}
	pr_info("blkread: %u requests, at most %u in flight\n", n, b->max_in_flight);
	kfree(buf);
	kfree(b);
}

/* blkwrite <disk> <sector> <byte>: fills the sector with byte, writes it and
 * flushes the disk. */
void monitor_cmd_blkwrite(const char *args)
{
	uint64_t nums[2] = { 0, 0 };
	struct blockdev *bd = parse(args, nums, 2);
	struct batch *b;
	uint8_t *buf;

	if (!bd || !(b = kzalloc(sizeof(*b))))
		return;
	if (!(buf = kmalloc(bd->sector_size))) {
		kfree(b);
		return;
	}
	memset(buf, (int)(nums[1] & 0xff), bd->sector_size);
	b->reqs[0] = (struct block_request){ BLOCK_WRITE, nums[0], 1, buf, NULL, NULL, NULL, 0, 0 };
	batch_run(bd, b, 1);
	pr_info("blkwrite %s %lu: %s\n", bd->name, nums[0], errno_name(b->errors[0]));
	if (!b->errors[0]) {
		b->reqs[0] = (struct block_request){ BLOCK_FLUSH, 0, 0, NULL, NULL, NULL, NULL, 0, 0 };
		batch_run(bd, b, 1);
		pr_info("blkflush %s: %s\n", bd->name, errno_name(b->errors[0]));
	}
	kfree(buf);
	kfree(b);
}

void monitor_cmd_date(const char *args)
{
	uint64_t ns = wallclock_now_ns();

	(void)args;
	pr_info("date: %lu s since 1970%s\n", ns / 1000000000,
		wallclock_is_set() ? "" : " (not set: time since boot)");
}

void monitor_cmd_random(const char *args)
{
	uint8_t r[8];

	(void)args;
	entropy_fill(r, sizeof(r));
	pr_info("random: %lu bytes from hardware, sample %02x%02x%02x%02x%02x%02x%02x%02x\n",
		entropy_hw_bytes(), r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
}
