/* Open files: an object with operations, shared by descriptors through a
 * reference count. The VFS grows under this; today the console is the only
 * kind of file. */
#ifndef KERN_FS_FILE_H
#define KERN_FS_FILE_H

#include <frame/types.h>

struct file;
struct kstat;

struct file_ops {
	/* User buffers are user addresses: implementations use uaccess.h. */
	long (*read)(struct file *f, uint64_t ubuf, size_t len);
	long (*write)(struct file *f, uint64_t ubuf, size_t len);
	long (*ioctl)(struct file *f, unsigned long cmd, uint64_t uarg);
	int (*stat)(struct file *f, struct kstat *st);
	void (*release)(struct file *f);
};

struct file {
	const struct file_ops *ops;
	unsigned refs;
	unsigned flags; /* O_* access mode and status flags */
	void *priv;
};

struct file *file_new(const struct file_ops *ops, unsigned flags, void *priv);
struct file *file_get(struct file *f);
void file_put(struct file *f);

#endif
