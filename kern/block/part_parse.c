/* Partition tables, parsed strictly: every field is checked against the
 * disk before it is believed, and anything odd rejects the whole table
 * (a log line from the caller, no partitions), never a wild read. */
#include <frame/errno.h>
#include <string.h>
#include "block/block.h"

#define MBR_PROTECTIVE 0xee
#define GPT_MAX_ENTRIES 128

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

int part_parse_mbr(const uint8_t *s0, uint32_t sector_size, uint64_t disk_sectors,
		   struct part_entry *parts, const char **reason)
{
	int n = 0;

	(void)sector_size;
	if (s0[510] != 0x55 || s0[511] != 0xaa)
		return 0;
	for (int i = 0; i < 4; i++) {
		const uint8_t *e = s0 + 446 + 16 * i;
		uint64_t start = le32(e + 8), count = le32(e + 12);

		if (e[4] == 0 || e[4] == MBR_PROTECTIVE || is_extended(e[4]) || count == 0)
			continue; /* empty, GPT's guard, or logical partitions (not read) */
		if (start == 0 || start >= disk_sectors || count > disk_sectors - start) {
			*reason = "MBR partition outside the disk";
			return -1;
		}
		parts[n++] = (struct part_entry){ start, count };
	}
	return n;
}

static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

struct gpt_header {
	uint64_t first_usable, last_usable, entries_lba;
	uint32_t nentries, entry_size, entries_crc;
};

static const char *gpt_header_check(uint8_t *h, uint32_t ss, uint64_t disk, struct gpt_header *g)
{
	uint32_t hsize = le32(h + 12), crc = le32(h + 16);

	if (hsize < 92 || hsize > ss)
		return "GPT header size";
	memset(h + 16, 0, 4);
	if (crc32(h, hsize, 0) != crc)
		return "GPT header checksum";
	*g = (struct gpt_header){ .first_usable = le64(h + 40), .last_usable = le64(h + 48),
				  .entries_lba = le64(h + 72), .nentries = le32(h + 80),
				  .entry_size = le32(h + 84), .entries_crc = le32(h + 88) };
	if (le64(h + 24) != 1 || g->first_usable > g->last_usable || g->last_usable >= disk)
		return "GPT header LBAs";
	if (g->entry_size < 128 || g->entry_size > ss || ss % g->entry_size ||
	    g->nentries > GPT_MAX_ENTRIES || g->entries_lba < 2 || g->entries_lba >= disk ||
	    (uint64_t)g->nentries * g->entry_size / ss > disk - g->entries_lba)
		return "GPT entry array";
	return NULL;
}

static bool guid_zero(const uint8_t *e)
{
	for (int i = 0; i < 16; i++)
		if (e[i])
			return false;
	return true;
}

/* Walks the entry array sector by sector (its checksum over all of it). */
static int gpt_entries(part_read_fn read, void *ctx, uint8_t *buf, uint32_t ss,
		       const struct gpt_header *g, struct part_entry *parts, const char **reason)
{
	uint32_t per = ss / g->entry_size, crc = 0;
	int n = 0;

	for (uint32_t i = 0; i < g->nentries; i++) {
		const uint8_t *e = buf + (i % per) * g->entry_size;
		uint64_t first, last;

		if (i % per == 0 && read(ctx, g->entries_lba + i / per, buf)) {
			*reason = "GPT entries unreadable";
			return -1;
		}
		crc = crc32(e, g->entry_size, crc);
		if (guid_zero(e))
			continue;
		first = le64(e + 32);
		last = le64(e + 40);
		if (first < g->first_usable || last > g->last_usable || first > last) {
			*reason = "GPT partition outside the usable area";
			return -1;
		}
		if (n < PART_MAX)
			parts[n++] = (struct part_entry){ first, last - first + 1 };
	}
	if (crc != g->entries_crc) {
		*reason = "GPT entries checksum";
		return -1;
	}
	return n;
}

int part_parse_gpt(part_read_fn read, void *ctx, uint32_t ss, uint64_t disk_sectors,
		   struct part_entry *parts, const char **reason, uint8_t *buf)
{
	struct gpt_header g;

	if (disk_sectors < 3 || read(ctx, 1, buf))
		return 0;
	if (memcmp(buf, "EFI PART", 8) != 0)
		return 0;
	if ((*reason = gpt_header_check(buf, ss, disk_sectors, &g)) != NULL)
		return -1;
	return gpt_entries(read, ctx, buf, ss, &g, parts, reason);
}
