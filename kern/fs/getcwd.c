/* getcwd: the path from the root to the cwd (or any directory), found by walking ".." and
 * looking each directory up by inode number in its parent. */
#include <frame/errno.h>
#include <string.h>
#include "fs/path.h"

struct name_of {
	uint64_t ino;
	char name[NAME_MAX + 1];
	size_t len;
	bool found;
};

static int match(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type,
		 uint64_t next)
{
	struct name_of *n = ctx;

	(void)type, (void)next;
	if (ino != n->ino || (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	memcpy(n->name, name, len);
	n->len = len;
	n->found = true;
	return 1;
}

/* Puts "/" + dir's name in parent before buf[*pos]. */
static int prepend_name(struct inode *parent, struct inode *dir, char *buf, size_t *pos)
{
	struct name_of n = { .ino = dir->ino };
	uint64_t cookie = 0;
	int err = parent->ops->readdir(parent, &cookie, match, &n);

	if (err)
		return err;
	if (!n.found)
		return -ENOENT;
	if (*pos < n.len + 1)
		return -ENAMETOOLONG;
	*pos -= n.len;
	memcpy(buf + *pos, n.name, n.len);
	buf[--*pos] = '/';
	return 0;
}

long vfs_getcwd(char *buf, size_t size)
{
	struct inode *cwd = vfs_cwd();
	long n = cwd->nlink ? vfs_path_of(cwd, buf, size) : -ENOENT;

	inode_put(cwd);
	return n;
}

long vfs_path_of(struct inode *dir, char *buf, size_t size)
{
	struct inode *root = vfs_root(), *cur = inode_get(dir), *up;
	size_t pos = size - 1;
	int err = 0;

	buf[pos] = '\0';
	while (!err && cur != root) {
		if (cur->covered) {
			up = inode_get(cur->covered);
		} else if (!(up = cur->ops->parent(cur))) {
			break;
		} else if ((err = prepend_name(up, cur, buf, &pos)) != 0) {
			inode_put(up);
			break;
		}
		inode_put(cur);
		cur = up;
	}
	inode_put(cur);
	if (err)
		return err;
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return (long)(size - pos);
}
