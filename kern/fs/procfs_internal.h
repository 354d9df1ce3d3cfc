/* procfs's own structures, shared by procfs*.c.
 *
 * Nothing is stored: each directory is a table of entries (and maybe a
 * generator of numbered ones: pids, descriptors), and a file's text is made
 * from the live kernel state whenever it is read from offset 0. Inodes are
 * made by lookup and freed with their last reference (super.transient). */
#ifndef KERN_FS_PROCFS_INTERNAL_H
#define KERN_FS_PROCFS_INTERNAL_H

#include <frame/types.h>
#include "fs/procfs.h"
#include "fs/vfs.h"

#define PROC_SUPER_MAGIC 0x9fa0

/* Growing text for one read of a generated file. */
struct seq {
	char *buf;
	size_t len, cap;
	bool nomem; /* a printf did not fit and the buffer could not grow */
};
void seq_printf(struct seq *s, const char *fmt, ...) __printf(2, 3);
void seq_write(struct seq *s, const void *data, size_t len);
void seq_free(struct seq *s);

/* What an inode stands for besides its entry: the process (0: none) and
 * the descriptor (-1: none) it is about. */
struct proc_ctx {
	int pid;
	int fd;
};

struct proc_entry;

/* Numbered children of a directory (pids, descriptors). */
struct proc_dyn {
	/* The first child whose number is >= *cookie: its name into name
	 * (16 bytes), its ctx, and *cookie set to its number. -ENOENT past
	 * the last. */
	int (*next)(const struct proc_ctx *dir, uint64_t *cookie, char *name, struct proc_ctx *child);
	/* The child called name (already checked to be a decimal number). */
	int (*find)(const struct proc_ctx *dir, unsigned long n, struct proc_ctx *child);
	const struct proc_entry *entry; /* what every such child is */
};

struct proc_entry {
	const char *name;
	uint32_t mode; /* type and permission bits */
	/* Regular files: the text (0, or -errno such as -ESRCH). */
	int (*show)(struct seq *s, const struct proc_ctx *c);
	/* Writable files: takes what was written (a kernel copy). */
	long (*store)(const struct proc_ctx *c, const char *buf, size_t len);
	/* Symlinks: the target into buf, its length or -errno. */
	long (*link)(const struct proc_ctx *c, char *buf, size_t size);
	/* Directories: fixed children (ending with a NULL name), numbered ones. */
	const struct proc_entry *children;
	const struct proc_dyn *dyn;
};

/* The tables: the root (procfs_root.c), a process's directory (procfs_pid.c). */
extern const struct proc_entry proc_root_entry;
extern const struct proc_entry proc_pid_entry;

/* procfs.c: the entry and ctx an inode of procfs stands for. */
const struct proc_entry *procfs_entry(const struct inode *ino, struct proc_ctx *ctx);
/* procfs_file.c: the open op (generated files; directories as usual). */
int procfs_open(struct inode *ino, unsigned flags, struct file **out);

/* The process a ctx names (a zombie too), or NULL (its files then give -ESRCH). */
struct process *proc_ctx_process(const struct proc_ctx *c);

/* procfs_mounts.c: /proc/PID/mounts and mountinfo (and /proc/mounts). */
int proc_show_mounts(struct seq *s, const struct proc_ctx *c);
int proc_show_mountinfo(struct seq *s, const struct proc_ctx *c);

/* procfs_parse.c: a decimal number written to a file (a kernel copy of len
 * bytes, not NUL-ended), blanks and a newline around it allowed, as Linux's
 * sysctl and kstrto* writes take them: 0, or -EINVAL (not a number, or
 * outside long). */
int proc_parse_long(const char *buf, size_t len, long *out);

/* procfs_block.c: /proc/diskstats and /proc/rivet (Rivet's own figures). */
int proc_show_diskstats(struct seq *s, const struct proc_ctx *c);
extern const struct proc_entry proc_rivet_entries[];

/* procfs_sys.c: /proc/sys. */
extern const struct proc_entry proc_sys_entries[];

#endif
