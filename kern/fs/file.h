/* Open files: an object with operations, shared by descriptors through a
 * reference count. Files opened through the VFS (fs/open.c) carry their
 * inode and a position; others (the console before the VFS) only ops. */
#ifndef KERN_FS_FILE_H
#define KERN_FS_FILE_H

#include <frame/types.h>

struct file;
struct inode;
struct kstat;

struct file_ops {
	/* User buffers are user addresses: implementations use uaccess.h. */
	long (*read)(struct file *f, uint64_t ubuf, size_t len);
	long (*write)(struct file *f, uint64_t ubuf, size_t len);
	/* At an offset, leaving the file position alone (pread/pwrite), and
	 * lseek. NULL: the file cannot seek (-ESPIPE), as a tty. */
	long (*pread)(struct file *f, uint64_t ubuf, size_t len, uint64_t off);
	long (*pwrite)(struct file *f, uint64_t ubuf, size_t len, uint64_t off);
	int64_t (*llseek)(struct file *f, int64_t off, int whence);
	long (*ioctl)(struct file *f, unsigned long cmd, uint64_t uarg);
	/* Readiness now, as POLL* bits (fs/poll.h). NULL: always readable and
	 * writable, as a regular file. Whoever changes a file's readiness
	 * calls poll_wake() so sleeping pollers look again. */
	unsigned (*poll)(struct file *f);
	/* A count that grows with each event of the kinds in events (data in,
	 * room out): edge-triggered epoll reports a ready file again once it
	 * moved. NULL: only a readiness bit newly set counts (fs/epoll.c). */
	uint64_t (*poll_gen)(struct file *f, unsigned events);
	int (*stat)(struct file *f, struct kstat *st);
	void (*release)(struct file *f);
	/* mmap gives fresh anonymous memory instead of file pages (/dev/zero). */
	bool mmap_anonymous;
};

/* Most names are short: kept inside the file, an open costs no allocation
 * for its name. */
#define FILE_NAME_INLINE 24

struct file {
	const struct file_ops *ops;
	unsigned refs;
	unsigned flags; /* O_* access mode and status flags */
	void *priv;
	struct inode *inode; /* what it was opened from (a reference), or NULL */
	uint64_t pos;        /* the file position */
	bool write_access;   /* holds a write access to inode (write_access.c) */
	unsigned epoll_watches; /* epoll items watching it: dropped at the last close */
	/* Where its open found it (file_name.c, for /proc/PID/fd): the
	 * directory (a reference) and the name there; NULL for a
	 * directory itself, or a file not opened by a path. */
	struct inode *dir;
	char *name;          /* name_inline when it fits there, else kmalloc'd */
	char name_inline[FILE_NAME_INLINE];
};

/* A new file (one reference) into *out: 0, -ENFILE at the system-wide
 * limit (fs/file_limit.h) or -ENOMEM. */
int file_create(const struct file_ops *ops, unsigned flags, void *priv, struct file **out);
struct file *file_get(struct file *f);
void file_put(struct file *f);
/* An llseek op for files without a position (epoll, eventfd): succeeds and
 * leaves it alone, as Linux's noop_llseek. */
int64_t file_noop_llseek(struct file *f, int64_t off, int whence);
/* fstat: the inode's attributes, else the file's own stat op (-EINVAL). */
int file_stat(struct file *f, struct kstat *st);

/* lseek for files whose positions are plain numbers with no end to seek
 * from (directories' cookies, generated text): SEEK_SET and SEEK_CUR to
 * any non-negative position; -EINVAL otherwise. */
int64_t file_cookie_llseek(struct file *f, int64_t off, int whence);

#endif
