/* tmpfs file data: chunks of TMPFS_CHUNK bytes (one user page each, so
 * mmap can map them) in a radix tree indexed by chunk number. The tree grows in height as the file does (a small file is
 * one chunk and no node), and chunks exist only where something was
 * written, so sparse files cost what they hold. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <string.h>
#include "fs/tmpfs_internal.h"

#define FANOUT_BITS 6
#define FANOUT (1u << FANOUT_BITS)
#define MAX_HEIGHT 10 /* 64^10 chunks: beyond any file offset */

struct radix_node {
	void *slot[FANOUT];
};

/* A leaf of the tree: the page holding one chunk. */
struct chunk {
	page_t page;
};

/* How many chunk numbers a tree of this height covers. */
static uint64_t span(unsigned height)
{
	return height >= MAX_HEIGHT ? UINT64_MAX : 1ull << (FANOUT_BITS * height);
}

static int grow(struct tmpfs_data *d, uint64_t idx)
{
	while (idx >= span(d->height)) {
		if (d->root) {
			struct radix_node *n = kzalloc(sizeof(*n));
			if (!n)
				return -ENOMEM;
			n->slot[0] = d->root;
			d->root = n;
		}
		d->height++;
	}
	return 0;
}

/* The slot holding chunk idx; with create, missing nodes are added. NULL
 * if it does not exist (or no memory). */
static void **slot_of(struct tmpfs_data *d, uint64_t idx, bool create)
{
	void **slot = &d->root;

	if (idx >= span(d->height))
		return NULL;
	for (unsigned h = d->height; h > 0; h--) {
		struct radix_node *n = *slot;
		if (!n) {
			if (!create || !(n = kzalloc(sizeof(*n))))
				return NULL;
			*slot = n;
		}
		slot = &n->slot[(idx >> (FANOUT_BITS * (h - 1))) & (FANOUT - 1)];
	}
	return slot;
}

static struct chunk *chunk_at(struct tmpfs_data *d, uint64_t idx)
{
	void **slot = slot_of(d, idx, false);

	return slot ? *slot : NULL;
}

static void set_blocks(struct inode *ino)
{
	ino->blocks = tnode(ino)->data.chunks * (VFS_BLOCK / 512);
}

/* The chunk idx, allocated (zeroed) if it is a hole. */
static int chunk_for_write(struct inode *ino, uint64_t idx, struct chunk **out)
{
	struct tmpfs_data *d = &tnode(ino)->data;
	struct tmpfs_sb *ts = tsb(ino);
	void **slot;
	int err = grow(d, idx);

	if (err)
		return err;
	if (!(slot = slot_of(d, idx, true)))
		return -ENOMEM;
	if (!*slot) {
		if (ts->chunks >= ts->max_chunks)
			return -ENOSPC;
		struct chunk *c = kzalloc(sizeof(*c));
		if (!c || page_alloc(&c->page)) {
			kfree(c);
			return -ENOMEM;
		}
		*slot = c;
		d->chunks++;
		ts->chunks++;
		set_blocks(ino);
	}
	*out = *slot;
	return 0;
}

long tmpfs_read(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len)
{
	struct tmpfs_data *d = &tnode(ino)->data;
	size_t done = 0;

	while (done < len) {
		uint64_t pos = off + done, idx = pos / TMPFS_CHUNK;
		size_t in = pos % TMPFS_CHUNK, n = MIN(len - done, TMPFS_CHUNK - in);
		struct chunk *c = chunk_at(d, idx);
		int err = c ? iobuf_copy_from_page(buf, done, c->page, in, n) : iobuf_zero(buf, done, n);
		if (err)
			return done ? (long)done : err;
		done += n;
	}
	return (long)done;
}

/* A copy from the caller failed part way: what it left past the end of the
 * file must read as zeros again. */
static void clear_failed(const struct inode *ino, struct chunk *c, uint64_t pos, size_t in, size_t n)
{
	uint64_t inside = ino->size > pos ? ino->size - pos : 0;

	if (inside < n)
		(void)!page_zero(c->page, in + inside, n - inside);
}

long tmpfs_write(struct inode *ino, uint64_t off, const struct iobuf *buf, size_t len)
{
	size_t done = 0;
	int err = 0;

	while (done < len && !err) {
		uint64_t pos = off + done;
		size_t in = pos % TMPFS_CHUNK, n = MIN(len - done, TMPFS_CHUNK - in);
		struct chunk *c;
		if ((err = chunk_for_write(ino, pos / TMPFS_CHUNK, &c)) != 0)
			break;
		if ((err = iobuf_copy_to_page(c->page, in, buf, done, n)) != 0)
			clear_failed(ino, c, pos, in, n);
		else
			done += n;
	}
	if (done && off + done > ino->size)
		ino->size = off + done;
	return done ? (long)done : err;
}

/* Frees the subtree in *slot (height h, first chunk number base) from chunk
 * number first on; returns how many chunks went. */
static uint64_t trim(void **slot, unsigned h, uint64_t base, uint64_t first)
{
	struct radix_node *n = *slot;
	uint64_t freed = 0;

	if (!n || (span(h) != UINT64_MAX && base + span(h) <= first))
		return 0;
	if (h == 0) {
		page_put(((struct chunk *)n)->page);
		kfree(n);
		*slot = NULL;
		return 1;
	}
	for (unsigned i = 0; i < FANOUT; i++)
		freed += trim(&n->slot[i], h - 1, base + i * span(h - 1), first);
	if (base >= first) {
		kfree(n);
		*slot = NULL;
	}
	return freed;
}

/* Zeroes what a chunk holds past the new end, so growing again reads zeros. */
static void zero_tail(struct tmpfs_data *d, uint64_t size)
{
	struct chunk *c = chunk_at(d, size / TMPFS_CHUNK);
	size_t in = size % TMPFS_CHUNK;

	if (c && in)
		(void)!page_zero(c->page, in, TMPFS_CHUNK - in);
}

int tmpfs_truncate(struct inode *ino, uint64_t size)
{
	struct tmpfs_data *d = &tnode(ino)->data;

	if (size < ino->size) {
		uint64_t freed = trim(&d->root, d->height, 0, (size + TMPFS_CHUNK - 1) / TMPFS_CHUNK);
		d->chunks -= freed;
		tsb(ino)->chunks -= freed;
		zero_tail(d, size);
		if (!d->root)
			d->height = 0;
		set_blocks(ino);
	}
	ino->size = size;
	return 0;
}

void tmpfs_data_free(struct inode *ino)
{
	struct tmpfs_data *d = &tnode(ino)->data;
	uint64_t freed = trim(&d->root, d->height, 0, 0);

	tsb(ino)->chunks -= freed;
	d->chunks = 0;
	d->height = 0;
}

/* The page behind file page index for a mapping (a reference for the
 * caller), allocated if it is a hole; -ENXIO at or past the end of the
 * file (the mapping then raises SIGBUS, as Linux's). */
int tmpfs_get_page(struct inode *ino, uint64_t index, page_t *out)
{
	struct chunk *c;
	int err;

	if (index >= (ino->size + TMPFS_CHUNK - 1) / TMPFS_CHUNK)
		return -ENXIO;
	if ((err = chunk_for_write(ino, index, &c)) != 0)
		return err;
	if ((err = page_get(c->page)) != 0)
		return err;
	*out = c->page;
	return 0;
}
