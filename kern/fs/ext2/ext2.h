/* ext2: the on-disk format (revision 0 and 1, little-endian as RISC-V
 * and the host are) and the in-memory structures shared by ext2_*.c.
 *
 * Locking: each mounted ext2 has one sleeping lock (ext2_lock), taken by
 * every VFS op for its whole length, since block I/O sleeps and other
 * tasks may enter the file system meanwhile. It nests (evict may run from
 * an inode_put inside another op of the same task).
 *
 * Trust: nothing read from the disk is believed before it is checked:
 * block numbers against the file system, inode numbers against the
 * inode count, directory records against their block. A bad value makes
 * the operation fail with -EIO and a log line; the kernel goes on. */
#ifndef KERN_FS_EXT2_EXT2_H
#define KERN_FS_EXT2_EXT2_H

#include <frame/types.h>
#include "block/block.h"
#include "block/cache.h"
#include "fs/ext2/ext2_fs.h"
#include "fs/vfs.h"

#define EXT2_MAGIC 0xef53
#define EXT2_SB_OFFSET 1024
#define EXT2_ROOT_INO 2
#define EXT2_NDIR 12
#define EXT2_IND 12
#define EXT2_DIND 13
#define EXT2_TIND 14
#define EXT2_NBLOCKS 15
#define EXT2_FAST_LINK_MAX 59 /* bytes of a target kept in i_block */

#define EXT2_COMPAT_EXT_ATTR 0x0008
#define EXT2_INCOMPAT_FILETYPE 0x0002
#define EXT2_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_INCOMPAT_SUPP EXT2_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPP (EXT2_RO_COMPAT_SPARSE_SUPER | EXT2_RO_COMPAT_LARGE_FILE)

#define EXT2_INDEX_FL 0x00001000 /* an htree directory (read as linear) */
#define EXT2_VALID_FS 1

struct ext2_disk_super {
	uint32_t inodes_count, blocks_count, r_blocks_count, free_blocks_count;
	uint32_t free_inodes_count, first_data_block, log_block_size, log_frag_size;
	uint32_t blocks_per_group, frags_per_group, inodes_per_group;
	uint32_t mtime, wtime;
	uint16_t mnt_count;
	int16_t max_mnt_count;
	uint16_t magic, state, errors, minor_rev_level;
	uint32_t lastcheck, checkinterval, creator_os, rev_level;
	uint16_t def_resuid, def_resgid;
	uint32_t first_ino;
	uint16_t inode_size, block_group_nr;
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	uint8_t rest[1024 - 104];
};
_Static_assert(sizeof(struct ext2_disk_super) == 1024, "ext2 superblock");

struct ext2_group_desc {
	uint32_t block_bitmap, inode_bitmap, inode_table;
	uint16_t free_blocks_count, free_inodes_count, used_dirs_count, pad;
	uint8_t reserved[12];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "ext2 group descriptor");

struct ext2_disk_inode {
	uint16_t mode, uid;
	uint32_t size, atime, ctime, mtime, dtime;
	uint16_t gid, links_count;
	uint32_t blocks, flags, osd1;
	uint32_t block[EXT2_NBLOCKS];
	uint32_t generation, file_acl, size_high, faddr;
	uint8_t frag, fsize;
	uint16_t pad1, uid_high, gid_high;
	uint32_t reserved2;
};
_Static_assert(sizeof(struct ext2_disk_inode) == 128, "ext2 inode");

struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len, file_type;
	char name[];
};
#define EXT2_DIRENT_HEAD 8
#define EXT2_REC_LEN(n) ((EXT2_DIRENT_HEAD + (n) + 3) & ~3u)

/* File types in directory entries (the filetype feature). */
enum { EXT2_FT_UNKNOWN, EXT2_FT_REG, EXT2_FT_DIR, EXT2_FT_CHR, EXT2_FT_BLK, EXT2_FT_FIFO,
       EXT2_FT_SOCK, EXT2_FT_SYMLINK, EXT2_FT_MAX };

struct ext2_lock {
	struct slock slock;
	void *owner; /* the task holding it */
	unsigned depth;
};

/* A mounted ext2. */
#define EXT2_IHASH 256

struct ext2_sb {
	struct super vfs;
	struct blockdev *bd;
	struct ext2_disk_super ds; /* the primary superblock, written on sync */
	struct ext2_disk_super written; /* what the disk has: an unchanged one is not rewritten */
	struct ext2_lock lock;
	bool read_only;
	unsigned block_size, inode_size, addr_per_block, inodes_per_block;
	uint32_t groups, gdt_block, gdt_blocks, itable_blocks;
	uint32_t *itable; /* each group's inode table, checked at mount */
	struct ext2_inode_info *inodes; /* every inode in memory */
	struct ext2_inode_info *ihash[EXT2_IHASH]; /* the same by number: lookups stay short */
	unsigned ninodes;
};

/* One inode in memory: the VFS inode plus what only ext2 knows. */
struct ext2_inode_info {
	struct inode vfs;
	uint32_t block[EXT2_NBLOCKS];
	uint32_t flags, file_acl, dtime;
	uint32_t goal; /* where the next block is looked for: after the last one taken */
	struct ext2_inode_info *next;    /* ext2_sb.inodes */
	struct ext2_inode_info **pprev;  /* what points at this one there */
	struct ext2_inode_info *hnext;   /* ext2_sb.ihash bucket */
};

static inline struct ext2_sb *esb(const struct super *sb)
{
	return sb->priv;
}

static inline struct ext2_inode_info *ei(const struct inode *ino)
{
	return ino->priv;
}

static inline struct ext2_sb *ino_sb(const struct inode *ino)
{
	return esb(ino->sb);
}

/* ext2_lock.c */
void ext2_lock(struct ext2_sb *s);
void ext2_unlock(struct ext2_sb *s);

/* ext2_super.c */
int ext2_sync_fs(struct super *sb, bool durable);
void ext2_release_inodes(struct ext2_sb *s);
bool ext2_block_valid(const struct ext2_sb *s, uint64_t block);
int ext2_group_desc(struct ext2_sb *s, uint32_t group, struct bbuf **bb,
		    struct ext2_group_desc **out);
void ext2_error(const struct ext2_sb *s, const char *what, uint64_t n);

/* ext2_alloc.c: blocks and inodes from the bitmaps, counts kept in step. */
int ext2_alloc_block(struct ext2_sb *s, uint32_t goal, uint32_t *out);
void ext2_free_block(struct ext2_sb *s, uint32_t block);
int ext2_alloc_inode(struct ext2_sb *s, uint32_t parent_ino, bool dir, uint32_t *out);
void ext2_free_inode(struct ext2_sb *s, uint32_t ino, bool dir);

/* ext2_inode.c */
extern const struct inode_ops ext2_ops;
int ext2_iget(struct ext2_sb *s, uint32_t ino, struct inode **out);
int ext2_write_inode(struct inode *ino);
int ext2_new_inode(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out);
void ext2_evict(struct inode *ino);
int ext2_write_all_inodes(struct ext2_sb *s);
uint32_t ext2_group_of_ino(const struct ext2_sb *s, uint32_t ino);

/* ext2_bmap.c: file block numbers to disk blocks. */
/* *out 0 for a hole (when !alloc). */
int ext2_bmap(struct inode *ino, uint64_t lblock, bool alloc, uint32_t *out);
/* ext2_bmap, and in *count how many file blocks from lblock on (at least
 * 1, at most max) lie one after another on the disk from *out: a reader
 * maps a run with one walk. A hole (*out 0) counts 1. */
int ext2_bmap_run(struct inode *ino, uint64_t lblock, bool alloc, uint32_t max, uint32_t *out,
		  uint32_t *count);
/* Frees every block at or past file block from (indirect blocks included). */
int ext2_free_from(struct inode *ino, uint64_t from);
void ext2_add_blocks(struct inode *ino, long n);

/* ext2_file.c */
long ext2_read(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len);
long ext2_write(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len);
int ext2_truncate(struct inode *ino, uint64_t size);
int ext2_truncate_locked(struct inode *ino, uint64_t size);
long ext2_readlink(struct inode *ino, char *buf, size_t size);

/* ext2_dir.c: entries in directory blocks. */
struct ext2_slot {
	struct bbuf *bb;   /* the block, referenced */
	unsigned off;      /* the entry's offset in it */
	unsigned prev;     /* the previous entry's offset, or off if first */
	uint64_t lblock;
};
/* The entry name in dir: 0 and *slot (release with bcache_put), -ENOENT, -EIO. */
int ext2_dir_find(struct inode *dir, const char *name, size_t len, struct ext2_slot *slot);
int ext2_dir_add(struct inode *dir, const char *name, size_t len, uint32_t ino, uint32_t mode);
void ext2_dir_remove(struct inode *dir, struct ext2_slot *slot);
void ext2_dir_set(struct inode *dir, struct ext2_slot *slot, uint32_t ino, uint32_t mode);
/* 1 if dir holds only "." and "..", 0 if more, -EIO. */
int ext2_dir_empty(struct inode *dir);
int ext2_dir_init(struct inode *dir, uint32_t parent);
int ext2_lookup(struct inode *dir, const char *name, size_t len, struct inode **out);
struct inode *ext2_parent(struct inode *dir);
int ext2_readdir(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx);

/* ext2_namei.c, ext2_rename.c */
int ext2_create(struct inode *dir, const char *name, size_t len, uint32_t mode, uint32_t rdev,
		struct inode **out);
int ext2_mkdir(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out);
int ext2_symlink(struct inode *dir, const char *name, size_t len, const char *target, size_t tlen,
		 struct inode **out);
int ext2_link(struct inode *dir, const char *name, size_t len, struct inode *target);
int ext2_unlink(struct inode *dir, const char *name, size_t len);
int ext2_rmdir(struct inode *dir, const char *name, size_t len);
int ext2_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		const char *nname, size_t nlen, unsigned flags);

#endif
