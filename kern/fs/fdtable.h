/* Descriptor tables: which file each descriptor of a process refers to,
 * with its close-on-exec flag, and the process's cwd and umask. */
#ifndef KERN_FS_FDTABLE_H
#define KERN_FS_FDTABLE_H

#include "proc/process.h"

/* A descriptor table; threads made with CLONE_FILES share one.
 * Invariant: each non-NULL fd[] holds one reference on its file. */
struct fdtable {
	unsigned refs;
	struct file *fd[MAX_FDS];
	uint64_t cloexec[MAX_FDS / 64]; /* close-on-exec, one bit per descriptor */
};

/* fd_get (proc/process.h) inline, for the paths that run on every read
 * and write: the file at fd, or NULL. */
static inline struct file *fdtable_file(const struct process *p, int fd)
{
	return p->files && (unsigned)fd < MAX_FDS ? p->files->fd[fd] : NULL;
}

struct fdtable *fdtable_new(void);
/* fork: a new table with the same files (new references) and flags. */
struct fdtable *fdtable_copy(const struct fdtable *from);
/* CLONE_FILES: one more user of t. */
struct fdtable *fdtable_share(struct fdtable *t);
/* close_range's CLOSE_RANGE_UNSHARE: p gets a table of its own (a copy)
 * if it shares one. 0 or -ENOMEM. */
int fdtable_unshare(struct process *p);
/* Drops a user; the last closes every descriptor. NULL is ignored. */
void fdtable_put(struct fdtable *t);

/* Descriptors a process may use: min(RLIMIT_NOFILE, MAX_FDS). */
int fd_limit(const struct process *p);
/* Is a descriptor free (open(2) checks before it creates anything)? */
bool fd_available(const struct process *p);
/* Installs f (taking the caller's reference) at the lowest free descriptor
 * >= minfd: the descriptor, or -EMFILE (-EINVAL if minfd is beyond the limit). */
int fd_alloc(struct process *p, struct file *f, int minfd, bool cloexec);
/* Installs f at fd, closing what was there (dup3): fd, or -EBADF. */
int fd_install_at(struct process *p, int fd, struct file *f, bool cloexec);
/* close(2): 0 or -EBADF. */
int fd_close(struct process *p, int fd);
bool fd_cloexec(const struct process *p, int fd);
void fd_set_cloexec(struct process *p, int fd, bool on);
/* Exit: drops the process's POSIX record locks on all its open files. */
void fd_release_locks(struct process *p);
/* execve: closes every close-on-exec descriptor. */
void fd_close_on_exec(struct process *p);

/* A new process: cwd the root, umask 022, an empty table (process_new). */
void fs_process_init(struct process *p);
/* fork: the child gets the parent's cwd, umask and descriptors (a copy of
 * the table, or the table itself with share_files). 0 or -ENOMEM. */
int fs_process_fork(struct process *child, struct process *parent, bool share_files);
/* Drops the descriptors and the cwd (process_free). */
void fs_process_release(struct process *p);

#endif
