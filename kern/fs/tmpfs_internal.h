/* tmpfs's own structures, shared by tmpfs*.c. */
#ifndef KERN_FS_TMPFS_INTERNAL_H
#define KERN_FS_TMPFS_INTERNAL_H

#include <frame/page.h>
#include "fs/iobuf.h"
#include "fs/tmpfs.h"

#define TMPFS_MAGIC 0x01021994
/* File data comes in chunks of one user page each (frame/page.h), so the
 * same frames can be mapped into programs that mmap the file. */
#define TMPFS_CHUNK PAGE_BYTES
#define BOGO_DIRENT_SIZE 20 /* a directory's st_size grows by this per entry, as Linux's */

struct tmpfs_dirent {
	struct tmpfs_dirent *next, *prev;
	struct tmpfs_dirent *hnext; /* the next in its hash bucket (tmpfs_dirhash.c) */
	struct inode *inode;
	uint64_t cookie; /* readdir position; increases in insertion order */
	uint32_t hash;   /* of the name */
	size_t len;
	char name[];
};

/* Entries are listed in insertion order (readdir) and, once a directory
 * holds more than a few, also hashed by name, so a lookup in a directory
 * of hundreds of names (/bin with busybox's applets) costs one bucket. */
struct tmpfs_dir {
	struct tmpfs_dirent *head, *tail;
	struct tmpfs_dirent **buckets; /* NULL: no index yet, the list is searched */
	unsigned nbuckets;             /* a power of two */
	uint64_t next_cookie;
	size_t count;
	struct inode *parent; /* a reference; NULL at the root */
};

/* File data: a radix tree over chunk numbers, height levels of nodes with
 * TMPFS_FANOUT slots above the chunks; absent chunks are holes (zeros). */
struct tmpfs_data {
	void *root;
	unsigned height;
	uint64_t chunks;
};

struct tmpfs_node {
	struct inode inode; /* inode.priv points back at the node */
	union {
		struct tmpfs_dir dir;
		struct tmpfs_data data;
		char *target; /* symlinks */
	};
};

struct tmpfs_sb {
	uint64_t inodes, max_inodes;
	uint64_t chunks, max_chunks;
	bool dead; /* unmounted: the last inode's eviction frees the superblock */
};

static inline struct tmpfs_node *tnode(const struct inode *ino)
{
	return ino->priv;
}

static inline struct tmpfs_sb *tsb(const struct inode *ino)
{
	return ino->sb->priv;
}

/* tmpfs.c */
extern const struct inode_ops tmpfs_ops;
int tmpfs_new_inode(struct inode *dir, uint32_t mode, uint32_t rdev, struct inode **out);
void tmpfs_evict(struct inode *ino);

/* tmpfs_dir.c */
struct tmpfs_dirent *tmpfs_dirent_new(const char *name, size_t len, struct inode *ino);
struct tmpfs_dirent *tmpfs_dir_find(struct inode *dir, const char *name, size_t len);
void tmpfs_dir_insert(struct inode *dir, struct tmpfs_dirent *e);
void tmpfs_dir_remove(struct inode *dir, struct tmpfs_dirent *e);
int tmpfs_dir_add(struct inode *dir, const char *name, size_t len, struct inode *ino);
void tmpfs_dir_set_parent(struct inode *dir, struct inode *parent);
int tmpfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out);
struct inode *tmpfs_parent(struct inode *dir);
int tmpfs_readdir(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx);

/* tmpfs_dirhash.c: the name index of a directory. */
/* FNV-1a: a few instructions a byte, and names differing in their last
 * characters (f1, f2, ...) land apart. Inline: every lookup hashes. */
static inline uint32_t tmpfs_name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}
/* Indexes e (already counted in d->count), growing the table with the
 * directory; without memory the chains only grow longer. */
void tmpfs_dirhash_add(struct tmpfs_dir *d, struct tmpfs_dirent *e);
void tmpfs_dirhash_remove(struct tmpfs_dir *d, struct tmpfs_dirent *e);
struct tmpfs_dirent *tmpfs_dirhash_find(const struct tmpfs_dir *d, const char *name, size_t len,
					uint32_t hash);
void tmpfs_dirhash_free(struct tmpfs_dir *d);

/* tmpfs_namei.c */
int tmpfs_create_op(struct inode *dir, const char *name, size_t len, uint32_t mode, uint32_t rdev,
		    struct inode **out);
int tmpfs_mkdir(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out);
int tmpfs_symlink(struct inode *dir, const char *name, size_t len, const char *target, size_t tlen,
		  struct inode **out);
int tmpfs_link(struct inode *dir, const char *name, size_t len, struct inode *target);
int tmpfs_unlink(struct inode *dir, const char *name, size_t len);
int tmpfs_rmdir(struct inode *dir, const char *name, size_t len);
/* tmpfs_rename.c */
int tmpfs_rename(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		 const char *nname, size_t nlen, unsigned flags);

/* tmpfs_data.c */
long tmpfs_read(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len);
long tmpfs_write(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len);
int tmpfs_truncate(struct inode *ino, uint64_t size);
void tmpfs_data_free(struct inode *ino);
int tmpfs_get_page(struct inode *ino, uint64_t index, page_t *out);

#endif
