/* File block numbers to disk blocks through the inode's twelve direct
 * pointers and its single, double and triple indirect blocks. Each pointer
 * is checked before it is followed; the tree's depth is fixed, so a
 * corrupt pointer cannot make a walk loop. */
#include <frame/errno.h>
#include "fs/ext2/ext2.h"

void ext2_add_blocks(struct inode *ino, long n)
{
	ino->blocks += (uint64_t)(n * (long)(ino_sb(ino)->block_size / 512));
}

/* Where file block lblock hangs: the slot in the inode, the depth below it
 * (0: the slot points at the data), and the block's index under the slot. */
static int locate(const struct ext2_sb *s, uint64_t lblock, unsigned *slot, unsigned *depth,
		  uint64_t *index)
{
	uint64_t apb = s->addr_per_block, span = apb;

	if (lblock < EXT2_NDIR) {
		*slot = (unsigned)lblock;
		*depth = 0;
		*index = 0;
		return 0;
	}
	lblock -= EXT2_NDIR;
	for (unsigned d = 1; d <= 3; d++, span *= apb) {
		if (lblock < span) {
			*slot = EXT2_IND + d - 1;
			*depth = d;
			*index = lblock;
			return 0;
		}
		lblock -= span;
	}
	return -EFBIG;
}

static uint64_t span_of(const struct ext2_sb *s, unsigned depth)
{
	uint64_t span = 1;

	while (depth--)
		span *= s->addr_per_block;
	return span;
}

/* A new zeroed block for ino, in the cache and marked dirty. */
static int new_block(struct inode *ino, uint32_t *out)
{
	struct ext2_sb *s = ino_sb(ino);
	struct ext2_inode_info *e = ei(ino);
	uint32_t goal = e->goal ? e->goal + 1
				: s->ds.first_data_block +
					  ext2_group_of_ino(s, (uint32_t)ino->ino) * s->ds.blocks_per_group;
	struct bbuf *bb;
	int err = ext2_alloc_block(s, goal, out);

	if (err)
		return err;
	if ((err = bcache_get(s->bd, *out, false, &bb)) != 0) {
		ext2_free_block(s, *out);
		return err;
	}
	bcache_mark_dirty(bb);
	bcache_put(bb);
	e->goal = *out;
	ext2_add_blocks(ino, 1);
	return 0;
}

/* Follows (or fills, with alloc) the pointer *ptr, which lives in parent
 * (NULL: in the inode). */
static int follow(struct inode *ino, uint32_t *ptr, struct bbuf *parent, bool alloc)
{
	struct ext2_sb *s = ino_sb(ino);
	int err;

	if (*ptr == 0) {
		if (!alloc)
			return 0;
		if ((err = new_block(ino, ptr)) != 0)
			return err;
		if (parent)
			bcache_mark_dirty(parent);
		return 0;
	}
	if (!ext2_block_valid(s, *ptr)) {
		ext2_error(s, "bad block pointer in inode", ino->ino);
		return -EIO;
	}
	return 0;
}

/* How many of the pointers from ptr on (at most max, and room are left in
 * its table) map the disk blocks that follow *ptr's, each checked. */
static uint32_t contiguous(const struct ext2_sb *s, const uint32_t *ptr, uint64_t room, uint32_t max)
{
	uint32_t n = 1;

	while (n < max && n < room && ptr[n] == ptr[0] + n && ext2_block_valid(s, ptr[n]))
		n++;
	return n;
}

int ext2_bmap(struct inode *ino, uint64_t lblock, bool alloc, uint32_t *out)
{
	uint32_t n;

	return ext2_bmap_run(ino, lblock, alloc, 1, out, &n);
}

int ext2_bmap_run(struct inode *ino, uint64_t lblock, bool alloc, uint32_t max, uint32_t *out,
		  uint32_t *count)
{
	struct ext2_sb *s = ino_sb(ino);
	struct bbuf *parent = NULL, *bb;
	unsigned slot, depth;
	uint64_t index;
	uint32_t *ptr;
	int err = locate(s, lblock, &slot, &depth, &index);

	*count = 1;

	if (err)
		return err;
	ptr = &ei(ino)->block[slot];
	for (;;) {
		if ((err = follow(ino, ptr, parent, alloc)) != 0 || *ptr == 0 || depth == 0)
			break;
		if ((err = bcache_get(s->bd, *ptr, true, &bb)) != 0)
			break;
		bcache_put(parent);
		parent = bb;
		depth--;
		ptr = (uint32_t *)bb->data + (index / span_of(s, depth)) % s->addr_per_block;
	}
	*out = err ? 0 : *ptr;
	if (*out && depth == 0 && max > 1)
		*count = contiguous(s, ptr, parent ? s->addr_per_block - index % s->addr_per_block
						   : EXT2_NDIR - slot, max);
	bcache_put(parent);
	/* With alloc the block must exist now. A bitmap that calls an in-use
	 * block free can hand out the very indirect block being filled: the
	 * new block's zeroing then erases the pointer just stored in it. */
	if (!err && alloc && *out == 0) {
		ext2_error(s, "an allocated block vanished (a bitmap calling a used block free?) in inode",
			   ino->ino);
		err = -EIO;
	}
	return err;
}

/* Frees the data blocks at or past file block from in the subtree of
 * *ptr (depth levels of indirection, covering file blocks from base), and
 * the indirect blocks left empty. */
static int free_tree(struct inode *ino, uint32_t *ptr, unsigned depth, uint64_t base, uint64_t from)
{
	struct ext2_sb *s = ino_sb(ino);
	uint64_t span, child;
	struct bbuf *bb;
	int err = 0;

	if (*ptr == 0)
		return 0; /* first: most pointers of a small file are empty */
	span = span_of(s, depth);
	child = span / s->addr_per_block;
	if (base + span <= from)
		return 0;
	if (!ext2_block_valid(s, *ptr)) {
		ext2_error(s, "bad block pointer in inode", ino->ino);
		return -EIO;
	}
	if (depth > 0) {
		if ((err = bcache_get(s->bd, *ptr, true, &bb)) != 0)
			return err;
		for (uint64_t i = 0; i < s->addr_per_block && !err; i++) {
			uint32_t *p = (uint32_t *)bb->data + i, was = *p;

			err = free_tree(ino, p, depth - 1, base + i * child, from);
			if (*p != was)
				bcache_mark_dirty(bb);
		}
		bcache_put(bb);
	}
	if (!err && base >= from) {
		ext2_free_block(s, *ptr);
		*ptr = 0;
		ext2_add_blocks(ino, -1);
	}
	return err;
}

int ext2_free_from(struct inode *ino, uint64_t from)
{
	struct ext2_inode_info *e = ei(ino);
	uint64_t base = EXT2_NDIR;
	uint32_t any = 0;
	int err = 0;

	for (unsigned i = 0; i < EXT2_NBLOCKS; i++)
		any |= e->block[i];
	if (!any) { /* an empty file: nothing to walk */
		e->goal = 0;
		return 0;
	}
	for (unsigned i = 0; i < EXT2_NDIR && !err; i++)
		err = free_tree(ino, &e->block[i], 0, i, from);
	for (unsigned d = 1; d <= 3 && !err; d++) {
		err = free_tree(ino, &e->block[EXT2_IND + d - 1], d, base, from);
		base += span_of(ino_sb(ino), d);
	}
	e->goal = 0;
	return err;
}
