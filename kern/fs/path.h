/* Path walks: from the root, the cwd or a directory descriptor, component
 * by component, through mounts, "..", and symlinks (at most MAXSYMLINKS in
 * one walk, then -ELOOP), as Linux's namei does.
 *
 *	struct walk w;
 *	int err = walk_begin_user(&w, dirfd, upath, WALK_FOLLOW);
 *	if (!err)
 *		err = walk_lookup(&w, &ino);     // or walk_parent() + the last name
 *	walk_end(&w);                        // always, also after a failed begin
 *
 * Operations that make or remove names stop at the parent (walk_parent) and
 * look at w->last themselves. A path ending in '/' (w->slash) must name a
 * directory, and a symlink there is followed even without WALK_FOLLOW. */
#ifndef KERN_FS_PATH_H
#define KERN_FS_PATH_H

#include "fs/fcntl.h"
#include "fs/vfs.h"

#define WALK_FOLLOW 1    /* follow a symlink in the last component */
#define WALK_DIRECTORY 2 /* the result must be a directory */
#define WALK_EMPTY 4     /* "" names the starting point (AT_EMPTY_PATH) */

enum last_type { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

/* Paths shorter than this are copied into the walk itself: most are, and
 * a PATH_MAX buffer from the heap costs a page allocation and its free on
 * every stat or open. */
#define WALK_INLINE 128

/* For a walk that walk_begin* or walk_init* sets up at once: those set
 * every field, and the inline buffer is written before it is read, so the
 * zeroing -ftrivial-auto-var-init gives every local (a memset of the
 * whole walk, on every stat and open) is spared. */
#define WALK_UNINIT __attribute__((uninitialized))

/* walk_clear (path.c) sets each field by name: a new field needs a line there. */
struct walk {
	char *buf;         /* the path: inline, or PATH_MAX bytes from the heap */
	const char *p;     /* what is left of it */
	struct inode *cur; /* where the walk is (a reference) */
	unsigned flags;
	int links;         /* symlinks followed so far */
	/* Set by walk_parent: */
	enum last_type last_type; /* LAST_ROOT: no component ("/", or "" with WALK_EMPTY) */
	const char *last;         /* the last component, last_len bytes */
	size_t last_len;
	bool slash;               /* the path ended in '/' */
	char inline_buf[WALK_INLINE]; /* buf for a short path until a symlink */
};

/* Copies the path (-EFAULT, -ENAMETOOLONG, -ENOMEM). */
int walk_init_user(struct walk *w, uint64_t upath, unsigned flags);
int walk_init(struct walk *w, const char *path, unsigned flags);
/* Finds the starting point: the root for an absolute path, else the cwd
 * (dirfd AT_FDCWD) or dirfd's directory. -ENOENT for "" without WALK_EMPTY,
 * -EBADF, -ENOTDIR. */
int walk_start(struct walk *w, int dirfd);
int walk_begin_user(struct walk *w, int dirfd, uint64_t upath, unsigned flags);
int walk_begin(struct walk *w, int dirfd, const char *path, unsigned flags);
static inline bool walk_empty(const struct walk *w)
{
	return w->buf && !w->buf[0];
}
/* Walks every component but the last; w->cur is then its directory. */
int walk_parent(struct walk *w);
/* After walk_parent: the last component (LAST_NORM) in w->cur, without
 * following or crossing a mount. -ENOENT, -ENAMETOOLONG, -EACCES. */
int walk_child(struct walk *w, struct inode **out);
/* After walk_parent: resolves the last component as w->flags say. */
int walk_last(struct walk *w, struct inode **out);
/* walk_parent + walk_last. */
int walk_lookup(struct walk *w, struct inode **out);
/* Continues the walk through the symlink link (taking its reference) found
 * as the last component; call walk_parent again after it. */
int walk_follow(struct walk *w, struct inode *link);
void walk_end(struct walk *w);

/* The caller's cwd (a reference) and the inode behind a descriptor (a
 * reference; -EBADF, -ENOTDIR for a file with no inode). fdtable.c. */
struct inode *vfs_cwd(void);
int vfs_fd_inode(int fd, struct inode **out);

/* Namespace operations on a begun walk (create.c, remove.c, rename.c), with
 * Linux's checks and errors. Modes are final (umask already applied). */
int vfs_mknod(struct walk *w, uint32_t mode, uint32_t rdev, struct inode **out);
int vfs_mkdir(struct walk *w, uint32_t mode, struct inode **out);
int vfs_symlink(struct walk *w, const char *target, struct inode **out);
int vfs_link(struct inode *old, struct walk *w);
int vfs_unlink(struct walk *w);
int vfs_rmdir(struct walk *w);
int vfs_rename(struct walk *oldw, struct walk *neww, unsigned flags);
/* perm.c: may a name be added to dir, or victim's name removed? */
int may_create(const struct inode *dir);
int may_delete(const struct inode *dir, const struct inode *victim, bool isdir);

/* getcwd.c: the cwd as a path into buf; its length with the NUL, -ERANGE,
 * or -ENOENT if the cwd was removed. */
long vfs_getcwd(char *buf, size_t size);
/* The same for any directory (a mount point, a process's cwd). */
long vfs_path_of(struct inode *dir, char *buf, size_t size);

#endif
