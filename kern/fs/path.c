/* The path walk (see path.h). The path lives in one buffer (inline in the
 * walk when short, else PATH_MAX bytes); at a symlink it is replaced by
 * "target" + "what was left", so nested symlinks need no recursion and no
 * stack. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/uaccess.h>
#include <string.h>
#include "fs/path.h"

static void walk_set(struct walk *w, struct inode *ino)
{
	inode_put(w->cur);
	w->cur = ino;
}

/* The walk's fields, buf at the inline buffer. Each field is set (a memset
 * costs more than these stores); the buffer is written before it is read. */
static void walk_clear(struct walk *w, unsigned flags)
{
	w->buf = w->inline_buf;
	w->p = NULL;
	w->cur = NULL;
	w->flags = flags;
	w->links = 0;
	w->last_type = LAST_NORM;
	w->last = NULL;
	w->last_len = 0;
	w->slash = false;
}

static bool walk_buf_heap(const struct walk *w)
{
	return w->buf && w->buf != w->inline_buf;
}

/* A short path goes inline; a longer one is copied again into PATH_MAX
 * bytes from the heap, which gives the same errors as one copy there. */
int walk_init_user(struct walk *w, uint64_t upath, unsigned flags)
{
	long n;

	walk_clear(w, flags);
	n = strncpy_from_user(w->buf, upath, WALK_INLINE);
	if (n != -ENAMETOOLONG)
		return n < 0 ? (int)n : 0;
	if (!(w->buf = kmalloc(PATH_MAX)))
		return -ENOMEM;
	n = strncpy_from_user(w->buf, upath, PATH_MAX);
	return n < 0 ? (int)n : 0;
}

int walk_init(struct walk *w, const char *path, unsigned flags)
{
	size_t len = strlen(path);

	walk_clear(w, flags);
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (len >= WALK_INLINE && !(w->buf = kmalloc(PATH_MAX)))
		return -ENOMEM;
	memcpy(w->buf, path, len + 1);
	return 0;
}

int walk_start(struct walk *w, int dirfd)
{
	int err;

	w->p = w->buf;
	if (!w->buf[0] && !(w->flags & WALK_EMPTY))
		return -ENOENT;
	if (w->buf[0] == '/') {
		w->cur = inode_get(vfs_root());
		return 0;
	}
	if (dirfd == AT_FDCWD) {
		w->cur = vfs_cwd();
		return 0;
	}
	if ((err = vfs_fd_inode(dirfd, &w->cur)) != 0)
		return err;
	return w->buf[0] && !mode_is(w->cur->mode, S_IFDIR) ? -ENOTDIR : 0;
}

int walk_begin_user(struct walk *w, int dirfd, uint64_t upath, unsigned flags)
{
	int err = walk_init_user(w, upath, flags);

	return err ? err : walk_start(w, dirfd);
}

int walk_begin(struct walk *w, int dirfd, const char *path, unsigned flags)
{
	int err = walk_init(w, path, flags);

	return err ? err : walk_start(w, dirfd);
}

void walk_end(struct walk *w)
{
	inode_put(w->cur);
	if (walk_buf_heap(w))
		kfree(w->buf);
	w->cur = NULL;
	w->buf = NULL;
}

/* ".." : off a mounted root onto what it covers, then to the parent. The
 * root of the tree is its own parent. */
static void walk_up(struct walk *w)
{
	struct inode *root = vfs_root(), *parent;

	while (w->cur != root && w->cur->covered)
		walk_set(w, inode_get(w->cur->covered));
	if (w->cur != root && (parent = w->cur->ops->parent(w->cur)))
		walk_set(w, parent);
}

static int lookup_in(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	int err = inode_permission(dir, MAY_EXEC);

	if (err)
		return err;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	return dir->ops->lookup(dir, name, len, out);
}

/* Replaces the walked part of the path with link's target; rest (inside
 * w->buf) is what followed the link. The new path is built in a fresh
 * PATH_MAX buffer, which then becomes w->buf. */
static int follow(struct walk *w, struct inode *link, const char *rest)
{
	size_t restlen = strlen(rest);
	char *target = NULL;
	long n = -ELOOP;

	if (++w->links <= MAXSYMLINKS)
		n = (target = kmalloc(PATH_MAX)) ? link->ops->readlink(link, target, PATH_MAX) : -ENOMEM;
	inode_put(link);
	if (n == 0)
		n = -ENOENT;
	else if (n > 0 && (size_t)n + restlen >= PATH_MAX)
		n = -ENAMETOOLONG;
	if (n < 0) {
		kfree(target);
		return (int)n;
	}
	memcpy(target + n, rest, restlen + 1);
	if (walk_buf_heap(w))
		kfree(w->buf);
	w->buf = target;
	w->p = target;
	if (target[0] == '/')
		walk_set(w, inode_get(vfs_root()));
	return 0;
}

int walk_follow(struct walk *w, struct inode *link)
{
	return follow(w, link, w->p);
}

static bool is_dot(const char *name, size_t len)
{
	return len == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, size_t len)
{
	return len == 2 && name[0] == '.' && name[1] == '.';
}

/* One component that is not the last; rest starts at the '/' after it. */
static int step(struct walk *w, const char *name, size_t len, const char *rest)
{
	struct inode *child;
	int err;

	if (!mode_is(w->cur->mode, S_IFDIR))
		return -ENOTDIR;
	w->p = rest;
	if (is_dot(name, len))
		return inode_permission(w->cur, MAY_EXEC);
	if (is_dotdot(name, len)) {
		err = inode_permission(w->cur, MAY_EXEC);
		if (!err)
			walk_up(w);
		return err;
	}
	if ((err = lookup_in(w->cur, name, len, &child)) != 0)
		return err;
	child = vfs_cross_mounts(child);
	if (mode_is(child->mode, S_IFLNK))
		return follow(w, child, rest);
	walk_set(w, child);
	return 0;
}

static void set_last(struct walk *w, const char *name, size_t len, const char *end)
{
	w->last = name;
	w->last_len = len;
	w->slash = *end == '/';
	w->p = end;
	if (len == 0)
		w->last_type = LAST_ROOT;
	else if (is_dot(name, len))
		w->last_type = LAST_DOT;
	else if (is_dotdot(name, len))
		w->last_type = LAST_DOTDOT;
	else
		w->last_type = LAST_NORM;
}

int walk_parent(struct walk *w)
{
	for (;;) {
		const char *name = w->p, *end, *rest;
		int err;

		while (*name == '/')
			name++;
		for (end = name; *end && *end != '/'; end++)
			;
		for (rest = end; *rest == '/'; rest++)
			;
		if (!*rest) {
			set_last(w, name, (size_t)(end - name), end);
			if (w->last_type != LAST_ROOT && !mode_is(w->cur->mode, S_IFDIR))
				return -ENOTDIR;
			return 0;
		}
		if ((err = step(w, name, (size_t)(end - name), end)) != 0)
			return err;
	}
}

int walk_child(struct walk *w, struct inode **out)
{
	return lookup_in(w->cur, w->last, w->last_len, out);
}

static bool wants_dir(const struct walk *w)
{
	return w->slash || (w->flags & WALK_DIRECTORY);
}

int walk_last(struct walk *w, struct inode **out)
{
	for (;;) {
		struct inode *child;
		int err;

		if (w->last_type == LAST_DOT || w->last_type == LAST_DOTDOT) {
			if ((err = inode_permission(w->cur, MAY_EXEC)) != 0)
				return err;
			if (w->last_type == LAST_DOTDOT)
				walk_up(w);
		}
		if (w->last_type != LAST_NORM) {
			child = inode_get(w->cur);
		} else {
			if ((err = walk_child(w, &child)) != 0)
				return err;
			child = vfs_cross_mounts(child);
			if (mode_is(child->mode, S_IFLNK) && ((w->flags & WALK_FOLLOW) || w->slash)) {
				if ((err = follow(w, child, w->p)) || (err = walk_parent(w)))
					return err;
				continue;
			}
		}
		if (wants_dir(w) && !mode_is(child->mode, S_IFDIR)) {
			inode_put(child);
			return -ENOTDIR;
		}
		*out = child;
		return 0;
	}
}

int walk_lookup(struct walk *w, struct inode **out)
{
	int err = walk_parent(w);

	return err ? err : walk_last(w, out);
}
