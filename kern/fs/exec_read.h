/* Reading a program for execve, after Linux's checks (a regular file, with
 * execute permission): its first bytes at once, the whole file only when
 * the loader needs it (a file system whose pages cannot be mapped, or an
 * ELF whose headers lie past the head). */
#ifndef KERN_FS_EXEC_READ_H
#define KERN_FS_EXEC_READ_H

#include <frame/types.h>

struct inode;

/* How much of the file is read at open: the ELF header, its program
 * headers and a PT_INTERP path in any usual layout, and a "#!" line. */
#define EXEC_HEAD_MAX 4096

struct exec_file {
	struct inode *inode; /* referenced while open */
	uint64_t size;       /* the file's size at open */
	void *head;          /* its first head_len = min(size, EXEC_HEAD_MAX) bytes */
	size_t head_len;
	void *whole;         /* all of it after exec_file_read_all, else NULL */
};

/* path is resolved from the caller's cwd, following symlinks. 0 with *ef
 * open (close it with vfs_exec_close), or -ENOENT, -ENOTDIR, -ELOOP,
 * -EACCES (not a regular file, or no x bit), -ENOMEM, -EIO. */
int vfs_exec_open(const char *path, struct exec_file *ef);
/* Reads the whole file into ef->whole (once). -ENOMEM, -EIO. */
int exec_file_read_all(struct exec_file *ef);
/* Reads len bytes at off into buf: -EIO unless all of them are there. */
int exec_file_read(struct exec_file *ef, uint64_t off, void *buf, size_t len);
/* True if the file's pages can be mapped into a process (get_page). */
bool exec_file_mappable(const struct exec_file *ef);
void vfs_exec_close(struct exec_file *ef);

#endif
