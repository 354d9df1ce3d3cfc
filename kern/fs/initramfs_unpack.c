/* The initramfs unpacker (see initramfs_unpack.h). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <string.h>
#include "fs/cpio.h"
#include "fs/initramfs_unpack.h"
#include "fs/iobuf.h"
#include "fs/kpath.h"
#include "fs/path.h"

struct hardlink {
	struct hardlink *next;
	uint32_t ino, major, minor, mode;
	char name[];
};

/* Directory mtimes are set last: adding entries would change them. */
struct dir_time {
	struct dir_time *next;
	struct inode *dir;
	int64_t mtime;
};

struct unpack {
	char *path; /* PATH_MAX: "/" + the entry's name */
	struct hardlink *links;
	struct dir_time *dirs;
};

/* The entry's name as an absolute path; false if it is too long. */
static bool make_path(struct unpack *u, const struct cpio_entry *e)
{
	const char *name = e->name;
	size_t len = e->namelen;

	for (;;) {
		if (len >= 1 && name[0] == '/')
			name++, len--;
		else if (len >= 2 && name[0] == '.' && name[1] == '/')
			name += 2, len -= 2;
		else
			break;
	}
	if (len == 1 && name[0] == '.')
		len = 0; /* the root itself */
	if (len + 2 > PATH_MAX)
		return false;
	u->path[0] = '/';
	memcpy(u->path + 1, name, len);
	u->path[len + 1] = '\0';
	return true;
}

static void set_attrs(struct inode *ino, const struct cpio_entry *e)
{
	if (!mode_is(ino->mode, S_IFLNK))
		ino->mode = (ino->mode & S_IFMT) | (e->mode & S_IALLUGO);
	ino->uid = e->uid;
	ino->gid = e->gid;
	ino->atime = ino->mtime = (struct vfs_time){ e->mtime, 0 };
}

/* Removes what is at path if it is not of the type in mode (0: anything). */
static void clean_path(const char *path, uint32_t mode)
{
	struct inode *ino;

	if (kpath_lookup(path, 0, &ino))
		return;
	if (!mode || (ino->mode ^ mode) & S_IFMT) {
		if (mode_is(ino->mode, S_IFDIR))
			kpath_rmdir(path);
		else
			kpath_unlink(path);
	}
	inode_put(ino);
}

static int add_dir(struct unpack *u, const struct cpio_entry *e)
{
	struct dir_time *t;
	struct inode *ino;
	int err;

	clean_path(u->path, S_IFDIR);
	err = kpath_mkdir(u->path, e->mode & S_IALLUGO, &ino);
	if (err == -EEXIST)
		err = kpath_lookup(u->path, 0, &ino);
	if (err)
		return err;
	set_attrs(ino, e);
	if (!(t = kmalloc(sizeof(*t)))) {
		inode_put(ino);
		return -ENOMEM;
	}
	*t = (struct dir_time){ .next = u->dirs, .dir = ino, .mtime = e->mtime };
	u->dirs = t;
	return 0;
}

static const struct hardlink *find_link(struct unpack *u, const struct cpio_entry *e)
{
	for (struct hardlink *l = u->links; l; l = l->next)
		if (l->ino == e->ino && l->major == e->devmajor && l->minor == e->devminor &&
		    l->mode == e->mode)
			return l;
	return NULL;
}

static int remember_link(struct unpack *u, const struct cpio_entry *e)
{
	size_t len = strlen(u->path);
	struct hardlink *l = kmalloc(sizeof(*l) + len + 1);

	if (!l)
		return -ENOMEM;
	*l = (struct hardlink){ .next = u->links, .ino = e->ino, .major = e->devmajor,
				.minor = e->devminor, .mode = e->mode };
	memcpy(l->name, u->path, len + 1);
	u->links = l;
	return 0;
}

/* The regular file at path: a new link to an earlier entry, the existing
 * file emptied, or a new one. */
static int open_regular(struct unpack *u, const struct cpio_entry *e, struct inode **ino)
{
	const struct hardlink *l = e->nlink >= 2 ? find_link(u, e) : NULL;
	int err;

	if (l) {
		clean_path(u->path, 0);
		if ((err = kpath_link(l->name, u->path)) != 0)
			return err;
		return kpath_lookup(u->path, 0, ino);
	}
	clean_path(u->path, S_IFREG);
	err = kpath_mknod(u->path, S_IFREG | (e->mode & S_IALLUGO), 0, ino);
	if (err == -EEXIST && !(err = kpath_lookup(u->path, 0, ino)) && (err = vfs_truncate(*ino, 0)))
		inode_put(*ino);
	if (!err && e->nlink >= 2 && (err = remember_link(u, e)) != 0)
		inode_put(*ino);
	return err;
}

static int add_regular(struct unpack *u, const struct cpio_entry *e)
{
	struct iobuf b = iobuf_kernel((char *)e->data); /* only read from */
	struct inode *ino;
	long n = 0;
	int err = open_regular(u, e, &ino);

	if (err)
		return err;
	if (e->size)
		n = ino->ops->write(ino, 0, &b, e->size);
	set_attrs(ino, e);
	inode_put(ino);
	if (n < 0)
		return (int)n;
	return (size_t)n == e->size ? 0 : -ENOSPC;
}

static int add_symlink(struct unpack *u, const struct cpio_entry *e)
{
	char *target;
	struct inode *ino;
	int err;

	if (e->size >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!(target = kmalloc(e->size + 1)))
		return -ENOMEM;
	memcpy(target, e->data, e->size);
	target[e->size] = '\0';
	clean_path(u->path, 0);
	err = kpath_symlink(target, u->path, &ino);
	kfree(target);
	if (!err) {
		set_attrs(ino, e);
		inode_put(ino);
	}
	return err;
}

static int add_node(struct unpack *u, const struct cpio_entry *e)
{
	struct inode *ino;
	int err;

	clean_path(u->path, 0);
	err = kpath_mknod(u->path, e->mode & (S_IFMT | S_IALLUGO),
			  (uint32_t)encode_dev(e->rdevmajor, e->rdevminor), &ino);
	if (!err) {
		set_attrs(ino, e);
		inode_put(ino);
	}
	return err;
}

static int add_entry(struct unpack *u, const struct cpio_entry *e)
{
	if (!make_path(u, e))
		return -ENAMETOOLONG;
	switch (e->mode & S_IFMT) {
	case S_IFDIR:
		return add_dir(u, e);
	case S_IFREG:
		return u->path[1] ? add_regular(u, e) : -EEXIST;
	case S_IFLNK:
		return u->path[1] ? add_symlink(u, e) : -EEXIST;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return u->path[1] ? add_node(u, e) : -EEXIST;
	default:
		return -EINVAL;
	}
}

static void forget_links(struct unpack *u)
{
	while (u->links) {
		struct hardlink *l = u->links;
		u->links = l->next;
		kfree(l);
	}
}

static void set_dir_times(struct unpack *u)
{
	while (u->dirs) {
		struct dir_time *t = u->dirs;
		u->dirs = t->next;
		t->dir->mtime = (struct vfs_time){ t->mtime, 0 };
		inode_put(t->dir);
		kfree(t);
	}
}

/* One archive, up to its trailer. */
static int unpack_archive(struct unpack *u, const void *archive, size_t size, size_t *off)
{
	struct cpio_entry e;
	int r, err;

	while ((r = cpio_next(archive, size, off, &e)) > 0) {
		if ((err = add_entry(u, &e)) != 0)
			pr_warn("initramfs: %s: %s\n", u->path[0] ? u->path : e.name, errno_name(err));
		if (err == -ENOMEM)
			return err;
	}
	forget_links(u);
	return r;
}

int initramfs_unpack(const void *archive, size_t size)
{
	struct unpack u = { .path = kmalloc(PATH_MAX) };
	size_t off = 0;
	int err = u.path ? 0 : -ENOMEM;

	while (!err && off < size) {
		u.path[0] = '\0';
		if ((err = unpack_archive(&u, archive, size, &off)) == -EINVAL)
			pr_warn("initramfs: malformed archive at offset %lu\n", off);
	}
	forget_links(&u);
	set_dir_times(&u);
	kfree(u.path);
	return err;
}
