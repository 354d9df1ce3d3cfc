/* Block and inode allocation from the group bitmaps. Each change updates
 * the bitmap, the group descriptor and the superblock's count together,
 * so e2fsck finds them in agreement. */
#include <frame/errno.h>
#include "fs/ext2/ext2.h"

static bool bit_test(const uint8_t *map, uint32_t bit)
{
	return map[bit / 8] & (1u << (bit % 8));
}

static void bit_flip(uint8_t *map, uint32_t bit)
{
	map[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

/* The first clear bit in [from, n), or n. */
static uint32_t find_clear(const uint8_t *map, uint32_t from, uint32_t n)
{
	for (uint32_t b = from; b < n; b++) {
		if (b % 8 == 0 && map[b / 8] == 0xff && b + 8 <= n) {
			b += 7;
			continue;
		}
		if (!bit_test(map, b))
			return b;
	}
	return n;
}

static uint32_t blocks_in_group(const struct ext2_sb *s, uint32_t g)
{
	uint32_t bpg = s->ds.blocks_per_group;
	uint32_t left = s->ds.blocks_count - s->ds.first_data_block - g * bpg;

	return MIN(left, bpg);
}

static bool is_metadata(const struct ext2_sb *s, const struct ext2_group_desc *gd, uint32_t block)
{
	return block == gd->block_bitmap || block == gd->inode_bitmap ||
	       (block >= gd->inode_table && block - gd->inode_table < s->itable_blocks) ||
	       block < s->gdt_block + s->gdt_blocks;
}

/* Takes a free block in group g at or after bit from: 0 and *out, or -ENOSPC. */
static int take_in_group(struct ext2_sb *s, uint32_t g, uint32_t from, uint32_t *out)
{
	struct ext2_group_desc *gd;
	struct bbuf *gb, *map;
	uint32_t n = blocks_in_group(s, g), bit;
	int err = ext2_group_desc(s, g, &gb, &gd);

	if (err)
		return err;
	if (gd->free_blocks_count == 0 || (err = bcache_get(s->bd, gd->block_bitmap, true, &map))) {
		bcache_put(gb);
		return err ? err : -ENOSPC;
	}
	if ((bit = find_clear(map->data, from, n)) == n && from)
		bit = find_clear(map->data, 0, n);
	err = -ENOSPC;
	if (bit < n) {
		*out = s->ds.first_data_block + g * s->ds.blocks_per_group + bit;
		if (is_metadata(s, gd, *out)) {
			ext2_error(s, "bitmap says a metadata block is free:", *out);
			err = -EIO;
		} else {
			bit_flip(map->data, bit);
			gd->free_blocks_count--;
			s->ds.free_blocks_count--;
			bcache_mark_dirty(map);
			bcache_mark_dirty(gb);
			err = 0;
		}
	}
	bcache_put(map);
	bcache_put(gb);
	return err;
}

int ext2_alloc_block(struct ext2_sb *s, uint32_t goal, uint32_t *out)
{
	uint32_t g0 = 0, from = 0;

	if (s->ds.free_blocks_count == 0 ||
	    (s->ds.free_blocks_count <= s->ds.r_blocks_count && !vfs_capable()))
		return -ENOSPC;
	if (ext2_block_valid(s, goal)) {
		g0 = (goal - s->ds.first_data_block) / s->ds.blocks_per_group;
		from = (goal - s->ds.first_data_block) % s->ds.blocks_per_group;
	}
	for (uint32_t i = 0; i < s->groups; i++) {
		int err = take_in_group(s, (g0 + i) % s->groups, i ? 0 : from, out);

		if (err != -ENOSPC)
			return err;
	}
	return -ENOSPC;
}

void ext2_free_block(struct ext2_sb *s, uint32_t block)
{
	uint32_t g, bit;
	struct ext2_group_desc *gd;
	struct bbuf *gb, *map;

	if (!ext2_block_valid(s, block)) {
		ext2_error(s, "freeing a block outside the file system:", block);
		return;
	}
	g = (block - s->ds.first_data_block) / s->ds.blocks_per_group;
	bit = (block - s->ds.first_data_block) % s->ds.blocks_per_group;
	if (ext2_group_desc(s, g, &gb, &gd))
		return;
	if (!bcache_get(s->bd, gd->block_bitmap, true, &map)) {
		if (!bit_test(map->data, bit) || is_metadata(s, gd, block)) {
			ext2_error(s, "freeing a free or metadata block:", block);
		} else {
			bit_flip(map->data, bit);
			gd->free_blocks_count++;
			s->ds.free_blocks_count++;
			bcache_mark_dirty(map);
			bcache_mark_dirty(gb);
		}
		bcache_put(map);
	}
	bcache_put(gb);
}

static int take_inode(struct ext2_sb *s, uint32_t g, bool dir, uint32_t *out)
{
	struct ext2_group_desc *gd;
	struct bbuf *gb, *map;
	uint32_t ipg = s->ds.inodes_per_group, first = s->ds.rev_level ? s->ds.first_ino : 11;
	uint32_t from = g == 0 ? first - 1 : 0, bit;
	int err = ext2_group_desc(s, g, &gb, &gd);

	if (err)
		return err;
	if (gd->free_inodes_count == 0 || (err = bcache_get(s->bd, gd->inode_bitmap, true, &map))) {
		bcache_put(gb);
		return err ? err : -ENOSPC;
	}
	err = -ENOSPC;
	if ((bit = find_clear(map->data, from, ipg)) < ipg) {
		bit_flip(map->data, bit);
		gd->free_inodes_count--;
		s->ds.free_inodes_count--;
		if (dir)
			gd->used_dirs_count++;
		bcache_mark_dirty(map);
		bcache_mark_dirty(gb);
		*out = g * ipg + bit + 1;
		err = 0;
	}
	bcache_put(map);
	bcache_put(gb);
	return err;
}

int ext2_alloc_inode(struct ext2_sb *s, uint32_t parent_ino, bool dir, uint32_t *out)
{
	uint32_t g0 = ext2_group_of_ino(s, parent_ino);

	if (s->ds.free_inodes_count == 0)
		return -ENOSPC;
	for (uint32_t i = 0; i < s->groups; i++) {
		int err = take_inode(s, (g0 + i) % s->groups, dir, out);

		if (err != -ENOSPC)
			return err;
	}
	return -ENOSPC;
}

void ext2_free_inode(struct ext2_sb *s, uint32_t ino, bool dir)
{
	uint32_t g = ext2_group_of_ino(s, ino), bit = (ino - 1) % s->ds.inodes_per_group;
	struct ext2_group_desc *gd;
	struct bbuf *gb, *map;

	if (ext2_group_desc(s, g, &gb, &gd))
		return;
	if (!bcache_get(s->bd, gd->inode_bitmap, true, &map)) {
		if (!bit_test(map->data, bit)) {
			ext2_error(s, "freeing a free inode:", ino);
		} else {
			bit_flip(map->data, bit);
			gd->free_inodes_count++;
			s->ds.free_inodes_count++;
			if (dir && gd->used_dirs_count)
				gd->used_dirs_count--;
			bcache_mark_dirty(map);
			bcache_mark_dirty(gb);
		}
		bcache_put(map);
	}
	bcache_put(gb);
}
