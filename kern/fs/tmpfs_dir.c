/* tmpfs directories: a list of entries in the order they were added, each
 * with a cookie that readdir positions refer to, so removing entries while
 * a directory is being read skips nothing; lookups go through the name
 * index (tmpfs_dirhash.c). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <string.h>
#include "fs/tmpfs_internal.h"

struct tmpfs_dirent *tmpfs_dirent_new(const char *name, size_t len, struct inode *ino)
{
	struct tmpfs_dirent *e = kmalloc(sizeof(*e) + len + 1);

	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->len = len;
	e->hash = tmpfs_name_hash(name, len);
	e->inode = ino;
	return e;
}

struct tmpfs_dirent *tmpfs_dir_find(struct inode *dir, const char *name, size_t len)
{
	return tmpfs_dirhash_find(&tnode(dir)->dir, name, len, tmpfs_name_hash(name, len));
}

void tmpfs_dir_insert(struct inode *dir, struct tmpfs_dirent *e)
{
	struct tmpfs_dir *d = &tnode(dir)->dir;

	e->cookie = d->next_cookie++;
	e->next = NULL;
	e->prev = d->tail;
	if (d->tail)
		d->tail->next = e;
	else
		d->head = e;
	d->tail = e;
	d->count++;
	tmpfs_dirhash_add(d, e);
	dir->size += BOGO_DIRENT_SIZE;
	inode_touch(dir, T_MTIME | T_CTIME);
}

void tmpfs_dir_remove(struct inode *dir, struct tmpfs_dirent *e)
{
	struct tmpfs_dir *d = &tnode(dir)->dir;

	tmpfs_dirhash_remove(d, e);
	if (e->prev)
		e->prev->next = e->next;
	else
		d->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		d->tail = e->prev;
	d->count--;
	dir->size -= BOGO_DIRENT_SIZE;
	inode_touch(dir, T_MTIME | T_CTIME);
	kfree(e);
}

int tmpfs_dir_add(struct inode *dir, const char *name, size_t len, struct inode *ino)
{
	struct tmpfs_dirent *e = tmpfs_dirent_new(name, len, ino);

	if (!e)
		return -ENOMEM;
	tmpfs_dir_insert(dir, e);
	return 0;
}

void tmpfs_dir_set_parent(struct inode *dir, struct inode *parent)
{
	struct tmpfs_dir *d = &tnode(dir)->dir;

	inode_get(parent);
	inode_put(d->parent);
	d->parent = parent;
}

int tmpfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct tmpfs_dirent *e = tmpfs_dir_find(dir, name, len);

	if (!e)
		return -ENOENT;
	*out = inode_get(e->inode);
	return 0;
}

struct inode *tmpfs_parent(struct inode *dir)
{
	struct inode *p = tnode(dir)->dir.parent;

	return p ? inode_get(p) : NULL;
}

static unsigned dtype(uint32_t mode)
{
	return (mode & S_IFMT) >> 12;
}

int tmpfs_readdir(struct inode *dir, uint64_t *pos, filldir_fn fill, void *ctx)
{
	struct tmpfs_dir *d = &tnode(dir)->dir;

	if (*pos == 0) {
		if (fill(ctx, ".", 1, dir->ino, dtype(S_IFDIR), 1))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		uint64_t up = d->parent ? d->parent->ino : dir->ino;
		if (fill(ctx, "..", 2, up, dtype(S_IFDIR), 2))
			return 0;
		*pos = 2;
	}
	for (struct tmpfs_dirent *e = d->head; e; e = e->next) {
		if (e->cookie < *pos)
			continue;
		if (fill(ctx, e->name, e->len, e->inode->ino, dtype(e->inode->mode), e->cookie + 1))
			return 0;
		*pos = e->cookie + 1;
	}
	return 0;
}
