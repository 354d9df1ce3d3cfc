/* The names of open files and programs, for /proc/PID/fd and exe. Linux
 * finds them from the dentry; without a dentry cache an open keeps the
 * directory and the last name it found, and the path is made from them
 * when someone asks. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <string.h>
#include "fs/open.h"

void file_set_path(struct file *f, const struct walk *w, struct inode *ino)
{
	if (mode_is(ino->mode, S_IFDIR) || w->last_type != LAST_NORM)
		return; /* a directory names itself (vfs_path_of) */
	if (w->last_len < sizeof(f->name_inline))
		f->name = f->name_inline;
	else if (!(f->name = kmalloc(w->last_len + 1)))
		return;
	for (size_t i = 0; i < w->last_len; i++) /* short: a loop beats memcpy's set-up */
		f->name[i] = w->last[i];
	f->name[w->last_len] = '\0';
	f->dir = inode_get(w->cur);
}

void file_clear_path(struct file *f)
{
	inode_put(f->dir);
	if (f->name != f->name_inline)
		kfree(f->name);
	f->dir = NULL;
	f->name = NULL;
}

/* Does dir still have name for ino? */
static bool still_named(struct inode *dir, const char *name, struct inode *ino)
{
	struct inode *found;
	bool same;

	if (dir->nlink == 0 || dir->ops->lookup(dir, name, strlen(name), &found) != 0)
		return false;
	same = found->sb == ino->sb && found->ino == ino->ino; /* procfs makes new inodes */
	inode_put(found);
	return same;
}

static long append(char *buf, size_t size, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (len + n + 1 > size)
		return -ENAMETOOLONG;
	memcpy(buf + len, s, n + 1);
	return (long)(len + n);
}

long file_path(const struct file *f, char *buf, size_t size)
{
	struct inode *dir = f->dir ? f->dir : f->inode;
	long n;

	if (!dir || (!f->dir && !mode_is(dir->mode, S_IFDIR)))
		return -ENOENT;
	if ((n = vfs_path_of(dir, buf, size)) < 0)
		return n;
	n--; /* the NUL */
	if (!f->dir)
		return dir->nlink ? n : append(buf, size, (size_t)n, " (deleted)");
	if (n > 1 && (n = append(buf, size, (size_t)n, "/")) < 0)
		return n;
	if ((n = append(buf, size, (size_t)n, f->name)) < 0)
		return n;
	return still_named(f->dir, f->name, f->inode) ? n : append(buf, size, (size_t)n, " (deleted)");
}

/* The path of what a finished walk found, made the same way. */
static char *walk_path(const struct walk *w, struct inode *ino)
{
	struct file tmp = { .inode = ino };
	char *buf = kmalloc(PATH_MAX), *out = NULL;
	long n;

	if (!buf)
		return NULL;
	file_set_path(&tmp, w, ino);
	if (!mode_is(ino->mode, S_IFDIR) && !tmp.name)
		n = -ENOENT;
	else
		n = file_path(&tmp, buf, PATH_MAX);
	if (n > 0 && (out = kmalloc((size_t)n + 1)))
		memcpy(out, buf, (size_t)n + 1);
	file_clear_path(&tmp);
	kfree(buf);
	return out;
}

char *vfs_resolve(const char *path)
{
	struct inode *ino;
	struct walk w WALK_UNINIT;
	char *out = NULL;

	if (walk_begin(&w, AT_FDCWD, path, WALK_FOLLOW) == 0 && walk_lookup(&w, &ino) == 0) {
		out = walk_path(&w, ino);
		inode_put(ino);
	}
	walk_end(&w);
	return out;
}
