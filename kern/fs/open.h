/* Opening files: from a path walk to a struct file, and the file ops of
 * each kind of VFS file. */
#ifndef KERN_FS_OPEN_H
#define KERN_FS_OPEN_H

#include "fs/file.h"
#include "fs/path.h"

/* open(2) on a begun walk: O_CREAT (mode with the umask applied), O_EXCL,
 * O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_PATH, as Linux. O_CLOEXEC is the
 * descriptor's business: the caller's. */
int vfs_open(struct walk *w, unsigned flags, uint32_t mode, struct file **out);
/* Opens ino itself; created: it was just made by this open. */
int vfs_open_inode(struct inode *ino, unsigned flags, bool created, struct file **out);
/* Opens a path for the kernel (relative paths from the caller's cwd). */
int vfs_open_kernel(const char *path, unsigned flags, struct file **out);

extern const struct file_ops vfs_reg_ops;  /* file_reg.c */
extern const struct file_ops vfs_dir_ops;  /* file_dir.c */
extern const struct file_ops vfs_path_ops; /* file_path.c: O_PATH */

/* pread(2) and pwrite(2) of a regular file from any buffer (sendfile,
 * splice): bytes moved or -errno; the file position is the caller's. */
struct iobuf;
long vfs_reg_pread_iob(struct file *f, const struct iobuf *b, size_t len, uint64_t off);
long vfs_reg_pwrite_iob(struct file *f, const struct iobuf *b, size_t len, uint64_t off);

/* An O_PATH descriptor: it names a file but cannot be used to access it. */
static inline bool file_is_path(const struct file *f)
{
	return f->ops == &vfs_path_ops;
}

/* file_name.c: remembers where an open walk found ino (for /proc/PID/fd):
 * the directory and the last name; nothing if memory runs out. */
void file_set_path(struct file *f, const struct walk *w, struct inode *ino);
/* Drops what file_set_path recorded. */
void file_clear_path(struct file *f);
/* The file's absolute path into buf, with " (deleted)" if its name is gone,
 * as Linux's d_path; its length (no NUL), -ENOENT if it has none. */
long file_path(const struct file *f, char *buf, size_t size);
/* path with every symlink resolved, as an absolute path (kmalloc'd), or
 * NULL (/proc/PID/exe: Linux names the file, not the link run). */
char *vfs_resolve(const char *path);

/* getdents64's core: entries of the directory f from its position. */
int vfs_readdir(struct file *f, filldir_fn fill, void *ctx);

#endif
