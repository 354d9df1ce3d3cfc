/* Partitions of a newly registered disk: GPT first (its protective MBR
 * says nothing useful), else a classic MBR's four primary entries. */
#include <frame/heap.h>
#include <frame/log.h>
#include "block/block.h"

static int read_sector(void *ctx, uint64_t sector, void *buf)
{
	return block_io(ctx, BLOCK_READ, sector, 1, buf);
}

static int parse(struct blockdev *disk, uint8_t *buf, struct part_entry *parts, const char **why)
{
	int n = part_parse_gpt(read_sector, disk, disk->sector_size, disk->sectors, parts, why, buf);

	if (n != 0)
		return n;
	if (read_sector(disk, 0, buf))
		return 0;
	return part_parse_mbr(buf, disk->sector_size, disk->sectors, parts, why);
}

void block_scan_partitions(struct blockdev *disk)
{
	struct part_entry parts[PART_MAX];
	const char *why = "";
	uint8_t *buf = kmalloc(disk->sector_size);
	int n;

	if (!buf)
		return;
	if ((n = parse(disk, buf, parts, &why)) < 0)
		pr_warn("block: %s: malformed partition table (%s): no partitions\n", disk->name, why);
	for (int i = 0; i < n; i++) {
		if (blockdev_add_partition(disk, (unsigned)i + 1, parts[i].start, parts[i].sectors))
			pr_warn("block: %s: partition %d not added\n", disk->name, i + 1);
		else
			pr_info("block: %s%d: %llu sectors from %llu\n", disk->name, i + 1,
				(unsigned long long)parts[i].sectors, (unsigned long long)parts[i].start);
	}
	kfree(buf);
}
