/* ext2 directories: linked records in whole blocks. A block is checked in
 * full before any record in it is used (record lengths aligned, inside the
 * block, long enough for the name; inode numbers in range). Directories
 * with an htree index are read as linear ones, which the format allows;
 * modifying one clears its index flag, as Linux's ext2 does. */
#include <frame/errno.h>
#include <string.h>
#include "fs/ext2/ext2.h"

static struct ext2_dirent *at(const struct bbuf *bb, unsigned off)
{
	return (struct ext2_dirent *)(void *)(bb->data + off);
}

static int check_block(struct inode *dir, const struct bbuf *bb)
{
	struct ext2_sb *s = ino_sb(dir);
	unsigned off = 0;

	while (off < s->block_size) {
		const struct ext2_dirent *d = at(bb, off);

		if (s->block_size - off < EXT2_DIRENT_HEAD || d->rec_len < EXT2_DIRENT_HEAD ||
		    d->rec_len % 4 || d->rec_len > s->block_size - off ||
		    EXT2_DIRENT_HEAD + d->name_len > d->rec_len || d->inode > s->ds.inodes_count) {
			ext2_error(s, "corrupt directory entry in inode", dir->ino);
			return -EIO;
		}
		off += d->rec_len;
	}
	return 0;
}

static int dir_blocks(struct inode *dir, uint64_t *n)
{
	struct ext2_sb *s = ino_sb(dir);

	if (dir->size % s->block_size) {
		ext2_error(s, "directory size not whole blocks in inode", dir->ino);
		return -EIO;
	}
	*n = dir->size / s->block_size;
	return 0;
}

/* Directory block lblock, checked. A hole in a directory is corruption. */
static int get_block(struct inode *dir, uint64_t lblock, struct bbuf **out)
{
	struct ext2_sb *s = ino_sb(dir);
	uint32_t p;
	int err = ext2_bmap(dir, lblock, false, &p);

	if (!err && !p) {
		ext2_error(s, "hole in directory inode", dir->ino);
		err = -EIO;
	}
	if (err || (err = bcache_get(s->bd, p, true, out)) != 0)
		return err;
	if ((*out)->checked)
		return 0; /* unchanged since it was checked: lookups scan a block once */
	if ((err = check_block(dir, *out)) != 0)
		bcache_put(*out);
	else
		(*out)->checked = true;
	return err;
}

static bool name_is(const struct ext2_dirent *d, const char *name, size_t len)
{
	return d->inode && d->name_len == len && memcmp(d->name, name, len) == 0;
}

int ext2_dir_find(struct inode *dir, const char *name, size_t len, struct ext2_slot *slot)
{
	uint64_t n;
	int err = dir_blocks(dir, &n);

	for (uint64_t b = 0; !err && b < n; b++) {
		struct bbuf *bb;
		unsigned off = 0, prev = 0;

		if ((err = get_block(dir, b, &bb)) != 0)
			break;
		for (; off < ino_sb(dir)->block_size; prev = off, off += at(bb, off)->rec_len)
			if (name_is(at(bb, off), name, len)) {
				*slot = (struct ext2_slot){ .bb = bb, .off = off, .prev = prev, .lblock = b };
				return 0;
			}
		bcache_put(bb);
	}
	return err ? err : -ENOENT;
}

static uint8_t file_type(const struct ext2_sb *s, uint32_t mode)
{
	static const uint8_t types[16] = {
		[S_IFREG >> 12] = EXT2_FT_REG, [S_IFDIR >> 12] = EXT2_FT_DIR,
		[S_IFCHR >> 12] = EXT2_FT_CHR, [S_IFBLK >> 12] = EXT2_FT_BLK,
		[S_IFIFO >> 12] = EXT2_FT_FIFO, [S_IFSOCK >> 12] = EXT2_FT_SOCK,
		[S_IFLNK >> 12] = EXT2_FT_SYMLINK,
	};

	if (!(s->ds.rev_level && (s->ds.feature_incompat & EXT2_INCOMPAT_FILETYPE)))
		return EXT2_FT_UNKNOWN;
	return types[(mode & S_IFMT) >> 12];
}

static void fill_entry(struct inode *dir, struct ext2_dirent *d, const char *name, size_t len,
		       uint32_t ino, uint32_t mode)
{
	d->inode = ino;
	d->name_len = (uint8_t)len;
	d->file_type = file_type(ino_sb(dir), mode);
	memcpy(d->name, name, len);
}

/* bb was edited by ext2 itself, which writes only well-formed records: a
 * block checked before stays checked (the next scan would otherwise check
 * it all again after every create and unlink). */
static void edited(struct bbuf *bb)
{
	bool checked = bb->checked;

	bcache_mark_dirty(bb);
	bb->checked = checked;
}

/* The directory changed: its index (if any) no longer describes it. */
static void dir_changed(struct inode *dir)
{
	ei(dir)->flags &= ~(uint32_t)EXT2_INDEX_FL;
	inode_touch(dir, T_MTIME | T_CTIME);
	ext2_write_inode(dir);
}

/* Puts the entry into block bb if a record there has room to spare. */
static bool add_in_block(struct inode *dir, struct bbuf *bb, const char *name, size_t len,
			 uint32_t ino, uint32_t mode)
{
	unsigned need = EXT2_REC_LEN(len), off = 0;

	for (; off < ino_sb(dir)->block_size; off += at(bb, off)->rec_len) {
		struct ext2_dirent *d = at(bb, off);
		unsigned used = d->inode ? EXT2_REC_LEN(d->name_len) : 0;

		if (d->rec_len - used < need)
			continue;
		if (used) {
			struct ext2_dirent *nd = at(bb, off + used);

			nd->rec_len = (uint16_t)(d->rec_len - used);
			d->rec_len = (uint16_t)used;
			d = nd;
		}
		fill_entry(dir, d, name, len, ino, mode);
		edited(bb);
		return true;
	}
	return false;
}

static int add_block(struct inode *dir, uint64_t lblock, const char *name, size_t len,
		     uint32_t ino, uint32_t mode)
{
	struct ext2_sb *s = ino_sb(dir);
	struct bbuf *bb;
	uint32_t p;
	int err = ext2_bmap(dir, lblock, true, &p);

	if (err || (err = bcache_get(s->bd, p, true, &bb)) != 0)
		return err;
	at(bb, 0)->rec_len = (uint16_t)s->block_size;
	fill_entry(dir, at(bb, 0), name, len, ino, mode);
	bcache_mark_dirty(bb);
	bcache_put(bb);
	dir->size += s->block_size;
	return 0;
}

int ext2_dir_add(struct inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode)
{
	uint64_t n;
	bool done = false;
	int err = dir_blocks(dir, &n);

	for (uint64_t b = 0; !err && !done && b < n; b++) {
		struct bbuf *bb;

		if ((err = get_block(dir, b, &bb)) != 0)
			break;
		done = add_in_block(dir, bb, name, len, ino, mode);
		bcache_put(bb);
	}
	if (!err && !done)
		err = add_block(dir, n, name, len, ino, mode);
	if (!err)
		dir_changed(dir);
	return err;
}

void ext2_dir_remove(struct inode *dir, struct ext2_slot *slot)
{
	struct ext2_dirent *d = at(slot->bb, slot->off);

	if (slot->prev != slot->off)
		at(slot->bb, slot->prev)->rec_len += d->rec_len;
	else
		d->inode = 0;
	edited(slot->bb);
	bcache_put(slot->bb);
	dir_changed(dir);
}

void ext2_dir_set(struct inode *dir, struct ext2_slot *slot, uint32_t ino, uint32_t mode)
{
	struct ext2_dirent *d = at(slot->bb, slot->off);

	d->inode = ino;
	d->file_type = file_type(ino_sb(dir), mode);
	edited(slot->bb);
	bcache_put(slot->bb);
	dir_changed(dir);
}

static bool is_dot(const struct ext2_dirent *d)
{
	return (d->name_len == 1 && d->name[0] == '.') ||
	       (d->name_len == 2 && d->name[0] == '.' && d->name[1] == '.');
}

int ext2_dir_empty(struct inode *dir)
{
	uint64_t n;
	int err = dir_blocks(dir, &n);

	for (uint64_t b = 0; !err && b < n; b++) {
		struct bbuf *bb;
		bool other = false;

		if ((err = get_block(dir, b, &bb)) != 0)
			break;
		for (unsigned off = 0; off < ino_sb(dir)->block_size; off += at(bb, off)->rec_len)
			other |= at(bb, off)->inode && !is_dot(at(bb, off));
		bcache_put(bb);
		if (other)
			return 0;
	}
	return err ? err : 1;
}

int ext2_dir_init(struct inode *dir, uint32_t parent)
{
	struct ext2_sb *s = ino_sb(dir);
	struct ext2_dirent *d;
	struct bbuf *bb;
	uint32_t p;
	int err = ext2_bmap(dir, 0, true, &p);

	if (err || (err = bcache_get(s->bd, p, true, &bb)) != 0)
		return err;
	d = at(bb, 0);
	d->rec_len = EXT2_REC_LEN(1);
	fill_entry(dir, d, ".", 1, (uint32_t)dir->ino, S_IFDIR);
	d = at(bb, EXT2_REC_LEN(1));
	d->rec_len = (uint16_t)(s->block_size - EXT2_REC_LEN(1));
	fill_entry(dir, d, "..", 2, parent, S_IFDIR);
	bcache_mark_dirty(bb);
	bcache_put(bb);
	dir->size = s->block_size;
	return 0;
}

/* The inode an entry names: 0 and *out (referenced), or -errno. */
static int entry_inode(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct ext2_slot slot;
	uint32_t ino;
	int err = ext2_dir_find(dir, name, len, &slot);

	if (err)
		return err;
	ino = at(slot.bb, slot.off)->inode;
	bcache_put(slot.bb);
	return ext2_iget(ino_sb(dir), ino, out);
}

int ext2_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct ext2_sb *s = ino_sb(dir);
	int err;

	ext2_lock(s);
	err = entry_inode(dir, name, len, out);
	ext2_unlock(s);
	return err;
}

struct inode *ext2_parent(struct inode *dir)
{
	struct ext2_sb *s = ino_sb(dir);
	struct inode *up = NULL;

	if (dir == s->vfs.root)
		return NULL;
	ext2_lock(s);
	if (entry_inode(dir, "..", 2, &up) == 0 && (up == dir || !mode_is(up->mode, S_IFDIR))) {
		ext2_error(s, "bad \"..\" in directory inode", dir->ino);
		inode_put(up);
		up = NULL;
	}
	ext2_unlock(s);
	return up;
}

static unsigned dtype(uint8_t ft)
{
	static const uint8_t dt[EXT2_FT_MAX] = { 0, 8, 4, 2, 6, 1, 12, 10 };

	return ft < EXT2_FT_MAX ? dt[ft] : 0;
}

/* Entries of block b from byte in on: 1 if fill stopped, 0, or -EIO. */
static int readdir_block(struct inode *dir, uint64_t b, uint64_t *pos, filldir_fn fill, void *ctx)
{
	unsigned bs = ino_sb(dir)->block_size, in = (unsigned)(*pos % bs);
	struct bbuf *bb;
	int err = get_block(dir, b, &bb), stop = 0;

	if (err)
		return err;
	for (unsigned off = 0; off < bs && !stop; off += at(bb, off)->rec_len) {
		const struct ext2_dirent *d = at(bb, off);
		uint64_t next = b * bs + off + d->rec_len;

		if (off < in || !d->inode)
			continue;
		if ((stop = fill(ctx, d->name, d->name_len, d->inode, dtype(d->file_type), next)) == 0)
			*pos = next;
	}
	bcache_put(bb);
	if (!stop)
		*pos = (b + 1) * bs;
	return stop ? 1 : 0;
}

int ext2_readdir(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx)
{
	struct ext2_sb *s = ino_sb(dir);
	uint64_t n;
	int err;

	ext2_lock(s);
	err = dir_blocks(dir, &n);
	while (!err && *pos / s->block_size < n)
		err = readdir_block(dir, *pos / s->block_size, pos, fill, ctx);
	ext2_unlock(s);
	return err < 0 ? err : 0;
}
