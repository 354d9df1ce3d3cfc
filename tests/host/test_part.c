/* Host tests of the partition-table parsers (kern/block/part_parse.c):
 * MBR primaries, a GPT made here with correct checksums, and damaged
 * tables (entries past the disk, bad checksums, absurd entry sizes), which
 * must give "malformed", never a read outside the buffers (ASan). */
#include <stdlib.h>

#include "block/block.h"
#include "rng.h"
#include "test.h"

#define SS 512
#define DISK 4096 /* sectors */

static uint8_t disk[DISK / 64][SS]; /* the first 64 sectors; the rest reads as zeros */

static int read_fn(void *ctx, uint64_t s, void *buf)
{
	(void)ctx;
	if (s >= DISK)
		return -5;
	if (s < DISK / 64)
		memcpy(buf, disk[s], SS);
	else
		memset(buf, 0, SS);
	return 0;
}

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = ~0u;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static void mbr_entry(int i, uint8_t type, uint32_t start, uint32_t count)
{
	uint8_t *e = disk[0] + 446 + 16 * i;

	e[4] = type;
	le(e + 8, start, 4);
	le(e + 12, count, 4);
	disk[0][510] = 0x55;
	disk[0][511] = 0xaa;
}

/* A GPT with entries (first, last) in 128 entries of 128 bytes at LBA 2. */
static void make_gpt(const uint64_t (*parts)[2], int n)
{
	uint8_t *h = disk[1];

	memset(disk, 0, sizeof(disk));
	mbr_entry(0, 0xee, 1, DISK - 1);
	for (int i = 0; i < n; i++) {
		uint8_t *e = disk[2 + i / 4] + (i % 4) * 128;
		e[0] = 0xaf; /* any non-zero type GUID */
		le(e + 32, parts[i][0], 8);
		le(e + 40, parts[i][1], 8);
	}
	memcpy(h, "EFI PART", 8);
	le(h + 8, 0x10000, 4);
	le(h + 12, 92, 4);
	le(h + 24, 1, 8);
	le(h + 32, DISK - 1, 8);
	le(h + 40, 34, 8);
	le(h + 48, DISK - 34, 8);
	le(h + 72, 2, 8);
	le(h + 80, 128, 4);
	le(h + 84, 128, 4);
	le(h + 88, crc32(disk[2], 128 * 128), 4);
	le(h + 16, crc32(h, 92), 4);
}

static int gpt(struct part_entry *p, const char **why)
{
	uint8_t buf[SS];

	return part_parse_gpt(read_fn, NULL, SS, DISK, p, why, buf);
}

static void test_mbr(void)
{
	struct part_entry p[PART_MAX];
	const char *why = NULL;

	memset(disk, 0, sizeof(disk));
	CHECK_EQ(part_parse_mbr(disk[0], SS, DISK, p, &why), 0); /* no signature */
	mbr_entry(0, 0x83, 2048, 1024);
	mbr_entry(2, 0x0c, 100, 200);
	mbr_entry(3, 0x05, 3100, 100); /* extended: not read */
	CHECK_EQ(part_parse_mbr(disk[0], SS, DISK, p, &why), 2);
	CHECK_EQ(p[0].start, 2048);
	CHECK_EQ(p[0].sectors, 1024);
	CHECK_EQ(p[1].start, 100);
	mbr_entry(1, 0x83, 4000, 200); /* past the end */
	CHECK_EQ(part_parse_mbr(disk[0], SS, DISK, p, &why), -1);
	CHECK(why != NULL);
	mbr_entry(1, 0x83, 0xffffffff, 0xffffffff);
	CHECK_EQ(part_parse_mbr(disk[0], SS, DISK, p, &why), -1);
}

static void test_gpt(void)
{
	static const uint64_t two[][2] = { { 34, 1000 }, { 2048, 4000 } };
	static const uint64_t bad[][2] = { { 34, 5000 } };
	struct part_entry p[PART_MAX];
	const char *why = NULL;

	make_gpt(two, 2);
	CHECK_EQ(gpt(p, &why), 2);
	CHECK_EQ(p[0].start, 34);
	CHECK_EQ(p[0].sectors, 967);
	CHECK_EQ(p[1].sectors, 1953);
	disk[2][40] ^= 1; /* entries checksum now wrong */
	CHECK_EQ(gpt(p, &why), -1);
	make_gpt(two, 2);
	disk[1][30] ^= 1; /* header checksum */
	CHECK_EQ(gpt(p, &why), -1);
	make_gpt(bad, 1);
	CHECK_EQ(gpt(p, &why), -1);
	make_gpt(two, 2);
	le(disk[1] + 84, 7, 4); /* entry size */
	le(disk[1] + 16, 0, 4);
	le(disk[1] + 16, crc32(disk[1], 92), 4);
	CHECK_EQ(gpt(p, &why), -1);
	memset(disk, 0, sizeof(disk));
	CHECK_EQ(gpt(p, &why), 0); /* no GPT */
	/* Random damage to header and entries: any answer, no stray access. */
	for (int round = 0; round < 2000; round++) {
		make_gpt(two, 2);
		for (int k = 0; k < 4; k++)
			disk[1 + rng_below(3)][rng_below(SS)] = (uint8_t)rng();
		if (rng_below(2)) {
			le(disk[1] + 16, 0, 4);
			le(disk[1] + 16, crc32(disk[1], 92), 4);
		}
		int n = gpt(p, &why);
		CHECK(n >= -1 && n <= PART_MAX);
		for (int i = 0; i < n; i++)
			CHECK(p[i].start + p[i].sectors <= DISK);
	}
}

int main(void)
{
	rng_init("host_part");
	test_mbr();
	test_gpt();
	return test_done("host_part");
}
