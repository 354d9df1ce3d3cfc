/* The name of an open file: the path its open resolved, kept for
 * /proc/PID/fd/N. Linux finds it from the dentry; without a dentry cache
 * we compute it once, from the directory the walk ended in. */
#include <frame/heap.h>
#include <string.h>
#include "fs/open.h"

/* The path into buf (PATH_MAX bytes): the directory's, plus the last name
 * for anything else. Its length, or -1. */
static long resolved_path(const struct walk *w, struct inode *ino, char *buf)
{
	bool dir = mode_is(ino->mode, S_IFDIR);
	long n;

	if (!dir && w->last_type != LAST_NORM)
		return -1;
	if ((n = vfs_path_of(dir ? ino : w->cur, buf, PATH_MAX)) <= 0)
		return -1;
	n--; /* without the NUL */
	if (dir)
		return n;
	if ((size_t)n + 1 + w->last_len + 1 > PATH_MAX)
		return -1;
	if (n > 1)
		buf[n++] = '/';
	memcpy(buf + n, w->last, w->last_len);
	n += (long)w->last_len;
	buf[n] = '\0';
	return n;
}

/* The resolved path, kmalloc'd to its size, or NULL. */
static char *dup_resolved(const struct walk *w, struct inode *ino)
{
	char *buf = kmalloc(PATH_MAX), *out = NULL;
	long n = buf ? resolved_path(w, ino, buf) : -1;

	if (n > 0 && (out = kmalloc((size_t)n + 1)))
		memcpy(out, buf, (size_t)n + 1);
	kfree(buf);
	return out;
}

void file_set_path(struct file *f, const struct walk *w, struct inode *ino)
{
	f->path = dup_resolved(w, ino);
}

char *vfs_resolve(const char *path)
{
	struct inode *ino;
	struct walk w;
	char *out = NULL;

	if (walk_begin(&w, AT_FDCWD, path, WALK_FOLLOW) == 0 && walk_lookup(&w, &ino) == 0) {
		out = dup_resolved(&w, ino);
		inode_put(ino);
	}
	walk_end(&w);
	return out;
}
