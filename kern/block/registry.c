/* The registry of block devices: disks the drivers register and the
 * partitions found on them (see block.h). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <string.h>
#include "block/block.h"
#include "block/cache.h"
#include "fs/stat.h"

#define MAX_DEVICES (BLOCK_MAX_DISKS * BLOCK_MINORS)

struct entry {
	struct blockdev *bd;
	unsigned minor;
	unsigned block_size;
	bool claimed; /* a file system is mounted on it */
	struct block_stats stats;
	struct block_flush_state flush;
};

/* A partition: a window onto its disk. */
struct partition {
	struct blockdev bd;
	struct blockdev *disk;
	uint64_t start;
	char name[16];
};

static struct entry devices[MAX_DEVICES];
static unsigned ndevices, ndisks;
static bool started; /* kern runs: requests can be waited for */

static struct entry *entry_of(const struct blockdev *bd)
{
	for (unsigned i = 0; i < ndevices; i++)
		if (devices[i].bd == bd)
			return &devices[i];
	return NULL;
}

static int add(struct blockdev *bd, unsigned minor)
{
	if (ndevices == MAX_DEVICES)
		return -ENOSPC;
	devices[ndevices++] = (struct entry){ .bd = bd, .minor = minor, .block_size = MAX(1024u, bd->sector_size) };
	return 0;
}

static bool geometry_valid(const struct blockdev *bd)
{
	uint32_t s = bd->sector_size;

	return bd->name && bd->ops && bd->ops->submit && s >= 512 && s <= 4096 && !(s & (s - 1));
}

int blockdev_register(struct blockdev *bd)
{
	int err;

	if (!geometry_valid(bd))
		return -EINVAL;
	if (ndisks == BLOCK_MAX_DISKS || entry_of(bd))
		return ndisks == BLOCK_MAX_DISKS ? -ENOSPC : -EEXIST;
	if ((err = add(bd, ndisks * BLOCK_MINORS)) != 0)
		return err;
	ndisks++;
	pr_info("block: %s: %llu sectors of %u bytes%s\n", bd->name,
		(unsigned long long)bd->sectors, bd->sector_size, bd->read_only ? ", read-only" : "");
	if (started)
		block_scan_partitions(bd);
	return 0;
}

void block_start(void)
{
	unsigned n = ndevices;

	if (started)
		return;
	started = true;
	for (unsigned i = 0; i < n; i++)
		if (devices[i].minor % BLOCK_MINORS == 0)
			block_scan_partitions(devices[i].bd);
}

const char *blockdev_next_name(const char *prefix)
{
	static char names[BLOCK_MAX_DISKS][8];
	unsigned n = 0;

	/* Disks named by the same prefix so far decide the letter. */
	for (unsigned i = 0; i < ndevices; i++)
		if (devices[i].minor % BLOCK_MINORS == 0 &&
		    strncmp(devices[i].bd->name, prefix, strlen(prefix)) == 0)
			n++;
	if (n >= BLOCK_MAX_DISKS || ndisks >= BLOCK_MAX_DISKS || strlen(prefix) > 5)
		return NULL;
	snprintf(names[ndisks], sizeof(names[0]), "%s%c", prefix, 'a' + n);
	return names[ndisks];
}

static int partition_submit(struct blockdev *bd, struct block_request *req)
{
	struct partition *p = bd->driver_data;
	uint64_t shift = req->op != BLOCK_FLUSH ? p->start : 0;
	int err;

	/* block_io checked the request against the partition's size. A
	 * refused request (-EAGAIN: the disk is full) comes back as it was,
	 * since it is submitted again. */
	req->sector += shift;
	if ((err = p->disk->ops->submit(p->disk, req)) != 0)
		req->sector -= shift;
	return err;
}

static const struct blockdev_ops partition_ops = { .submit = partition_submit };

int blockdev_add_partition(struct blockdev *disk, unsigned partno, uint64_t start, uint64_t sectors)
{
	struct entry *d = entry_of(disk);
	struct partition *p;
	int err;

	if (!d || partno == 0 || partno >= BLOCK_MINORS || start >= disk->sectors ||
	    sectors > disk->sectors - start || sectors == 0)
		return -EINVAL;
	if (!(p = kzalloc(sizeof(*p))))
		return -ENOMEM;
	p->disk = disk;
	p->start = start;
	snprintf(p->name, sizeof(p->name), "%s%u", disk->name, partno);
	p->bd = (struct blockdev){ .name = p->name, .sectors = sectors,
				   .sector_size = disk->sector_size, .read_only = disk->read_only,
				   .ops = &partition_ops, .driver_data = p };
	if ((err = add(&p->bd, d->minor + partno)) != 0)
		kfree(p);
	return err;
}

void block_stats_of(const struct blockdev *bd, struct block_stats *out[2])
{
	static struct block_stats unregistered; /* not reached: requests go to registered devices */
	struct entry *e = entry_of(bd), *disk = NULL;

	if (e && e->minor % BLOCK_MINORS)
		for (unsigned i = 0; i < ndevices && !disk; i++)
			if (devices[i].minor == e->minor - e->minor % BLOCK_MINORS)
				disk = &devices[i];
	out[0] = e ? &e->stats : &unregistered;
	out[1] = disk ? &disk->stats : NULL;
}

struct block_flush_state *block_flush_state_of(const struct blockdev *bd)
{
	static struct block_flush_state unregistered;
	struct entry *e = entry_of(bd), *disk = e;

	if (e && e->minor % BLOCK_MINORS)
		for (unsigned i = 0; i < ndevices; i++)
			if (devices[i].minor == e->minor - e->minor % BLOCK_MINORS)
				disk = &devices[i];
	return disk ? &disk->flush : &unregistered;
}

struct blockdev *blockdev_get(unsigned index)
{
	return index < ndevices ? devices[index].bd : NULL;
}

struct blockdev *blockdev_find(const char *name)
{
	for (unsigned i = 0; i < ndevices; i++)
		if (strcmp(devices[i].bd->name, name) == 0)
			return devices[i].bd;
	return NULL;
}

uint32_t blockdev_rdev(const struct blockdev *bd)
{
	const struct entry *e = entry_of(bd);

	return e ? (uint32_t)encode_dev(BLOCK_MAJOR, e->minor) : 0;
}

struct blockdev *blockdev_by_rdev(uint32_t rdev)
{
	for (unsigned i = 0; i < ndevices; i++)
		if (encode_dev(BLOCK_MAJOR, devices[i].minor) == rdev)
			return devices[i].bd;
	return NULL;
}

unsigned blockdev_block_size(const struct blockdev *bd)
{
	const struct entry *e = entry_of(bd);

	return e ? e->block_size : 1024;
}

int blockdev_set_block_size(struct blockdev *bd, unsigned size)
{
	struct entry *e = entry_of(bd);
	int err;

	if (!e || size < bd->sector_size || size > 65536 || (size & (size - 1)))
		return -EINVAL;
	if (size == e->block_size)
		return 0;
	if ((err = bcache_invalidate(bd)) != 0)
		return err;
	e->block_size = size;
	return 0;
}

int blockdev_claim(struct blockdev *bd)
{
	struct entry *e = entry_of(bd);

	if (!e || e->claimed)
		return e ? -EBUSY : -ENXIO;
	e->claimed = true;
	return 0;
}

void blockdev_unclaim(struct blockdev *bd)
{
	struct entry *e = entry_of(bd);

	if (e)
		e->claimed = false;
}
