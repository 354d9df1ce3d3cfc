/* Descriptor tables (see fdtable.h), and the process context path walks
 * start from (path.h: vfs_cwd, vfs_fd_inode). */
#include <frame/errno.h>
#include <frame/heap.h>
#include <string.h>
#include "fs/fdtable.h"
#include "fs/lock.h"
#include "fs/path.h"

int fd_limit(const struct process *p)
{
	return (int)MIN(p->rlim[RLIMIT_NOFILE].cur, (uint64_t)MAX_FDS);
}

struct fdtable *fdtable_new(void)
{
	struct fdtable *t = kzalloc(sizeof(*t));

	if (t)
		t->refs = 1;
	return t;
}

struct fdtable *fdtable_copy(const struct fdtable *from)
{
	struct fdtable *t = fdtable_new();

	if (!t)
		return NULL;
	for (int fd = 0; fd < MAX_FDS; fd++)
		t->fd[fd] = from->fd[fd] ? file_get(from->fd[fd]) : NULL;
	memcpy(t->cloexec, from->cloexec, sizeof(t->cloexec));
	return t;
}

struct fdtable *fdtable_share(struct fdtable *t)
{
	t->refs++;
	return t;
}

int fdtable_unshare(struct process *p)
{
	struct fdtable *own;

	if (p->files->refs == 1)
		return 0;
	if (!(own = fdtable_copy(p->files)))
		return -ENOMEM;
	fdtable_put(p->files);
	p->files = own;
	return 0;
}

void fdtable_put(struct fdtable *t)
{
	if (!t || --t->refs)
		return;
	for (int fd = 0; fd < MAX_FDS; fd++)
		file_put(t->fd[fd]);
	kfree(t);
}

struct file *fd_get(struct process *p, int fd)
{
	return fdtable_file(p, fd);
}

int fd_install(struct process *p, struct file *f)
{
	return fd_alloc(p, f, 0, false);
}

bool fd_cloexec(const struct process *p, int fd)
{
	return p->files->cloexec[fd / 64] >> (fd % 64) & 1;
}

void fd_set_cloexec(struct process *p, int fd, bool on)
{
	if (on)
		p->files->cloexec[fd / 64] |= 1ull << (fd % 64);
	else
		p->files->cloexec[fd / 64] &= ~(1ull << (fd % 64));
}

bool fd_available(const struct process *p)
{
	for (int fd = 0; fd < fd_limit(p); fd++)
		if (!p->files->fd[fd])
			return true;
	return false;
}

int fd_alloc(struct process *p, struct file *f, int minfd, bool cloexec)
{
	int limit = fd_limit(p);

	if (minfd < 0 || minfd >= limit)
		return -EINVAL;
	for (int fd = minfd; fd < limit; fd++) {
		if (!p->files->fd[fd]) {
			p->files->fd[fd] = f;
			fd_set_cloexec(p, fd, cloexec);
			return fd;
		}
	}
	return -EMFILE;
}

/* POSIX: closing any descriptor of a file drops the process's record
 * locks on it, even if other descriptors stay open. */
static void drop_posix_locks(struct process *p, struct file *f)
{
	if (f)
		lock_release(f->inode, LOCK_POSIX, p->leader); /* the process, not the thread */
}

void fd_release_locks(struct process *p)
{
	for (int fd = 0; p->files && fd < MAX_FDS; fd++)
		drop_posix_locks(p, p->files->fd[fd]);
}

int fd_install_at(struct process *p, int fd, struct file *f, bool cloexec)
{
	struct file *old;

	if (fd < 0 || fd >= fd_limit(p))
		return -EBADF;
	old = p->files->fd[fd];
	p->files->fd[fd] = f;
	fd_set_cloexec(p, fd, cloexec);
	drop_posix_locks(p, old);
	file_put(old);
	return fd;
}

int fd_close(struct process *p, int fd)
{
	struct file *f = fd_get(p, fd);

	if (!f)
		return -EBADF;
	p->files->fd[fd] = NULL;
	fd_set_cloexec(p, fd, false);
	drop_posix_locks(p, f);
	file_put(f);
	return 0;
}

void fd_close_on_exec(struct process *p)
{
	for (int fd = 0; fd < MAX_FDS; fd++)
		if (fd_cloexec(p, fd))
			fd_close(p, fd);
}

void fs_process_init(struct process *p)
{
	struct inode *root = vfs_root();

	p->cwd = root ? inode_get(root) : NULL;
	p->umask = 022;
	p->files = fdtable_new();
}

int fs_process_fork(struct process *child, struct process *parent, bool share_files)
{
	inode_put(child->cwd);
	child->cwd = parent->cwd ? inode_get(parent->cwd) : NULL;
	child->umask = parent->umask;
	fdtable_put(child->files);
	child->files = share_files ? fdtable_share(parent->files) : fdtable_copy(parent->files);
	return child->files ? 0 : -ENOMEM;
}

void fs_process_release(struct process *p)
{
	fdtable_put(p->files);
	p->files = NULL;
	inode_put(p->cwd);
	p->cwd = NULL;
}

struct inode *vfs_cwd(void)
{
	struct process *p = current;

	return inode_get(p && p->cwd ? p->cwd : vfs_root());
}

int vfs_fd_inode(int fd, struct inode **out)
{
	struct process *p = current;
	struct file *f = p ? fd_get(p, fd) : NULL;

	if (!f)
		return -EBADF;
	if (!f->inode)
		return -ENOTDIR;
	*out = inode_get(f->inode);
	return 0;
}
