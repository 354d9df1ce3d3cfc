/* /proc/diskstats as Linux 6.1 prints it, and /proc/rivet/block, Rivet's
 * own: the requests each device has in flight now and the most it ever had
 * at once (what shows that the cache keeps several going).
 *
 * diskstats fields after the name: reads completed, reads merged, sectors
 * read, ms reading, writes completed, writes merged, sectors written, ms
 * writing, in flight, ms with I/O in flight, weighted ms (the sum of every
 * request's time), discards completed, merged, sectors, ms, flushes
 * completed, ms flushing. Merges are 0: the block layer never merges
 * requests (the cache makes them whole, up to 64 KiB); discards are 0: no
 * device takes them. Sectors are 512 bytes whatever the device's size. A
 * partition's requests count for its disk too. */
#include "block/block.h"
#include "fs/procfs_internal.h"
#include "fs/stat.h"

#define NS_PER_MS 1000000u
#define MINORS_ALL (BLOCK_MAX_DISKS * BLOCK_MINORS)

static unsigned ms(uint64_t ns)
{
	return (unsigned)(ns / NS_PER_MS);
}

static const struct blockdev *by_minor(unsigned minor)
{
	return blockdev_by_rdev((uint32_t)encode_dev(BLOCK_MAJOR, minor));
}

static void diskstats_line(struct seq *s, unsigned minor, const struct blockdev *bd)
{
	struct block_stats t;
	unsigned long r = BLOCK_READ, w = BLOCK_WRITE, f = BLOCK_FLUSH;

	block_stats_read(bd, &t);
	seq_printf(s, "%4d %7u %s %lu 0 %lu %u %lu 0 %lu %u %u %u %u 0 0 0 0 %lu %u\n",
		   BLOCK_MAJOR, minor, bd->name, (unsigned long)t.ios[r], (unsigned long)t.sectors[r],
		   ms(t.ns[r]), (unsigned long)t.ios[w], (unsigned long)t.sectors[w], ms(t.ns[w]),
		   t.in_flight, ms(t.busy_ns), ms(t.ns[r] + t.ns[w] + t.ns[f]),
		   (unsigned long)t.ios[f], ms(t.ns[f]));
}

/* In Linux's order: by number, so a disk and then its partitions. */
int proc_show_diskstats(struct seq *s, const struct proc_ctx *c)
{
	const struct blockdev *bd;

	(void)c;
	for (unsigned minor = 0; minor < MINORS_ALL; minor++)
		if ((bd = by_minor(minor)))
			diskstats_line(s, minor, bd);
	return 0;
}

static int show_block(struct seq *s, const struct proc_ctx *c)
{
	const struct blockdev *bd;
	struct block_stats t;

	(void)c;
	seq_printf(s, "name in_flight max_in_flight\n");
	for (unsigned minor = 0; minor < MINORS_ALL; minor++)
		if ((bd = by_minor(minor))) {
			block_stats_read(bd, &t);
			seq_printf(s, "%s %u %u\n", bd->name, t.in_flight, t.max_in_flight);
		}
	return 0;
}

const struct proc_entry proc_rivet_entries[] = {
	{ .name = "block", .mode = S_IFREG | 0444, .show = show_block },
	{ 0 },
};
