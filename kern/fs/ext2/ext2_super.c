/* ext2 mounting: the superblock and group descriptors are checked field by
 * field before anything else is read; sync writes them back. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <string.h>
#include "fs/ext2/ext2.h"

#define GD_PER_BLOCK(s) ((s)->block_size / sizeof(struct ext2_group_desc))

void ext2_error(const struct ext2_sb *s, const char *what, uint64_t n)
{
	pr_err("ext2 (%s): %s %llu\n", s->bd->name, what, (unsigned long long)n);
}

bool ext2_block_valid(const struct ext2_sb *s, uint64_t block)
{
	return block >= s->ds.first_data_block && block < s->ds.blocks_count;
}

int ext2_group_desc(struct ext2_sb *s, uint32_t group, struct bbuf **bb,
		    struct ext2_group_desc **out)
{
	int err = bcache_get(s->bd, s->gdt_block + group / GD_PER_BLOCK(s), true, bb);

	if (!err)
		*out = (struct ext2_group_desc *)(*bb)->data + group % GD_PER_BLOCK(s);
	return err;
}

/* The superblock sits at byte 1024 whatever the sector size. */
static int read_super(struct blockdev *bd, struct ext2_disk_super *ds)
{
	uint32_t ss = bd->sector_size, len = MAX(ss, 2048u);
	uint8_t *buf = kmalloc(len);
	int err;

	if (!buf)
		return -ENOMEM;
	if (bd->sectors < len / ss)
		err = -EINVAL;
	else if ((err = block_io(bd, BLOCK_READ, 0, len / ss, buf)) == 0)
		memcpy(ds, buf + EXT2_SB_OFFSET, sizeof(*ds));
	kfree(buf);
	return err;
}

static const char *check_geometry(struct ext2_sb *s, const struct ext2_disk_super *d)
{
	uint64_t dev_blocks;

	if (d->magic != EXT2_MAGIC)
		return "bad magic (not ext2)";
	if (d->rev_level > 1 || d->log_block_size > 2)
		return "unsupported revision or block size";
	s->block_size = 1024u << d->log_block_size;
	s->inode_size = d->rev_level ? d->inode_size : 128;
	if (s->inode_size < 128 || s->inode_size > s->block_size || (s->inode_size & (s->inode_size - 1)))
		return "bad inode size";
	if (s->block_size < s->bd->sector_size)
		return "block smaller than a sector";
	dev_blocks = s->bd->sectors / (s->block_size / s->bd->sector_size);
	if (d->blocks_count == 0 || d->blocks_count > dev_blocks)
		return "block count beyond the device";
	if (d->first_data_block != (s->block_size == 1024 ? 1u : 0u))
		return "bad first data block";
	if (!d->blocks_per_group || d->blocks_per_group > 8 * s->block_size ||
	    !d->inodes_per_group || d->inodes_per_group > 8 * s->block_size)
		return "bad group sizes";
	return NULL;
}

static const char *check_counts(struct ext2_sb *s, const struct ext2_disk_super *d)
{
	uint32_t first_ino = d->rev_level ? d->first_ino : 11;

	s->addr_per_block = s->block_size / 4;
	s->inodes_per_block = s->block_size / s->inode_size;
	s->groups = (d->blocks_count - d->first_data_block + d->blocks_per_group - 1) /
		    d->blocks_per_group;
	if (d->inodes_per_group % s->inodes_per_block)
		return "inodes per group not a whole number of blocks";
	s->itable_blocks = d->inodes_per_group / s->inodes_per_block;
	if ((uint64_t)s->groups * d->inodes_per_group != d->inodes_count)
		return "inode count disagrees with the groups";
	if (first_ino < 11 || first_ino >= d->inodes_count)
		return "bad first inode";
	if (d->free_blocks_count > d->blocks_count || d->free_inodes_count > d->inodes_count ||
	    d->r_blocks_count > d->blocks_count)
		return "bad free counts";
	s->gdt_block = d->first_data_block + 1;
	s->gdt_blocks = (s->groups + GD_PER_BLOCK(s) - 1) / GD_PER_BLOCK(s);
	if ((uint64_t)s->gdt_block + s->gdt_blocks > d->blocks_count)
		return "group descriptors beyond the file system";
	return NULL;
}

/* A group's bitmaps and table lie past the primary superblock and
 * descriptors, inside the file system. */
static bool range_valid(const struct ext2_sb *s, uint64_t start, uint64_t n)
{
	return start >= s->gdt_block + s->gdt_blocks && start < s->ds.blocks_count &&
	       n <= s->ds.blocks_count - start;
}

/* Every group's bitmaps and inode table lie inside the file system. The
 * inode tables' places are kept: every inode read and write needs one. */
static int check_groups(struct ext2_sb *s)
{
	if (!(s->itable = kmalloc(s->groups * sizeof(*s->itable))))
		return -ENOMEM;
	for (uint32_t g = 0; g < s->groups; g++) {
		struct ext2_group_desc *gd;
		struct bbuf *bb;
		int err = ext2_group_desc(s, g, &bb, &gd);
		bool ok;

		if (err)
			return err;
		ok = range_valid(s, gd->block_bitmap, 1) && range_valid(s, gd->inode_bitmap, 1) &&
		     range_valid(s, gd->inode_table, s->itable_blocks) &&
		     gd->free_inodes_count <= s->ds.inodes_per_group &&
		     gd->free_blocks_count <= s->ds.blocks_per_group;
		s->itable[g] = gd->inode_table;
		bcache_put(bb);
		if (!ok) {
			ext2_error(s, "bad group descriptor", g);
			return -EINVAL;
		}
	}
	return 0;
}

/* Unknown incompatible features refuse the mount; unknown read-only ones
 * (and a read-only device) make it read-only. */
static int check_features(struct ext2_sb *s, unsigned long flags)
{
	const struct ext2_disk_super *d = &s->ds;
	uint32_t incompat = d->rev_level ? d->feature_incompat : 0;
	uint32_t ro = d->rev_level ? d->feature_ro_compat : 0;

	if (incompat & ~(uint32_t)EXT2_INCOMPAT_SUPP) {
		pr_err("ext2 (%s): unsupported incompatible features 0x%x\n", s->bd->name,
		       incompat & ~(uint32_t)EXT2_INCOMPAT_SUPP);
		return -EINVAL;
	}
	s->read_only = (flags & MS_RDONLY) || s->bd->read_only;
	if ((ro & ~(uint32_t)EXT2_RO_COMPAT_SUPP) && !s->read_only) {
		pr_warn("ext2 (%s): unsupported read-only features 0x%x: mounting read-only\n",
			s->bd->name, ro & ~(uint32_t)EXT2_RO_COMPAT_SUPP);
		s->read_only = true;
	}
	return 0;
}

/* Groups 0, 1 and the powers of 3, 5 and 7 keep a superblock backup with
 * sparse_super; every group does without. */
static bool group_has_super(const struct ext2_sb *s, uint32_t g)
{
	if (!(s->ds.rev_level && (s->ds.feature_ro_compat & EXT2_RO_COMPAT_SPARSE_SUPER)) || g <= 1)
		return true;
	for (uint32_t base = 3; base <= 7; base += 2) {
		uint64_t p = base;

		while (p < g)
			p *= base;
		if (p == g)
			return true;
	}
	return false;
}

/* The blocks statfs leaves out of the total, as Linux's ext2 does by default
 * (the "bsddf" option): those before the first data block, each superblock
 * copy with its descriptor blocks, and each group's bitmaps and inode table.
 * Reserved descriptor blocks (resize_inode) count as used, not overhead. */
static uint64_t statfs_overhead(const struct ext2_sb *s)
{
	uint64_t overhead = s->ds.first_data_block;

	for (uint32_t g = 0; g < s->groups; g++)
		if (group_has_super(s, g))
			overhead += 1 + s->gdt_blocks;
	return overhead + (uint64_t)s->groups * (2 + s->itable_blocks);
}

static int ext2_statfs(struct super *sb, struct kstatfs *out)
{
	const struct ext2_disk_super *d = &esb(sb)->ds;
	uint64_t bfree = d->free_blocks_count, overhead = statfs_overhead(esb(sb));

	*out = (struct kstatfs){
		.type = EXT2_MAGIC, .bsize = esb(sb)->block_size, .frsize = esb(sb)->block_size,
		.blocks = d->blocks_count > overhead ? d->blocks_count - overhead : 0, .bfree = bfree,
		.bavail = bfree > d->r_blocks_count ? bfree - d->r_blocks_count : 0,
		.files = d->inodes_count, .ffree = d->free_inodes_count, .namelen = NAME_MAX,
		.flags = sb->flags,
	};
	return 0;
}

static int validate(struct ext2_sb *s, unsigned long flags)
{
	const char *why = check_geometry(s, &s->ds);
	int err;

	if (!why)
		why = check_counts(s, &s->ds);
	if (why) {
		pr_err("ext2 (%s): cannot mount: %s\n", s->bd->name, why);
		return -EINVAL;
	}
	if ((err = check_features(s, flags)) != 0)
		return err;
	if ((err = blockdev_set_block_size(s->bd, s->block_size)) != 0)
		return err;
	return check_groups(s);
}

static int mount_root(struct ext2_sb *s)
{
	struct inode *root;
	int err = ext2_iget(s, EXT2_ROOT_INO, &root);

	if (err)
		return err;
	if (!mode_is(root->mode, S_IFDIR)) {
		ext2_error(s, "root is not a directory: inode", EXT2_ROOT_INO);
		inode_put(root);
		return -EINVAL;
	}
	s->vfs.root = root; /* the superblock keeps this reference */
	return 0;
}

static void init_super(struct ext2_sb *s)
{
	s->vfs = (struct super){ .type = "ext2", .dev = blockdev_rdev(s->bd), .next_ino = 0,
				 .mnt_id = vfs_next_mnt_id(),
				 .flags = ST_RELATIME | (s->read_only ? ST_RDONLY : 0),
				 .statfs = ext2_statfs, .sync = ext2_sync_fs, .priv = s };
}

int ext2_mount(struct blockdev *bd, unsigned long flags, const char *data, struct super **out)
{
	struct ext2_sb *s = kzalloc(sizeof(*s));
	int err;

	(void)data; /* no options yet */
	if (!s)
		return -ENOMEM;
	s->bd = bd;
	if ((err = blockdev_claim(bd)) != 0) {
		kfree(s);
		return err;
	}
	if ((err = read_super(bd, &s->ds)) == 0 && (err = validate(s, flags)) == 0) {
		s->written = s->ds;
		init_super(s);
		err = mount_root(s);
	}
	if (err) {
		ext2_release_inodes(s);
		blockdev_unclaim(bd);
		kfree(s->itable);
		kfree(s);
		return err;
	}
	*out = &s->vfs;
	return 0;
}

static int write_super(struct ext2_sb *s)
{
	struct bbuf *bb;
	int err;

	s->ds.wtime = s->written.wtime;
	if (memcmp(&s->ds, &s->written, sizeof(s->ds)) == 0)
		return 0; /* nothing but the time would change */
	s->ds.wtime = (uint32_t)vfs_now().sec;
	if ((err = bcache_get(s->bd, EXT2_SB_OFFSET / s->block_size, true, &bb)) != 0)
		return err;
	s->written = s->ds;
	memcpy(bb->data + EXT2_SB_OFFSET % s->block_size, &s->ds, sizeof(s->ds));
	bcache_mark_dirty(bb);
	bcache_put(bb);
	return 0;
}

int ext2_sync_fs(struct super *sb, bool durable)
{
	struct ext2_sb *s = esb(sb);
	int err = 0;

	ext2_lock(s);
	if (!s->read_only) {
		err = ext2_write_all_inodes(s);
		if (!err)
			err = write_super(s);
	}
	ext2_unlock(s);
	if (!err)
		err = bcache_sync(s->bd, durable ? BCACHE_FLUSH : BCACHE_FLUSH_START);
	return err;
}

void ext2_release(struct super *sb)
{
	struct ext2_sb *s = esb(sb);

	ext2_sync_fs(sb, true);
	if (sb->root)
		inode_put(sb->root);
	ext2_release_inodes(s);
	bcache_invalidate(s->bd);
	blockdev_unclaim(s->bd);
	kfree(s->itable);
	kfree(s);
}
